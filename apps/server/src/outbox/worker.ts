import { randomUUID } from 'node:crypto';
import type { Database } from '@tinhso/db';
import { sql } from 'kysely';
import {
  type ClaimedMessage,
  type DeliveryRecord,
  type OutboxHandler,
  PermanentDeliveryError,
} from './outbox.js';

export interface OutboxWorkerOptions {
  /** Pause between polls when there was nothing (or less than a batch) to do. */
  pollMs?: number;
  /** After this many attempts a failing message is marked dead. */
  maxAttempts?: number;
  /** Messages claimed per poll. */
  batchSize?: number;
  /** Messages of one batch delivered at the same time. */
  concurrency?: number;
  /** How long a claim holds: a node that dies mid-batch leaves its messages to others after this. */
  leaseMs?: number;
  /** A handler still running after this counts as a failed attempt (must stay well below leaseMs). */
  handlerTimeoutMs?: number;
  /** Retry delays: base × 2^(attempt−1), capped, with jitter (between half and all of it). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The clock (tests move it forward to reach retries) and the jitter source. */
  now?: () => Date;
  random?: () => number;
  log?: (level: 'warn' | 'error', message: string, details: Record<string, unknown>) => void;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

interface ClaimRow {
  id: number | string;
  topic: string;
  dedupe_key: string;
  ref: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

/** The delay before retry number `attempt + 1`: exponential, capped, "equal jitter" (in [d/2, d]). */
export function retryDelayMs(
  attempt: number,
  opts: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + (random() * d) / 2);
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

/**
 * Delivers outbox messages: claims a batch (`FOR UPDATE SKIP LOCKED` in one short statement, with a lease),
 * calls the topic's handler outside any transaction, then records the outcome — sent, retry later with
 * exponential backoff, or dead after `maxAttempts`. Several workers (app nodes) can run over one database; on
 * PGlite (one connection) nothing holds a transaction while a message is sent.
 */
export class OutboxWorker {
  readonly id = `worker-${randomUUID()}`;
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly opts: Required<Omit<OutboxWorkerOptions, 'log'>> & Pick<OutboxWorkerOptions, 'log'>;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly database: Database,
    opts: OutboxWorkerOptions = {},
  ) {
    this.opts = {
      pollMs: opts.pollMs ?? 1000,
      maxAttempts: opts.maxAttempts ?? 48,
      batchSize: opts.batchSize ?? 10,
      concurrency: opts.concurrency ?? 5,
      leaseMs: opts.leaseMs ?? 5 * 60_000,
      handlerTimeoutMs: opts.handlerTimeoutMs ?? 60_000,
      baseDelayMs: opts.baseDelayMs ?? 5_000,
      maxDelayMs: opts.maxDelayMs ?? 15 * 60_000,
      now: opts.now ?? (() => new Date()),
      random: opts.random ?? Math.random,
      log: opts.log,
    };
  }

  /** Registers the handler of a topic (one per topic). */
  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox: a handler for "${topic}" is already registered`);
    this.handlers.set(topic, handler);
  }

  get maxAttempts(): number {
    return this.opts.maxAttempts;
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in progress to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current?.catch(() => {});
  }

  private schedule(ms: number) {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const run = this.runOnce().then(
        (r) => r.claimed,
        (e) => {
          this.opts.log?.('error', 'outbox poll failed', { error: errorText(e) });
          return 0;
        },
      );
      this.current = run;
      void run.then((claimed) => {
        if (this.current === run) this.current = null;
        this.schedule(claimed >= this.opts.batchSize ? 0 : this.opts.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  /**
   * Delivers everything due now (or at `now`), batch after batch, until nothing is left to claim; failures are
   * rescheduled, so this ends. For tests and the CLI.
   */
  async drain(opts: { now?: Date } = {}): Promise<DrainResult> {
    const total: DrainResult = { claimed: 0, sent: 0, retried: 0, dead: 0 };
    for (let round = 0; round < 10_000; round++) {
      const r = await this.runOnce(opts.now);
      total.claimed += r.claimed;
      total.sent += r.sent;
      total.retried += r.retried;
      total.dead += r.dead;
      if (r.claimed === 0) break;
    }
    return total;
  }

  /** Claims one batch and delivers it. */
  async runOnce(at?: Date): Promise<DrainResult> {
    const now = at ?? this.opts.now();
    const claimed = await this.claim(now);
    const result: DrainResult = { claimed: claimed.length, sent: 0, retried: 0, dead: 0 };
    const queue = [...claimed];
    const lane = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        const outcome = await this.deliver(m, at);
        result[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, claimed.length) }, lane));
    return result;
  }

  /**
   * Takes up to a batch of due messages in one statement: rows locked by a concurrent claim are skipped, rows
   * under another worker's unexpired lease are not due. The attempt is counted here, so a message that kills its
   * worker still reaches maxAttempts.
   */
  async claim(now: Date): Promise<ClaimedMessage[]> {
    const lease = new Date(now.getTime() + this.opts.leaseMs);
    const { rows } = await sql<ClaimRow>`
      UPDATE outbox SET locked_until = ${lease}, locked_by = ${this.id}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= ${now}
          AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY next_attempt_at, id
        LIMIT ${this.opts.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, topic, dedupe_key, ref, payload, attempts`.execute(this.database.db);
    return rows
      .map((r) => ({
        id: Number(r.id),
        topic: r.topic,
        dedupeKey: r.dedupe_key,
        ref: r.ref,
        payload: r.payload,
        attempt: r.attempts,
      }))
      .sort((a, b) => a.id - b.id);
  }

  private async receiverBack(topic: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('outbox')
      .set({ next_attempt_at: at })
      .where('topic', '=', topic)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', at)
      .execute();
  }

  private async deliver(m: ClaimedMessage, at: Date | undefined): Promise<'sent' | 'retried' | 'dead'> {
    const now = () => at ?? this.opts.now();
    if (m.attempt > this.opts.maxAttempts) {
      // The worker that made the last attempt died before recording it.
      await this.finish(m, 'dead', now(), { error: 'the last attempt did not finish (worker stopped)' });
      return 'dead';
    }
    const handler = this.handlers.get(m.topic);
    try {
      if (!handler) throw new Error(`no handler for topic "${m.topic}"`);
      const delivery = await this.withTimeout(handler(m));
      await this.finish(m, 'sent', now(), { delivery: delivery ?? null });
      // A message that had failed went through: its receiver is back. The other messages of the topic waiting out
      // their backoff (up to maxDelayMs) are due now, so an outage is followed by minutes of catching up, not hours.
      if (m.attempt > 1) await this.receiverBack(m.topic, now());
      return 'sent';
    } catch (e) {
      const permanent = e instanceof PermanentDeliveryError;
      const error = errorText(e);
      if (permanent || m.attempt >= this.opts.maxAttempts) {
        this.opts.log?.('error', 'outbox message dead', {
          id: m.id,
          topic: m.topic,
          attempt: m.attempt,
          error,
        });
        await this.finish(m, 'dead', now(), { error });
        return 'dead';
      }
      const next = new Date(now().getTime() + retryDelayMs(m.attempt, this.opts, this.opts.random));
      this.opts.log?.('warn', 'outbox delivery failed, will retry', {
        id: m.id,
        topic: m.topic,
        attempt: m.attempt,
        next: next.toISOString(),
        error,
      });
      await this.finish(m, 'retry', now(), { error, next });
      return 'retried';
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`handler timed out after ${this.opts.handlerTimeoutMs} ms`)),
        this.opts.handlerTimeoutMs,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  /** Records the outcome, only while this worker still holds the claim (a lost lease is logged, not overwritten). */
  private async finish(
    m: ClaimedMessage,
    outcome: 'sent' | 'retry' | 'dead',
    now: Date,
    x: { delivery?: DeliveryRecord | null; error?: string; next?: Date },
  ): Promise<void> {
    const base = this.database.db
      .updateTable('outbox')
      .where('id', '=', m.id)
      .where('locked_by', '=', this.id)
      .where('status', '=', 'pending');
    const released = { locked_until: null, locked_by: null };
    const q =
      outcome === 'sent'
        ? base.set({
            ...released,
            status: 'sent',
            sent_at: now,
            last_error: null,
            delivery: x.delivery ? JSON.stringify(x.delivery) : null,
          })
        : outcome === 'dead'
          ? base.set({ ...released, status: 'dead', last_error: x.error ?? null })
          : base.set({ ...released, next_attempt_at: x.next!, last_error: x.error ?? null });
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      this.opts.log?.('warn', 'outbox claim lost before the outcome was recorded', {
        id: m.id,
        topic: m.topic,
        outcome,
      });
    }
  }
}

const LOG_RANK = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5, silent: 6 } as const;

/** The process's worker, configured from the environment (OUTBOX_POLL_MS, OUTBOX_MAX_ATTEMPTS); not started. */
export function createOutboxWorker(
  config: { OUTBOX_POLL_MS: number; OUTBOX_MAX_ATTEMPTS: number; LOG_LEVEL: keyof typeof LOG_RANK },
  database: Database,
): OutboxWorker {
  const min = LOG_RANK[config.LOG_LEVEL];
  return new OutboxWorker(database, {
    pollMs: config.OUTBOX_POLL_MS,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    log: (level, message, details) => {
      if (LOG_RANK[level] < min) return;
      console[level](JSON.stringify({ level, time: Date.now(), msg: `outbox: ${message}`, ...details }));
    },
  });
}
