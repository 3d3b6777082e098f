/**
 * Grows the benchmark database into earlier years, up to N dossier rows (issue 6: the dashboard at 10,000,000
 * dossiers):
 *
 *   npx tsx bench/src/grow-history.ts [--from-url URL] [--database-url URL] [--total 10000000]
 *
 * generate-dossiers.ts builds one year of dossiers with their action logs (~9 GiB per million). Ten years of them
 * would not fit on the benchmark machine's disk, and the action logs are not what the dashboard reads. This script
 * copies the generated database (default tinhso_bench → tinhso_bench10m; the target name must contain "bench",
 * and is replaced) and adds, for k = 1, 2, …, a copy of every refused, finished, returned, withdrawn or stopped dossier of
 * the generated year, moved back k calendar years, until the dossiers table holds --total rows:
 *   - the dossier row: new id, its code re-dated (agency-YYMMDD-seq with the moved day), every timestamp column
 *     and every instant inside the derived state (steps, pauses, due dates) moved by the same k years;
 *   - what the indicators read about it: its components, payments and rating (moved the same way);
 *   - not its action log (the dossier page of such a copy shows no history) and no audit entries.
 * Running dossiers are not copied (a dossier received years ago is not still running). Then it recounts the queue
 * counts, rebuilds every indicator aggregate from the dossiers with `rebuild_indicators()` (timed: the cost of a
 * rebuild from scratch at this size), and runs VACUUM (ANALYZE). Triggers and foreign-key checks are off during the
 * copy (session_replication_role = replica); the secondary indexes of `dossiers` and the primary key of
 * `dossier_components` are dropped and built again afterwards (timed). Writes bench/out/grow-history.json.
 *
 * Then: `npx tsx bench/src/indicators.ts --database-url postgres://postgres@127.0.0.1:5432/tinhso_bench10m
 * --skip-rebuild` measures the dashboard on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminUrl, bytes, DEFAULT_DATABASE_URL, databaseName, fmt, seconds, timed } from './common.js';

const { values: args } = parseArgs({
  options: {
    'from-url': { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? DEFAULT_DATABASE_URL },
    'database-url': { type: 'string' },
    total: { type: 'string', default: '10000000' },
    'resume-at': { type: 'string' },
  },
});
const FROM = args['from-url'];
const URL_ = args['database-url'] ?? FROM.replace(/\/[^/]+$/, `/${databaseName(FROM)}10m`);
const TOTAL = Number(args.total);
/** Continue an interrupted run at this copy (the copies before it committed; each copy's INSERT is atomic). */
const RESUME_AT = args['resume-at'] === undefined ? null : Number(args['resume-at']);
const RESULTS = fileURLToPath(new URL('../out/', import.meta.url));
if (!Number.isSafeInteger(TOTAL) || TOTAL <= 0) throw new Error('--total: a positive integer');
if (!databaseName(URL_).includes('bench')) throw new Error('the target database name must contain "bench"');
if (databaseName(URL_) === databaseName(FROM)) throw new Error('--database-url must differ from --from-url');

const TERMINAL = '(3, 7, 8, 9, 10)';
async function connect(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // Instants in the state are UTC strings: moving the columns in UTC moves them by the same calendar years.
  await c.query("SET TimeZone = 'UTC'");
  return c;
}

/** The columns a copy can write (generated columns are computed again). */
async function columns(c: pg.Client, table: string): Promise<string[]> {
  const { rows } = await c.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** `expr` with every timestamptz column moved back `k` years (the parameter $1). */
function moved(column: string, timestamps: Set<string>): string {
  return timestamps.has(column) ? `${column} - make_interval(years => $1::int)` : column;
}

async function timestampColumns(c: pg.Client, table: string): Promise<Set<string>> {
  const { rows } = await c.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'timestamp with time zone'`,
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/** The id of copy k of a row: a hash of the row's id and k (the same for the dossier and what points to it). */
const cloneId = (column: string) => `md5(${column}::text || ':' || $1::int)::uuid`;

/**
 * The derived state moved back k years: every ISO instant ("2026-04-24T…") in the JSON text. A single regular
 * expression cannot subtract, so the years present are replaced one by one, oldest first: each replacement yields
 * a year older than every year still to be replaced, so none is moved twice.
 */
function movedState(years: number[], k: number): string {
  let expr = 'state::text';
  for (const y of [...years].sort((a, b) => a - b)) {
    expr = `regexp_replace(${expr}, '"${y}-(\\d\\d-\\d\\dT)', '"${y - k}-\\1', 'g')`;
  }
  return `(${expr})::jsonb`;
}

async function main() {
  const result: Record<string, unknown> = {
    from: databaseName(FROM),
    database: databaseName(URL_),
    total: TOTAL,
  };
  const admin = new pg.Client({ connectionString: adminUrl(FROM) });
  await admin.connect();
  if (RESUME_AT === null) {
    console.log(`copying ${databaseName(FROM)} → ${databaseName(URL_)}`);
    await timed('copy of the database (file copy)', async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName(URL_)} WITH (FORCE)`);
      await admin.query(
        `CREATE DATABASE ${databaseName(URL_)} TEMPLATE ${databaseName(FROM)} STRATEGY FILE_COPY`,
      );
    });
  } else {
    console.log(`resuming ${databaseName(URL_)} at copy ${RESUME_AT}`);
  }
  await admin.end();
  const source = await connect(FROM);
  // The pages the generated rows occupy, per copied table (the copies are appended after them).
  const pages: Record<string, number> = {};
  for (const t of ['dossiers', 'dossier_components', 'payments', 'dossier_ratings']) {
    const { rows } = await source.query<{ n: string }>(
      `SELECT pg_relation_size('${t}') / current_setting('block_size')::int AS n`,
    );
    pages[t] = Number(rows[0]!.n);
  }
  // The definitions of what is dropped for the copy, from the source (the same schema, never dropped there).
  const { rows: indexes } = await source.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = 'dossiers'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
  );
  const { rows: componentKey } = await source.query<{ def: string }>(
    "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'dossier_components_pkey'",
  );

  const c = await connect(URL_);
  const other = await connect(URL_);
  try {
    for (const table of ['documents', 'dossier_files']) {
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      if (Number(rows[0]!.n) > 0) throw new Error(`${table} has rows: this script does not copy them`);
    }
    const { rows: counts } = await source.query<{ all: string; terminal: string }>(
      `SELECT count(*) AS all, count(*) FILTER (WHERE status IN ${TERMINAL}) AS terminal FROM dossiers`,
    );
    const base = Number(counts[0]!.all);
    const terminal = Number(counts[0]!.terminal);
    if (base >= TOTAL) throw new Error(`the database already holds ${fmt(base)} dossiers`);
    const copies: { k: number; n: number }[] = [];
    for (let k = 1, have = base; have < TOTAL; k++) {
      const n = Math.min(terminal, TOTAL - have);
      copies.push({ k, n });
      have += n;
    }
    console.log(
      `${fmt(base)} dossiers, ${fmt(terminal)} of them finished or stopped; ${copies.length} copies to reach ` +
        `${fmt(TOTAL)}`,
    );
    const { rows: yearRows } = await source.query<{ y: string }>(
      `SELECT DISTINCT y FROM (SELECT (regexp_matches(state::text, '"(\\d{4})-\\d\\d-\\d\\dT', 'g'))[1] AS y
         FROM dossiers WHERE status IN ${TERMINAL}) s`,
    );
    const years = yearRows.map((r) => Number(r.y));
    console.log(`years of the instants in the states: ${years.sort().join(', ')}`);

    if (RESUME_AT === null) {
      await c.query(
        `CREATE UNLOGGED TABLE bench_history_base AS
         SELECT id, row_number() OVER (ORDER BY id) AS ord FROM dossiers WHERE status IN ${TERMINAL}`,
      );
      await c.query('ALTER TABLE bench_history_base ADD PRIMARY KEY (id)');
      await c.query('ANALYZE bench_history_base');
      // Secondary indexes of dossiers: dropped for the copy, built again after (a bulk load's usual order). The
      // components' primary key too: ~6 rows per dossier under random ids, built by one sort afterwards.
      for (const i of indexes) await c.query(`DROP INDEX ${i.indexname}`);
      await c.query('ALTER TABLE dossier_components DROP CONSTRAINT dossier_components_pkey');
    }

    const dossierCols = await columns(c, 'dossiers');
    const dossierTs = await timestampColumns(c, 'dossiers');
    const dossierSelect = dossierCols.map((col) => {
      if (col === 'id') return cloneId('d.id');
      if (col === 'code')
        return `regexp_replace(d.code, '-\\d{6}-', '-' || to_char(to_date(substring(d.code from '-(\\d{6})-'), 'YYMMDD') - make_interval(years => $1::int), 'YYMMDD') || '-')`;
      if (col === 'idempotency_key') return `d.idempotency_key || ':h' || $1::int`;
      if (col === 'state') return 'STATE';
      return `d.${moved(col, dossierTs)}`;
    });
    const related = [
      { table: 'dossier_components', fix: {} as Record<string, string> },
      { table: 'payments', fix: { id: cloneId('t.id'), txn_ref: `t.txn_ref || '-h' || $1::int` } },
      { table: 'dossier_ratings', fix: {} },
    ];
    const relatedSql: { table: string; sql: string }[] = [];
    for (const r of related) {
      const cols = await columns(c, r.table);
      const ts = await timestampColumns(c, r.table);
      const select = cols.map((col) =>
        col === 'dossier_id' ? cloneId('t.dossier_id') : (r.fix[col] ?? `t.${moved(col, ts)}`),
      );
      relatedSql.push({
        table: r.table,
        sql: `INSERT INTO ${r.table} (${cols.join(', ')})
              SELECT ${select.join(', ')} FROM ${r.table} t JOIN bench_history_base b ON b.id = t.dossier_id
              WHERE b.ord <= $2 AND t.ctid < '(${pages[r.table]},0)'::tid`,
      });
    }

    // Each copy reads only the pages the generated rows occupy (a TID range: the copies are appended after them)
    // and joins them with the base ids hashed in memory (with the default 4 MB of work_mem the join spilled both
    // sides to disk: ~8 GB of temporary files by the fifth copy).
    for (const s of [c, other]) {
      await s.query("SET session_replication_role = 'replica'");
      await s.query("SET work_mem = '256MB'");
    }
    console.log('copies (dossiers on one connection, what they hold on another):');
    const perCopy: unknown[] = [];
    const [, copyMs] = await timed('all copies', async () => {
      for (const { k, n } of copies.filter((x) => x.k >= (RESUME_AT ?? 1))) {
        const t = performance.now();
        // Both halves of a copy commit together, after both ran: an interrupted copy leaves neither (resuming at
        // it is then exact). Only a crash between the two COMMITs below would leave one half.
        for (const s of [c, other]) await s.query('BEGIN');
        const dossiers = c.query(
          `INSERT INTO dossiers (${dossierCols.join(', ')})
           SELECT ${dossierSelect.join(', ').replace('STATE', movedState(years, k))}
           FROM dossiers d JOIN bench_history_base b ON b.id = d.id
           WHERE b.ord <= $2 AND d.ctid < '(${pages['dossiers']},0)'::tid`,
          [k, n],
        );
        const rest = (async () => {
          const rows: Record<string, number> = {};
          for (const r of relatedSql) rows[r.table] = (await other.query(r.sql, [k, n])).rowCount ?? 0;
          return rows;
        })();
        const [d, rows] = await Promise.all([dossiers, rest]).catch(async (e) => {
          for (const s of [c, other]) await s.query('ROLLBACK').catch(() => {});
          throw e;
        });
        for (const s of [c, other]) await s.query('COMMIT');
        const ms = performance.now() - t;
        perCopy.push({ k, dossiers: d.rowCount, ...rows, ms });
        console.log(
          `    copy ${k}: ${fmt(d.rowCount ?? 0)} dossiers, ${fmt(rows['dossier_components'] ?? 0)} components, ` +
            `${fmt(rows['payments'] ?? 0)} payments, ${fmt(rows['dossier_ratings'] ?? 0)} ratings in ${seconds(ms)}`,
        );
      }
    });
    for (const s of [c, other]) await s.query("SET session_replication_role = 'origin'");
    result['copies'] = perCopy;
    result['copyMs'] = copyMs;
    await c.query('DROP TABLE bench_history_base');

    await c.query("SET maintenance_work_mem = '1GB'");
    const [, indexMs] = await timed(
      `secondary indexes of dossiers (${indexes.length}) and the components' key built again`,
      async () => {
        for (const i of indexes) await c.query(i.indexdef);
        await c.query(
          `ALTER TABLE dossier_components ADD CONSTRAINT dossier_components_pkey ${componentKey[0]!.def}`,
        );
      },
    );
    result['indexMs'] = indexMs;
    const [, countsMs] = await timed('queue counts recounted', async () => {
      await c.query('BEGIN');
      await c.query('DELETE FROM dossier_queue_counts');
      await c.query(
        `INSERT INTO dossier_queue_counts
         SELECT current_unit_id, receiving_unit_id, competent_unit_id, status, coalesce(current_step_role, ''),
                dossier_returned_on(status, returned_at), count(*)
         FROM dossiers GROUP BY 1, 2, 3, 4, 5, 6`,
      );
      await c.query('COMMIT');
    });
    result['queueCountsMs'] = countsMs;
    await timed('VACUUM (ANALYZE) of the copied tables', async () => {
      for (const t of [
        'dossiers',
        'dossier_components',
        'payments',
        'dossier_ratings',
        'dossier_queue_counts',
      ]) {
        await c.query(`VACUUM (ANALYZE) ${t}`);
      }
    });
    const [facts, rebuildMs] = await timed('rebuild_indicators() from the dossiers', async () => {
      const { rows } = await c.query<{ n: string }>('SELECT rebuild_indicators() AS n');
      return Number(rows[0]!.n);
    });
    result['rebuild'] = { facts, ms: rebuildMs };
    await timed('VACUUM (ANALYZE) of the facts and sums', async () => {
      for (const t of ['dossier_facts', 'indicator_halves', 'indicator_days'])
        await c.query(`VACUUM (ANALYZE) ${t}`);
    });

    const { rows: sizes } = await c.query<{ relname: string; rows: string; bytes: string }>(
      `SELECT c.relname, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
       WHERE c.relname IN ('dossiers', 'dossier_actions', 'dossier_components', 'payments', 'dossier_ratings',
                           'dossier_facts', 'indicator_halves', 'indicator_days')
       UNION ALL SELECT 'database', NULL, pg_database_size(current_database())`,
    );
    for (const s of sizes) {
      console.log(
        `  ${s.relname.padEnd(20)} ${s.rows === null ? '' : fmt(Number(s.rows)).padStart(12)}  ${bytes(Number(s.bytes))}`,
      );
    }
    result['sizes'] = sizes.map((s) => ({
      table: s.relname,
      rows: s.rows && Number(s.rows),
      bytes: Number(s.bytes),
    }));
    const { rows: total } = await c.query<{ n: string }>('SELECT count(*) AS n FROM dossiers');
    console.log(`${fmt(Number(total[0]!.n))} dossiers, ${fmt(facts)} facts`);
    result['dossiers'] = Number(total[0]!.n);
  } finally {
    await c.end();
    await other.end();
    await source.end();
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}grow-history.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${RESULTS}grow-history.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
