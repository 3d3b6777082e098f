/**
 * Load scenarios (issue 7) against the database built by generate-dossiers.ts, on loopback, with the ceiling
 * measured in the same run:
 *
 *   npx tsx bench/src/scenarios.ts [--database-url URL] [--duration 15] [--warmup 3] [--connections 16]
 *       [--users 300] [--mixed-seconds 60] [--spike-seconds 60] [--think-ms 500-3500]
 *       [--only pgbench,ceiling,lookup,search,queue,dashboard,submit,action,mixed,spike] [--pgbench-scale 10]
 *       [--generator wrk|autocannon] [--submit-rate 200] [--cpu-prof DIR] [--no-vacuum]
 *
 * 0. VACUUM (ANALYZE) of the tables the scenarios write (unless --no-vacuum): earlier runs leave tens of thousands
 *    of rows that a server with autovacuum off (this project's CI machines) never marks all-visible, and the
 *    dashboards' index-only scans then read the heap: 4× slower on 3 December (docs/benchmarks.md);
 * 1. ceilings: `pgbench -S` (scratch database) and a bare Fastify route doing one indexed SELECT (serve.ts ceiling),
 *    the latter with each load generator in use, so that every row is compared with a ceiling measured the same way;
 * 2. the real application (serve.ts app, its own process, pool of 10, indicator cache off so that every dashboard
 *    request computes; mixed and spike below run with the default 2 s cache), each scenario flat out over
 *    `--connections` connections (closed loop): public lookup, procedure search, an officer's queue page (own
 *    commune, "to process"), the dashboard query (a commune's month and the province's year) with wrk (wrk.ts; C, a
 *    fraction of autocannon's CPU on a machine the generator shares) unless `--generator autocannon` or wrk is
 *    missing; a counter submission accepted in the same request (each with its own Idempotency-Key) and an action on
 *    a dossier (a comment with the version the client last saw) with autocannon (their bodies are made per request);
 *    then the submission at `--submit-rate` per second offered (open loop, http.ts measurePaced);
 * 3. mixed: `--users` simulated citizens, officers and leaders, each thinking `--think-ms` between tasks (users.ts);
 * 4. spike: the mixed load, then 5 × the users for `--spike-seconds`, then back.
 *
 * Reports req/s, p50/p95/p99, errors (any status a task does not expect, network errors, timeouts) and the
 * server's memory; each flat-out scenario also as a share of the bare Fastify route and of pgbench -S.
 * Writes bench/out/scenarios.json. The writes stay in the database (dossiers "Người Thử Tải …").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { memoryOf, type PgbenchResult, pgbench } from './ceiling.js';
import { bytes, DEFAULT_DATABASE_URL, databaseName, fmt, SEARCH_QUERIES, timed } from './common.js';
import {
  loginOfficer,
  measurePaced,
  measureShape,
  type RequestShape,
  type Server,
  startServer,
  stopServer,
} from './http.js';
import { type PhaseResult, runUsers } from './users.js';
import { type Session, workload } from './workload.js';
import { findWrk, measureWrk } from './wrk.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? DEFAULT_DATABASE_URL },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    users: { type: 'string', default: '300' },
    'mixed-seconds': { type: 'string', default: '60' },
    'spike-seconds': { type: 'string', default: '60' },
    'think-ms': { type: 'string', default: '500-3500' },
    only: { type: 'string' },
    'pgbench-scale': { type: 'string', default: '10' },
    /** Offered rate of the open-loop submission scenario (the aim: ≥ 200/s with p95 ≤ 100 ms). */
    'submit-rate': { type: 'string', default: '200' },
    /** Load generator of the GET scenarios and the bare route: wrk (default, when installed) or autocannon. */
    generator: { type: 'string', default: 'wrk' },
    /** Writes a V8 CPU profile of the application process into this directory when it stops. */
    'cpu-prof': { type: 'string' },
    /** Skips the VACUUM (ANALYZE) of the written tables before measuring. */
    'no-vacuum': { type: 'boolean', default: false },
  },
});
const URL_ = args['database-url'];
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const USERS = Number(args.users);
const THINK = args['think-ms'].split('-').map(Number) as [number, number];
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const wanted = (name: string) => !ONLY || ONLY.has(name);
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));
if (!['wrk', 'autocannon'].includes(args.generator)) throw new Error('--generator is wrk or autocannon');
const WRK = args.generator === 'wrk' ? findWrk() : null;
if (args.generator === 'wrk' && !WRK) console.warn('wrk is not installed: the reads run with autocannon too');
/** The generator of a scenario: wrk for GETs when chosen and installed; writes always autocannon (per-request JS). */
type Generator = 'wrk' | 'autocannon' | 'paced';
const getGenerator: Generator = WRK ? 'wrk' : 'autocannon';

/** The application (serve.ts: rate limits raised) with the indicator cache as given, profiled with --cpu-prof DIR. */
function startApp(indicatorCacheMs: string): Promise<Server> {
  const prof = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  return startServer(URL_, { env: { INDICATOR_CACHE_MS: indicatorCacheMs }, execArgv: prof });
}

/** Peak resident memory of a process while `run` runs (sampled every 250 ms). */
async function watchMemory<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peak = memoryOf(pid).rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid).rss);
  }, 250);
  try {
    return { result: await run(), peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

interface Flat {
  name: string;
  perSecond: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  /** Unexpected statuses, network errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  generator: Generator;
  peakRss?: number;
}

async function flatOut(
  port: number,
  shape: RequestShape,
  seconds: number,
  generator: Generator,
): Promise<Flat> {
  const m =
    generator === 'wrk'
      ? await measureWrk(port, shape, seconds, CONNECTIONS, { wrk: WRK! })
      : await measureShape(port, shape, seconds, CONNECTIONS);
  return { ...m, name: shape.name, errors: m.errors + m.unexpected, generator };
}

async function scenario(server: Server, shape: RequestShape, generator: Generator): Promise<Flat> {
  process.stdout.write(`  ${shape.name} (${generator}): warm-up ${WARMUP} s, measuring ${DURATION} s… `);
  await flatOut(server.port, shape, WARMUP, generator);
  const { result, peakRss } = await watchMemory(server.process.pid!, () =>
    flatOut(server.port, shape, DURATION, generator),
  );
  console.log(
    `${fmt(result.perSecond)} req/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, ` +
      `p99 ${result.p99.toFixed(1)} ms, errors ${result.errors} ${JSON.stringify(result.statusCodes)}, ` +
      `server RSS peak ${bytes(peakRss)}`,
  );
  return { ...result, peakRss };
}

/**
 * `shape` at `--submit-rate` requests per second offered (open loop, up to 64 connections): the latency of a
 * submission while the system carries that rate, where the closed loop above gives the most it can carry.
 */
async function pacedScenario(server: Server, shape: RequestShape): Promise<Flat> {
  const rate = Number(args['submit-rate']);
  const name = `${shape.name}, ${rate}/s offered (open loop)`;
  process.stdout.write(`  ${name}: measuring ${DURATION} s… `);
  const { result, peakRss } = await watchMemory(server.process.pid!, () =>
    measurePaced(server.port, shape, DURATION, rate, 64),
  );
  console.log(
    `${fmt(result.perSecond)} req/s answered, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, ` +
      `p99 ${result.p99.toFixed(1)} ms, errors ${result.errors + result.unexpected} ${JSON.stringify(result.statusCodes)}`,
  );
  return { ...result, name, errors: result.errors + result.unexpected, generator: 'paced', peakRss };
}

function printPhases(label: string, phases: PhaseResult[]) {
  for (const p of phases) {
    console.log(
      `  ${label} / ${p.phase} (${p.users} users, ${p.seconds.toFixed(0)} s): ${fmt(p.perSecond)} req/s, ` +
        `p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, ` +
        `max ${p.max.toFixed(0)} ms, errors ${p.errors}` +
        (p.errors ? ` ${JSON.stringify(p.errorsByKind)}` : ''),
    );
    for (const [task, t] of Object.entries(p.tasks)) {
      console.log(
        `      ${task.padEnd(34)} ${String(t.requests).padStart(7)}  p50 ${t.p50.toFixed(1).padStart(7)}  ` +
          `p95 ${t.p95.toFixed(1).padStart(7)}  p99 ${t.p99.toFixed(1).padStart(7)}  errors ${t.errors}`,
      );
    }
  }
}

/** The tables a run writes to (submissions, comments, sessions, the audit chain and what the triggers keep). */
const WRITTEN_TABLES = [
  'dossiers',
  'dossier_actions',
  'dossier_components',
  'dossier_facts',
  'indicator_halves',
  'indicator_days',
  'dossier_queue_counts',
  'dossier_counters',
  'audit_log',
  'sessions',
];

async function main() {
  const db = new pg.Pool({ connectionString: URL_, max: 2 });
  const { rows: info } = await db.query<{ version: string; n: string }>(
    `SELECT version() AS version, (SELECT count(*) FROM dossiers) AS n`,
  );
  const env = {
    date: new Date().toISOString(),
    database: databaseName(URL_),
    dossiers: Number(info[0]!.n),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memory: bytes(os.totalmem()),
    node: process.version,
    postgres: info[0]!.version.split(' on ')[0]!,
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    connections: CONNECTIONS,
  };
  console.log(JSON.stringify(env));
  if (env.dossiers === 0) throw new Error('no dossiers: run generate-dossiers.ts first');
  if (!args['no-vacuum']) {
    await timed(`VACUUM (ANALYZE) of the ${WRITTEN_TABLES.length} tables runs write`, () =>
      db.query(`VACUUM (ANALYZE) ${WRITTEN_TABLES.join(', ')}`),
    );
  }

  let pgb: PgbenchResult | null = null;
  if (wanted('pgbench')) {
    console.log('\nCeiling 1: pgbench');
    pgb = await pgbench(URL_, {
      connections: CONNECTIONS,
      seconds: DURATION,
      scale: Number(args['pgbench-scale']),
    });
  }
  const work = await workload(db);
  // The bare route with each generator in use, so that every scenario is compared with a ceiling measured the same way.
  const ceilings = new Map<Generator, Flat>();
  if (wanted('ceiling')) {
    console.log('\nCeiling 2: bare Fastify + pg, one indexed SELECT by code');
    const bare = await startServer(URL_, { mode: 'ceiling' });
    let i = 0;
    const shape: RequestShape = {
      name: 'bare Fastify lookup',
      next: () => ({ path: `/lookup/${work.codes[i++ % work.codes.length]}` }),
    };
    for (const g of new Set<Generator>([getGenerator, 'autocannon']))
      ceilings.set(g, await scenario(bare, shape, g));
    await stopServer(bare);
  }

  console.log(`\nThe application, flat out, ${CONNECTIONS} connections:`);
  let app = await startApp('0');
  const base = `http://127.0.0.1:${app.port}`;
  const sessions = new Map<string, Session>();
  for (const username of work.usernames) sessions.set(username, await loginOfficer(base, username));
  const shapes = work.shapes(sessions);
  const flat: Flat[] = [];
  for (const name of ['lookup', 'search', 'queue', 'dashboard', 'submit', 'action'] as const) {
    if (!wanted(name)) continue;
    const generator = name === 'submit' || name === 'action' ? 'autocannon' : getGenerator;
    for (const shape of shapes[name] ?? []) flat.push(await scenario(app, shape, generator));
    if (name === 'submit')
      for (const shape of shapes['submit'] ?? []) flat.push(await pacedScenario(app, shape));
  }

  // Mixed and spike run with the production setting of the indicator cache (answers reused 2 s, forgotten at every
  // dossier change the node makes); the flat-out dashboard rows above measure the computation itself (cache off).
  if (wanted('mixed') || wanted('spike')) {
    await stopServer(app);
    app = await startApp('2000');
    for (const username of work.usernames)
      sessions.set(username, await loginOfficer(`http://127.0.0.1:${app.port}`, username));
  }
  const kinds = work.users(sessions);
  let mixed: PhaseResult[] = [];
  let spike: PhaseResult[] = [];
  let mixedRss = 0;
  let spikeRss = 0;
  if (wanted('mixed')) {
    console.log(`\nMixed: ${USERS} users, think ${THINK[0]}–${THINK[1]} ms`);
    const m = await watchMemory(app.process.pid!, () =>
      runUsers({
        port: app.port,
        kinds,
        thinkMs: THINK,
        phases: [
          { name: 'ramp', seconds: 10, users: USERS },
          { name: 'steady', seconds: Number(args['mixed-seconds']), users: USERS },
        ],
      }),
    );
    mixed = m.result;
    mixedRss = m.peakRss;
    printPhases('mixed', mixed);
  }
  if (wanted('spike')) {
    const s = Number(args['spike-seconds']);
    console.log(`\nSpike: ${USERS} users, then ${USERS * 5} for ${s} s, then ${USERS}`);
    const m = await watchMemory(app.process.pid!, () =>
      runUsers({
        port: app.port,
        kinds,
        thinkMs: THINK,
        phases: [
          { name: 'before', seconds: Math.min(30, s / 2), users: USERS },
          { name: 'spike ×5', seconds: s, users: USERS * 5 },
          { name: 'after', seconds: Math.min(30, s / 2), users: USERS },
        ],
      }),
    );
    spike = m.result;
    spikeRss = m.peakRss;
    printPhases('spike', spike);
  }
  const memory = memoryOf(app.process.pid!);
  await stopServer(app);
  await db.end();

  const ratio = (x: number, c?: number) => (c ? `${((x / c) * 100).toFixed(0)} %` : '');
  console.log(
    '\n| scenario | generator | req/s | p50 ms | p95 ms | p99 ms | errors | vs bare Fastify | vs pgbench -S | server RSS peak |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of [...ceilings.values(), ...flat]) {
    console.log(
      `| ${r.name} | ${r.generator} | ${fmt(r.perSecond)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ` +
        `${r.errors} | ${ratio(r.perSecond, ceilings.get(r.generator)?.perSecond)} | ${ratio(r.perSecond, pgb?.tps)} | ` +
        `${r.peakRss ? bytes(r.peakRss) : ''} |`,
    );
  }
  if (pgb)
    console.log(
      `| ${pgb.command} | pgbench | ${fmt(pgb.tps)} tps | avg ${pgb.latencyAvgMs} | | | | | 100 % | |`,
    );
  for (const [label, phases, rss] of [
    ['mixed', mixed, mixedRss],
    ['spike', spike, spikeRss],
  ] as const) {
    for (const p of phases) {
      console.log(
        `| ${label}: ${p.phase}, ${p.users} users | users.ts | ${fmt(p.perSecond)} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} | ` +
          `${p.p99.toFixed(1)} | ${p.errors} | | | ${bytes(rss)} |`,
      );
    }
  }
  console.log(`server memory at the end: RSS ${bytes(memory.rss)}, peak ${bytes(memory.peak)}`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}scenarios.json`,
    JSON.stringify(
      {
        env,
        pgbench: pgb,
        ceilings: Object.fromEntries(ceilings),
        flat,
        mixed,
        spike,
        memory,
        searchQueries: SEARCH_QUERIES.length,
      },
      null,
      2,
    ),
  );
}

await main();
