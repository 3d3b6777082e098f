/**
 * Outbox under a receiver outage (issue 7): the SMS gateway is down for `minutes` while dossier events keep coming;
 * nothing may be lost and nothing delivered twice to an idempotent receiver.
 *
 *   npx tsx bench/src/outbox-outage.ts [--minutes 15] [--rate 1] [--http-error-share 0.33]
 *                                      [--database-url postgres://postgres@127.0.0.1:5432/tinhso_outage_bench]
 *
 * 1. recreates the database (its name must contain "bench"); starts a local SMS gateway (HTTP, idempotent: it records
 *    each message by its reference = the outbox dedupe key, also sent as Idempotency-Key) and the real server
 *    (main.ts, demo data, outbox worker with the default settings) with SMS_PROVIDER_URL pointing at it; e-mail has
 *    no SMTP_URL, so it goes to the demo's `log` sender and only SMS travel over the network;
 * 2. waits until the demo data's messages are delivered, then takes the gateway down: connection refused (listener
 *    closed) for the first part of the outage, HTTP 503 for the last `http-error-share` of it;
 * 3. all along, reception officers of the six demo communes register counter dossiers (`rate` a second; accepted,
 *    supplement requested or refused: each queues one SMS), with idempotency keys, retried until acknowledged;
 * 4. brings the gateway back, stops the events, waits until no SMS is pending (at most `drain-timeout-minutes`);
 * 5. checks: every SMS row is sent and none dead; the gateway acknowledged (2xx) every key exactly once and no key it
 *    does not know of; reports events, attempts (refused, 503, 2xx), the retry delays seen, the time to drain.
 * Drops the database at the end (--keep to keep it). Exits 1 when a check fails. Writes bench/out/outbox-outage-<m>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@tinhso/server/config';
import pg from 'pg';
import { type AppProcess, counterRegistration, sleep, startAppProcess } from './app-process.js';
import { dropDatabase, fmt, recreateDatabase } from './common.js';
import { loginOfficer } from './http.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '15' },
    rate: { type: 'string', default: '1' },
    'http-error-share': { type: 'string', default: '0.33' },
    'drain-timeout-minutes': { type: 'string', default: '20' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tinhso_outage_bench' },
    port: { type: 'string', default: '3927' },
    keep: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
const HTTP_SHARE = Number(args['http-error-share']);
const DB_URL = args['database-url'];
const OUT = fileURLToPath(new URL('../out/', import.meta.url));
const COMMUNES = ['50', '51', '52', '53', '54', '55'];
const TOKEN = 'outage-bench-token';

/** The SMS gateway: idempotent by reference; can refuse connections or answer 503. */
class Gateway {
  mode: 'up' | 'refused' | 'http-503' = 'up';
  /** Every request that reached it, per reference (including those answered 503). */
  readonly requests = new Map<string, number>();
  /** 2xx answers per reference: a new message, or a repeat the gateway recognised (must never happen here). */
  readonly acknowledged = new Map<string, number>();
  answered503 = 0;
  badAuth = 0;
  private readonly server = createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  /** Connection refused: the listener is closed and the kept-alive connections cut. */
  async refuse(): Promise<void> {
    this.mode = 'refused';
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }
  /** Listening again on the same port, answering as `mode`. */
  async reopen(mode: 'up' | 'http-503'): Promise<void> {
    this.mode = mode;
    await this.start();
  }
  up(): void {
    this.mode = 'up';
  }
  async stop(): Promise<void> {
    if (this.mode === 'refused') return;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) this.badAuth++;
      let body: { to?: string; text?: string; reference?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end('bad json');
        return;
      }
      const key = body.reference ?? String(req.headers['idempotency-key'] ?? '');
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      if (this.mode === 'http-503') {
        this.answered503++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
        return;
      }
      if (!key || key !== req.headers['idempotency-key'] || !body.to?.startsWith('+84') || !body.text) {
        res.writeHead(400).end('bad message');
        return;
      }
      // Idempotent: a repeated reference is answered like the first time, and counted.
      this.acknowledged.set(key, (this.acknowledged.get(key) ?? 0) + 1);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${key}` }));
    });
  }
}

type Session = { cookie: string; csrf: string };

/** Registers dossiers until `stop()`, each retried with its idempotency key until acknowledged. */
function eventSource(base: string, officers: Session[]) {
  let running = true;
  let n = 0;
  const stats = { acknowledged: 0, retries: 0, byOutcome: { accept: 0, request_supplement: 0, refuse: 0 } };
  const failures: string[] = [];
  const outcomes = [
    { type: 'accept' },
    { type: 'accept' },
    { type: 'request_supplement', reason: 'Thiếu bản sao giấy tờ', items: ['Bản sao CCCD'] },
    { type: 'refuse', reason: 'Không thuộc thẩm quyền giải quyết' },
  ] as const;
  const one = async (i: number) => {
    const outcome = outcomes[i % outcomes.length]!;
    const body = JSON.stringify(counterRegistration(900_000 + i, COMMUNES[i % COMMUNES.length]!, outcome));
    const officer = officers[i % officers.length]!;
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const r = await fetch(`${base}/api/dossiers`, {
          method: 'POST',
          headers: {
            cookie: officer.cookie,
            'x-csrf-token': officer.csrf,
            'content-type': 'application/json',
            'idempotency-key': `outage-${i}`,
          },
          body,
        });
        await r.arrayBuffer();
        if (r.status === 201 || r.status === 200) {
          stats.acknowledged++;
          stats.byOutcome[outcome.type]++;
          return;
        }
        if (r.status < 500) throw new Error(`submission ${i}: HTTP ${r.status}`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('submission')) throw e;
      }
      stats.retries++;
      await sleep(500);
    }
    throw new Error(`submission ${i} never acknowledged`);
  };
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    const t0 = Date.now();
    while (running) {
      const p = one(n++)
        .catch((e: Error) => {
          failures.push(e.message);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      const due = t0 + (n * 1000) / RATE;
      await sleep(Math.max(0, due - Date.now()));
    }
  })();
  return {
    stats,
    failures,
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      return n;
    },
  };
}

interface Sample {
  id: number;
  attempts: number;
  next: number;
}

/** Retry delays seen in the table: between two scheduled attempts of a row whose count went up by exactly one. */
class DelayWatcher {
  private readonly last = new Map<number, Sample>();
  maxDelayMs = 0;
  maxAttempts = 0;
  pending = 0;
  observe(rows: Sample[]) {
    this.pending = rows.length;
    for (const r of rows) {
      const before = this.last.get(r.id);
      if (before && r.attempts === before.attempts + 1) {
        this.maxDelayMs = Math.max(this.maxDelayMs, r.next - before.next);
      }
      this.maxAttempts = Math.max(this.maxAttempts, r.attempts);
      this.last.set(r.id, r);
    }
  }
}

async function smsRows(db: pg.Client): Promise<Sample[]> {
  const { rows } = await db.query<{ id: number; attempts: number; next: Date }>(
    `SELECT id::int, attempts, next_attempt_at AS next FROM outbox WHERE topic = 'notify.sms' AND status = 'pending'`,
  );
  return rows.map((r) => ({ id: r.id, attempts: r.attempts, next: r.next.getTime() }));
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const logFile = `${OUT}outbox-outage-${args.minutes}.server.log`;
  writeFileSync(logFile, '');
  console.log(
    `database ${DB_URL}; outage ${MINUTES} min (last ${Math.round(HTTP_SHARE * 100)} % answered 503)`,
  );
  await recreateDatabase(DB_URL);
  const gateway = new Gateway();
  await gateway.start();
  let app: AppProcess | null = null;
  const db = new pg.Client({ connectionString: DB_URL });
  const problems: string[] = [];
  try {
    const started = Date.now();
    app = await startAppProcess({
      databaseUrl: DB_URL,
      port: Number(args.port),
      logFile,
      env: { SMS_PROVIDER_URL: `http://127.0.0.1:${gateway.port}/v1/sms`, SMS_PROVIDER_TOKEN: TOKEN },
    });
    console.log(`server up in ${fmt((Date.now() - started) / 1000, 1)} s (demo data loaded)`);
    await db.connect();
    const watcher = new DelayWatcher();
    for (let i = 0; ; i++) {
      watcher.observe(await smsRows(db));
      if (watcher.pending === 0) break;
      if (i > 600) throw new Error('the demo data messages were not delivered');
      await sleep(500);
    }
    const before = Number(
      (await db.query(`SELECT count(*) FROM outbox WHERE topic = 'notify.sms'`)).rows[0].count,
    );
    console.log(`demo data: ${before} SMS delivered before the outage`);

    const officers = await Promise.all(COMMUNES.map((c) => loginOfficer(app!.base, `tiepnhan.${c}`)));
    const events = eventSource(app.base, officers);
    const outageMs = MINUTES * 60_000;
    const refusedMs = Math.round(outageMs * (1 - HTTP_SHARE));
    const outageStart = Date.now();
    await gateway.refuse();
    console.log('gateway DOWN (connection refused)');
    let phase503 = false;
    const deadline = outageStart + outageMs;
    let nextReport = outageStart + 30_000;
    while (Date.now() < deadline) {
      if (!phase503 && Date.now() >= outageStart + refusedMs) {
        await gateway.reopen('http-503');
        phase503 = true;
        console.log('gateway answers HTTP 503');
      }
      watcher.observe(await smsRows(db));
      if (Date.now() >= nextReport) {
        nextReport += 30_000;
        console.log(
          `  ${fmt((Date.now() - outageStart) / 1000)} s: ${events.stats.acknowledged} events, ${watcher.pending} SMS pending, max attempts ${watcher.maxAttempts}, max retry delay ${fmt(watcher.maxDelayMs / 1000)} s`,
        );
      }
      await sleep(2_000);
    }
    if (phase503) gateway.up();
    else await gateway.reopen('up');
    const recoveredAt = Date.now();
    const generated = await events.stop();
    console.log(
      `gateway UP after ${fmt((recoveredAt - outageStart) / 1000)} s; ${generated} events registered`,
    );
    const drainUntil = recoveredAt + Number(args['drain-timeout-minutes']) * 60_000;
    let drainedAt: number | null = null;
    while (Date.now() < drainUntil) {
      watcher.observe(await smsRows(db));
      if (watcher.pending === 0) {
        drainedAt = Date.now();
        break;
      }
      await sleep(1_000);
    }
    if (drainedAt === null) problems.push(`still ${watcher.pending} SMS pending after the drain timeout`);
    else
      console.log(`outbox drained ${fmt((drainedAt - recoveredAt) / 1000, 1)} s after the gateway came back`);

    // ---- checks ----
    const { rows } = await db.query<{ key: string; status: string; attempts: number; sent_at: Date | null }>(
      `SELECT dedupe_key AS key, status, attempts, sent_at FROM outbox WHERE topic = 'notify.sms'`,
    );
    const dead = rows.filter((r) => r.status === 'dead');
    const pending = rows.filter((r) => r.status === 'pending');
    if (dead.length > 0) problems.push(`${dead.length} SMS dead, e.g. ${dead[0]!.key}`);
    if (pending.length > 0) problems.push(`${pending.length} SMS still pending`);
    const keys = new Set(rows.map((r) => r.key));
    const missing = rows.filter((r) => !gateway.acknowledged.has(r.key));
    if (missing.length > 0) problems.push(`${missing.length} SMS never acknowledged by the gateway`);
    const twice = [...gateway.acknowledged].filter(([, n]) => n !== 1);
    if (twice.length > 0) problems.push(`${twice.length} references acknowledged more than once`);
    const unknown = [...gateway.acknowledged.keys()].filter((k) => !keys.has(k));
    if (unknown.length > 0) problems.push(`${unknown.length} references the outbox does not know`);
    if (gateway.badAuth > 0) problems.push(`${gateway.badAuth} requests without the gateway token`);
    for (const r of rows) {
      if ((gateway.requests.get(r.key) ?? 0) > r.attempts)
        problems.push(`${r.key}: more requests than attempts`);
    }
    const [dossiers] = (
      await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys FROM dossiers
         WHERE idempotency_key LIKE 'outage-%'`,
      )
    ).rows;
    if (dossiers.n !== generated || dossiers.keys !== generated) {
      problems.push(`${dossiers.n} dossiers (${dossiers.keys} keys) for ${generated} registrations`);
    }
    if (!app.alive()) problems.push('the server exited');
    problems.push(...events.failures);
    const attempts = rows.reduce((s, r) => s + r.attempts, 0);
    const requests = [...gateway.requests.values()].reduce((s, n) => s + n, 0);
    const sentDuring = rows.filter((r) => r.sent_at && r.sent_at.getTime() < recoveredAt).length;
    const summary = {
      date: new Date().toISOString(),
      outageMinutes: MINUTES,
      refusedSeconds: Math.round(refusedMs / 1000),
      http503Seconds: Math.round((outageMs - refusedMs) / 1000),
      events: { registered: generated, ...events.stats },
      sms: {
        total: rows.length,
        fromDemoData: before,
        queuedDuringOutage: rows.length - before,
        sent: rows.filter((r) => r.status === 'sent').length,
        sentBeforeRecovery: sentDuring,
        dead: dead.length,
        pending: pending.length,
      },
      attempts: {
        total: attempts,
        connectionRefusedOrTimedOut: attempts - requests,
        answered503: gateway.answered503,
        acknowledged2xx: [...gateway.acknowledged.values()].reduce((s, n) => s + n, 0),
        maxPerMessage: Math.max(0, ...rows.map((r) => r.attempts)),
        outboxMaxAttempts: loadConfig(process.env).OUTBOX_MAX_ATTEMPTS,
      },
      maxRetryDelaySeconds: Math.round(watcher.maxDelayMs / 1000),
      drainSecondsAfterRecovery: drainedAt === null ? null : Math.round((drainedAt - recoveredAt) / 100) / 10,
      problems,
    };
    writeFileSync(`${OUT}outbox-outage-${args.minutes}.json`, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await app?.stop();
    await db.end().catch(() => {});
    await gateway.stop();
    if (!args.keep) await dropDatabase(DB_URL);
  }
  if (problems.length > 0) {
    console.error(`FAILED: ${problems.length} problems\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  console.log('OK: every SMS delivered, each acknowledged once, none dead');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
