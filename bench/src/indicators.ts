/**
 * Indicators at scale (issue 6): the cost of the aggregates of migration 0012 and of the dashboard API.
 *
 *   npx tsx bench/src/indicators.ts [--database-url URL] [--duration 15] [--warmup 3] [--connections 16] [--scale 10]
 *
 * Against the database bench/src/generate-dossiers.ts builds (default tinhso_bench, 1,000,000 dossiers):
 *   1. applies pending migrations (0012 builds the facts and the half-month sums of every dossier, 0017 the day
 *      sums: timed), then
 *      times `rebuild_indicators()` again on its own — the cost of rebuilding everything from scratch;
 *   2. the write cost: `dossier_facts_refresh(id)` (what the deferred trigger runs at each commit) on 2,000
 *      dossiers, and the delay from an action over HTTP to the indicator that shows it;
 *   3. the dashboard API with autocannon as the province leader: summary (province, year), summary with a custom
 *      range (partial half-months read from the day sums), a commune's reporting month, the commune ranking
 *      (two periods, every unit), the trend, the at-risk list;
 *   4. with --scale N (N > 1): adds (N − 1) copies of every fact, each shifted back by whole years, so that the
 *      fact table holds N × the dossiers (e.g. 10,000,000) with the same distributions; rebuilds the sums from the
 *      facts (timed) and measures step 3 again. The copies have no dossier row (the foreign key is dropped for the
 *      run and restored afterwards, with the copies deleted): they feed the aggregates only, which is all the
 *      dashboard reads. Drill-down to dossiers is measured at 1× only.
 * Writes bench/out/indicators.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@tinhso/db';
import type pg from 'pg';
import { DEFAULT_DATABASE_URL, fmt, percentile, seconds, timed } from './common.js';
import { loginOfficer, type Measured, measureGet, startServer, stopServer } from './http.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? DEFAULT_DATABASE_URL },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    scale: { type: 'string', default: '1' },
    'skip-rebuild': { type: 'boolean', default: false },
  },
});
const URL_ = args['database-url'];
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const SCALE = Number(args.scale);
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));

async function sizes(pool: pg.Pool) {
  const { rows } = await pool.query<{
    facts: string;
    halves: string;
    days: string;
    facts_bytes: string;
    halves_bytes: string;
    days_bytes: string;
  }>(`
    SELECT (SELECT count(*) FROM dossier_facts) AS facts, (SELECT count(*) FROM indicator_halves) AS halves,
           (SELECT count(*) FROM indicator_days) AS days,
           pg_total_relation_size('dossier_facts') AS facts_bytes, pg_total_relation_size('indicator_halves') AS halves_bytes,
           pg_total_relation_size('indicator_days') AS days_bytes`);
  const r = rows[0]!;
  return {
    facts: Number(r.facts),
    halves: Number(r.halves),
    days: Number(r.days),
    factsMiB: Number(r.facts_bytes) / 2 ** 20,
    halvesMiB: Number(r.halves_bytes) / 2 ** 20,
    daysMiB: Number(r.days_bytes) / 2 ** 20,
  };
}

async function dashboard(port: number, cookie: string, commune: string, year: string) {
  const scenarios = [
    { name: 'summary province, year', path: `/api/indicators?unit=H41&period=${year}` },
    {
      name: 'summary province, custom range',
      path: `/api/indicators?unit=H41&period=${year}-02-10..${year}-10-20`,
    },
    {
      name: 'summary commune, reporting month',
      path: `/api/indicators?unit=${commune}&period=${year}-11&kind=report_month`,
    },
    { name: 'ranking communes, year', path: `/api/indicators/ranking?level=commune&period=${year}` },
    { name: 'trend province, year by month', path: `/api/indicators/trend?unit=H41&period=${year}&by=month` },
    { name: 'at-risk province', path: '/api/indicators/at-risk?unit=H41&limit=50' },
  ];
  const out: (Measured & { name: string; path: string })[] = [];
  for (const s of scenarios) {
    process.stdout.write(`  ${s.name}: `);
    await measureGet(port, cookie, s.path, WARMUP, CONNECTIONS);
    const r = await measureGet(port, cookie, s.path, DURATION, CONNECTIONS);
    out.push({ name: s.name, path: s.path, ...r });
    console.log(
      `${fmt(r.perSecond)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
        `errors ${r.errors}, non-2xx ${r.non2xx}`,
    );
  }
  return out;
}

async function main() {
  const database = await openDatabase({ url: URL_, poolMax: 2 });
  const pool = database.pool;
  const [applied, migrateMs] = await timed(null, () => migrate(pool));
  if (applied.length > 0) console.log(`migrations applied: ${applied.join(', ')} in ${seconds(migrateMs)}`);
  const dossiers = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM dossiers')).rows[0]!.n);
  const [, rebuildMs] = args['skip-rebuild']
    ? [null, Number.NaN]
    : await timed(null, () => pool.query('SELECT rebuild_indicators()'));
  // As autovacuum would have done on a live system: statistics, and the visibility map that lets the overdue count
  // read its index alone.
  await pool.query('VACUUM (ANALYZE) dossier_facts');
  await pool.query('VACUUM (ANALYZE) indicator_halves, indicator_days');
  const size1 = await sizes(pool);
  console.log(
    `${fmt(dossiers)} dossiers → ${fmt(size1.facts)} facts (${size1.factsMiB.toFixed(0)} MiB), ` +
      `${fmt(size1.halves)} half-month sums (${size1.halvesMiB.toFixed(1)} MiB), ${fmt(size1.days)} day sums ` +
      `(${size1.daysMiB.toFixed(1)} MiB); rebuild from scratch ${Number.isNaN(rebuildMs) ? 'skipped' : seconds(rebuildMs)}`,
  );

  // The write cost: the refresh the deferred trigger runs at commit, on random dossiers.
  const { rows: sample } = await pool.query<{ id: string }>(
    'SELECT id FROM dossiers WHERE received_at IS NOT NULL ORDER BY random() LIMIT 2000',
  );
  const refresh: number[] = [];
  for (const { id } of sample) {
    const t = performance.now();
    await pool.query('SELECT dossier_facts_refresh($1)', [id]);
    refresh.push(performance.now() - t);
  }
  const refreshSorted = Float64Array.from(refresh).sort();
  console.log(
    `refresh of one dossier's facts: p50 ${percentile(refreshSorted, 50).toFixed(2)} ms, ` +
      `p95 ${percentile(refreshSorted, 95).toFixed(2)} ms (${refresh.length} dossiers)`,
  );

  const { rows: busiest } = await pool.query<{ code: string; n: string }>(`
    SELECT u.code, count(*) AS n FROM dossier_facts f JOIN units u ON u.id = f.unit_id
    WHERE u.level = 'commune' GROUP BY u.code ORDER BY n DESC LIMIT 1`);
  const commune = busiest[0]!.code;
  const { rows: yr } = await pool.query<{ y: string }>(
    "SELECT to_char(max(received_on), 'YYYY') AS y FROM dossier_facts",
  );
  const year = yr[0]!.y;

  const server = await startServer(URL_);
  const base = `http://127.0.0.1:${server.port}`;
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memory: os.totalmem(),
      node: process.version,
    },
    database: URL_.replace(/\/\/[^@]*@/, '//'),
    dossiers,
    migrationMs: applied.length > 0 ? migrateMs : null,
    rebuildMs,
    sizes: size1,
    refreshMs: { p50: percentile(refreshSorted, 50), p95: percentile(refreshSorted, 95) },
    commune,
    year,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
  };
  try {
    const leader = await loginOfficer(base, 'lanhdao');
    const head = await loginOfficer(base, `chutich.${commune.split('.').slice(1).join('')}`);
    const reception = await loginOfficer(base, `tiepnhan.${commune.split('.').slice(1).join('')}`);

    // Freshness: register and accept a dossier, then read the commune's indicators once.
    const month = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    const read = async () => {
      const r = await fetch(`${base}/api/indicators?unit=${commune}&period=${month}`, {
        headers: { cookie: head.cookie },
      });
      return ((await r.json()) as { counts: { received: number } }).counts.received;
    };
    const before = await read();
    const write = async (path: string, body: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          cookie: reception.cookie,
          'x-csrf-token': reception.csrf,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ code: string; version: number }>;
    };
    const t0 = performance.now();
    await write('/api/dossiers', {
      procedureCode: '1.013225',
      channel: 'counter',
      competentUnit: commune,
      applicant: { name: 'Trần Thị Đo Lường', idNumber: '040090009999' },
      outcome: { type: 'accept' },
    });
    const acted = performance.now();
    let seen = await read();
    while (seen === before && performance.now() - acted < 10_000) seen = await read();
    const shown = performance.now();
    const freshness = { actionMs: acted - t0, visibleAfterMs: shown - acted, delta: seen - before };
    console.log(
      `action → indicator: the action took ${freshness.actionMs.toFixed(0)} ms; the next read ` +
        `${freshness.visibleAfterMs.toFixed(0)} ms later already showed it (received ${before} → ${seen})`,
    );
    result['freshness'] = freshness;

    const drill = await measureGet(
      server.port,
      leader.cookie,
      `/api/indicators/dossiers?unit=H41&period=${year}&formula=TDGQ.timely&limit=20`,
      DURATION,
      CONNECTIONS,
    );
    console.log(
      `  drill-down TDGQ.timely (1×): p50 ${drill.p50.toFixed(1)} ms, p95 ${drill.p95.toFixed(1)} ms`,
    );
    result['drill'] = drill;
    console.log(`dashboard API at ${fmt(size1.facts)} facts:`);
    result['at1x'] = await dashboard(server.port, leader.cookie, commune, year);

    if (SCALE > 1) {
      await pool.query('ALTER TABLE dossier_facts DROP CONSTRAINT IF EXISTS dossier_facts_dossier_id_fkey');
      const [, copyMs] = await timed(null, async () => {
        await pool.query('ALTER TABLE dossier_facts DISABLE TRIGGER dossier_facts_aggregate');
        for (let k = 1; k < SCALE; k++) {
          await pool.query(
            `INSERT INTO dossier_facts
             SELECT gen_random_uuid(), unit_id, receiving_unit_id, procedure_id,
                    (received_on - make_interval(years => $1))::date,
                    half_month_start((received_on - make_interval(years => $1))::date), channel,
                    -- A dossier received years ago is no longer running: decided on time.
                    CASE WHEN outcome = 'running' THEN 'on_time' ELSE outcome END,
                    due_at - make_interval(years => $1),
                    CASE WHEN outcome = 'running' THEN NULL ELSE paused_from - make_interval(years => $1) END,
                    (coalesce(finished_on, received_on) - make_interval(years => $1))::date, work_days, digitized, reused,
                    electronic_result, fee_charging, paid_online, synced, rating
             FROM dossier_facts WHERE received_on >= $2::date`,
            [k, `${Number(year) - 1}-12-01`],
          );
          process.stdout.write(`  copy ${k}/${SCALE - 1}\r`);
        }
        await pool.query('ALTER TABLE dossier_facts ENABLE TRIGGER dossier_facts_aggregate');
      });
      const [, sumsMs] = await timed(null, async () => {
        await pool.query('SELECT rebuild_indicator_sums()');
        await pool.query('VACUUM (ANALYZE) dossier_facts');
        await pool.query('VACUUM (ANALYZE) indicator_halves, indicator_days');
      });
      const sizeN = await sizes(pool);
      console.log(
        `\n${fmt(sizeN.facts)} facts (${sizeN.factsMiB.toFixed(0)} MiB) after ${seconds(copyMs)}; half-month sums ` +
          `and day sums rebuilt from the facts in ${seconds(sumsMs)}: ${fmt(sizeN.halves)} + ${fmt(sizeN.days)} rows ` +
          `(${sizeN.halvesMiB.toFixed(1)} + ${sizeN.daysMiB.toFixed(1)} MiB)`,
      );
      console.log(`dashboard API at ${fmt(sizeN.facts)} facts:`);
      result['scaled'] = {
        scale: SCALE,
        sizes: sizeN,
        copyMs,
        sumsFromFactsMs: sumsMs,
        results: await dashboard(server.port, leader.cookie, commune, year),
      };
    }
  } finally {
    await stopServer(server);
    if (SCALE > 1) {
      console.log('restoring: rebuild from the dossiers, foreign key back');
      await pool.query('SELECT rebuild_indicators()');
      await pool.query(
        'ALTER TABLE dossier_facts ADD CONSTRAINT dossier_facts_dossier_id_fkey FOREIGN KEY (dossier_id) REFERENCES dossiers(id) ON DELETE CASCADE',
      );
    }
    await database.close();
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}indicators.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${RESULTS}indicators.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
