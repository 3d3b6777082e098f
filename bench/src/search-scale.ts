/**
 * Procedure search (the SQL path of Catalogue.search) against catalogues of growing size:
 *
 *   npx tsx bench/src/search-scale.ts [--database-url postgres://postgres@127.0.0.1:5432/tinhso_bench_search]
 *       [--copies 1,10,30] [--iterations 2000]
 *
 * The demo catalogue has 58 procedures; a province publishes about 1,500–2,000. This script loads the demo
 * catalogue through Catalogue.save into a scratch database (dropped at the end), then adds synthetic variants
 * (the same names and fields, numbered codes: same text lengths, so the same per-row cost) up to `copies` × 58 rows,
 * ANALYZEs, and times `new Catalogue(db).search(…)` (a fresh instance per call: no result cache) one call at a time
 * over the 33 benchmark queries. Prints p50/p99 and the plan PostgreSQL picks.
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
  console.log('\n| procedures | p50 ms | p99 ms | searches/s (1 at a time) | plan |');
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
    const run = (i: number) =>
      new Catalogue(database).search({ q: SEARCH_QUERIES[i % SEARCH_QUERIES.length], limit: 20, offset: 0 });
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
    const q = 'dang ki ket hon';
    const { rows: plan } = await database.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT code FROM procedures WHERE active AND (search_text LIKE $1 OR $2 <% search_text OR code LIKE $3)`,
      [`%${q}%`, q, `${q}%`],
    );
    const scan = plan.map((r) => r['QUERY PLAN']).find((l) => /Scan/.test(l)) ?? '';
    console.log(
      `| ${fmt(Number(count[0]!.n))} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ` +
        `${fmt(ITERATIONS / seconds)} | ${scan.trim().replace(/\s+\(cost.*$/, '')} |`,
    );
  }
} finally {
  await database.close();
  const admin = await openDatabase({ url: adminUrl(URL_), poolMax: 1 });
  await admin.pool.query(`DROP DATABASE IF EXISTS ${databaseName(URL_)} WITH (FORCE)`);
  await admin.close();
}
