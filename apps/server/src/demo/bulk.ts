import type { Database, DB } from '@tinhso/db';
import { type DossierState, formatDossierCode, vietnamDate } from '@tinhso/domain';
import type { Insertable } from 'kysely';
import { newDossierId, snapshot } from '../services/dossier-store.js';
import type { UnitDirectory } from '../services/units.js';
import type { Simulation } from './simulate.js';

export interface GeneratedDossier extends Simulation {
  procedureId: string;
  procedureVersion: number;
  applicant: { name: string; idNumber: string; citizenId: string | null };
  components: {
    code: string;
    name: string;
    required: boolean;
    provided: boolean;
    digitized: boolean;
    reused: boolean;
  }[];
  formData: Record<string, unknown>;
}

const ROLE_ACTOR: Record<string, string> = {
  submit: 'Người nộp hồ sơ',
  accept: 'Cán bộ tiếp nhận',
  refuse: 'Cán bộ tiếp nhận',
  return_result: 'Cán bộ tiếp nhận',
  provide_supplement: 'Người nộp hồ sơ',
  withdraw: 'Người nộp hồ sơ',
  confirm_payment: 'Hệ thống thanh toán',
};

/**
 * The batch in submission order, each with its new id and its code: the next number of its receiving agency's day,
 * moving `counters` (agency|day → last number) forward. Shared by insertDossiers and the benchmark's COPY loader.
 */
export function numbered(
  batch: GeneratedDossier[],
  counters: Map<string, number>,
): { g: GeneratedDossier; id: string; code: string }[] {
  const sorted = [...batch].sort((a, b) => a.state.submittedAt.localeCompare(b.state.submittedAt));
  return sorted.map((g) => {
    const s = g.state;
    const day = vietnamDate(s.submittedAt);
    const key = `${s.receivingUnit}|${day}`;
    const seq = (counters.get(key) ?? 0) + 1;
    counters.set(key, seq);
    return {
      g,
      id: newDossierId(new Date(s.submittedAt)),
      code: formatDossierCode(s.receivingUnit, day, seq),
    };
  });
}

/**
 * Inserts generated dossiers in bulk (multi-row inserts in one transaction per call), assigning dossier codes in
 * submission order and moving the daily counters forward so that live registrations continue the sequences.
 */
export async function insertDossiers(
  database: Database,
  units: UnitDirectory,
  batch: GeneratedDossier[],
  counters: Map<string, number>,
): Promise<void> {
  const dossiers: Insertable<DB['dossiers']>[] = [];
  const actions: Insertable<DB['dossier_actions']>[] = [];
  const components: Insertable<DB['dossier_components']>[] = [];
  for (const { g, id, code } of numbered(batch, counters)) {
    const s: DossierState = g.state;
    dossiers.push({
      id,
      code,
      procedure_id: g.procedureId,
      procedure_version: g.procedureVersion,
      channel: s.channel,
      applicant_kind: 1,
      applicant_name: g.applicant.name,
      applicant_id: g.applicant.idNumber,
      applicant_citizen_id: g.applicant.citizenId,
      applicant_contact: '{}',
      receiving_unit_id: units.get(s.receivingUnit).id,
      competent_unit_id: units.get(s.competentUnit).id,
      submitted_at: s.submittedAt,
      ...snapshot(units, s),
      form_data: JSON.stringify(g.formData),
      version: g.events.length,
      created_at: s.submittedAt,
      updated_at: g.events[g.events.length - 1]!.at,
    });
    g.events.forEach((e, i) => {
      const next = e.data['next'] as { index: number; dueAt: string } | undefined;
      actions.push({
        dossier_id: id,
        seq: i + 1,
        type: e.type,
        at: e.at,
        actor_type:
          e.type === 'submit' && s.channel === 'online' ? ('citizen' as const) : ('officer' as const),
        actor_id: null,
        actor_name: ROLE_ACTOR[e.type] ?? 'Cán bộ xử lý',
        unit_id: e.unit ? units.get(e.unit).id : null,
        status_after: e.statusAfter,
        step: next?.index ?? null,
        step_due_at: next?.dueAt ?? null,
        reason: e.reason,
        payload: JSON.stringify(e.data),
      });
    });
    for (const c of g.components) components.push({ dossier_id: id, ...c });
  }
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < dossiers.length; i += 500) {
      await tx
        .insertInto('dossiers')
        .values(dossiers.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < actions.length; i += 2000) {
      await tx
        .insertInto('dossier_actions')
        .values(actions.slice(i, i + 2000))
        .execute();
    }
    for (let i = 0; i < components.length; i += 2000) {
      await tx
        .insertInto('dossier_components')
        .values(components.slice(i, i + 2000))
        .execute();
    }
  });
}

/** Stores the daily counters reached by generated dossiers (never moving a counter backwards). */
export async function saveCounters(database: Database, counters: Map<string, number>): Promise<void> {
  const rows = [...counters].map(([key, last_seq]) => {
    const [agency, day] = key.split('|') as [string, string];
    return { agency, day, last_seq };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await database.db
      .insertInto('dossier_counters')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.columns(['agency', 'day']).doUpdateSet((eb) => ({
          last_seq: eb.fn('greatest', [eb.ref('dossier_counters.last_seq'), eb.ref('excluded.last_seq')]),
        })),
      )
      .execute();
  }
}
