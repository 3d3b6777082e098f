import type { DB } from '@tinhso/db';
import {
  DomainError,
  type DossierEvent,
  type DossierState,
  type ProcedureDefinition,
  type ResolvedStep,
} from '@tinhso/domain';
import { type Kysely, sql, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import { forbidden } from '../auth/principal.js';
import type { CreateDossier } from './dossier-input.js';
import type { Unit, UnitDirectory } from './units.js';

/** Persistence helpers shared by the dossier use cases: placement, snapshot columns, event rows, counters. */

export const dossierNotFound = (code: string) =>
  new DomainError('DOSSIER_NOT_FOUND', `Không tìm thấy hồ sơ "${code}".`, `Dossier "${code}" not found.`, {
    code,
  });

/**
 * A new dossier's id: a time-ordered UUID (version 7, RFC 9562) from the submission time. The dossier's id keys its
 * row and the indexes of its components, log, facts and payments; with random (version 4) ids every submission
 * wrote a random leaf page of each of those B-trees (about 1 GB of index at 1M dossiers, against 128 MB of shared
 * buffers), and the first write of a page after each checkpoint put the whole 8 KB page into the WAL: 2.9 full-page
 * images per submission. Time-ordered ids land on the right-hand pages, which stay in memory (ADR 0009, issue 7).
 * The id says when the dossier was created, to the millisecond; its code already says the day, and neither is a
 * secret from whoever may see the dossier.
 */
export const newDossierId = (at: Date): string => uuidv7({ msecs: at.getTime() });

/** Resolves where a new dossier is received and who decides it, checking levels and validity. */
export function placeDossier(
  units: UnitDirectory,
  def: ProcedureDefinition,
  input: CreateDossier,
  principal: Principal,
  today: string,
) {
  const active = (u: Unit) => {
    if (!units.isActive(u, today)) {
      throw new DomainError(
        'UNIT_INACTIVE',
        `Đơn vị "${u.name}" không còn hoạt động.`,
        `Unit "${u.code}" is no longer active.`,
      );
    }
    return u;
  };
  let competent: Unit;
  if (input.competentUnit) {
    competent = active(units.get(input.competentUnit));
    const allowed =
      def.competentUnits.length > 0
        ? def.competentUnits.includes(competent.code)
        : competent.level === (def.level === 'commune' ? 'commune' : 'department');
    if (!allowed) {
      throw new DomainError(
        'UNIT_NOT_COMPETENT',
        `Đơn vị "${competent.name}" không có thẩm quyền giải quyết thủ tục này.`,
        `Unit "${competent.code}" is not competent for this procedure.`,
      );
    }
  } else if (def.competentUnits[0]) {
    competent = active(units.get(def.competentUnits[0]));
  } else {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Hãy chọn xã, phường có thẩm quyền giải quyết.',
      'Choose the competent commune or ward (competentUnit).',
    );
  }
  let receiving: Unit;
  if (principal.kind === 'officer') {
    const code = input.receivingUnit ?? principal.roles.find((r) => r.role === 'reception')?.unit;
    if (!code) throw forbidden();
    receiving = active(units.get(code));
    const can = principal.roles.some((r) => r.role === 'reception' && units.covers(r.unit, receiving.code));
    if (!can) throw forbidden();
  } else if (def.level === 'commune') {
    receiving = competent;
  } else {
    const center = units.all().find((u) => u.level === 'service_center' && units.isActive(u, today));
    receiving = center ?? competent;
  }
  return { receiving, competent };
}

export function resolveWorkflow(
  units: UnitDirectory,
  def: ProcedureDefinition,
  receiving: Unit,
  competent: Unit,
): ResolvedStep[] {
  return def.workflow.map((s) => ({
    name: s.name,
    role: s.role,
    durationDays: s.durationDays,
    unit:
      s.unit === 'reception'
        ? receiving.code
        : s.unit === 'competent'
          ? competent.code
          : units.get(s.unit).code,
  }));
}

/** The columns derived from the state, kept for queries (queues, lookup, reports). */
export function snapshot(units: UnitDirectory, s: DossierState) {
  const last = s.steps[s.steps.length - 1];
  const currentCode = s.step !== null && last ? last.unit : s.receivingUnit;
  return {
    status: s.status,
    state: JSON.stringify(s),
    current_unit_id: units.get(currentCode).id,
    current_assignee_id: s.step !== null ? (last?.assignee ?? null) : null,
    received_at: s.receivedAt,
    due_at: s.dueAt,
    step_due_at: s.step !== null ? (last?.dueAt ?? null) : null,
    finished_at: s.finishedAt,
    returned_at: s.returnedAt,
    return_method: s.returnMethod,
  };
}

export async function appendEvents(
  units: UnitDirectory,
  tx: Transaction<DB>,
  dossierId: string,
  fromSeq: number,
  events: DossierEvent[],
  principal: Principal | { kind: 'system'; id: null; name: string },
) {
  await tx
    .insertInto('dossier_actions')
    .values(actionRows(units, dossierId, fromSeq, events, principal))
    .execute();
}

/** The log rows of `events`, numbered after `fromSeq`. */
export function actionRows(
  units: UnitDirectory,
  dossierId: string,
  fromSeq: number,
  events: DossierEvent[],
  principal: Principal | { kind: 'system'; id: null; name: string },
) {
  return events.map((e, i) => {
    const next = e.data['next'] as { index: number; dueAt: string } | undefined;
    return {
      dossier_id: dossierId,
      seq: fromSeq + i + 1,
      type: e.type,
      at: e.at,
      actor_type: principal.kind,
      actor_id: principal.id,
      actor_name: principal.name,
      unit_id: e.unit ? (units.find(e.unit)?.id ?? null) : null,
      status_after: e.statusAfter,
      step: next?.index ?? null,
      step_due_at: next?.dueAt ?? null,
      reason: e.reason,
      payload: JSON.stringify(e.data),
    };
  });
}

/** What `nextSequence` answers: the number (null for a replayed key) and the applicant's citizen account, if any. */
export interface Numbering {
  seq: number | null;
  citizen: { id: string; fullName: string } | null;
}

/**
 * Takes the next number of the receiving agency's daily sequence (the last part of the dossier code) in its own
 * short transaction, before the dossier's transaction starts: the counter row is locked for one statement, so
 * submissions to one agency do not wait for each other's whole transaction (issue 7, ADR 0007). That transaction
 * commits without waiting for its WAL flush (`synchronous_commit` off): the dossier's own commit, which waits, flushes
 * the WAL up to and past it, so a committed dossier's number is durable; a number lost in a crash was never used by
 * a committed dossier. A number is never given twice; a submission that fails after taking its number leaves a gap
 * in the day's sequence.
 */
export async function nextSequence(
  db: Kysely<DB>,
  agency: string,
  day: string,
  opts: { idempotencyKey?: string | undefined; personalId?: string | undefined } = {},
): Promise<Numbering> {
  // One statement, outside any transaction (migration 0018): the upsert commits on its own, without a WAL flush wait.
  // Inside a transaction it would make that whole transaction commit without waiting for its flush.
  if (db.isTransaction) throw new Error('nextSequence runs outside any transaction');
  // The same round trip looks for the dossier an idempotency key already opened (a replayed request gets null and
  // takes no number: CASE evaluates the function only when there is none) and for the citizen account of the
  // applicant's personal ID (unique: at most one row).
  const { rows } = await sql<{ n: number | null; citizen_id: string | null; citizen_name: string | null }>`
    SELECT CASE WHEN EXISTS (SELECT 1 FROM dossiers WHERE idempotency_key = ${opts.idempotencyKey ?? null}::text)
                THEN NULL ELSE next_dossier_seq(${agency}, ${day}::date) END AS n,
           c.id AS citizen_id, c.full_name AS citizen_name
      FROM (SELECT 1) AS one
      LEFT JOIN citizens c ON c.personal_id = ${opts.personalId ?? null}::text`.execute(db);
  const r = rows[0]!;
  return {
    seq: r.n === null ? null : Number(r.n),
    citizen: r.citizen_id && r.citizen_name ? { id: r.citizen_id, fullName: r.citizen_name } : null,
  };
}

export function versionConflict(current: number | null): DomainError {
  return new DomainError(
    'VERSION_CONFLICT',
    'Hồ sơ vừa được người khác cập nhật. Hãy tải lại và thử lại.',
    'Someone else updated this dossier just now. Reload and try again.',
    current === null ? undefined : { currentVersion: current },
  );
}

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
