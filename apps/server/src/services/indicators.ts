/**
 * Service indicators and the Decision 766 index (issue 6): per unit (rolled up the unit tree) and period, from the
 * live aggregates of migration 0012 (indicator-store.ts), scored with the versioned formulas of
 * packages/domain/src/indicators (the built-in set plus the versions stored in `indicator_formulas`).
 * The parts are in indicators/: a unit's figures and shares, the formulas, the roll-up, the ranking, the drill-down.
 */
import type { AuditEntry, Database } from '@tinhso/db';
import {
  type CountKey,
  DomainError,
  formulasAt,
  type IndicatorFormula,
  type Period,
  previousPeriod,
} from '@tinhso/domain';
import { AnswerCache } from './answer-cache.js';
import { ProcedureFacts } from './indicator-catalogue.js';
import { explainScore } from './indicator-explain.js';
import { addInto, emptySums, factCondition, IndicatorStore, type Sums, toCounts } from './indicator-store.js';
import { missingDossiers } from './indicators/drill.js';
import { indicatorsOf, ratio, roleOf, sharesOf } from './indicators/figures.js';
import { loadFormulas, storeFormula } from './indicators/formulas.js';
import { rankingItems } from './indicators/ranking.js';
import { rollUp, withPredecessors } from './indicators/rollup.js';
import type { Unit, UnitDirectory } from './units.js';

export class IndicatorService {
  readonly store: IndicatorStore;
  private readonly procedureFacts: ProcedureFacts;

  private readonly answers: AnswerCache;

  constructor(
    private readonly database: Database,
    private readonly units: UnitDirectory,
    /** How long a computed answer is reused (config INDICATOR_CACHE_MS; see `summary`). */
    cacheMs = 2_000,
    /** At most this many computations at once on this node (see AnswerCache). */
    maxConcurrent = 3,
  ) {
    this.store = new IndicatorStore(database);
    this.procedureFacts = new ProcedureFacts(database);
    this.answers = new AnswerCache(cacheMs, maxConcurrent);
  }

  /** Forgets every computed answer (after a dossier change, a new formula version or a rebuild). */
  invalidate(): void {
    this.answers.invalidate();
  }

  /** The built-in formulas plus the stored versions; `formulasAt` picks the version in force on a date. */
  async formulaSet(): Promise<IndicatorFormula[]> {
    return loadFormulas(this.database);
  }

  /** Stores a new version of a formula (validated by the route), audited. */
  async saveFormula(
    f: Omit<IndicatorFormula, 'version'>,
    audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>,
  ) {
    const formula = await storeFormula(this.database, await this.formulaSet(), f, audit);
    this.invalidate();
    return formula;
  }

  /** Forget the cached catalogue facts (after a catalogue change). */
  invalidateCatalogue(): void {
    this.procedureFacts.invalidate();
  }

  /** Access: heads and leaders of the unit or above it, and administrators. */
  assertMayView(roles: ReadonlyArray<{ role: string; unit: string }>, unitCode: string): void {
    const ok = roles.some(
      (r) =>
        (r.role === 'head' || r.role === 'leader' || r.role === 'admin') &&
        this.units.covers(r.unit, unitCode),
    );
    if (!ok) {
      throw new DomainError(
        'FORBIDDEN',
        'Chỉ lãnh đạo, người theo dõi hoặc quản trị của đơn vị (hoặc đơn vị cấp trên) được xem chỉ số của đơn vị.',
        "Only a head, leader or administrator of the unit (or of a unit above it) may see the unit's indicators.",
        { unit: unitCode },
      );
    }
  }

  /** The unit an officer watches by default: the highest unit where they are head, leader or admin. */
  defaultUnit(roles: ReadonlyArray<{ role: string; unit: string }>): string | null {
    const watched = roles
      .filter((r) => r.role === 'head' || r.role === 'leader' || r.role === 'admin')
      .map((r) => this.units.find(r.unit))
      .filter((u): u is Unit => u !== null)
      .sort((a, b) => a.path.length - b.path.length);
    return watched[0]?.code ?? null;
  }

  private rolled(targets: Unit[], period: Period, now: Date) {
    return rollUp(
      { units: this.units, store: this.store, procedureFacts: this.procedureFacts },
      targets,
      period,
      now,
    );
  }

  private async formulasFor(period: Period) {
    return formulasAt(period.to, await this.formulaSet());
  }

  /**
   * A unit's indicators and index for a period, with its direct children and its procedures. Computed answers
   * are kept for INDICATOR_CACHE_MS (a wall screen and a few leaders ask the same question at once) and forgotten
   * at every dossier change in this process; across app nodes a figure is at most INDICATOR_CACHE_MS old (2 s by
   * default) — within the 5 seconds the indicators promise. An explicit `now` bypasses the cache.
   */
  summary(unitCode: string, period: Period, now?: Date) {
    if (now) return this.computeSummary(unitCode, period, now);
    return this.answers.memo(`s|${unitCode}|${period.kind}|${period.from}|${period.to}`, () =>
      this.computeSummary(unitCode, period, new Date()),
    );
  }

  private async computeSummary(unitCode: string, period: Period, now: Date) {
    const unit = this.units.get(unitCode);
    // Children that existed during the period (a unit merged away before it began is left out).
    const children = this.units
      .all()
      .filter((u) => u.parentId === unit.id && (u.validTo === null || u.validTo >= period.from));
    const rolled = await this.rolled([unit, ...children], period, now);
    const formulas = await this.formulasFor(period);
    const own = rolled.get(unit.id)!;
    const procs = await this.procedureFacts.byId();
    const byProcedure = [...own.perProcedure.entries()]
      .map(([id, s]) => {
        const p = procs.get(id);
        const c = toCounts(s);
        return {
          code: p?.code ?? id,
          name: p?.name ?? '',
          received: c.received,
          online: c.online,
          resolved: c.resolved,
          late: c.late,
          overdue: c.inProgressOverdue,
          onTimeShare: ratio(c.early + c.onTime, c.resolved),
        };
      })
      .sort((a, b) => b.received - a.received || a.code.localeCompare(b.code));
    const mine = indicatorsOf(unit, own, formulas);
    return {
      period,
      ...mine,
      children: children.map((c) => indicatorsOf(c, rolled.get(c.id)!, formulas)),
      byProcedure,
      explain: explainScore(mine.score, formulas),
    };
  }

  /** Units of one level ranked by the index (and each group), with the change from the previous period. */
  ranking(level: string, period: Period, now?: Date) {
    if (now) return this.computeRanking(level, period, now);
    return this.answers.memo(`r|${level}|${period.kind}|${period.from}|${period.to}`, () =>
      this.computeRanking(level, period, new Date()),
    );
  }

  private async computeRanking(level: string, period: Period, now: Date) {
    const units = this.units
      .all()
      .filter((u) => u.level === level && this.units.isActive(u, period.to))
      .sort((a, b) => a.code.localeCompare(b.code));
    const prev = previousPeriod(period);
    const [cur, before, formulas, prevFormulas] = await Promise.all([
      this.rolled(units, period, now),
      this.rolled(units, prev, now),
      this.formulasFor(period),
      this.formulasFor(prev),
    ]);
    const rows = units.map((u) => {
      const now_ = indicatorsOf(u, cur.get(u.id)!, formulas);
      const then = indicatorsOf(u, before.get(u.id)!, prevFormulas);
      return { u, now: now_, then };
    });
    return { period, previous: prev, level, items: rankingItems(rows) };
  }

  /** The series of a unit per half-month or month of the period. */
  trend(unitCode: string, period: Period, by: 'half' | 'month', now?: Date) {
    if (now) return this.computeTrend(unitCode, period, by, now);
    return this.answers.memo(`t|${unitCode}|${by}|${period.from}|${period.to}`, () =>
      this.computeTrend(unitCode, period, by, new Date()),
    );
  }

  private async computeTrend(unitCode: string, period: Period, by: 'half' | 'month', now: Date) {
    const unit = this.units.get(unitCode);
    const tree = withPredecessors(this.units, unit);
    const everyUnit = tree.length >= this.units.all().length;
    const raw = await this.store.sums(
      everyUnit ? null : tree.map((u) => u.id),
      period.from,
      period.to,
      now,
      'half',
      roleOf(unit),
    );
    const buckets = new Map<string, Sums>();
    for (const [half, s] of raw) {
      const key = by === 'month' ? half.slice(0, 7) : half;
      const sums = buckets.get(key);
      if (sums) addInto(sums, s);
      else buckets.set(key, addInto(emptySums(), s));
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, s]) => {
        const c = toCounts(s);
        return {
          key,
          received: c.received,
          online: c.online,
          resolved: c.resolved,
          late: c.late,
          shares: sharesOf(c, s.work_days),
        };
      });
  }

  /**
   * The dossiers behind a number. With a formula: those in its denominator and not in its numerator (the ones
   * that cost points), and what the item lost. With a count key: the dossiers it counts.
   */
  async drill(
    unitCode: string,
    period: Period,
    what: { formula?: string; key?: CountKey },
    page: { limit: number; offset: number },
    now = new Date(),
  ) {
    const unit = this.units.get(unitCode);
    const tree = withPredecessors(this.units, unit);
    const ids = tree.length >= this.units.all().length ? null : tree.map((u) => u.id);
    // The totals come from the aggregates (a count over the facts of a province-year took seconds).
    const halves = await this.store.sums(ids, period.from, period.to, now, 'half', roleOf(unit));
    const counts = toCounts([...halves.values()].reduce(addInto, emptySums()));
    if (what.key) {
      return {
        ...(await this.store.dossiers(
          ids,
          period.from,
          period.to,
          factCondition(what.key, now),
          page,
          roleOf(unit),
          counts[what.key],
        )),
        lost: null,
      };
    }
    const missing = missingDossiers(await this.formulasFor(period), what.formula, counts, now);
    return {
      ...(await this.store.dossiers(
        ids,
        period.from,
        period.to,
        missing.where,
        page,
        roleOf(unit),
        missing.total,
      )),
      lost: missing.lost,
    };
  }
}
