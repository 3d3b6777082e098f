import { appendAudit, type Database } from '@tinhso/db';
import {
  DomainError,
  type DossierEvent,
  type DossierState,
  evolve,
  parseAgencyCode,
  type UnitLevel,
} from '@tinhso/domain';
import type { AuditActor } from './audit-actor.js';
import type { UnitDirectory } from './units.js';

export interface NewUnit {
  code: string;
  name: string;
  shortName?: string | undefined;
  level: UnitLevel;
  parentCode?: string | undefined;
  validFrom: string;
}

/** Creates a unit under its parent. Accepts either QCVN 102 form of the code; stores the canonical one. */
export async function createUnit(database: Database, units: UnitDirectory, u: NewUnit, actor: AuditActor) {
  const code = parseAgencyCode(u.code);
  if (units.find(code.canonical)) {
    throw new DomainError(
      'ALREADY_EXISTS',
      `Mã đơn vị "${code.canonical}" đã tồn tại.`,
      'Unit code already exists.',
    );
  }
  const parent = u.parentCode ? units.get(u.parentCode) : null;
  const id = await database.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('units')
      .values({
        code: code.canonical,
        code_parts: code.parts,
        name: u.name,
        short_name: u.shortName ?? null,
        level: u.level,
        parent_id: parent?.id ?? null,
        path: '',
        valid_from: u.validFrom,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('units')
      .set({ path: `${parent?.path ?? '/'}${row.id}/` })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(tx, {
      ...actor,
      action: 'unit.create',
      entityType: 'unit',
      entityId: code.canonical,
      details: { ...u },
    });
    return row.id;
  });
  await units.reload();
  return units.getById(id);
}

/**
 * Merges units into a successor (2025 reform: communes merged, districts abolished). Each source unit closes the day
 * before `effectiveDate` and points to its successor; every open dossier held by a source unit gets a `succession`
 * event, so the successor takes it over and the log keeps who held it before.
 */
export async function mergeUnits(
  database: Database,
  units: UnitDirectory,
  input: { sources: string[]; successor: string; effectiveDate: string },
  actor: AuditActor,
): Promise<{ movedDossiers: number }> {
  const successor = units.get(input.successor);
  const sources = input.sources.map((c) => units.get(c));
  if (
    sources.some((s) => s.id === successor.id) ||
    new Set(sources.map((s) => s.id)).size !== sources.length
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Danh sách đơn vị sáp nhập không hợp lệ.',
      'Invalid list of merged units.',
    );
  }
  if (sources.some((s) => s.validTo !== null)) {
    throw new DomainError(
      'UNIT_INACTIVE',
      'Có đơn vị đã ngừng hoạt động từ trước.',
      'A source unit is already closed.',
    );
  }
  if (successor.validTo !== null) {
    throw new DomainError(
      'UNIT_INACTIVE',
      'Đơn vị kế thừa đã ngừng hoạt động.',
      'The successor unit is closed.',
    );
  }
  const dayBefore = new Date(Date.parse(`${input.effectiveDate}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (sources.some((s) => s.validFrom > dayBefore)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Ngày hiệu lực sáp nhập không hợp lệ.',
      'Merge date precedes a unit’s start.',
    );
  }
  const sourceIds = sources.map((s) => s.id);
  const moved = await database.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('units')
      .set({ valid_to: dayBefore, successor_id: successor.id })
      .where('id', 'in', sourceIds)
      .execute();
    const open = await tx
      .selectFrom('dossiers')
      .select(['id', 'code', 'state', 'version'])
      .where('status', 'in', [1, 2, 4, 5, 6, 9])
      .where((eb) =>
        eb.or([
          eb('receiving_unit_id', 'in', sourceIds),
          eb('competent_unit_id', 'in', sourceIds),
          eb('current_unit_id', 'in', sourceIds),
        ]),
      )
      .forUpdate()
      .execute();
    const at = new Date().toISOString();
    for (const d of open) {
      let state = d.state as DossierState;
      let seq = d.version;
      for (const src of sources) {
        const held = [state.receivingUnit, state.competentUnit, ...state.steps.map((s) => s.unit)].includes(
          src.code,
        );
        if (!held) continue;
        const e: DossierEvent = {
          type: 'succession',
          at,
          unit: successor.code,
          statusAfter: state.status,
          reason: `Sáp nhập ${src.name} vào ${successor.name}`,
          data: { from: src.code, to: successor.code },
        };
        state = evolve(state, e);
        seq += 1;
        await tx
          .insertInto('dossier_actions')
          .values({
            dossier_id: d.id,
            seq,
            type: e.type,
            at,
            actor_type: 'system',
            actor_id: null,
            actor_name: 'Hệ thống',
            unit_id: successor.id,
            status_after: state.status,
            step: state.step,
            step_due_at: null,
            reason: e.reason,
            payload: JSON.stringify(e.data),
          })
          .execute();
      }
      const last = state.steps[state.steps.length - 1];
      const byCode = (c: string) => (c === successor.code ? successor.id : units.get(c).id);
      await tx
        .updateTable('dossiers')
        .set({
          state: JSON.stringify(state),
          version: seq,
          receiving_unit_id: byCode(state.receivingUnit),
          competent_unit_id: byCode(state.competentUnit),
          current_unit_id: byCode(state.step !== null && last ? last.unit : state.receivingUnit),
          updated_at: at,
        })
        .where('id', '=', d.id)
        .execute();
    }
    await appendAudit(tx, {
      ...actor,
      action: 'unit.merge',
      entityType: 'unit',
      entityId: successor.code,
      details: {
        sources: sources.map((s) => s.code),
        effectiveDate: input.effectiveDate,
        movedDossiers: open.length,
      },
    });
    return open.length;
  });
  await units.reload();
  return { movedDossiers: moved };
}

/** Sets a unit's own office hours (null: the province's default). */
export async function setWorkingHours(
  database: Database,
  units: UnitDirectory,
  code: string,
  hours: { sessions: [string, string][] } | null,
  actor: AuditActor,
) {
  const unit = units.get(code);
  await database.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('units')
      .set({ working_hours: hours === null ? null : JSON.stringify(hours) })
      .where('id', '=', unit.id)
      .execute();
    await appendAudit(tx, {
      ...actor,
      action: 'unit.working_hours',
      entityType: 'unit',
      entityId: unit.code,
      details: { hours },
    });
  });
  await units.reload();
}
