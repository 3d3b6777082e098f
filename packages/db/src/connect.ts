import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.js';
import type { DB } from './schema.js';

// Same parsing on both engines: DATE stays 'YYYY-MM-DD' (never a local-midnight Date), int8 becomes a number.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** The embedded instance (PGlite only), e.g. for `dumpDataDir()`. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection string. When absent, the embedded PGlite database in `dataDir` is used. */
  url?: string | undefined;
  /** PGlite data directory (created if missing); `memory://` for an in-memory database. */
  dataDir?: string;
  poolMax?: number;
  /**
   * PostgreSQL only: `max_parallel_workers_per_gather` of the pool's sessions. Request queries are small; on a
   * database server with few cores, starting parallel workers cost ~45 ms where the work took 2 ms, and under
   * concurrency the workers take the cores other requests need (docs/benchmarks.md, "Indicators"). Unset: the server's
   * setting. Sent as a startup option, added to PGOPTIONS or to the URL's own `options`.
   */
  parallelWorkers?: number | undefined;
  /**
   * PostgreSQL only: `jit` of the pool's sessions. Request queries run in milliseconds, but the planner's estimate
   * for some of them passes `jit_above_cost` (the officers' due-soon/overdue counts: estimated 40,000 rows, read
   * 1,100), and compiling took 20–70 ms where the work took 4 ms (docs/benchmarks.md, "Load scenarios"). Unset: the
   * server's setting. Sent like `parallelWorkers`.
   */
  jit?: boolean | undefined;
  /** PGlite only: start from this `dumpDataDir()` tarball; `dataDir` must not hold a database yet. */
  loadDataDir?: Blob;
}

/**
 * The connection settings with the sessions' settings (`max_parallel_workers_per_gather`, `jit`) added to the options
 * the URL or PGOPTIONS give: a later `-c` of the same name wins, so these override PGOPTIONS.
 */
export function withSessionSettings(url: string, opts: Pick<OpenOptions, 'parallelWorkers' | 'jit'>) {
  const settings: string[] = [];
  if (opts.parallelWorkers !== undefined && opts.parallelWorkers >= 0)
    settings.push(`-c max_parallel_workers_per_gather=${Math.trunc(opts.parallelWorkers)}`);
  if (opts.jit !== undefined) settings.push(`-c jit=${opts.jit ? 'on' : 'off'}`);
  if (settings.length === 0) return { connectionString: url };
  const setting = settings.join(' ');
  const parsed = new URL(url);
  const own = parsed.searchParams.get('options');
  if (own !== null) {
    parsed.searchParams.set('options', `${own} ${setting}`);
    return { connectionString: parsed.toString() };
  }
  return { connectionString: url, options: [process.env['PGOPTIONS'], setting].filter(Boolean).join(' ') };
}

/** Opens the database: a PostgreSQL server when `url` is given, else embedded PGlite. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({
      ...withSessionSettings(opts.url, opts),
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // A dropped connection (server restart, a killed backend) must not crash the process; the pool reconnects on
    // demand. The pool handles the 'error' of an idle client (and drops it); a client checked out by a request or a
    // transaction has no listener of its own, and an unhandled 'error' event would end the process: its query fails
    // instead, and the pool discards it when it is released.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    await pool.query('SELECT 1');
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const close = async () => {
      await db.destroy(); // ends the pool only when Kysely itself ran a query on it
      if (!pool.ending && !pool.ended) await pool.end();
    };
    return { kind: 'postgresql', db, pool, close };
  }
  const dataDir = opts.dataDir ?? './data/pglite';
  const memory = dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  // One process per directory: PGlite does not refuse a second opener, and two would corrupt the files.
  const lock = memory ? null : await lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, {
      extensions: { unaccent, pg_trgm },
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
  } catch (e) {
    await lock?.release();
    throw e;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    pool,
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
      await lock?.release();
    },
  };
}
