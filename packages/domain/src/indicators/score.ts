/**
 * Scores a unit's counts against a set of Decision 766 formulas (domain.md §5). Points are not rounded:
 * rounding is a presentation concern. `lost` = max − points lets the UI say what each item cost.
 */
import type { CatalogueCounts, UnitCounts } from './counts.js';
import {
  GROUP_LABELS,
  GROUP_MAX,
  GROUP_ORDER,
  type GroupCode,
  type IndicatorFormula,
  type Operand,
} from './formulas.js';

export interface ScoredItem {
  id: string;
  version: number;
  label: string;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator; null when the denominator is zero. */
  share: number | null;
  points: number;
  max: number;
  lost: number;
  threshold: number | null;
  /** False for configured constants (both operands constant): nothing a unit can act on. */
  ratio: boolean;
}

export interface ScoredGroup {
  code: GroupCode;
  label: string;
  points: number;
  /** Sum of the maxima of the items we know for this group. */
  max: number;
  /** Official group maximum (CKMB 18, TDGQ 20, …). */
  officialMax: number;
  items: ScoredItem[];
}

export interface UnitScore {
  total: number;
  /** Sum of known item maxima (84 with the default set). */
  max: number;
  /** Sum of official group maxima (100). */
  officialMax: number;
  groups: ScoredGroup[];
}

const EPS = 1e-9;

function isConstant(op: Operand): op is { constant: number } {
  return typeof op === 'object' && !Array.isArray(op) && 'constant' in op;
}

function operandValue(op: Operand, counts: UnitCounts, catalogue: CatalogueCounts): number {
  if (isConstant(op)) return op.constant;
  const keys: readonly string[] = typeof op === 'string' ? [op] : (op as readonly string[]);
  let sum = 0;
  for (const k of keys) {
    if (Object.hasOwn(counts, k)) sum += counts[k as keyof UnitCounts];
    else if (Object.hasOwn(catalogue, k)) sum += catalogue[k as keyof CatalogueCounts];
    else throw new Error(`Unknown count '${k}' in indicator formula`);
  }
  return sum;
}

/** Points for a share under a formula's threshold rule (see formulas.ts). */
export function pointsFor(share: number | null, f: IndicatorFormula): number {
  if (share === null) return (f.whenEmpty ?? 'full') === 'full' ? f.maxPoints : 0;
  const s = Math.max(0, share);
  if (f.threshold === undefined) return f.maxPoints * Math.min(1, s);
  if (s >= f.threshold - EPS) return f.maxPoints;
  return (f.belowThreshold ?? 'scaled') === 'scaled' ? f.maxPoints * (s / f.threshold) : f.maxPoints * s;
}

export function scoreItem(f: IndicatorFormula, counts: UnitCounts, catalogue: CatalogueCounts): ScoredItem {
  const numerator = operandValue(f.numerator, counts, catalogue);
  const denominator = operandValue(f.denominator, counts, catalogue);
  const share = denominator === 0 ? null : numerator / denominator;
  const points = pointsFor(share, f);
  return {
    id: f.id,
    version: f.version,
    label: f.label,
    numerator,
    denominator,
    share,
    points,
    max: f.maxPoints,
    lost: f.maxPoints - points,
    threshold: f.threshold ?? null,
    ratio: !(isConstant(f.numerator) && isConstant(f.denominator)),
  };
}

/** Scores every formula and groups them in the official group order (groups without formulas are left out). */
export function scoreUnit(
  counts: UnitCounts,
  catalogue: CatalogueCounts,
  formulas: readonly IndicatorFormula[],
): UnitScore {
  const groups: ScoredGroup[] = [];
  for (const code of GROUP_ORDER) {
    const items = formulas.filter((f) => f.group === code).map((f) => scoreItem(f, counts, catalogue));
    if (items.length === 0) continue;
    groups.push({
      code,
      label: GROUP_LABELS[code],
      points: items.reduce((a, i) => a + i.points, 0),
      max: items.reduce((a, i) => a + i.max, 0),
      officialMax: GROUP_MAX[code],
      items,
    });
  }
  return {
    total: groups.reduce((a, g) => a + g.points, 0),
    max: groups.reduce((a, g) => a + g.max, 0),
    officialMax: GROUP_ORDER.reduce((a, c) => a + GROUP_MAX[c], 0),
    groups,
  };
}

/**
 * For a ratio item: how many more numerator units (at the same denominator) would reach full points —
 * e.g. how many of the late dossiers would have had to be on time. 0 when the item already has full
 * points; null for constants, or when the denominator is zero and points are still lost (whenEmpty
 * 'zero'), since no numerator change helps then.
 */
export function lostBy(item: ScoredItem): number | null {
  if (!item.ratio) return null;
  if (item.lost <= EPS) return 0;
  if (item.denominator <= 0) return null;
  const target = item.threshold ?? 1;
  return Math.max(0, Math.ceil(target * item.denominator - item.numerator - EPS));
}
