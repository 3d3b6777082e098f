/**
 * The Decision 766 formulas in use: the built-in set of packages/domain/src/indicators plus the versions an
 * administrator stored in `indicator_formulas`; `formulasAt` picks the version in force on a date.
 */
import { type AuditEntry, appendAudit, type Database } from '@tinhso/db';
import { DEFAULT_FORMULAS, DomainError, type IndicatorFormula } from '@tinhso/domain';

/** The built-in formulas plus the stored versions. */
export async function loadFormulas(database: Database): Promise<IndicatorFormula[]> {
  const rows = await database.db.selectFrom('indicator_formulas').select(['definition']).execute();
  return [...DEFAULT_FORMULAS, ...rows.map((r) => r.definition as unknown as IndicatorFormula)];
}

/**
 * Stores a new version of a formula of `set` (validated by the route), audited: the next version number of its id,
 * in the group the id already belongs to.
 */
export async function storeFormula(
  database: Database,
  set: IndicatorFormula[],
  f: Omit<IndicatorFormula, 'version'>,
  audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>,
): Promise<IndicatorFormula> {
  const known = set.filter((x) => x.id === f.id);
  if (known.length === 0) {
    throw new DomainError('NOT_FOUND', `Không có chỉ tiêu ${f.id}.`, `No indicator ${f.id}.`, { id: f.id });
  }
  const group = known[0]!.group;
  if (f.group !== group) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Chỉ tiêu ${f.id} thuộc nhóm ${group}.`,
      `Indicator ${f.id} belongs to group ${group}.`,
      { group },
    );
  }
  const version = Math.max(...known.map((x) => x.version)) + 1;
  const formula: IndicatorFormula = { ...f, version };
  await database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('indicator_formulas')
      .values({
        id: f.id,
        version,
        valid_from: f.validFrom,
        definition: JSON.stringify(formula),
        created_by: audit.actorType === 'officer' ? (audit.actorId ?? null) : null,
      })
      .execute();
    await appendAudit(trx, {
      ...audit,
      action: 'indicator.formula_version',
      entityType: 'indicator_formula',
      entityId: `${f.id}@${version}`,
      details: formula as unknown as Record<string, unknown>,
    });
  });
  return formula;
}
