import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { QueryResultRow } from 'pg';
import type { Database } from './connect.js';
import type { DB } from './schema.js';

/** A statement compiled once, run on a database with new values → its rows. */
export type Prepared<R> = (database: Database, values: readonly unknown[]) => Promise<R[]>;

/** Kysely for compiling only (no connection): the SQL text of a prepared statement, at module load. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Statement names in use in this process: one name never stands for two statements. */
const NAMES = new Set<string>();

/**
 * A hot read (the public lookup, the session of every signed-in request) compiled by Kysely once and sent as a
 * named prepared statement: each connection parses it once, and after five runs PostgreSQL may keep one generic plan
 * instead of planning at every request. On the dossiers table, with its many indexes, that halves PostgreSQL's CPU
 * for a one-row lookup (docs/benchmarks.md, "Re-measured 2026-12-02 13:25"; ADR 0008).
 *
 * - Only for statements whose best plan does not depend on the values (lookups by a unique key).
 * - `build` writes the query with placeholder values of the right types; `values` replaces them in the order of the
 *   placeholders in the compiled SQL (checked only by their number, at each call).
 * - Runs on the pool, outside any transaction: never call it while holding a transaction's connection (PGlite has
 *   one connection, and the call would wait for it).
 * - Needs session-level connections: behind a transaction-pooling proxy (PgBouncer in transaction mode without
 *   prepared-statement support) named statements fail; see docs/CONFIGURATION.md.
 */
export function prepared<R extends QueryResultRow>(
  name: string,
  build: (db: Kysely<DB>) => CompiledQuery<R>,
): Prepared<R> {
  const query = build(compiler);
  const text = query.sql;
  if (NAMES.has(name)) throw new Error(`prepared statement ${name} is defined twice`);
  NAMES.add(name);
  const arity = query.parameters.length;
  return async (database, values) => {
    if (values.length !== arity) throw new Error(`prepared statement ${name}: ${arity} values expected`);
    const { rows } = await database.pool.query<R>({ name, text, values: [...values] });
    return rows;
  };
}
