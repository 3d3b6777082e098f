/**
 * A unit's figures as the dashboard shows them: its counts, the shares on the tiles, its catalogue counts and its
 * Decision 766 score — and which dossiers a unit's figures are made of (`roleOf`).
 */
import {
  type CatalogueCounts,
  type IndicatorFormula,
  scoreUnit,
  type UnitCounts,
  type UnitScore,
} from '@tinhso/domain';
import { catalogueCounts, type ProcedureInfo } from '../indicator-catalogue.js';
import { type Sums, toCounts, type UnitRole } from '../indicator-store.js';
import type { Unit } from '../units.js';

/** Shares shown on the dashboard tiles (null when there is nothing to divide by). */
export interface Shares {
  online: number | null;
  onTime: number | null;
  paidOnline: number | null;
  digitized: number | null;
  electronicResult: number | null;
  reused: number | null;
  satisfied: number | null;
  meanWorkDays: number | null;
}

export interface UnitIndicators {
  /** role: 'receiving' for a service centre (its figures are the dossiers it received, not added to the parent). */
  unit: { code: string; name: string; level: string; role: UnitRole };
  counts: UnitCounts;
  catalogue: CatalogueCounts;
  shares: Shares;
  score: UnitScore;
}

/** What a unit and its subtree received in a period: sums per procedure id, their total, the procedures it decides. */
export interface Rolled {
  perProcedure: Map<string, Sums>;
  total: Sums;
  decided: ProcedureInfo[];
}

export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * A service centre (and its branches) receives dossiers for the agencies that decide them: its figures are those
 * of the dossiers it received. Every other unit's are those it decides. The province's totals count each dossier
 * once, under its deciding unit, so a service centre is shown beside the tree, not added into it.
 */
export function roleOf(u: Pick<Unit, 'level'>): UnitRole {
  return u.level === 'service_center' || u.level === 'service_branch' ? 'receiving' : 'competent';
}

export function sharesOf(c: UnitCounts, workDays: number): Shares {
  return {
    online: ratio(c.online, c.received),
    onTime: ratio(c.early + c.onTime, c.resolved),
    paidOnline: ratio(c.paidOnline, c.feeCharging),
    digitized: ratio(c.digitized, c.received),
    electronicResult: ratio(c.electronicResult, c.received),
    reused: ratio(c.reusedData, c.received),
    satisfied: ratio(c.verySatisfied + c.satisfied, c.rated),
    meanWorkDays: ratio(workDays, c.resolved),
  };
}

export function indicatorsOf(u: Unit, r: Rolled, formulas: IndicatorFormula[]): UnitIndicators {
  const counts = toCounts(r.total);
  const catalogue = catalogueCounts(r.decided, r.perProcedure);
  return {
    unit: { code: u.code, name: u.name, level: u.level, role: roleOf(u) },
    counts,
    catalogue,
    shares: sharesOf(counts, r.total.work_days),
    score: scoreUnit(counts, catalogue, formulas),
  };
}
