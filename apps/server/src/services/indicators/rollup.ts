/**
 * Units rolled up the unit tree: a unit's figures are those of its subtree and of the units merged into it, summed
 * per procedure from the aggregates (indicator-store.ts), each unit by its role (`roleOf`).
 */
import type { Period } from '@tinhso/domain';
import { decidedBy, type ProcedureFacts } from '../indicator-catalogue.js';
import { addInto, emptySums, type IndicatorStore, type Sums, type UnitRole } from '../indicator-store.js';
import type { Unit, UnitDirectory } from '../units.js';
import { type Rolled, roleOf } from './figures.js';

/**
 * A unit's subtree and the subtrees of the units merged into it (their dossiers closed before the merger stayed
 * with them; a successor's figures include them).
 */
export function withPredecessors(units: UnitDirectory, u: Unit): Unit[] {
  const merged = units.all().filter((p) => p.id !== u.id && p.successorId && units.current(p).id === u.id);
  const all = [u, ...merged].flatMap((x) => units.subtree(x));
  return [...new Map(all.map((x) => [x.id, x])).values()];
}

/**
 * Per-(unit, procedure) sums for every unit once, rolled up: what each unit of `targets` and its subtree
 * received in the period, per procedure (by unit id).
 */
export async function rollUp(
  deps: { units: UnitDirectory; store: IndicatorStore; procedureFacts: ProcedureFacts },
  targets: Unit[],
  period: Period,
  now: Date,
): Promise<Map<string, Rolled>> {
  const { units, store, procedureFacts } = deps;
  const trees = new Map(targets.map((u) => [u.id, withPredecessors(units, u)]));
  const byRole = new Map<UnitRole, Map<string, Map<string, Sums>>>(); // role → unit id → procedure id → sums
  for (const role of ['competent', 'receiving'] as const) {
    const mine = targets.filter((u) => roleOf(u) === role);
    if (mine.length === 0) continue;
    const ids = [...new Set(mine.flatMap((u) => trees.get(u.id)!).map((u) => u.id))];
    const everyUnit = ids.length >= units.all().length;
    const raw = await store.sums(everyUnit ? null : ids, period.from, period.to, now, 'unit_procedure', role);
    const byUnit = new Map<string, Map<string, Sums>>();
    for (const [key, s] of raw) {
      const [unitId, procId] = key.split('|') as [string, string];
      const m = byUnit.get(unitId) ?? new Map<string, Sums>();
      m.set(procId, s);
      byUnit.set(unitId, m);
    }
    byRole.set(role, byUnit);
  }
  const procs = await procedureFacts.byId();
  const out = new Map<string, Rolled>();
  for (const u of targets) {
    const byUnit = byRole.get(roleOf(u))!;
    const perProcedure = new Map<string, Sums>();
    const total = emptySums();
    for (const member of trees.get(u.id)!) {
      for (const [procId, s] of byUnit.get(member.id) ?? []) {
        const sums = perProcedure.get(procId);
        if (sums) addInto(sums, s);
        else perProcedure.set(procId, addInto(emptySums(), s));
        addInto(total, s);
      }
    }
    out.set(u.id, { perProcedure, total, decided: decidedBy(trees.get(u.id)!, procs) });
  }
  return out;
}
