import type { Database } from '@tinhso/db';
import {
  type DeadlineClock,
  DomainError,
  deadlineLight,
  type Role,
  STATUS_LABELS,
  type StatusCode,
  vietnamDate,
} from '@tinhso/domain';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { OfficerPrincipal } from '../../auth/principal.js';
import type { DossierService } from '../dossiers/index.js';
import type { UnitDirectory } from '../units.js';
import { CLOCK_QUEUES, OPEN_QUEUES, QUEUE_KEYS, type QueueKey, RUNNING } from './keys.js';
import { unitLoad } from './load.js';
import {
  and,
  COUNT_CAP,
  DAY_MS,
  filterPredicates,
  inList,
  or,
  type Pred,
  VIETNAM_MIDNIGHT,
} from './predicates.js';
import type { QueueFilters, QueueItem, QueueScope } from './types.js';

/**
 * Work queues of an officer (issue 4) and the leaders' load view. Every queue is a predicate on the indexed snapshot
 * columns of `dossiers` (status, current/receiving/competent unit, due dates, the generated `current_step_role`),
 * inside the officer's visibility scope: the units of their roles (admin excluded) and everything below them — the
 * same scope as GET /api/dossiers.
 *
 * Counts: a commune may hold 150,000 dossiers, so the counts that do not depend on the clock are sums over
 * `dossier_queue_counts` (kept by a trigger, migration 0010) with the same predicates on the same columns; "due soon"
 * and "overdue" are counted on `dossiers` (running dossiers only, partial indexes). Lists read `dossiers`. The same
 * predicate builds both, so a count is always the length of its list (tested).
 */

/** Roles that hold the work of a workflow step (a head may act on any step of their unit). */
const STEP_ROLES: readonly Role[] = ['reception', 'specialist', 'signer', 'clerk'];
const RETURNED_WINDOW_DAYS = 30;

export class QueueService {
  constructor(
    private readonly database: Database,
    private readonly units: UnitDirectory,
    private readonly dossiers: DossierService,
  ) {}

  /**
   * The officer's scope, optionally narrowed to one unit (which one of their roles must cover, else FORBIDDEN).
   * `now` is fixed once per request; "due soon" is measured on the working-day clock of that unit (or of the
   * officer's first unit).
   */
  scope(officer: OfficerPrincipal, unitCode?: string, now = new Date()): QueueScope {
    const roles = officer.roles.filter((r) => r.role !== 'admin');
    const filter = unitCode ? this.units.get(unitCode) : null;
    if (filter && !roles.some((r) => this.units.covers(r.unit, filter.code))) {
      throw new DomainError(
        'FORBIDDEN',
        'Bạn không có quyền xem hồ sơ của đơn vị này.',
        'You may not see this unit’s dossiers.',
        { unit: filter.code },
      );
    }
    // The units a role reaches, intersected with the requested unit's subtree (both are subtrees).
    const reach = (roleUnit: string): string[] => {
      const own = this.units.get(roleUnit);
      if (!filter) return this.units.subtree(own).map((u) => u.id);
      if (this.units.covers(own.code, filter.code)) return this.units.subtree(filter).map((u) => u.id);
      if (this.units.covers(filter.code, own.code)) return this.units.subtree(own).map((u) => u.id);
      return [];
    };
    const idsOf = (wanted: (role: Role) => boolean) => [
      ...new Set(roles.filter((r) => wanted(r.role)).flatMap((r) => reach(r.unit))),
    ];
    const returnedSinceDay = vietnamDate(new Date(now.getTime() - (RETURNED_WINDOW_DAYS - 1) * DAY_MS));
    const clockUnit = filter?.code ?? roles[0]?.unit;
    const clock = this.dossiers.clock(clockUnit);
    return {
      visible: idsOf(() => true),
      reception: idsOf((r) => r === 'reception'),
      head: idsOf((r) => r === 'head'),
      stepRoles: STEP_ROLES.map((role) => ({ role, ids: idsOf((r) => r === role) })).filter(
        (x) => x.ids.length > 0,
      ),
      now,
      dueSoonUntil: clock.addWorkingDays(now, 1),
      returnedSince: VIETNAM_MIDNIGHT(returnedSinceDay),
      returnedSinceDay,
    };
  }

  /**
   * The predicate of one queue inside the scope, on `dossiers as d` or on `dossier_queue_counts as c` (same column
   * names but `step_role`, '' when no step, and `returned_on`, the Vietnam date of the return). "Due soon" and
   * "overdue" exist on `dossiers` only.
   */
  predicate(key: QueueKey, s: QueueScope, on: 'd' | 'c' = 'd'): Pred {
    const col = (name: string) => sql.ref(`${on}.${name}`);
    const ids = (name: string, values: readonly string[]) => inList(`${on}.${name}`, values);
    const visible = or(
      ids('current_unit_id', s.visible),
      ids('receiving_unit_id', s.visible),
      ids('competent_unit_id', s.visible),
    );
    // Literal status codes (constants of this module), so that the planner matches the partial indexes.
    const status = (...codes: number[]) => sql<SqlBool>`${col('status')} IN (${sql.raw(codes.join(', '))})`;
    const stepRole = col(on === 'd' ? 'current_step_role' : 'step_role');
    switch (key) {
      case 'to_receive':
        return and(status(1), ids('receiving_unit_id', s.reception));
      case 'to_process':
        return and(
          status(...RUNNING),
          or(
            ids('current_unit_id', s.head),
            ...s.stepRoles.map((x) =>
              and(sql<SqlBool>`${stepRole} = ${sql.lit(x.role)}`, ids('current_unit_id', x.ids)),
            ),
          ),
        );
      case 'waiting_citizen':
        return and(status(5, 6), visible);
      case 'due_soon':
      case 'overdue': {
        if (on === 'c') throw new Error(`${key} is counted on dossiers`);
        const due =
          key === 'due_soon'
            ? sql<SqlBool>`d.due_at > ${s.now} AND d.due_at <= ${s.dueSoonUntil}`
            : sql<SqlBool>`d.due_at <= ${s.now}`;
        return and(status(...RUNNING), due, visible);
      }
      case 'to_return':
        return and(status(9), ids('receiving_unit_id', s.reception));
      case 'returned':
        return and(
          status(10),
          on === 'd'
            ? sql<SqlBool>`d.returned_at >= ${s.returnedSince}`
            : sql<SqlBool>`c.returned_on >= ${s.returnedSinceDay}::date`,
          visible,
        );
      case 'all':
        return visible;
    }
  }

  /**
   * Every queue's count in one statement: sums over the count table for the queues that do not depend on the clock,
   * and one pass over the running dossiers that are due within a working day or past due for the two that do.
   */
  async counts(s: QueueScope): Promise<Record<QueueKey, number>> {
    if (s.visible.length === 0) {
      return Object.fromEntries(QUEUE_KEYS.map((k) => [k, 0])) as Record<QueueKey, number>;
    }
    const summed = QUEUE_KEYS.filter((k) => !CLOCK_QUEUES.has(k) && k !== 'all').map(
      (k) => sql`coalesce(sum(c.n) FILTER (WHERE ${this.predicate(k, s, 'c')}), 0)::int AS ${sql.ref(k)}`,
    );
    const { rows } = await sql<Record<QueueKey, number>>`
      SELECT c.*, t.*
      FROM (SELECT ${sql.join(summed)}, coalesce(sum(c.n), 0)::int AS "all"
            FROM dossier_queue_counts c
            WHERE ${this.predicate('all', s, 'c')}) c,
           (SELECT count(*) FILTER (WHERE d.due_at > ${s.now})::int AS due_soon,
                   count(*) FILTER (WHERE d.due_at <= ${s.now})::int AS overdue
            FROM dossiers d
            WHERE d.status IN (${sql.raw(RUNNING.join(', '))}) AND d.due_at <= ${s.dueSoonUntil}
              AND ${this.predicate('all', s)}) t`.execute(this.database.db);
    const row = rows[0]!;
    return Object.fromEntries(QUEUE_KEYS.map((k) => [k, Number(row[k])])) as Record<QueueKey, number>;
  }

  /**
   * The size of one queue without filters as a scalar subquery: from the count table, or from the running dossiers
   * for the clock queues. Its `d` and `c` are its own: it must stay independent of the outer page's rows.
   */
  private sizeOf(key: QueueKey, s: QueueScope): RawBuilder<number> {
    return CLOCK_QUEUES.has(key)
      ? sql<number>`(SELECT count(*)::int FROM dossiers d WHERE ${this.predicate(key, s)})`
      : sql<number>`(SELECT coalesce(sum(c.n), 0)::int FROM dossier_queue_counts c
                     WHERE ${this.predicate(key, s, 'c')})`;
  }

  /** One queue's page and its total, with the filters. */
  async list(
    key: QueueKey,
    s: QueueScope,
    filters: QueueFilters,
    page: { limit: number; offset: number },
  ): Promise<{ items: QueueItem[]; total: number; totalCapped: boolean }> {
    if (s.visible.length === 0) return { items: [], total: 0, totalCapped: false };
    const filtered = filterPredicates(filters);
    const where = [this.predicate(key, s), ...filtered];
    const base = this.database.db.selectFrom('dossiers as d').where(and(...where));
    const open = OPEN_QUEUES.has(key);
    // Without filters the total is the queue's count (count table); with filters, the matching dossiers counted
    // up to COUNT_CAP + 1 (a common name matches thousands of a commune's dossiers: counting them all took seconds
    // at 1M dossiers; the page says "more than 1,000" instead). It rides on the page's statement as a scalar
    // subquery (computed once; its aliases are its own, so it never depends on the outer row): one round trip for
    // the page and its total, not two (ADR 0008).
    const total =
      filtered.length === 0
        ? this.sizeOf(key, s)
        : sql<number>`(SELECT count(*)::int FROM (${base.select(sql`1`.as('one')).limit(COUNT_CAP + 1)}) m)`;
    const rows = await base
      .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
      .leftJoin('officers as o', 'o.id', 'd.current_assignee_id')
      .select([
        'd.code',
        'd.version',
        'd.status',
        'd.channel',
        'd.applicant_name',
        'd.applicant_id',
        'd.current_unit_id',
        'd.competent_unit_id',
        'd.current_step_role',
        'd.current_assignee_id',
        'o.full_name as assignee_name',
        'd.submitted_at',
        'd.received_at',
        'd.due_at',
        'd.step_due_at',
        'p.code as procedure_code',
        'p.name as procedure_name',
      ])
      .select(
        sql<string | null>`d.state -> 'workflow' -> ((d.state ->> 'step')::int) ->> 'name'`.as('step_name'),
      )
      .select(total.as('total'))
      .$if(open, (q) =>
        q.orderBy(sql`d.due_at ASC NULLS LAST`).orderBy('d.submitted_at', 'asc').orderBy('d.code', 'asc'),
      )
      .$if(key === 'returned', (q) => q.orderBy('d.returned_at', 'desc').orderBy('d.code', 'desc'))
      .$if(!open && key !== 'returned', (q) => q.orderBy('d.submitted_at', 'desc').orderBy('d.code', 'desc'))
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    // An empty first page means an empty queue (the count table matches the list: tested); an empty page past the
    // end carries no total, so it is asked on its own.
    const count =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page.offset === 0
          ? 0
          : Number((await sql<{ n: number }>`SELECT ${total} AS n`.execute(this.database.db)).rows[0]!.n);
    const totalCapped = filtered.length > 0 && count > COUNT_CAP;
    const clocks = new Map<string, DeadlineClock>();
    const clockOf = (unitId: string) => {
      let c = clocks.get(unitId);
      if (!c) {
        c = this.dossiers.clock(this.units.byIdOrNull(unitId)?.code);
        clocks.set(unitId, c);
      }
      return c;
    };
    const items = rows.map((r): QueueItem => {
      const label = STATUS_LABELS[r.status as StatusCode];
      const running = RUNNING.includes(r.status) && r.due_at !== null;
      return {
        code: r.code,
        version: r.version,
        status: r.status,
        statusLabel: label.vi,
        statusLabelEn: label.en,
        channel: r.channel,
        applicantName: r.applicant_name,
        applicantId: r.applicant_id,
        procedureCode: r.procedure_code,
        procedureName: r.procedure_name,
        currentUnit: this.units.byIdOrNull(r.current_unit_id)?.code ?? '',
        currentStep:
          r.current_step_role && r.step_name ? { name: r.step_name, role: r.current_step_role } : null,
        assignee:
          r.current_assignee_id && r.assignee_name
            ? { id: r.current_assignee_id, name: r.assignee_name }
            : null,
        submittedAt: r.submitted_at.toISOString(),
        receivedAt: r.received_at?.toISOString() ?? null,
        dueAt: r.due_at?.toISOString() ?? null,
        stepDueAt: r.step_due_at?.toISOString() ?? null,
        deadline: running
          ? deadlineLight(s.now, r.due_at!.toISOString(), clockOf(r.competent_unit_id))
          : null,
      };
    });
    return { items, total: totalCapped ? COUNT_CAP : count, totalCapped };
  }

  /** The leaders' view of a unit and everything below it (load.ts). */
  async load(unitCode: string, period: { from: string; to: string }, now = new Date()) {
    return unitLoad(this.database, this.units, this.dossiers, unitCode, period, now);
  }
}
