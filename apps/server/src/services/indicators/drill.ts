/**
 * The drill-down of a Decision 766 item to dossiers: the SQL condition for the dossiers that cost it points (in its
 * denominator and not in its numerator) and what the item lost.
 */
import {
  type CountKey,
  DEFAULT_FORMULAS,
  DomainError,
  type IndicatorFormula,
  lostBy,
  scoreItem,
  type UnitCounts,
} from '@tinhso/domain';
import { sql } from 'kysely';
import { countKeys, NO_CATALOGUE } from '../indicator-explain.js';
import { factCondition } from '../indicator-store.js';

/**
 * `where`: the facts condition of the missing dossiers; `total`: their number when the counts give it (else the
 * store counts them); `lost`: the item's points lost. NOT_FOUND for an unknown formula, VALIDATION_FAILED for one
 * computed on the procedure catalogue.
 */
export function missingDossiers(
  formulas: IndicatorFormula[],
  id: string | undefined,
  counts: UnitCounts,
  now: Date,
) {
  const f = formulas.find((x) => x.id === id);
  if (!f) {
    throw new DomainError('NOT_FOUND', `Không có chỉ tiêu ${id}.`, `No indicator ${id}.`);
  }
  const num = countKeys(f.numerator);
  const den = countKeys(f.denominator);
  if (!num || !den) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Chỉ tiêu ${f.id} tính trên danh mục thủ tục, không trên hồ sơ.`,
      `Indicator ${f.id} is computed on the procedure catalogue, not on dossiers.`,
      { formula: f.id },
    );
  }
  const any = (keys: CountKey[]) =>
    sql.join(
      keys.map((k) => sql`(${factCondition(k, now)})`),
      sql` OR `,
    );
  const item = scoreItem(f, counts, NO_CATALOGUE);
  return {
    where: sql<boolean>`(${any(den)}) AND NOT (${any(num)})`,
    // The built-in formulas' numerators are parts of their denominators: the missing ones are the difference.
    // A stored version may not be: its dossiers are counted.
    total: DEFAULT_FORMULAS.some((d) => d.id === f.id && d.version === f.version)
      ? item.denominator - item.numerator
      : undefined,
    lost: { points: item.lost, max: item.max, share: item.share, neededForFull: lostBy(item) },
  };
}
