/** Units of one level ranked by their Decision 766 index, now and in the previous period. */
import type { Unit } from '../units.js';
import type { UnitIndicators } from './figures.js';

/**
 * Units that received nothing in the period are not ranked (every ratio is empty: full points by the formulas'
 * rule, which would put them first); they are listed last with rank null.
 */
function rank(scores: { code: string; total: number; received: number }[]): Map<string, number> {
  const sorted = scores
    .filter((s) => s.received > 0)
    // Scores equal to the hundredth share a rank's order by code (no float noise between them).
    .sort((a, b) => Math.round(b.total * 100) - Math.round(a.total * 100) || a.code.localeCompare(b.code));
  return new Map(sorted.map((s, i) => [s.code, i + 1]));
}

/** One row per unit, by rank: its index and groups now, its previous rank and total, and the change. */
export function rankingItems(rows: { u: Unit; now: UnitIndicators; then: UnitIndicators }[]) {
  const rankNow = rank(
    rows.map((r) => ({ code: r.u.code, total: r.now.score.total, received: r.now.counts.received })),
  );
  const rankThen = rank(
    rows.map((r) => ({ code: r.u.code, total: r.then.score.total, received: r.then.counts.received })),
  );
  return rows
    .map((r) => ({
      rank: rankNow.get(r.u.code) ?? null,
      previousRank: rankThen.get(r.u.code) ?? null,
      unit: { code: r.u.code, name: r.u.name },
      received: r.now.counts.received,
      total: r.now.score.total,
      // Nothing received in the previous period: no score to compare with.
      previousTotal: r.then.counts.received > 0 ? r.then.score.total : null,
      change: r.then.counts.received > 0 ? r.now.score.total - r.then.score.total : null,
      groups: Object.fromEntries(r.now.score.groups.map((g) => [g.code, g.points])),
      shares: r.now.shares,
    }))
    .sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.unit.code.localeCompare(b.unit.code),
    );
}
