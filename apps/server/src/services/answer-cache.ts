/**
 * Computed indicator answers kept for a short time (issue 6 freshness, issue 7 overload): reused while younger than
 * `cacheMs` and no dossier changed on this node since, joined while being computed, and — when the node is
 * overloaded — served up to STALE_MS old instead of queueing more computations. At most `maxConcurrent`
 * computations run at once.
 */
const CACHE_ENTRIES = 500;
/** Under overload, the last answer is served while at most this old (the indicators' freshness promise is 5 s). */
const STALE_MS = 4_000;

export class AnswerCache {
  /**
   * Computed answers by key: the last settled one (with the time its computation started and the generation of
   * the data it saw) and the computation running now, if any. One computation per key at a time.
   */
  private readonly cache = new Map<
    string,
    {
      settled?: { at: number; gen: number; value: unknown };
      running?: { gen: number; value: Promise<unknown> };
    }
  >();
  /** Bumped at every dossier change this node makes (and at a rebuild or a new formula version). */
  private generation = 0;
  /** Computations running, and the ones waiting for a slot (see `limited`). */
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    /** How long a computed answer is reused (config INDICATOR_CACHE_MS). */
    private readonly cacheMs = 2_000,
    /**
     * At most this many computations at once on this node (a third of the connection pool by default): a wall of
     * dashboards opened at the same moment waits its turn in memory instead of taking every database connection
     * from the counters (the load scenarios of issue 7 saw the pool exhausted and 503s without it).
     */
    private readonly maxConcurrent = 3,
  ) {}

  private async limited<T>(compute: () => Promise<T>): Promise<T> {
    if (this.running < this.maxConcurrent) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over
    try {
      return await compute();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /**
   * A computed answer, reused while it is younger than INDICATOR_CACHE_MS and no dossier changed on this node since;
   * a computation of the same key that started after the last change is joined. When the node is overloaded
   * (computations waiting for a slot), no new computation of a key starts while its last answer is at most STALE_MS
   * old — within the 5 seconds the indicators promise — or while one is running: a wall of dashboards under a
   * stream of writes cannot queue up recomputations.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const t = Date.now();
    const e = this.cache.get(key) ?? {};
    const s = e.settled;
    if (s && s.gen === this.generation && t - s.at < this.cacheMs) return Promise.resolve(s.value as T);
    if (e.running?.gen === this.generation) return e.running.value as Promise<T>;
    if (this.waiting.length > 0) {
      if (s && t - s.at < STALE_MS) return Promise.resolve(s.value as T);
      if (e.running) return e.running.value as Promise<T>;
    }
    if (!this.cache.has(key) && this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    const gen = this.generation;
    const value = this.limited(compute).then(
      (v) => {
        if (this.cacheMs > 0 && (!e.settled || e.settled.at <= t)) e.settled = { at: t, gen, value: v };
        if (e.running?.value === value) e.running = undefined;
        return v;
      },
      (error: unknown) => {
        if (e.running?.value === value) e.running = undefined;
        throw error;
      },
    );
    e.running = { gen, value };
    this.cache.set(key, e);
    return value;
  }

  /** Forgets every computed answer (after a dossier change, a new formula version or a rebuild). */
  invalidate(): void {
    this.generation++;
  }
}
