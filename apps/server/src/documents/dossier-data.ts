import type { Database } from '@tinhso/db';
import type { DossierState, ProcedureDefinition } from '@tinhso/domain';
import type { Issuer } from '@tinhso/pdf';
import type { Unit, UnitDirectory } from '../services/units.js';

/** Everything the printed forms of one dossier need, read in three queries. */
export interface DossierData {
  id: string;
  code: string;
  state: DossierState;
  procedure: ProcedureDefinition;
  applicant: { name: string; idNumber: string | null; phone?: string; email?: string; address?: string };
  components: { code: string; name: string; provided: boolean; digitized: boolean; reused: boolean }[];
  actions: {
    type: string;
    at: Date;
    actorName: string;
    reason: string | null;
    payload: Record<string, unknown>;
  }[];
  officerNames: Map<string, string>;
}

export async function loadDossierData(database: Database, dossierId: string): Promise<DossierData> {
  const { db } = database;
  const d = await db
    .selectFrom('dossiers as d')
    .innerJoin('procedure_versions as v', (j) =>
      j.onRef('v.procedure_id', '=', 'd.procedure_id').onRef('v.version', '=', 'd.procedure_version'),
    )
    .select([
      'd.id',
      'd.code',
      'd.state',
      'd.applicant_name',
      'd.applicant_id',
      'd.applicant_contact',
      'v.definition',
    ])
    .where('d.id', '=', dossierId)
    .executeTakeFirstOrThrow();
  const [components, actions] = await Promise.all([
    db
      .selectFrom('dossier_components')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('dossier_actions')
      .select(['type', 'at', 'actor_name', 'reason', 'payload'])
      .where('dossier_id', '=', dossierId)
      .orderBy('seq')
      .execute(),
  ]);
  const state = d.state as DossierState;
  const assignees = [...new Set(state.steps.map((s) => s.assignee).filter((x): x is string => !!x))];
  const officers = assignees.length
    ? await db.selectFrom('officers').select(['id', 'full_name']).where('id', 'in', assignees).execute()
    : [];
  const contact = d.applicant_contact as Record<string, string | undefined>;
  return {
    id: d.id,
    code: d.code,
    state,
    procedure: d.definition as ProcedureDefinition,
    applicant: {
      name: d.applicant_name,
      idNumber: d.applicant_id,
      ...(contact.phone ? { phone: contact.phone } : {}),
      ...(contact.email ? { email: contact.email } : {}),
      ...(contact.address ? { address: contact.address } : {}),
    },
    components,
    actions: actions.map((a) => ({
      type: a.type,
      at: a.at,
      actorName: a.actor_name,
      reason: a.reason,
      payload: a.payload,
    })),
    officerNames: new Map(officers.map((o) => [o.id, o.full_name])),
  };
}

/** The heading of a form issued by `unit`: its parent, its name and the place of the date line. */
export function issuerOf(units: UnitDirectory, unit: Unit): Issuer {
  const parent = unit.parentId ? units.getById(unit.parentId) : null;
  const place =
    unit.level === 'commune' && unit.shortName
      ? unit.shortName.replace(/^(Phường|Xã|Đặc khu)\s+/u, '')
      : 'Nghệ An';
  return {
    ...(parent && unit.level !== 'commune' ? { parent: parent.name } : {}),
    name: unit.name,
    place,
  };
}
