/**
 * Procedure search (the SQL path of Catalogue.search) against catalogues of growing size:
 *
 *   npx tsx bench/src/search-scale.ts [--database-url postgres://postgres@127.0.0.1:5432/tinhso_bench_search]
 *       [--copies 1,10,30] [--iterations 2000]
 *
 * The demo catalogue has 58 procedures; a province publishes about 1,500–2,000. This script loads the demo
 * catalogue through Catalogue.save into a scratch database (dropped at the end), then adds synthetic variants
 * (the same names and fields, numbered codes: same text lengths, so the same per-row cost) up to `copies` × 58 rows,
 * ANALYZEs, and times `Catalogue.search(…)` one call at a time over the 33 benchmark queries, after the first call
 * has built the in-memory index (its build time is printed too). Prints p50/p99.
 */
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@tinhso/db';
import { buildContext } from '@tinhso/server';
import { loadConfig } from '@tinhso/server/config';
import { seedCatalogue } from '@tinhso/server/demo/seed';
import { Catalogue } from '@tinhso/server/services/catalogue';
import { adminUrl, databaseName, fmt, percentile, recreateDatabase, SEARCH_QUERIES } from './common.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/tinhso_bench_search' },
    copies: { type: 'string', default: '1,10,30' },
    iterations: { type: 'string', default: '2000' },
  },
});
const URL_ = args['database-url'];
const ITERATIONS = Number(args.iterations);
const COPIES = args.copies.split(',').map(Number);

await recreateDatabase(URL_);
const database = await openDatabase({ url: URL_, poolMax: 2 });
try {
  await migrate(database.pool);
  const ctx = await buildContext(loadConfig({ DATABASE_URL: URL_, LOG_LEVEL: 'silent' }), database);
  const base = await seedCatalogue(ctx);
  console.log(
    `${databaseName(URL_)}: demo catalogue of ${base} procedures; ${fmt(ITERATIONS)} searches per size`,
  );
  console.log('\n| procedures | p50 ms | p99 ms | searches/s (1 at a time) | how |');
  console.log('|--:|--:|--:|--:|---|');
  let copies = 1;
  for (const target of COPIES) {
    if (target > copies) {
      await database.pool.query(
        `INSERT INTO procedures (code, current_version, name, field, level, online_level, search_text)
         SELECT p.code || '.' || g, 1, p.name, p.field, p.level, p.online_level, p.search_text || ' ' || g
           FROM procedures p, generate_series($1::int, $2::int - 1) g
          WHERE p.code NOT LIKE '%.%.%'`,
        [copies, target],
      );
      copies = target;
    }
    await database.pool.query('ANALYZE procedures');
    const { rows: count } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM procedures');
    // One catalogue per size: the first search builds its in-memory index (timed separately), later ones use it.
    const catalogue = new Catalogue(database);
    const t0 = performance.now();
    await catalogue.search({ q: 'khai sinh', limit: 1, offset: 0 });
    const buildMs = performance.now() - t0;
    const run = (i: number) =>
      catalogue.search({ q: SEARCH_QUERIES[i % SEARCH_QUERIES.length], limit: 20, offset: 0 });
    for (let i = 0; i < Math.min(200, ITERATIONS); i++) await run(i);
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < ITERATIONS; i++) {
      const t = performance.now();
      await run(i);
      samples.push(performance.now() - t);
    }
    const seconds = (performance.now() - start) / 1000;
    const sorted = Float64Array.from(samples).sort();
    console.log(
      `| ${fmt(Number(count[0]!.n))} | ${percentile(sorted, 50).toFixed(3)} | ${percentile(sorted, 99).toFixed(3)} | ` +
        `${fmt(ITERATIONS / seconds)} | in-memory index, built in ${buildMs.toFixed(1)} ms |`,
    );
  }
} finally {
  await database.close();
  const admin = await openDatabase({ url: adminUrl(URL_), poolMax: 1 });
  await admin.pool.query(`DROP DATABASE IF EXISTS ${databaseName(URL_)} WITH (FORCE)`);
  await admin.close();
}
