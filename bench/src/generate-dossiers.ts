/**
 * Builds the benchmark database for the dossier core:
 *
 *   npx tsx bench/src/generate-dossiers.ts --count 1000000 [--database-url URL] [--method copy|unnest|kysely]
 *       [--chunk 20000] [--seed 2026] [--days 365] [--now 2026-04-24T17:00:00+07:00]
 *   npx tsx bench/src/generate-dossiers.ts --compare-methods --count 50000     (times the three loaders in a
 *       scratch database, tinhso_bench_compare unless --database-url is given, dropped afterwards)
 *
 * Drops and recreates the database (default tinhso_bench on 127.0.0.1:5432; the name must contain "bench"), runs
 * the migrations, seeds the demo units, people and catalogue through the real services, then generates N dossiers
 * with their action logs (generateDossiers → simulateDossier: the real decide/evolve rules and working-day clock)
 * spread over `--days` days, and loads them chunk by chunk: memory holds at most two chunks. Generation of chunk
 * k+1 overlaps the load of chunk k (generation yields to the event loop every 1,000 dossiers). Ends with the
 * daily counters, VACUUM (ANALYZE), table sizes, and a JSON summary in bench/out/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Database, migrate, openDatabase } from '@tinhso/db';
import { type AppContext, buildContext } from '@tinhso/server';
import { loadConfig } from '@tinhso/server/config';
import { type GeneratedDossier, saveCounters } from '@tinhso/server/demo/bulk';
import { type Catalogued, generateDossiers } from '@tinhso/server/demo/generate';
import { cataloguedProcedures, seedCatalogue, seedPeople, seedUnits } from '@tinhso/server/demo/seed';
import { rngFrom } from '@tinhso/server/demo/simulate';
import { adminUrl, bytes, DEFAULT_DATABASE_URL, databaseName, fmt, recreateDatabase } from './common.js';
import { LOAD_METHODS, type LoadMethod, type PreparedChunk, prepareChunk } from './load.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'database-url': { type: 'string' },
    method: { type: 'string', default: 'copy' },
    chunk: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '2026' },
    days: { type: 'string', default: '365' },
    now: { type: 'string' },
    'compare-methods': { type: 'boolean', default: false },
  },
});

const COUNT = Number(args.count);
const CHUNK = Number(args.chunk);
/** The comparison gets its own database by default, so that it never replaces the 1M-dossier one. */
const URL_ =
  args['database-url'] ??
  process.env['BENCH_DATABASE_URL'] ??
  (args['compare-methods']
    ? DEFAULT_DATABASE_URL.replace(/tinhso_bench$/, 'tinhso_bench_compare')
    : DEFAULT_DATABASE_URL);
const NOW = args.now ? new Date(args.now) : new Date();
const SEED = Number(args.seed);
const DAYS = Number(args.days);
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));
if (!(COUNT > 0 && CHUNK > 0 && Number.isFinite(NOW.getTime()) && DAYS > 0)) throw new Error('bad arguments');
if (!LOAD_METHODS.includes(args.method as LoadMethod)) throw new Error(`--method: one of ${LOAD_METHODS}`);

const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface Prepared {
  ctx: AppContext;
  database: Database;
  procedures: Catalogued[];
  citizens: { id: string; personalId: string; fullName: string }[];
  handlers: Map<string, Map<string, string[]>>;
  setupMs: number;
}

/** Officers by unit code and role (ordered by username, so the same seed assigns the same people). */
async function handlersOf(database: Database) {
  const rows = await database.db
    .selectFrom('officer_roles as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('officers as o', 'o.id', 'r.officer_id')
    .select(['u.code', 'r.role', 'o.id'])
    .orderBy('o.username')
    .execute();
  const out = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    const byRole = out.get(r.code) ?? new Map<string, string[]>();
    byRole.set(r.role, [...(byRole.get(r.role) ?? []), r.id]);
    out.set(r.code, byRole);
  }
  return out;
}

/** Fresh database, migrations, demo organisation, people and catalogue. */
async function prepare(): Promise<Prepared> {
  const t = performance.now();
  await recreateDatabase(URL_);
  const database = await openDatabase({ url: URL_, poolMax: 4 });
  await migrate(database.pool);
  const config = loadConfig({ DATABASE_URL: URL_, LOG_LEVEL: 'silent', TINHSO_MIGRATE_ON_START: 'false' });
  const ctx = await buildContext(config, database);
  await seedUnits(ctx);
  await seedPeople(ctx);
  await seedCatalogue(ctx);
  const procedures = await cataloguedProcedures(ctx);
  const citizens = (
    await database.db
      .selectFrom('citizens')
      .select(['id', 'personal_id', 'full_name'])
      .orderBy('personal_id')
      .execute()
  ).map((c) => ({ id: c.id, personalId: c.personal_id, fullName: c.full_name }));
  const handlers = await handlersOf(database);
  return {
    ctx: deterministic(ctx),
    database,
    procedures,
    citizens,
    handlers,
    setupMs: performance.now() - t,
  };
}

/**
 * The same context, except that `units.all()` lists units by code. UnitDirectory orders them by `path`, made of
 * random UUIDs, so the generator (which picks communes by index) would produce different dossiers in every
 * fresh database even with the same seed.
 */
function deterministic(ctx: AppContext): AppContext {
  const units = Object.create(ctx.units) as AppContext['units'];
  units.all = () => ctx.units.all().sort((a, b) => a.code.localeCompare(b.code));
  return { ...ctx, units };
}

/** A generator of chunks: exactly `count` dossiers overall, the same ones for the same seed and `now`. */
function chunker(p: Prepared, count: number) {
  const rng = rngFrom(SEED);
  let made = 0;
  let genMs = 0;
  return {
    get genMs() {
      return genMs;
    },
    get remaining() {
      return count - made;
    },
    /** The next chunk, generated in slices of 1,000 with a yield in between (so a pending load progresses). */
    async next(): Promise<GeneratedDossier[]> {
      const want = Math.min(CHUNK, count - made);
      const out: GeneratedDossier[] = [];
      while (out.length < want) {
        const t = performance.now();
        const slice = generateDossiers(p.ctx, {
          count: Math.min(1_000, want - out.length),
          now: NOW,
          days: DAYS,
          rng,
          procedures: p.procedures,
          citizens: p.citizens,
          handlers: p.handlers,
        });
        for (const g of slice) out.push(g);
        genMs += performance.now() - t;
        await yieldToLoop();
      }
      made += out.length;
      return out;
    },
  };
}

interface Totals {
  dossiers: number;
  actions: number;
  components: number;
}

/**
 * Generates and loads `count` dossiers. With `overlap`, chunk k+1 is generated and encoded while chunk k is being
 * written (at most two chunks in memory); without, each chunk is written before the next one is generated.
 */
async function generateAndLoad(
  p: Prepared,
  method: LoadMethod,
  count: number,
  overlap: boolean,
  quiet = false,
) {
  const chunks = chunker(p, count);
  const counters = new Map<string, number>();
  const totals: Totals = { dossiers: 0, actions: 0, components: 0 };
  let prepareMs = 0;
  let writeMs = 0;
  const start = performance.now();
  const progress = () => {
    if (quiet) return;
    const elapsed = performance.now() - start;
    console.log(
      `  ${fmt(totals.dossiers).padStart(9)} / ${fmt(count)} dossiers, ${fmt(totals.actions).padStart(10)} actions` +
        `  ${seconds(elapsed).padStart(6)} s  ${fmt((totals.dossiers / elapsed) * 1000).padStart(6)} dossiers/s` +
        `  (generation ${seconds(chunks.genMs)} s, encoding ${seconds(prepareMs)} s)` +
        `  rss ${bytes(process.memoryUsage().rss)}`,
    );
  };
  const write = async (chunk: PreparedChunk) => {
    const t = performance.now();
    await chunk.write();
    writeMs += performance.now() - t;
    totals.dossiers += chunk.dossiers;
    totals.actions += chunk.actions;
    totals.components += chunk.components;
    progress();
  };
  let pending: Promise<void> | null = null;
  while (chunks.remaining > 0) {
    const batch = await chunks.next();
    const t = performance.now();
    const chunk = await prepareChunk(method, p.database, p.ctx.units, batch, counters);
    prepareMs += performance.now() - t;
    if (pending) await pending;
    pending = write(chunk);
    if (!overlap) {
      await pending;
      pending = null;
    }
  }
  if (pending) await pending;
  const t = performance.now();
  await saveCounters(p.database, counters);
  const countersMs = performance.now() - t;
  return { totals, totalMs: performance.now() - start, prepareMs, writeMs, genMs: chunks.genMs, countersMs };
}

async function tableSizes(database: Database) {
  const { rows } = await database.pool.query<{ name: string; rows: string; total: string; heap: string }>(
    `SELECT c.relname AS name, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS total,
            pg_relation_size(c.oid) AS heap
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6`,
  );
  const db = await database.pool.query<{ size: string }>(
    'SELECT pg_database_size(current_database()) AS size',
  );
  return {
    tables: rows.map((r) => ({
      name: r.name,
      rows: Number(r.rows),
      totalBytes: Number(r.total),
      heapBytes: Number(r.heap),
    })),
    databaseBytes: Number(db.rows[0]!.size),
  };
}

async function compareMethods() {
  console.log(
    `Comparing loaders on ${fmt(COUNT)} dossiers (chunks of ${fmt(CHUNK)}, no overlap: load time only), ` +
      `database ${databaseName(URL_)} recreated for each`,
  );
  const results: Record<string, unknown>[] = [];
  for (const method of LOAD_METHODS) {
    const p = await prepare();
    const r = await generateAndLoad(p, method, COUNT, false, true);
    const rows = r.totals.dossiers + r.totals.actions + r.totals.components;
    const loadMs = r.prepareMs + r.writeMs;
    const line = {
      method,
      loadSeconds: Number((loadMs / 1000).toFixed(2)),
      encodeSeconds: Number((r.prepareMs / 1000).toFixed(2)),
      writeSeconds: Number((r.writeMs / 1000).toFixed(2)),
      dossiersPerSecond: Math.round((r.totals.dossiers / loadMs) * 1000),
      rowsPerSecond: Math.round((rows / loadMs) * 1000),
      ...r.totals,
    };
    results.push(line);
    console.log(
      `  ${method.padEnd(7)} load ${seconds(loadMs).padStart(6)} s (encode ${seconds(r.prepareMs)} s + write ` +
        `${seconds(r.writeMs)} s)  ${fmt(line.dossiersPerSecond).padStart(7)} dossiers/s` +
        `  ${fmt(line.rowsPerSecond).padStart(9)} rows/s  (${fmt(rows)} rows; generation ${seconds(r.genMs)} s)`,
    );
    await p.database.close();
  }
  if (!args['database-url'] && !process.env['BENCH_DATABASE_URL']) {
    const admin = await openDatabase({ url: adminUrl(URL_), poolMax: 1 });
    await admin.pool.query(`DROP DATABASE IF EXISTS ${databaseName(URL_)} WITH (FORCE)`);
    await admin.close();
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}load-methods.json`,
    `${JSON.stringify({ date: new Date().toISOString(), count: COUNT, chunk: CHUNK, results }, null, 2)}\n`,
  );
}

async function main() {
  if (args['compare-methods']) return compareMethods();
  const method = args.method as LoadMethod;
  console.log(
    `Database ${databaseName(URL_)}: ${fmt(COUNT)} dossiers over ${DAYS} days up to ${NOW.toISOString()}, ` +
      `seed ${SEED}, chunks of ${fmt(CHUNK)}, loader "${method}"`,
  );
  const p = await prepare();
  console.log(
    `  setup (create database, migrate, seed units/people/${p.procedures.length} procedures): ${seconds(p.setupMs)} s`,
  );
  const r = await generateAndLoad(p, method, COUNT, true);
  const t = performance.now();
  await p.database.pool.query('VACUUM (ANALYZE) dossiers, dossier_actions, dossier_components');
  await p.database.pool.query('ANALYZE');
  const vacuumMs = performance.now() - t;
  const sizes = await tableSizes(p.database);
  const rows = r.totals.dossiers + r.totals.actions + r.totals.components;
  const summary = {
    date: new Date().toISOString(),
    database: databaseName(URL_),
    now: NOW.toISOString(),
    seed: SEED,
    days: DAYS,
    chunk: CHUNK,
    method,
    ...r.totals,
    actionsPerDossier: Number((r.totals.actions / r.totals.dossiers).toFixed(2)),
    loadSeconds: Number((r.totalMs / 1000).toFixed(1)),
    generationSeconds: Number((r.genMs / 1000).toFixed(1)),
    encodingSeconds: Number((r.prepareMs / 1000).toFixed(1)),
    writeSeconds: Number((r.writeMs / 1000).toFixed(1)),
    countersSeconds: Number((r.countersMs / 1000).toFixed(1)),
    vacuumAnalyzeSeconds: Number((vacuumMs / 1000).toFixed(1)),
    dossiersPerSecond: Math.round((r.totals.dossiers / r.totalMs) * 1000),
    rowsPerSecond: Math.round((rows / r.totalMs) * 1000),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...sizes,
  };
  console.log('');
  console.log(
    `Loaded ${fmt(r.totals.dossiers)} dossiers, ${fmt(r.totals.actions)} actions ` +
      `(${summary.actionsPerDossier} per dossier), ${fmt(r.totals.components)} components in ${seconds(r.totalMs)} s`,
  );
  console.log(
    `  ${fmt(summary.dossiersPerSecond)} dossiers/s, ${fmt(summary.rowsPerSecond)} rows/s ` +
      `(generation ${seconds(r.genMs)} s + encoding ${seconds(r.prepareMs)} s on the main thread, ` +
      `overlapped with the writes: ${seconds(r.writeMs)} s; ` +
      `counters ${seconds(r.countersMs)} s); VACUUM (ANALYZE) ${seconds(vacuumMs)} s; peak RSS ${bytes(summary.peakRssBytes)}`,
  );
  console.log('');
  console.log('| table | rows (estimate) | heap | total with indexes and TOAST |');
  console.log('|---|--:|--:|--:|');
  for (const x of sizes.tables) {
    console.log(`| ${x.name} | ${fmt(x.rows)} | ${bytes(x.heapBytes)} | ${bytes(x.totalBytes)} |`);
  }
  console.log(`| *database* | | | ${bytes(sizes.databaseBytes)} |`);
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}load-${summary.database}.json`;
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nsummary → ${file}`);
  await p.database.close();
}

await main();
