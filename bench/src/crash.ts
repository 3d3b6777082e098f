/**
 * Crash test (issue 7): kill -9 the server while submissions with idempotency keys and actions on dossiers are in
 * flight, restart it, retry everything, and check that every acknowledged write exists exactly once and that
 * nothing is half-written.
 *
 *   npx tsx bench/src/crash.ts [--database-url postgres://postgres@127.0.0.1:5432/tinhso_bench_crash]
 *                              [--count 1000] [--concurrency 32] [--kill-after-ms 1500]
 *
 * 1. recreates the database (its name must contain "bench"), starts the real server (app-process.ts: main.ts, demo
 *    data; its output in bench/out/crash.server.log) in a child process;
 * 2. phase "submissions": `count` counter registrations (accepted in the same request), each with its own
 *    Idempotency-Key, `concurrency` at a time, from the reception officers of the six demo communes; after
 *    `kill-after-ms` the server gets SIGKILL;
 * 3. restarts the server on the same database and sends every request again with the same key: an acknowledged
 *    one must come back as the same dossier, one that was cut off may be created now — never twice;
 * 4. phase "actions": a comment on each of those dossiers with the version it had, cut off the same way, retried
 *    after restart: each comment lands at most once (a retry of an applied one gets 409 VERSION_CONFLICT);
 * 5. checks in SQL: one dossier per key; each dossier's version equals its number of actions and its log starts
 *    with the submission; the queue count table equals a recount; the indicator facts equal their source view and
 *    the half-month sums equal a recount of the facts.
 * Exits 1 when a check fails. Writes bench/out/crash.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type AppProcess, startAppProcess } from './app-process.js';
import { recreateDatabase } from './common.js';
import { loginOfficer } from './http.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tinhso_bench_crash' },
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'kill-after-ms': { type: 'string', default: '1500' },
    port: { type: 'string', default: '3917' },
  },
});
const URL_ = args['database-url'];
const COUNT = Number(args.count);
const CONCURRENCY = Number(args.concurrency);
const KILL_AFTER = Number(args['kill-after-ms']);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));
const COMMUNES = ['50', '51', '52', '53', '54', '55'];

/** The real server (main.ts, demo data) on this database; its output goes to bench/out/crash.server.log. */
function startServer(): Promise<AppProcess> {
  return startAppProcess({ databaseUrl: URL_, port: PORT, logFile: `${RESULTS}crash.server.log` });
}

type Session = { cookie: string; csrf: string };
interface Outcome {
  status: number | 'network';
  code?: string;
  version?: number;
  error?: string;
}

async function post(session: Session, path: string, body: unknown, key?: string): Promise<Outcome> {
  try {
    const r = await fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    const j = (await r.json().catch(() => ({}))) as {
      code?: string;
      version?: number;
      error?: { code: string };
    };
    return { status: r.status, code: j.code, version: j.version, error: j.error?.code };
  } catch {
    return { status: 'network' };
  }
}

/** Runs `jobs` with at most `n` in flight; resolves when all settled. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

const submission = (i: number) => ({
  procedureCode: '1.013225',
  channel: 'counter',
  competentUnit: `H41.${COMMUNES[i % COMMUNES.length]}`,
  applicant: { name: `Người Thử Sập Máy ${i}`, idNumber: `0400${String(90_000_000 + i).padStart(8, '0')}` },
  outcome: { type: 'accept' },
});

async function sessions(): Promise<Session[]> {
  return Promise.all(COMMUNES.map((c) => loginOfficer(BASE, `tiepnhan.${c}`)));
}

async function killDuring<T>(server: AppProcess, run: () => Promise<T>): Promise<T> {
  const exited = new Promise((r) => (server.alive() ? server.child.once('exit', r) : r(null)));
  const timer = setTimeout(() => server.child.kill('SIGKILL'), KILL_AFTER);
  const r = await run();
  clearTimeout(timer);
  if (server.alive()) {
    console.log('  (all requests finished before the kill; killing now)');
    server.child.kill('SIGKILL');
  }
  await exited;
  return r;
}

async function main() {
  await recreateDatabase(URL_);
  mkdirSync(RESULTS, { recursive: true });
  let server = await startServer();
  let officers = await sessions();
  const key = (i: number) => `crash-submit-${i}`;

  console.log(`phase 1: ${COUNT} submissions, ${CONCURRENCY} in flight, SIGKILL after ${KILL_AFTER} ms`);
  const first = await killDuring(server, () =>
    pool(
      Array.from(
        { length: COUNT },
        (_, i) => () => post(officers[i % officers.length]!, '/api/dossiers', submission(i), key(i)),
      ),
      CONCURRENCY,
    ),
  );
  const acked = first.filter((r) => r.status === 201 || r.status === 200).length;
  const cut = first.filter((r) => r.status === 'network').length;
  const other = first.length - acked - cut;
  console.log(`  acknowledged ${acked}, cut off ${cut}, other ${other}`);

  server = await startServer();
  officers = await sessions();
  const retry = await pool(
    Array.from(
      { length: COUNT },
      (_, i) => () => post(officers[i % officers.length]!, '/api/dossiers', submission(i), key(i)),
    ),
    CONCURRENCY,
  );
  const problems: string[] = [];
  retry.forEach((r, i) => {
    if (r.status !== 200 && r.status !== 201) problems.push(`retry ${i}: ${r.status} ${r.error ?? ''}`);
    const f = first[i]!;
    if ((f.status === 200 || f.status === 201) && f.code !== r.code) {
      problems.push(`key ${i}: acknowledged as ${f.code}, retried as ${r.code}`);
    }
  });
  const replayed = retry.filter((r) => r.status === 200).length;
  console.log(
    `  after restart: ${replayed} answered as already created, ${retry.length - replayed} created now`,
  );

  console.log(`phase 2: a comment on each dossier, SIGKILL after ${KILL_AFTER} ms`);
  const targets = retry.map((r, i) => ({
    code: r.code!,
    version: r.version!,
    officer: officers[i % officers.length]!,
  }));
  const comment = (x: (typeof targets)[number]) =>
    post(x.officer, `/api/dossiers/${x.code}/actions`, {
      expectedVersion: x.version,
      command: { type: 'comment', text: `Kiểm tra sập máy ${x.code}` },
    });
  const act1 = await killDuring(server, () =>
    pool(
      targets.map((x) => () => comment(x)),
      CONCURRENCY,
    ),
  );
  const actAcked = act1.filter((r) => r.status === 200).length;
  console.log(`  acknowledged ${actAcked}, cut off ${act1.filter((r) => r.status === 'network').length}`);
  server = await startServer();
  officers = await sessions();
  targets.forEach((x, i) => {
    x.officer = officers[i % officers.length]!;
  });
  const act2 = await pool(
    targets.map((x) => () => comment(x)),
    CONCURRENCY,
  );
  act2.forEach((r, i) => {
    const applied = act1[i]!.status === 200;
    if (applied && !(r.status === 409 && r.error === 'VERSION_CONFLICT')) {
      problems.push(
        `comment ${targets[i]!.code}: applied before the crash, retry answered ${r.status} ${r.error ?? ''}`,
      );
    }
    if (!applied && r.status !== 200 && !(r.status === 409 && r.error === 'VERSION_CONFLICT')) {
      problems.push(`comment ${targets[i]!.code}: retry answered ${r.status} ${r.error ?? ''}`);
    }
  });

  await server.stop();

  const db = new pg.Client({ connectionString: URL_ });
  await db.connect();
  const q = async (text: string, params: unknown[] = []) => (await db.query(text, params)).rows;
  const [perKey] = await q(
    `SELECT count(*)::int AS dossiers, count(DISTINCT idempotency_key)::int AS keys FROM dossiers
     WHERE idempotency_key LIKE 'crash-submit-%'`,
  );
  if (perKey.dossiers !== COUNT || perKey.keys !== COUNT) {
    problems.push(`dossiers with a crash key: ${perKey.dossiers} (${perKey.keys} keys), expected ${COUNT}`);
  }
  const [versions] = await q(`
    SELECT count(*)::int AS bad FROM dossiers d
    WHERE d.version <> (SELECT count(*) FROM dossier_actions a WHERE a.dossier_id = d.id)
       OR NOT EXISTS (SELECT 1 FROM dossier_actions a WHERE a.dossier_id = d.id AND a.seq = 1 AND a.type = 'submit')`);
  if (versions.bad > 0) problems.push(`${versions.bad} dossiers whose version differs from their log`);
  const [comments] = await q(`
    SELECT count(*)::int AS bad FROM (SELECT a.dossier_id FROM dossier_actions a JOIN dossiers d ON d.id = a.dossier_id
      WHERE d.idempotency_key LIKE 'crash-submit-%' AND a.type = 'comment' GROUP BY 1 HAVING count(*) > 1) x`);
  if (comments.bad > 0) problems.push(`${comments.bad} dossiers with the crash comment twice`);
  const [queue] = await q(`
    SELECT count(*)::int AS bad FROM (
      SELECT current_unit_id, receiving_unit_id, competent_unit_id, status, coalesce(current_step_role, '') AS r,
             dossier_returned_on(status, returned_at) AS ret, count(*) AS n FROM dossiers GROUP BY 1, 2, 3, 4, 5, 6) a
    FULL JOIN (SELECT * FROM dossier_queue_counts WHERE n <> 0) c
      ON (c.current_unit_id, c.receiving_unit_id, c.competent_unit_id, c.status, c.step_role, c.returned_on)
       = (a.current_unit_id, a.receiving_unit_id, a.competent_unit_id, a.status, a.r, a.ret)
    WHERE a.n IS DISTINCT FROM c.n`);
  if (queue.bad > 0) problems.push(`${queue.bad} queue count rows differ from a recount`);
  const [facts] = await q(`
    SELECT count(*)::int AS bad FROM dossier_fact_source s FULL JOIN dossier_facts f USING (dossier_id)
    WHERE s IS DISTINCT FROM f`);
  if (facts.bad > 0) problems.push(`${facts.bad} indicator facts differ from their source`);
  const [halves] = await q(`
    SELECT count(*)::int AS bad FROM (SELECT unit_id, half_start, procedure_id, receiving_unit_id, count(*) AS n
                                       FROM dossier_facts GROUP BY 1, 2, 3, 4) a
    FULL JOIN (SELECT * FROM indicator_halves WHERE received <> 0) h
      USING (unit_id, half_start, procedure_id, receiving_unit_id)
    WHERE a.n IS DISTINCT FROM h.received`);
  if (halves.bad > 0) problems.push(`${halves.bad} half-month sums differ from the facts`);
  const [days] = await q(`
    SELECT count(*)::int AS bad FROM (SELECT unit_id, received_on AS day, procedure_id, receiving_unit_id, count(*) AS n
                                       FROM dossier_facts GROUP BY 1, 2, 3, 4) a
    FULL JOIN (SELECT * FROM indicator_days WHERE received <> 0) d
      USING (unit_id, day, procedure_id, receiving_unit_id)
    WHERE a.n IS DISTINCT FROM d.received`);
  if (days.bad > 0) problems.push(`${days.bad} day sums differ from the facts`);
  await db.end();

  const summary = {
    date: new Date().toISOString(),
    count: COUNT,
    concurrency: CONCURRENCY,
    killAfterMs: KILL_AFTER,
    submissions: { acknowledged: acked, cutOff: cut, other, replayedAfterRestart: replayed },
    comments: { acknowledged: actAcked },
    problems,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}crash.json`, `${JSON.stringify(summary, null, 2)}\n`);
  if (problems.length > 0) {
    console.error(`FAILED: ${problems.length} problems\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  console.log(
    'OK: every acknowledged write exists exactly once; logs, queue counts and indicators are consistent',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
