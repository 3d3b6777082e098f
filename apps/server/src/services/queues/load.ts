import type { Database } from '@tinhso/db';
import { WORKING_ROLES } from '@tinhso/domain';
import { sql } from 'kysely';
import type { DossierService } from '../dossiers/index.js';
import type { UnitDirectory } from '../units.js';
import { OPEN, RUNNING } from './keys.js';
import { DAY_MS, inList, VIETNAM_MIDNIGHT } from './predicates.js';

/**
 * The leaders' view of a unit and everything below it: per unit, the open dossiers it holds now (due soon,
 * overdue) and those it decided in the period (on time = early or on time against the legal due date, late);
 * per officer with a working role there, the open dossiers assigned to them and how many are overdue.
 */
export async function unitLoad(
  database: Database,
  units: UnitDirectory,
  dossiers: DossierService,
  unitCode: string,
  period: { from: string; to: string },
  now: Date,
) {
  const root = units.get(unitCode);
  const tree = units.subtree(root);
  const ids = tree.map((u) => u.id);
  const dueSoonUntil = dossiers.clock(root.code).addWorkingDays(now, 1);
  const from = VIETNAM_MIDNIGHT(period.from);
  const to = new Date(VIETNAM_MIDNIGHT(period.to).getTime() + DAY_MS);
  const openStatuses = sql.raw(OPEN.join(', '));
  const running = sql.raw(RUNNING.join(', '));
  const [open, late, finished, officers, assigned] = await Promise.all([
    sql<{ unit_id: string; open: number }>`
      SELECT c.current_unit_id AS unit_id, sum(c.n)::int AS open FROM dossier_queue_counts c
      WHERE ${inList('c.current_unit_id', ids)} AND c.status IN (${openStatuses})
      GROUP BY c.current_unit_id`.execute(database.db),
    sql<{ unit_id: string; due_soon: number; overdue: number }>`
      SELECT d.current_unit_id AS unit_id,
             count(*) FILTER (WHERE d.due_at > ${now})::int AS due_soon,
             count(*) FILTER (WHERE d.due_at <= ${now})::int AS overdue
      FROM dossiers d
      WHERE d.status IN (${running}) AND ${inList('d.current_unit_id', ids)} AND d.due_at <= ${dueSoonUntil}
      GROUP BY d.current_unit_id`.execute(database.db),
    sql<{ unit_id: string; finished: number; on_time: number; late: number }>`
      SELECT d.competent_unit_id AS unit_id, count(*)::int AS finished,
             count(*) FILTER (WHERE d.finish_timing IN ('early', 'on_time'))::int AS on_time,
             count(*) FILTER (WHERE d.finish_timing = 'late')::int AS late
      FROM dossiers d
      WHERE ${inList('d.competent_unit_id', ids)} AND d.finished_at >= ${from} AND d.finished_at < ${to}
      GROUP BY d.competent_unit_id`.execute(database.db),
    database.db
      .selectFrom('officers as o')
      .innerJoin('officer_roles as r', 'r.officer_id', 'o.id')
      .where('o.active', '=', true)
      .where('r.role', 'in', WORKING_ROLES)
      .where(inList('r.unit_id', ids))
      .select(['o.id', 'o.full_name'])
      .distinct()
      .execute(),
    sql<{ officer_id: string; open: number; overdue: number }>`
      SELECT d.current_assignee_id AS officer_id, count(*)::int AS open,
             count(*) FILTER (WHERE d.status IN (${running}) AND d.due_at <= ${now})::int AS overdue
      FROM dossiers d
      WHERE d.current_assignee_id IS NOT NULL AND d.status IN (${openStatuses})
        AND ${inList('d.current_unit_id', ids)}
      GROUP BY d.current_assignee_id`.execute(database.db),
  ]);
  const openBy = new Map(open.rows.map((r) => [r.unit_id, Number(r.open)]));
  const lateBy = new Map(late.rows.map((r) => [r.unit_id, r]));
  const finishedBy = new Map(finished.rows.map((r) => [r.unit_id, r]));
  const assignedBy = new Map(assigned.rows.map((r) => [r.officer_id, r]));
  return {
    units: tree.map((u) => {
      const l = lateBy.get(u.id);
      const f = finishedBy.get(u.id);
      return {
        code: u.code,
        name: u.name,
        open: openBy.get(u.id) ?? 0,
        dueSoon: l?.due_soon ?? 0,
        overdue: l?.overdue ?? 0,
        finished: f?.finished ?? 0,
        onTime: f?.on_time ?? 0,
        late: f?.late ?? 0,
      };
    }),
    officers: officers
      .map((o) => ({
        id: o.id,
        name: o.full_name,
        open: assignedBy.get(o.id)?.open ?? 0,
        overdue: assignedBy.get(o.id)?.overdue ?? 0,
      }))
      .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name, 'vi')),
  };
}
