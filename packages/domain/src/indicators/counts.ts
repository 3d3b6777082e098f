/**
 * Per-dossier facts that the Decision 766 indicators aggregate (domain.md §5, §12), and the additive
 * `UnitCounts` a unit's score is computed from. Pure: no I/O, no clock — `periodEnd` is passed in.
 *
 * The caller decides which dossiers belong to a period and a unit (received in the period, within the
 * unit's competence). Counts are plain sums, so a parent unit's counts are the sum of its children's.
 */

import type { DossierState } from '../dossier/types.js';
import type { Channel } from '../roles.js';
import type { SatisfactionLevel } from '../satisfaction.js';

/** A citizen's vote on one dossier (see satisfaction.ts). */
export type Rating = SatisfactionLevel;

export interface ComponentFact {
  digitized: boolean;
  reused: boolean;
}

export interface DossierExtra {
  electronicResult: boolean;
  /** The procedure charges a fee or charge (phí, lệ phí) for this dossier. */
  feeCharging: boolean;
  paidOnline: boolean;
  rating?: Rating;
  /** The dossier has been synchronised to the National Public Service Portal (CKMB). */
  syncedToNational?: boolean;
}

/** What one dossier contributes, as seen at `periodEnd`. */
export interface DossierFacts {
  received: boolean;
  channel: Channel;
  online: boolean;
  /** Finished (status 9/10, `finishedAt` set) no later than `periodEnd`. */
  resolved: boolean;
  early: boolean;
  onTime: boolean;
  late: boolean;
  /** Withdrawn (7) or stopped (8): neither resolved nor in progress. */
  cancelled: boolean;
  inProgressWithinDeadline: boolean;
  inProgressOverdue: boolean;
  digitized: boolean;
  reusedData: boolean;
  electronicResult: boolean;
  feeCharging: boolean;
  /** Paid online — only counted for fee-charging dossiers. */
  paidOnline: boolean;
  syncedToNational: boolean;
  rating: Rating | null;
}

/** Sums of `DossierFacts` over a set of dossiers. Every field is additive. */
export interface UnitCounts {
  received: number;
  counter: number;
  online: number;
  post: number;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  cancelled: number;
  inProgressWithinDeadline: number;
  inProgressOverdue: number;
  digitized: number;
  reusedData: number;
  electronicResult: number;
  feeCharging: number;
  paidOnline: number;
  syncedToNational: number;
  rated: number;
  verySatisfied: number;
  satisfied: number;
  unsatisfied: number;
}

export type CountKey = keyof UnitCounts;

/**
 * Catalogue-level counts (per unit and period), which are about procedures and online services rather
 * than dossiers. They are NOT additive across units (a procedure is shared), so the caller computes them
 * for the parent directly.
 */
export interface CatalogueCounts {
  /** Procedures within the unit's competence. */
  procedures: number;
  /** Of those, procedures offered as an online public service. */
  proceduresOnline: number;
  /** Online public services offered (denominator of "services with ≥ 1 dossier"). */
  onlineServices: number;
  /** Online services that received at least one online dossier in the period. */
  onlineServicesWithDossier: number;
  /** Procedures that charge a fee or charge. */
  feeChargingProcedures: number;
  /** Fee-charging procedures with at least one online payment in the period. */
  proceduresWithOnlinePayment: number;
}

export type CatalogueKey = keyof CatalogueCounts;

/** Every additive count, in a fixed order (API enums, sums). */
export const COUNT_KEYS = [
  'received',
  'counter',
  'online',
  'post',
  'resolved',
  'early',
  'onTime',
  'late',
  'cancelled',
  'inProgressWithinDeadline',
  'inProgressOverdue',
  'digitized',
  'reusedData',
  'electronicResult',
  'feeCharging',
  'paidOnline',
  'syncedToNational',
  'rated',
  'verySatisfied',
  'satisfied',
  'unsatisfied',
] as const satisfies readonly CountKey[];

export function emptyCounts(): UnitCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as UnitCounts;
}

/** Field-wise sum: roll-up of children into a parent. Does not mutate its arguments. */
export function addCounts(a: UnitCounts, b: UnitCounts): UnitCounts {
  const out = emptyCounts();
  for (const k of COUNT_KEYS) out[k] = a[k] + b[k];
  return out;
}

const ms = (iso: string): number => new Date(iso).getTime();

/**
 * The facts of one dossier at `periodEnd`.
 * - Resolved = `finishedAt` set and ≤ periodEnd; a dossier finished after periodEnd is still in progress
 *   at periodEnd.
 * - Early / on time / late come from `timing` (computed against `legalDueAt` by the state machine); when
 *   `timing` is missing, `finishedAt` is compared with `legalDueAt` (on time or late, never early).
 * - In progress (received, not resolved, not withdrawn/stopped) is within deadline when the clock at
 *   periodEnd has not passed `legalDueAt`. While a pause is open the clock stood still at `pause.from`,
 *   so that instant is used instead. No `legalDueAt` counts as within deadline.
 */
export function dossierFacts(
  s: DossierState,
  components: readonly ComponentFact[],
  extra: DossierExtra,
  periodEnd: Date,
): DossierFacts {
  const end = periodEnd.getTime();
  const received = s.receivedAt !== null;
  const resolved = received && s.finishedAt !== null && ms(s.finishedAt) <= end;
  const cancelled = !resolved && (s.status === 7 || s.status === 8);
  let timing = resolved ? s.timing : null;
  if (resolved && timing === null && s.finishedAt !== null) {
    timing = s.legalDueAt !== null && ms(s.finishedAt) > ms(s.legalDueAt) ? 'late' : 'on_time';
  }
  const inProgress = received && !resolved && !cancelled;
  let clock = end;
  if (s.pause !== null && s.pause.to === null) clock = Math.min(clock, ms(s.pause.from));
  const overdue = inProgress && s.legalDueAt !== null && clock > ms(s.legalDueAt);
  return {
    received,
    channel: s.channel,
    online: s.channel === 'online',
    resolved,
    early: timing === 'early',
    onTime: timing === 'on_time',
    late: timing === 'late',
    cancelled,
    inProgressWithinDeadline: inProgress && !overdue,
    inProgressOverdue: overdue,
    digitized: extra.electronicResult || components.some((c) => c.digitized),
    reusedData: components.some((c) => c.reused),
    electronicResult: extra.electronicResult,
    feeCharging: extra.feeCharging,
    paidOnline: extra.feeCharging && extra.paidOnline,
    syncedToNational: extra.syncedToNational ?? false,
    rating: extra.rating ?? null,
  };
}

/** One dossier's facts as counts (0/1 per field). Channel counts only count received dossiers. */
export function factCounts(f: DossierFacts): UnitCounts {
  const n = (b: boolean): number => (b ? 1 : 0);
  return {
    received: n(f.received),
    counter: n(f.received && f.channel === 'counter'),
    online: n(f.received && f.online),
    post: n(f.received && f.channel === 'post'),
    resolved: n(f.resolved),
    early: n(f.early),
    onTime: n(f.onTime),
    late: n(f.late),
    cancelled: n(f.cancelled),
    inProgressWithinDeadline: n(f.inProgressWithinDeadline),
    inProgressOverdue: n(f.inProgressOverdue),
    digitized: n(f.digitized),
    reusedData: n(f.reusedData),
    electronicResult: n(f.electronicResult),
    feeCharging: n(f.feeCharging),
    paidOnline: n(f.paidOnline),
    syncedToNational: n(f.syncedToNational),
    rated: n(f.rating !== null),
    verySatisfied: n(f.rating === 'very_satisfied'),
    satisfied: n(f.rating === 'satisfied'),
    unsatisfied: n(f.rating === 'unsatisfied'),
  };
}

/** Sum of many dossiers' facts. */
export function countFacts(facts: Iterable<DossierFacts>): UnitCounts {
  let acc = emptyCounts();
  for (const f of facts) acc = addCounts(acc, factCounts(f));
  return acc;
}
