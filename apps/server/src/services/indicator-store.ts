/**
 * Reads the indicator aggregates: whole half-months from `indicator_halves` (migration 0012), the partial edges of a
 * range from `indicator_days` (0017), and the clock-dependent overdue split and drill-down lists from
 * `dossier_facts`. Never scans `dossiers` for a number.
 */
import type { Database } from '@tinhso/db';
import { type CountKey, emptyCounts, splitPeriod, type UnitCounts } from '@tinhso/domain';
import { type RawBuilder, sql } from 'kysely';

/** The stored sums, in the order of indicator_halves. */
export const SUM_COLUMNS = [
  'received',
  'counter',
  'online',
  'post',
  'running',
  'early',
  'on_time',
  'late',
  'cancelled',
  'digitized',
  'reused',
  'electronic_result',
  'fee_charging',
  'paid_online',
  'synced',
  'rated',
  'very_satisfied',
  'satisfied',
  'unsatisfied',
  'work_days',
] as const;
export type SumColumn = (typeof SUM_COLUMNS)[number];

export type Sums = Record<SumColumn, number> & { overdue: number };

const ALL_SUMS = [...SUM_COLUMNS, 'overdue'] as const;

export function emptySums(): Sums {
  return Object.fromEntries(ALL_SUMS.map((c) => [c, 0])) as Sums;
}
/** Adds `b` into `a` (in place: a province-wide roll-up adds tens of thousands of rows) and returns `a`. */
export function addInto(a: Sums, b: Sums): Sums {
  for (const c of ALL_SUMS) a[c] += b[c];
  return a;
}

/** The domain's additive counts from stored sums (running = within deadline + overdue). */
export function toCounts(s: Sums): UnitCounts {
  return {
    ...emptyCounts(),
    received: s.received,
    counter: s.counter,
    online: s.online,
    post: s.post,
    resolved: s.early + s.on_time + s.late,
    early: s.early,
    onTime: s.on_time,
    late: s.late,
    cancelled: s.cancelled,
    inProgressWithinDeadline: s.running - s.overdue,
    inProgressOverdue: s.overdue,
    digitized: s.digitized,
    reusedData: s.reused,
    electronicResult: s.electronic_result,
    feeCharging: s.fee_charging,
    paidOnline: s.paid_online,
    syncedToNational: s.synced,
    rated: s.rated,
    verySatisfied: s.very_satisfied,
    satisfied: s.satisfied,
    unsatisfied: s.unsatisfied,
  };
}

/** Overdue at `now`: the legal clock (stopped at an open pause) has passed the legal due date. */
// (due_at < now is implied; written out so that the planner reads the due-date index only up to now.)
const OVERDUE = (now: Date) =>
  sql`(due_at < ${now}::timestamptz AND due_at < coalesce(paused_from, ${now}::timestamptz))`;

/** The SQL condition on a fact row that a count of the domain holds for (drill-down to the dossiers). */
export function factCondition(key: CountKey, now: Date): RawBuilder<boolean> {
  const c: Record<CountKey, RawBuilder<unknown>> = {
    received: sql`true`,
    counter: sql`channel = 'counter'`,
    online: sql`channel = 'online'`,
    post: sql`channel = 'post'`,
    resolved: sql`outcome IN ('early', 'on_time', 'late')`,
    early: sql`outcome = 'early'`,
    onTime: sql`outcome = 'on_time'`,
    late: sql`outcome = 'late'`,
    cancelled: sql`outcome = 'cancelled'`,
    inProgressWithinDeadline: sql`(outcome = 'running' AND NOT coalesce(${OVERDUE(now)}, false))`,
    inProgressOverdue: sql`(outcome = 'running' AND coalesce(${OVERDUE(now)}, false))`,
    digitized: sql`digitized`,
    reusedData: sql`reused`,
    electronicResult: sql`electronic_result`,
    feeCharging: sql`fee_charging`,
    paidOnline: sql`paid_online`,
    syncedToNational: sql`synced`,
    rated: sql`rating IS NOT NULL`,
    verySatisfied: sql`rating = 'very_satisfied'`,
    satisfied: sql`rating = 'satisfied'`,
    unsatisfied: sql`rating = 'unsatisfied'`,
  };
  return c[key] as RawBuilder<boolean>;
}

type Grouping = 'unit_procedure' | 'half';
/** Whose figures: the units that decide (competent) or, for a service centre, the unit that received. */
export type UnitRole = 'competent' | 'receiving';
const unitColumn = (role: UnitRole) => (role === 'receiving' ? 'receiving_unit_id' : 'unit_id');
interface SumRow extends Record<SumColumn, string | number> {
  unit_id?: string;
  procedure_id?: string;
  half_start?: string | Date;
}

const num = (v: unknown) => Number(v ?? 0);
const dateText = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

export class IndicatorStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /**
   * Sums per (unit, procedure) — or per half-month — of the dossiers received in [from, to] by `unitIds`
   * (null: every unit), with the running ones split at `now`.
   */
  async sums(
    unitIds: string[] | null,
    from: string,
    to: string,
    now: Date,
    by: Grouping,
    role: UnitRole = 'competent',
  ): Promise<Map<string, Sums>> {
    const split = splitPeriod(from, to);
    const col = unitColumn(role);
    const unitFilter = unitIds ? sql`${sql.raw(col)} = ANY(${unitIds}::uuid[])` : sql`true`;
    const keys = by === 'half' ? sql.raw('half_start') : sql.raw(`${col}, procedure_id`);
    const keysAs = by === 'half' ? sql.raw('half_start') : sql.raw(`${col} AS unit_id, procedure_id`);
    const out = new Map<string, Sums>();
    const add = (rows: SumRow[], overdueOnly = false) => {
      for (const r of rows) {
        const key = by === 'half' ? dateText(r.half_start) : `${r.unit_id}|${r.procedure_id}`;
        const s = out.get(key) ?? emptySums();
        if (overdueOnly) s.overdue += num((r as unknown as { overdue: unknown }).overdue);
        else for (const c of SUM_COLUMNS) s[c] += num(r[c]);
        out.set(key, s);
      }
    };
    const cols = sql.raw(SUM_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', '));
    if (split.halves) {
      const r = await sql<SumRow>`
        SELECT ${keysAs}, ${cols} FROM indicator_halves
        WHERE ${unitFilter} AND half_start BETWEEN ${split.halves.first}::date AND ${split.halves.last}::date
        GROUP BY ${keys}`.execute(this.db);
      add(r.rows);
    }
    // The partial half-months at the edges, from the day sums (migration 0017); a trend puts each day in its half.
    const dayKeys = by === 'half' ? sql.raw('half_month_start(day)') : keys;
    const dayKeysAs = by === 'half' ? sql.raw('half_month_start(day) AS half_start') : keysAs;
    for (const e of split.edges) {
      const r = await sql<SumRow>`
        SELECT ${dayKeysAs}, ${cols} FROM indicator_days
        WHERE ${unitFilter} AND day BETWEEN ${e.from}::date AND ${e.to}::date
        GROUP BY ${dayKeys}`.execute(this.db);
      add(r.rows);
    }
    // Read from the running facts' due-date index alone: the half-month is computed from the day it holds.
    const overdueKeys = by === 'half' ? sql.raw('half_month_start(received_on)') : keys;
    const overdueKeysAs = by === 'half' ? sql.raw('half_month_start(received_on) AS half_start') : keysAs;
    const overdue = await sql<SumRow>`
      SELECT ${overdueKeysAs}, count(*) AS overdue FROM dossier_facts
      WHERE outcome = 'running' AND ${unitFilter} AND received_on BETWEEN ${from}::date AND ${to}::date
        AND ${OVERDUE(now)}
      GROUP BY ${overdueKeys}`.execute(this.db);
    add(overdue.rows, true);
    return out;
  }

  /** The dossiers behind a number: received in the period by the units, matching `where`; newest first. */
  async dossiers(
    unitIds: string[] | null,
    from: string,
    to: string,
    where: RawBuilder<boolean>,
    page: { limit: number; offset: number },
    role: UnitRole = 'competent',
    /** The number of matching dossiers when the caller knows it from the aggregates (no count over the facts). */
    knownTotal?: number,
  ) {
    const unitFilter = unitIds ? sql`f.${sql.raw(unitColumn(role))} = ANY(${unitIds}::uuid[])` : sql`true`;
    const base = sql`FROM dossier_facts f
      WHERE ${unitFilter} AND f.received_on BETWEEN ${from}::date AND ${to}::date AND (${where})`;
    const [rows, total] = await Promise.all([
      sql<{
        code: string;
        procedure_code: string;
        procedure_name: string;
        unit_code: string;
        channel: string;
        outcome: string;
        received_on: string | Date;
        due_at: Date | null;
        finished_on: string | Date | null;
        status: number;
      }>`SELECT d.code, p.code AS procedure_code, p.name AS procedure_name, u.code AS unit_code, f.channel,
                f.outcome, f.received_on, f.due_at, f.finished_on, d.status
         FROM (SELECT f.* ${base} ORDER BY f.received_on DESC, f.dossier_id LIMIT ${page.limit} OFFSET ${page.offset}) f
         JOIN dossiers d ON d.id = f.dossier_id
         JOIN procedures p ON p.id = f.procedure_id
         JOIN units u ON u.id = f.unit_id
         ORDER BY f.received_on DESC, d.code`.execute(this.db),
      knownTotal !== undefined
        ? Promise.resolve({ rows: [{ n: String(knownTotal) }] })
        : sql<{ n: string }>`SELECT count(*) AS n ${base}`.execute(this.db),
    ]);
    return {
      total: Number(total.rows[0]?.n ?? 0),
      items: rows.rows.map((r) => ({
        code: r.code,
        procedureCode: r.procedure_code,
        procedureName: r.procedure_name,
        unit: r.unit_code,
        channel: r.channel,
        outcome: r.outcome,
        status: Number(r.status),
        receivedOn: dateText(r.received_on),
        dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
        finishedOn: r.finished_on ? dateText(r.finished_on) : null,
      })),
    };
  }

  /**
   * Running dossiers of the units whose legal clock passes their due date before `until` (overdue first, then
   * due soon), soonest due first. A paused dossier's clock stands still at its pause.
   */
  async atRisk(
    unitIds: string[] | null,
    now: Date,
    until: Date,
    limit: number,
    role: UnitRole = 'competent',
  ) {
    const unitFilter = unitIds ? sql`f.${sql.raw(unitColumn(role))} = ANY(${unitIds}::uuid[])` : sql`true`;
    const r = await sql<{
      code: string;
      procedure_code: string;
      procedure_name: string;
      unit_code: string;
      due_at: Date;
      paused: boolean;
      overdue: boolean;
    }>`SELECT d.code, p.code AS procedure_code, p.name AS procedure_name, u.code AS unit_code, f.due_at,
              f.paused_from IS NOT NULL AS paused, f.overdue
       FROM (SELECT f.*, coalesce(${OVERDUE(now)}, false) AS overdue FROM dossier_facts f WHERE f.outcome = 'running' AND ${unitFilter} AND f.due_at IS NOT NULL
               AND f.due_at < ${until}::timestamptz AND f.due_at < coalesce(f.paused_from, ${until}::timestamptz)
             ORDER BY f.due_at LIMIT ${limit}) f
       JOIN dossiers d ON d.id = f.dossier_id
       JOIN procedures p ON p.id = f.procedure_id
       JOIN units u ON u.id = f.unit_id
       ORDER BY f.due_at`.execute(this.db);
    const totals = await sql<{ overdue: string; due_soon: string }>`
      SELECT count(*) FILTER (WHERE overdue) AS overdue, count(*) FILTER (WHERE NOT overdue) AS due_soon
      FROM (SELECT coalesce(${OVERDUE(now)}, false) AS overdue FROM dossier_facts f
            WHERE f.outcome = 'running' AND ${unitFilter} AND f.due_at IS NOT NULL
              AND f.due_at < ${until}::timestamptz AND f.due_at < coalesce(f.paused_from, ${until}::timestamptz)) x`.execute(
      this.db,
    );
    return {
      overdue: Number(totals.rows[0]?.overdue ?? 0),
      dueSoon: Number(totals.rows[0]?.due_soon ?? 0),
      items: r.rows.map((x) => ({
        code: x.code,
        procedureCode: x.procedure_code,
        procedureName: x.procedure_name,
        unit: x.unit_code,
        dueAt: new Date(x.due_at).toISOString(),
        paused: x.paused,
        overdue: x.overdue,
      })),
    };
  }

  /** Median and count of working days from reception to decision, per procedure, for decisions in [from, to]. */
  async processingDays(unitIds: string[] | null, from: string, to: string, role: UnitRole = 'competent') {
    const unitFilter = unitIds ? sql`f.${sql.raw(unitColumn(role))} = ANY(${unitIds}::uuid[])` : sql`true`;
    const r = await sql<{ procedure_id: string; n: string; median: string | number | null; on_time: string }>`
      SELECT f.procedure_id, count(*) AS n,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY f.work_days) AS median,
             count(*) FILTER (WHERE f.outcome IN ('early', 'on_time')) AS on_time
      FROM dossier_facts f
      WHERE ${unitFilter} AND f.finished_on BETWEEN ${from}::date AND ${to}::date
      GROUP BY f.procedure_id`.execute(this.db);
    return r.rows.map((x) => ({
      procedureId: x.procedure_id,
      decided: Number(x.n),
      onTime: Number(x.on_time),
      medianWorkDays: x.median === null ? null : Number(x.median),
    }));
  }

  /** Rebuilds every fact and sum from the dossiers (migration 0012's `rebuild_indicators()`). */
  async rebuild(): Promise<number> {
    const r = await sql<{ n: string }>`SELECT rebuild_indicators() AS n`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }
}
