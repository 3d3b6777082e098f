/**
 * How a Decision 766 score was computed, in words, and which formulas lead to dossiers (drill-down): a formula
 * whose numerator and denominator are dossier counts can list the dossiers it lost points on.
 */
import {
  type CatalogueCounts,
  COUNT_KEYS,
  type CountKey,
  type IndicatorFormula,
  lostBy,
  type Operand,
  type UnitScore,
} from '@tinhso/domain';

/** No catalogue figures: scoring a dossier formula alone (drill-down). */
export const NO_CATALOGUE: CatalogueCounts = {
  procedures: 0,
  proceduresOnline: 0,
  onlineServices: 0,
  onlineServicesWithDossier: 0,
  feeChargingProcedures: 0,
  proceduresWithOnlinePayment: 0,
};

const COUNT_KEY_SET = new Set<string>(COUNT_KEYS);

/** The dossier counts an operand sums, or null when it uses catalogue counts or constants. */
export function countKeys(op: Operand): CountKey[] | null {
  if (typeof op === 'object' && !Array.isArray(op)) return null;
  const keys = (typeof op === 'string' ? [op] : (op as readonly string[])) as string[];
  return keys.every((k) => COUNT_KEY_SET.has(k)) ? (keys as CountKey[]) : null;
}

/** How each item was computed, in words: "numerator ÷ denominator = share → points of max (lost …)". */
export function explainScore(score: UnitScore, formulas: IndicatorFormula[]) {
  return score.groups.flatMap((g) =>
    g.items.map((i) => {
      const f = formulas.find((x) => x.id === i.id)!;
      return {
        id: i.id,
        group: g.code,
        version: i.version,
        validFrom: f.validFrom,
        source: f.source,
        numeratorOf: f.numerator,
        denominatorOf: f.denominator,
        threshold: i.threshold,
        numerator: i.numerator,
        denominator: i.denominator,
        share: i.share,
        points: i.points,
        max: i.max,
        lost: i.lost,
        missing: lostBy(i),
        drillable: countKeys(f.numerator) !== null && countKeys(f.denominator) !== null,
      };
    }),
  );
}
