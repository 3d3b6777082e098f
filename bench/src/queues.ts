/**
 * Work queues at scale (issue 4): the queue counts and a queue page of a busy commune's specialist, over HTTP.
 *
 *   npx tsx bench/src/queues.ts [--database-url URL] [--duration 20] [--warmup 3] [--connections 16]
 *
 * Runs against the database bench/src/generate-dossiers.ts builds (default tinhso_bench, 1,000,000 dossiers):
 * applies pending migrations (0010: the count table, its trigger and the queue indexes), ANALYZEs, picks the commune
 * with the most dossiers and its specialist (demo officer `tuphap.<nn>`), starts the real application in its own
 * process (serve.ts app), logs the specialist in, and measures with autocannon, one scenario after the other:
 *
 *   counts    GET /api/queues?unit=<commune>                          (the eight counts, one SQL statement)
 *   page      GET /api/queues/to_process?unit=<commune>&limit=20      (the first page, soonest due first, + total)
 *   page+q    GET /api/queues/all?unit=<commune>&q=<surname>&limit=20 (a name search without diacritics)
 *
 * Latencies are per response (autocannon's `response` event), nearest-rank percentiles. Prints the EXPLAIN ANALYZE
 * of the two statements behind `counts` and `page` once, and writes bench/out/queues.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@tinhso/db';
import { DEFAULT_DATABASE_URL, fmt } from './common.js';
import { loginOfficer, type Measured, measureGet, startServer, stopServer } from './http.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? DEFAULT_DATABASE_URL },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
  },
});
const URL_ = args['database-url'];
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));

interface Scenario {
  name: string;
  path: string;
}

interface Result extends Measured {
  name: string;
  path: string;
}

async function main() {
  const database = await openDatabase({ url: URL_, poolMax: 2 });
  const applied = await migrate(database.pool);
  if (applied.length > 0) console.log(`migrations applied: ${applied.join(', ')}`);
  const { rows: size } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM dossiers');
  const dossiers = Number(size[0]!.n);
  await database.pool.query('ANALYZE dossiers');
  await database.pool.query('ANALYZE dossier_queue_counts');
  // The busiest commune (most dossiers it may see as current, receiving or competent unit).
  const { rows: busiest } = await database.pool.query<{ code: string; visible: string; running: string }>(`
    SELECT u.code,
           (SELECT sum(n) FROM dossier_queue_counts c
             WHERE u.id IN (c.current_unit_id, c.receiving_unit_id, c.competent_unit_id)) AS visible,
           (SELECT sum(n) FROM dossier_queue_counts c
             WHERE c.current_unit_id = u.id AND c.status IN (2, 4) AND c.step_role = 'specialist') AS running
    FROM units u WHERE u.level = 'commune' ORDER BY visible DESC NULLS LAST LIMIT 1`);
  const commune = busiest[0]!;
  const username = `tuphap.${commune.code.split('.').slice(1).join('')}`;
  console.log(
    `${fmt(dossiers)} dossiers; busiest commune ${commune.code}: ${fmt(Number(commune.visible))} dossiers visible, ` +
      `${fmt(Number(commune.running))} at a specialist's step; officer ${username}`,
  );

  const server = await startServer(URL_);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const { cookie } = await loginOfficer(base, username);
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const counts = await get(`/api/queues?unit=${commune.code}`);
    console.log(
      'counts:',
      (counts['items'] as { key: string; count: number }[]).map((i) => `${i.key} ${fmt(i.count)}`).join(', '),
    );
    const page = await get(`/api/queues/to_process?unit=${commune.code}&limit=20`);
    console.log(
      `to_process page: ${(page['items'] as unknown[]).length} items of ${fmt(page['total'] as number)}`,
    );

    await explain(database.pool, commune.code);

    const scenarios: Scenario[] = [
      { name: 'counts', path: `/api/queues?unit=${commune.code}` },
      { name: 'page', path: `/api/queues/to_process?unit=${commune.code}&limit=20` },
      { name: 'page+q', path: `/api/queues/all?unit=${commune.code}&q=nguyen%20van&limit=20` },
    ];
    const results: Result[] = [];
    for (const s of scenarios) {
      process.stdout.write(`  ${s.name}: warm-up ${WARMUP} s, measuring ${DURATION} s… `);
      await measureGet(server.port, cookie, s.path, WARMUP, CONNECTIONS);
      const r = await measureGet(server.port, cookie, s.path, DURATION, CONNECTIONS);
      results.push({ name: s.name, path: s.path, ...r });
      console.log(
        `${fmt(r.perSecond)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ` +
          `p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, errors ${r.errors}, non-2xx ${r.non2xx}`,
      );
    }
    const summary = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memory: os.totalmem(),
        node: process.version,
      },
      database: URL_.replace(/\/\/[^@]*@/, '//'),
      dossiers,
      commune: commune.code,
      officer: username,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      results,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}queues.json`, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`written ${RESULTS}queues.json`);
  } finally {
    await stopServer(server);
    await database.close();
  }
}

/** The plans behind the counts and the page for this officer (the statements QueueService sends). */
async function explain(pool: import('pg').Pool, commune: string) {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM units WHERE code = $1', [commune]);
  const unit = rows[0]!.id;
  const plans: [string, string, unknown[]][] = [
    [
      'counts (count table part)',
      `SELECT coalesce(sum(c.n) FILTER (WHERE c.status IN (2, 4) AND c.step_role = 'specialist'
                 AND c.current_unit_id IN ($1)), 0), coalesce(sum(c.n), 0)
       FROM dossier_queue_counts c
       WHERE c.current_unit_id IN ($1) OR c.receiving_unit_id IN ($1) OR c.competent_unit_id IN ($1)`,
      [unit],
    ],
    [
      'counts (due soon / overdue part)',
      `SELECT count(*) FILTER (WHERE d.due_at > now()), count(*) FILTER (WHERE d.due_at <= now())
       FROM dossiers d
       WHERE d.status IN (2, 4) AND d.due_at <= now() + interval '1 day'
         AND (d.current_unit_id IN ($1) OR d.receiving_unit_id IN ($1) OR d.competent_unit_id IN ($1))`,
      [unit],
    ],
    [
      'to_process page',
      `SELECT d.code FROM dossiers d
       WHERE d.status IN (2, 4) AND d.current_step_role = 'specialist' AND d.current_unit_id IN ($1)
       ORDER BY d.due_at ASC NULLS LAST, d.submitted_at, d.code LIMIT 20`,
      [unit],
    ],
  ];
  for (const [label, text, params] of plans) {
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    console.log(`\n-- ${label}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
  console.log('');
}

await main();
