/**
 * The database goes away under load (issue 7): the server must reconnect by itself, answer the requests caught by it
 * with a clean 503 (never a 500, never a crash), and every acknowledged submission must exist exactly once.
 *
 *   npx tsx bench/src/db-restart.ts [--mode terminate] [--seconds 60] [--outage-at 20] [--down-seconds 5]
 *                                   [--workers 8] [--database-url postgres://postgres@127.0.0.1:5432/tinhso_restart_bench]
 *   npx tsx bench/src/db-restart.ts --restart      # restarts the whole PostgreSQL cluster: only on a machine of your own
 *
 * 1. recreates the database (its name must contain "bench") and starts the real server (main.ts, demo data);
 * 2. `workers` clients loop for `seconds`: three public lookups of known dossiers for one counter registration with
 *    an Idempotency-Key; a failed registration is retried with the same key (500 ms apart) until acknowledged;
 *    a poller reads GET /api/health every 200 ms;
 * 3. at `outage-at` seconds:
 *    - `--mode terminate` (default): this database stops accepting connections (ALTER DATABASE … ALLOW_CONNECTIONS
 *      false), every backend of it is killed with pg_terminate_backend, and after `down-seconds` it accepts again —
 *      what a restart looks like from the app, on this database only;
 *    - `--restart` (or `--mode restart`): `pg_ctlcluster --skip-systemctl-redirect <version> <cluster> restart`;
 * 4. reports the errors by kind (503 DATABASE_UNAVAILABLE expected; 500, other codes or refused connections to the app
 *    are failures), how long after the outage the server answered again, the health endpoint's down time, and checks
 *    in SQL that every acknowledged registration exists exactly once, whole (version = its actions).
 * Drops the database at the end (--keep to keep it). Exits 1 when a check fails. Writes bench/out/db-restart-<mode>.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { type AppProcess, counterRegistration, sleep, startAppProcess } from './app-process.js';
import { adminUrl, databaseName, dropDatabase, fmt, recreateDatabase } from './common.js';
import { loginOfficer } from './http.js';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'terminate' },
    restart: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    'outage-at': { type: 'string', default: '20' },
    'down-seconds': { type: 'string', default: '5' },
    workers: { type: 'string', default: '8' },
    'pg-version': { type: 'string', default: '15' },
    'pg-cluster': { type: 'string', default: 'main' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tinhso_restart_bench' },
    port: { type: 'string', default: '3937' },
    keep: { type: 'boolean', default: false },
  },
});
const MODE = args.restart ? 'restart' : args.mode;
if (MODE !== 'terminate' && MODE !== 'restart') throw new Error('--mode terminate|restart');
const DB_URL = args['database-url'];
const DB_NAME = databaseName(DB_URL);
const SECONDS = Number(args.seconds);
const OUTAGE_AT = Number(args['outage-at']) * 1000;
const OUT = fileURLToPath(new URL('../out/', import.meta.url));
const COMMUNES = ['50', '51', '52', '53', '54', '55'];

type Session = { cookie: string; csrf: string };
interface Result {
  t: number;
  op: 'lookup' | 'submit' | 'health';
  status: number | 'network';
  code?: string | undefined;
  retryAfter?: string | null;
}

async function call(base: string, op: Result['op'], path: string, init?: RequestInit) {
  const t = Date.now();
  try {
    const r = await fetch(`${base}${path}`, init);
    const body = (await r.json().catch(() => ({}))) as { code?: string; error?: { code?: string } };
    const res: Result = {
      t,
      op,
      status: r.status,
      code: r.ok ? undefined : body.error?.code,
      retryAfter: r.headers.get('retry-after'),
    };
    return { res, body };
  } catch {
    return { res: { t, op, status: 'network' } as Result, body: {} as { code?: string } };
  }
}

/** Takes the database away: its connections killed and, in terminate mode, new ones refused for a while. */
async function outage(): Promise<{ start: number; end: number }> {
  const start = Date.now();
  if (MODE === 'restart') {
    await promisify(execFile)('pg_ctlcluster', [
      '--skip-systemctl-redirect',
      args['pg-version'],
      args['pg-cluster'],
      'restart',
    ]);
    return { start, end: Date.now() };
  }
  const admin = new pg.Client({ connectionString: adminUrl(DB_URL) });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${DB_NAME} WITH ALLOW_CONNECTIONS false`);
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [DB_NAME],
    );
    console.log(`  killed ${rows.filter((r) => r.killed).length} backends; refusing connections`);
    await sleep(Number(args['down-seconds']) * 1000);
  } finally {
    await admin.query(`ALTER DATABASE ${DB_NAME} WITH ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  return { start, end: Date.now() };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const logFile = `${OUT}db-restart-${MODE}.server.log`;
  writeFileSync(logFile, '');
  console.log(`mode ${MODE}; database ${DB_URL}; ${SECONDS} s of load, outage at ${OUTAGE_AT / 1000} s`);
  await recreateDatabase(DB_URL);
  let app: AppProcess | null = null;
  const problems: string[] = [];
  try {
    app = await startAppProcess({ databaseUrl: DB_URL, port: Number(args.port), logFile });
    const base = app.base;
    const officers: Session[] = await Promise.all(COMMUNES.map((c) => loginOfficer(base, `tiepnhan.${c}`)));
    const seedDb = new pg.Client({ connectionString: DB_URL });
    await seedDb.connect();
    const codes: string[] = (
      await seedDb.query('SELECT code FROM dossiers ORDER BY code LIMIT 300')
    ).rows.map((r) => r.code);
    await seedDb.end();

    const results: Result[] = [];
    const acknowledged = new Map<string, string>(); // idempotency key → dossier code
    const started = Date.now();
    const endAt = started + SECONDS * 1000;
    let next = 0;
    const submitUntilAcknowledged = async (i: number) => {
      const key = `restart-${i}`;
      const officer = officers[i % officers.length]!;
      const body = JSON.stringify(counterRegistration(800_000 + i, COMMUNES[i % COMMUNES.length]!));
      while (Date.now() < endAt + 120_000) {
        const { res, body: b } = await call(base, 'submit', '/api/dossiers', {
          method: 'POST',
          headers: {
            cookie: officer.cookie,
            'x-csrf-token': officer.csrf,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body,
        });
        results.push(res);
        if (res.status === 201 || res.status === 200) {
          acknowledged.set(key, b.code!);
          codes.push(b.code!);
          return;
        }
        await sleep(500);
      }
      problems.push(`${key} never acknowledged`);
    };
    const worker = async (w: number) => {
      for (let n = 0; Date.now() < endAt; n++) {
        if ((n + w) % 4 === 3) await submitUntilAcknowledged(next++);
        else {
          const code = codes[Math.floor(Math.random() * codes.length)]!;
          results.push((await call(base, 'lookup', `/api/lookup/${encodeURIComponent(code)}`)).res);
        }
      }
    };
    const health = (async () => {
      while (Date.now() < endAt) {
        results.push((await call(base, 'health', '/api/health')).res);
        await sleep(200);
      }
    })();
    const load = Promise.all(Array.from({ length: Number(args.workers) }, (_, w) => worker(w)));
    await sleep(Math.max(0, started + OUTAGE_AT - Date.now()));
    console.log(`outage (${MODE}) at ${fmt((Date.now() - started) / 1000, 1)} s`);
    const window = await outage();
    console.log(`  database back after ${fmt((window.end - window.start) / 1000, 1)} s`);
    await Promise.all([load, health]);

    // ---- what the clients saw ----
    const ok = (r: Result) => typeof r.status === 'number' && r.status < 400;
    const failed = results.filter((r) => !ok(r) && r.op !== 'health');
    const kinds: Record<string, number> = {};
    for (const r of failed) {
      const kind = r.status === 'network' ? 'network' : `${r.status} ${r.code ?? ''}`.trim();
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    const clean = (r: Result) =>
      r.status === 503 && r.code === 'DATABASE_UNAVAILABLE' && Number(r.retryAfter) > 0;
    const unclean = failed.filter((r) => !clean(r));
    if (unclean.length > 0) problems.push(`${unclean.length} failures other than 503 DATABASE_UNAVAILABLE`);
    const firstOkAfter = results
      .filter((r) => r.op !== 'health' && ok(r) && r.t >= window.end)
      .reduce((m, r) => Math.min(m, r.t), Number.POSITIVE_INFINITY);
    const lastFailure = failed.reduce((m, r) => Math.max(m, r.t), 0);
    const healthDown = results.filter((r) => r.op === 'health' && !ok(r));
    if (healthDown.some((r) => r.status !== 503))
      problems.push('the health endpoint failed other than with 503');
    if (!app.alive()) problems.push('the server exited');

    // ---- what the database holds ----
    const db = new pg.Client({ connectionString: DB_URL });
    await db.connect();
    const { rows } = await db.query<{ key: string; code: string; version: number; actions: number }>(
      `SELECT d.idempotency_key AS key, d.code, d.version,
              (SELECT count(*)::int FROM dossier_actions a WHERE a.dossier_id = d.id) AS actions
       FROM dossiers d WHERE d.idempotency_key LIKE 'restart-%'`,
    );
    await db.end();
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const [key, code] of acknowledged) {
      const found = byKey.get(key) ?? [];
      if (found.length !== 1) problems.push(`${key}: ${found.length} dossiers`);
      else if (found[0]!.code !== code)
        problems.push(`${key}: acknowledged as ${code}, stored as ${found[0]!.code}`);
    }
    for (const key of byKey.keys())
      if (!acknowledged.has(key)) problems.push(`${key}: stored, never acknowledged`);
    const half = rows.filter((r) => r.version !== r.actions || r.version !== 2);
    if (half.length > 0) problems.push(`${half.length} registrations whose log differs from their version`);

    const summary = {
      date: new Date().toISOString(),
      mode: MODE,
      seconds: SECONDS,
      workers: Number(args.workers),
      outageSeconds: (window.end - window.start) / 1000,
      requests: {
        total: results.filter((r) => r.op !== 'health').length,
        lookups: results.filter((r) => r.op === 'lookup').length,
        submissions: results.filter((r) => r.op === 'submit').length,
        failed: failed.length,
        failuresByKind: kinds,
      },
      submissionsAcknowledged: acknowledged.size,
      recovery: {
        firstSuccessAfterDatabaseBackMs: Number.isFinite(firstOkAfter) ? firstOkAfter - window.end : null,
        lastFailureAfterDatabaseBackMs: lastFailure ? lastFailure - window.end : null,
        healthUnavailableSamples: healthDown.length,
      },
      problems,
    };
    writeFileSync(`${OUT}db-restart-${MODE}.json`, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await app?.stop();
    if (!args.keep) await dropDatabase(DB_URL);
  }
  if (problems.length > 0) {
    console.error(`FAILED: ${problems.length} problems\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  console.log('OK: only clean 503s during the outage; every acknowledged registration exists exactly once');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
