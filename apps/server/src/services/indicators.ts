/**
 * Service indicators and the Decision 766 index (issue 6): per unit (rolled up the unit tree) and period, from the
 * live aggregates of migration 0012 (indicator-store.ts), scored with the versioned formulas of
 * packages/domain/src/indicators (the built-in set plus the versions stored in `indicator_formulas`).
 */
import { type AuditEntry, appendAudit, type Database } from '@tinhso/db';
import {
  type CatalogueCounts,
  type CountKey,
  DEFAULT_FORMULAS,
  DomainError,
  formulasAt,
  type IndicatorFormula,
  lostBy,
  type Period,
  previousPeriod,
  scoreItem,
  scoreUnit,
  type UnitCounts,
  type UnitScore,
} from '@tinhso/domain';
import { sql } from 'kysely';
import { AnswerCache } from './answer-cache.js';
import { catalogueCounts, decidedBy, ProcedureFacts, type ProcedureInfo } from './indicator-catalogue.js';
import { countKeys, explainScore, NO_CATALOGUE } from './indicator-explain.js';
import {
  addInto,
  emptySums,
  factCondition,
  IndicatorStore,
  type Sums,
  toCounts,
  type UnitRole,
} from './indicator-store.js';
import type { Unit, UnitDirectory } from './units.js';

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

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

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
    const rows = await this.database.db.selectFrom('indicator_formulas').select(['definition']).execute();
    return [...DEFAULT_FORMULAS, ...rows.map((r) => r.definition as unknown as IndicatorFormula)];
  }

  /** Stores a new version of a formula (validated by the route), audited. */
  async saveFormula(
    f: Omit<IndicatorFormula, 'version'>,
    audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>,
  ) {
    const set = await this.formulaSet();
    const known = set.filter((x) => x.id === f.id);
    if (known.length === 0) {
      throw new DomainError('NOT_FOUND', `Không có chỉ tiêu ${f.id}.`, `No indicator ${f.id}.`, { id: f.id });
    }
    const group = known[0]!.group;
    if (f.group !== group) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Chỉ tiêu ${f.id} thuộc nhóm ${group}.`,
        `Indicator ${f.id} belongs to group ${group}.`,
        { group },
      );
    }
    const version = Math.max(...known.map((x) => x.version)) + 1;
    const formula: IndicatorFormula = { ...f, version };
    await this.database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('indicator_formulas')
        .values({
          id: f.id,
          version,
          valid_from: f.validFrom,
          definition: JSON.stringify(formula),
          created_by: audit.actorType === 'officer' ? (audit.actorId ?? null) : null,
        })
        .execute();
      await appendAudit(trx, {
        ...audit,
        action: 'indicator.formula_version',
        entityType: 'indicator_formula',
        entityId: `${f.id}@${version}`,
        details: formula as unknown as Record<string, unknown>,
      });
    });
    this.invalidate();
    return formula;
  }

  /** Forget the cached catalogue facts (after a catalogue change). */
  invalidateCatalogue(): void {
    this.procedureFacts.invalidate();
  }

  /**
   * A unit's subtree and the subtrees of the units merged into it (their dossiers closed before the merger stayed
   * with them; a successor's figures include them).
   */
  private withPredecessors(u: Unit): Unit[] {
    const merged = this.units
      .all()
      .filter((p) => p.id !== u.id && p.successorId && this.units.current(p).id === u.id);
    const all = [u, ...merged].flatMap((x) => this.units.subtree(x));
    return [...new Map(all.map((x) => [x.id, x])).values()];
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

  /**
   * Per-(unit, procedure) sums for every unit once, rolled up: what each unit of `targets` and its subtree
   * received in the period, per procedure.
   */
  private async rolled(targets: Unit[], period: Period, now: Date) {
    const trees = new Map(targets.map((u) => [u.id, this.withPredecessors(u)]));
    const byRole = new Map<UnitRole, Map<string, Map<string, Sums>>>(); // role → unit id → procedure id → sums
    for (const role of ['competent', 'receiving'] as const) {
      const mine = targets.filter((u) => roleOf(u) === role);
      if (mine.length === 0) continue;
      const ids = [...new Set(mine.flatMap((u) => trees.get(u.id)!).map((u) => u.id))];
      const everyUnit = ids.length >= this.units.all().length;
      const raw = await this.store.sums(
        everyUnit ? null : ids,
        period.from,
        period.to,
        now,
        'unit_procedure',
        role,
      );
      const byUnit = new Map<string, Map<string, Sums>>();
      for (const [key, s] of raw) {
        const [unitId, procId] = key.split('|') as [string, string];
        const m = byUnit.get(unitId) ?? new Map<string, Sums>();
        m.set(procId, s);
        byUnit.set(unitId, m);
      }
      byRole.set(role, byUnit);
    }
    const procs = await this.procedureFacts.byId();
    const out = new Map<string, { perProcedure: Map<string, Sums>; total: Sums; decided: ProcedureInfo[] }>();
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

  private async formulasFor(period: Period) {
    return formulasAt(period.to, await this.formulaSet());
  }

  private indicatorsOf(
    u: Unit,
    r: { perProcedure: Map<string, Sums>; total: Sums; decided: ProcedureInfo[] },
    formulas: IndicatorFormula[],
  ): UnitIndicators {
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

  /** A unit's indicators and index for a period, with its direct children and its procedures. */
  /**
   * A unit's indicators. Computed answers are kept for INDICATOR_CACHE_MS (a wall screen and a few leaders ask the same
   * question at once) and forgotten at every dossier change in this process; across app nodes a figure is at most
   * INDICATOR_CACHE_MS old (2 s by default) — within the 5 seconds the indicators promise. An explicit `now` bypasses the cache.
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
    const mine = this.indicatorsOf(unit, own, formulas);
    return {
      period,
      ...mine,
      children: children.map((c) => this.indicatorsOf(c, rolled.get(c.id)!, formulas)),
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
    // Units that received nothing in the period are not ranked (every ratio is empty: full points by the
    // formulas' rule, which would put them first); they are listed last with rank null.
    const rank = (scores: { code: string; total: number; received: number }[]) => {
      const sorted = scores
        .filter((s) => s.received > 0)
        // Scores equal to the hundredth share a rank's order by code (no float noise between them).
        .sort(
          (a, b) => Math.round(b.total * 100) - Math.round(a.total * 100) || a.code.localeCompare(b.code),
        );
      return new Map(sorted.map((s, i) => [s.code, i + 1]));
    };
    const rows = units.map((u) => {
      const now_ = this.indicatorsOf(u, cur.get(u.id)!, formulas);
      const then = this.indicatorsOf(u, before.get(u.id)!, prevFormulas);
      return { u, now: now_, then };
    });
    const rankNow = rank(
      rows.map((r) => ({ code: r.u.code, total: r.now.score.total, received: r.now.counts.received })),
    );
    const rankThen = rank(
      rows.map((r) => ({ code: r.u.code, total: r.then.score.total, received: r.then.counts.received })),
    );
    return {
      period,
      previous: prev,
      level,
      items: rows
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
        ),
    };
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
    const tree = this.withPredecessors(unit);
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
    const tree = this.withPredecessors(unit);
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
    const formulas = await this.formulasFor(period);
    const f = formulas.find((x) => x.id === what.formula);
    if (!f) {
      throw new DomainError(
        'NOT_FOUND',
        `Không có chỉ tiêu ${what.formula}.`,
        `No indicator ${what.formula}.`,
      );
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
    const where = sql<boolean>`(${any(den)}) AND NOT (${any(num)})`;
    const item = scoreItem(f, counts, NO_CATALOGUE);
    return {
      ...(await this.store.dossiers(
        ids,
        period.from,
        period.to,
        where,
        page,
        roleOf(unit),
        // The built-in formulas' numerators are parts of their denominators: the missing ones are the difference.
        // A stored version may not be: its dossiers are counted.
        DEFAULT_FORMULAS.some((d) => d.id === f.id && d.version === f.version)
          ? item.denominator - item.numerator
          : undefined,
      )),
      lost: { points: item.lost, max: item.max, share: item.share, neededForFull: lostBy(item) },
    };
  }
}
