import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueue, PermanentDeliveryError } from '../src/outbox/outbox.js';
import { OutboxWorker, retryDelayMs } from '../src/outbox/worker.js';
import { ENGINES, startTestApp, type TestApp } from './helpers.js';

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('retry delays', () => {
  const opts = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };
  it('doubles per attempt, with jitter between half and all of the delay, capped', () => {
    expect(retryDelayMs(1, opts, () => 1)).toBe(5_000);
    expect(retryDelayMs(1, opts, () => 0)).toBe(2_500);
    expect(retryDelayMs(2, opts, () => 1)).toBe(10_000);
    expect(retryDelayMs(4, opts, () => 0.5)).toBe(30_000); // 40 s × 0.75
    expect(retryDelayMs(9, opts, () => 1)).toBe(15 * 60_000); // 5 s × 256 = 21 min → capped at 15 min
    expect(retryDelayMs(30, opts, () => 0)).toBe(7.5 * 60_000);
  });
});

describe.each(ENGINES)('durable outbox on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0 });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.ctx.database.db.deleteFrom('outbox').execute();
  });

  const db = () => t.ctx.database.db;
  const put = (topic: string, key: string, payload: Record<string, unknown> = {}) =>
    db()
      .transaction()
      .execute((tx) => enqueue(tx, { topic, dedupeKey: key, payload }));
  const row = (key: string) =>
    db().selectFrom('outbox').selectAll().where('dedupe_key', '=', key).executeTakeFirstOrThrow();

  it('enqueues once per dedupe key, and only when the transaction commits', async () => {
    expect(await put('test.a', 'k1', { n: 1 })).toBe(true);
    expect(await put('test.a', 'k1', { n: 2 })).toBe(false);
    await expect(
      db()
        .transaction()
        .execute(async (tx) => {
          await enqueue(tx, { topic: 'test.a', dedupeKey: 'k2', payload: {} });
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    const rows = await db().selectFrom('outbox').select(['dedupe_key', 'payload', 'status']).execute();
    expect(rows).toEqual([{ dedupe_key: 'k1', payload: { n: 1 }, status: 'pending' }]);
  });

  it('retries with exponential backoff, then records the delivery', async () => {
    let calls = 0;
    const w = new OutboxWorker(t.ctx.database, { baseDelayMs: 1000, maxDelayMs: 8000, random: () => 1 });
    w.register('test.flaky', async (m) => {
      calls++;
      expect(m.payload).toEqual({ to: 'x' });
      if (m.attempt < 3) throw new Error(`receiver down (${m.attempt})`);
      return { receipt: 'r-1' };
    });
    await put('test.flaky', 'flaky-1', { to: 'x' });
    const t0 = at(new Date(), 1000);
    expect(await w.drain({ now: t0 })).toEqual({ claimed: 1, sent: 0, retried: 1, dead: 0 });
    let r = await row('flaky-1');
    expect(r).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'receiver down (1)',
      locked_by: null,
    });
    expect(new Date(r.next_attempt_at).getTime()).toBe(t0.getTime() + 1000);
    expect((await w.drain({ now: at(t0, 999) })).claimed).toBe(0); // not due yet
    expect((await w.drain({ now: at(t0, 1000) })).retried).toBe(1);
    r = await row('flaky-1');
    expect(new Date(r.next_attempt_at).getTime()).toBe(t0.getTime() + 1000 + 2000); // doubled
    expect((await w.drain({ now: at(t0, 2999) })).claimed).toBe(0);
    expect(await w.drain({ now: at(t0, 3000) })).toEqual({ claimed: 1, sent: 1, retried: 0, dead: 0 });
    r = await row('flaky-1');
    expect(r).toMatchObject({ status: 'sent', attempts: 3, last_error: null, delivery: { receipt: 'r-1' } });
    expect(new Date(r.sent_at!).getTime()).toBe(t0.getTime() + 3000);
    expect((await w.drain({ now: at(t0, 3_600_000) })).claimed).toBe(0); // never again
    expect(calls).toBe(3);
  });

  it('marks a message dead after the last attempt, and at once on a permanent error', async () => {
    const w = new OutboxWorker(t.ctx.database, { maxAttempts: 3, random: () => 0.5 });
    w.register('test.down', async () => {
      throw new Error('connection refused');
    });
    w.register('test.bad', async () => {
      throw new PermanentDeliveryError('550 no such mailbox');
    });
    await put('test.down', 'down-1');
    await put('test.bad', 'bad-1');
    const t0 = at(new Date(), 1000);
    expect(await w.drain({ now: t0 })).toMatchObject({ claimed: 2, retried: 1, dead: 1 });
    expect(await row('bad-1')).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: '550 no such mailbox',
    });
    expect((await w.drain({ now: at(t0, 3_600_000) })).retried).toBe(1);
    expect((await w.drain({ now: at(t0, 7_200_000) })).dead).toBe(1);
    expect(await row('down-1')).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error: 'connection refused',
    });
    expect((await w.drain({ now: at(t0, 86_400_000) })).claimed).toBe(0);
  });

  it('retries a message whose topic has no handler on this node', async () => {
    const w = new OutboxWorker(t.ctx.database);
    await put('test.unknown', 'unknown-1');
    expect((await w.drain({ now: at(new Date(), 1000) })).retried).toBe(1);
    expect(await row('unknown-1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'no handler for topic "test.unknown"',
    });
  });

  it('gives the claims of a crashed worker to another one once the lease expires', async () => {
    const crashed = new OutboxWorker(t.ctx.database, { leaseMs: 60_000, maxAttempts: 2 });
    const delivered: string[] = [];
    const other = new OutboxWorker(t.ctx.database, { leaseMs: 60_000, maxAttempts: 2 });
    other.register('test.lease', async (m) => {
      delivered.push(m.dedupeKey);
      return undefined;
    });
    await put('test.lease', 'lease-1');
    const t0 = at(new Date(), 1000);
    // The first worker claims the message and dies before sending it.
    expect((await crashed.claim(t0)).map((m) => m.dedupeKey)).toEqual(['lease-1']);
    expect(await row('lease-1')).toMatchObject({ attempts: 1, locked_by: crashed.id });
    expect((await other.drain({ now: at(t0, 30_000) })).claimed).toBe(0); // still leased
    expect((await other.drain({ now: at(t0, 60_000) })).sent).toBe(1);
    expect(delivered).toEqual(['lease-1']);
    expect(await row('lease-1')).toMatchObject({ status: 'sent', attempts: 2, locked_by: null });

    // A worker dying during the last attempt: the message is not tried beyond maxAttempts.
    await put('test.lease', 'lease-2');
    const t1 = at(new Date(), 1000);
    expect(await crashed.claim(t1)).toHaveLength(1);
    expect(await crashed.claim(at(t1, 60_000))).toHaveLength(1); // second (last) attempt, crashed again
    expect((await other.drain({ now: at(t1, 120_000) })).dead).toBe(1);
    expect(await row('lease-2')).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error: 'the last attempt did not finish (worker stopped)',
    });
    expect(delivered).toEqual(['lease-1']);
  });

  it('never delivers a message twice when two workers drain at the same time', async () => {
    const counts = new Map<string, number>();
    const handler = async (m: { dedupeKey: string }) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      counts.set(m.dedupeKey, (counts.get(m.dedupeKey) ?? 0) + 1);
      return undefined;
    };
    const workers = [0, 1].map(() => {
      const w = new OutboxWorker(t.ctx.database, { batchSize: 3, concurrency: 2 });
      w.register('test.race', handler);
      return w;
    });
    await db()
      .transaction()
      .execute(async (tx) => {
        for (let i = 0; i < 40; i++)
          await enqueue(tx, { topic: 'test.race', dedupeKey: `race-${i}`, payload: {} });
      });
    const now = at(new Date(), 1000);
    const [a, b] = await Promise.all(workers.map((w) => w.drain({ now })));
    expect(a!.sent + b!.sent).toBe(40);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const left = await db().selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
    expect(left).toEqual([]);
  });

  // Jitter 0 gives the shortest delays (the most attempts during the outage), 1 the longest (the slowest recovery).
  it.each([0, 1])(
    'survives a receiver down for 15 minutes with the default settings (jitter %s): each message once, none dead',
    async (jitter) => {
      const maxAttempts = t.ctx.config.OUTBOX_MAX_ATTEMPTS; // the default: the test leaves it unset
      const w = new OutboxWorker(t.ctx.database, { maxAttempts, random: () => jitter });
      let receiver: 'refused' | 'http-503' | 'up' = 'refused';
      const calls = new Map<string, number>();
      const accepted = new Map<string, number>();
      w.register('test.outage', async (m) => {
        calls.set(m.dedupeKey, (calls.get(m.dedupeKey) ?? 0) + 1);
        if (receiver === 'refused') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        if (receiver === 'http-503') throw new Error('SMS provider answered HTTP 503: maintenance');
        accepted.set(m.dedupeKey, (accepted.get(m.dedupeKey) ?? 0) + 1);
        return { status: 202 };
      });
      const t0 = at(new Date(), 1000);
      const STEP = 5_000;
      const OUTAGE = 15 * 60_000;
      // Events keep coming during the outage (one every 20 s); connection refused for 10 min, then 503 answers.
      const keys: string[] = [];
      for (let ms = 0; ms < OUTAGE; ms += STEP) {
        if (ms % 20_000 === 0) {
          keys.push(`outage-${jitter}-${ms / 1000}`);
          await put('test.outage', keys[keys.length - 1]!);
        }
        if (ms === 10 * 60_000) receiver = 'http-503';
        expect((await w.drain({ now: at(t0, ms) })).sent).toBe(0);
      }
      const during = await db().selectFrom('outbox').select(['status', 'attempts']).execute();
      expect(during).toHaveLength(keys.length);
      expect(during.every((r) => r.status === 'pending')).toBe(true);
      expect(Math.max(...during.map((r) => r.attempts))).toBeLessThan(maxAttempts);

      receiver = 'up';
      let recoveredAfter = 0;
      for (let ms = OUTAGE; ms <= OUTAGE + 60 * 60_000; ms += STEP) {
        await w.drain({ now: at(t0, ms) });
        const left = await db().selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
        if (left.length === 0) {
          recoveredAfter = ms - OUTAGE;
          break;
        }
      }
      const rows = await db().selectFrom('outbox').select(['dedupe_key', 'status', 'attempts']).execute();
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      expect([...accepted.keys()].sort()).toEqual([...keys].sort());
      expect([...accepted.values()].every((n) => n === 1)).toBe(true);
      for (const r of rows) expect(calls.get(r.dedupe_key)).toBe(r.attempts); // every attempt reached the handler
      // A message waits at most one capped delay (15 min) after the receiver is back.
      expect(recoveredAfter).toBeLessThanOrEqual(15 * 60_000);
      expect((await w.drain({ now: at(t0, 24 * 3600_000) })).claimed).toBe(0);
    },
  );

  it('polls once started, and stop() lets the batch in progress finish', async () => {
    const w = new OutboxWorker(t.ctx.database, { pollMs: 20 });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    w.register('test.poll', async () => {
      started = true;
      await gate;
      return { ok: true };
    });
    await put('test.poll', 'poll-1');
    w.start();
    for (let i = 0; i < 250 && !started; i++) await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(true);
    const stopping = w.stop();
    release();
    await stopping;
    expect(await row('poll-1')).toMatchObject({ status: 'sent', delivery: { ok: true } });
    await put('test.poll', 'poll-2');
    await new Promise((r) => setTimeout(r, 100));
    expect(await row('poll-2')).toMatchObject({ status: 'pending', attempts: 0 }); // stopped: not claimed
  });
});
