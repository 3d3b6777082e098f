/**
 * Building blocks of the queue predicates (raw SQL on either alias), the filters of a queue page, the Vietnam day
 * bounds and the search escape.
 */
import { DomainError } from '@tinhso/domain';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { QueueFilters } from './types.js';

export type Pred = Expression<SqlBool>;
const FALSE = sql<SqlBool>`false`;

export function inList(column: string, values: readonly (string | number)[]): Pred {
  if (values.length === 0) return FALSE;
  return sql<SqlBool>`${sql.ref(column)} IN (${sql.join(values)})`;
}
export const or = (...ps: Pred[]): Pred => sql<SqlBool>`(${sql.join(ps, sql` OR `)})`;
export const and = (...ps: Pred[]): Pred => sql<SqlBool>`(${sql.join(ps, sql` AND `)})`;

export const VIETNAM_MIDNIGHT = (date: string) => new Date(`${date}T00:00:00+07:00`);
export const DAY_MS = 86_400_000;

/** Filtered totals are counted up to this many (then shown as "more than"). */
export const COUNT_CAP = 1000;

/** LIKE pattern escaping: the user's % and _ are literal. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The predicates of a queue page's filters, on `dossiers as d`; VALIDATION_FAILED for a start date after the end. */
export function filterPredicates(f: QueueFilters): Pred[] {
  const out: Pred[] = [];
  if (f.procedure) {
    out.push(sql<SqlBool>`d.procedure_id IN (SELECT id FROM procedures WHERE code = ${f.procedure})`);
  }
  if (f.channel) out.push(sql<SqlBool>`d.channel = ${f.channel}`);
  if (f.from && f.to && f.from > f.to) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.',
      'The start date must not be after the end date.',
      { from: f.from, to: f.to },
    );
  }
  if (f.from) out.push(sql<SqlBool>`d.submitted_at >= ${VIETNAM_MIDNIGHT(f.from)}`);
  if (f.to) out.push(sql<SqlBool>`d.submitted_at < ${new Date(VIETNAM_MIDNIGHT(f.to).getTime() + DAY_MS)}`);
  const q = f.q?.trim();
  if (q) {
    out.push(
      or(
        sql<SqlBool>`d.code = ${q.toUpperCase()}`,
        sql<SqlBool>`d.applicant_id = ${q}`,
        sql<SqlBool>`d.applicant_folded LIKE '%' || ts_fold(${likeEscape(q)}) || '%'`,
      ),
    );
  }
  return out;
}
