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

/** Statement names in use in this process and their text: one name never stands for two statements. */
const NAMES = new Map<string, string>();

/**
 * A hot read (the public lookup, the session of every signed-in request) compiled by Kysely once and sent as a
 * named prepared statement: each connection parses and plans it once instead of at every request. On the dossiers
 * table, with its many indexes, that halves PostgreSQL's CPU for a one-row lookup (docs/benchmarks.md, "Prepared
 * statements"). `build` writes the query with placeholder values of the right types; `values` replaces them in order.
 *
 * Only for statements whose best plan does not depend on the values (lookups by a unique key): after five runs
 * PostgreSQL may keep one generic plan for all values.
 */
export function prepared<R extends QueryResultRow>(
  name: string,
  build: (db: Kysely<DB>) => CompiledQuery<R>,
): Prepared<R> {
  const query = build(compiler);
  const text = query.sql;
  if (NAMES.has(name)) throw new Error(`prepared statement ${name} is defined twice`);
  NAMES.set(name, text);
  const arity = query.parameters.length;
  return async (database, values) => {
    if (values.length !== arity) throw new Error(`prepared statement ${name}: ${arity} values expected`);
    const { rows } = await database.pool.query<R>({ name, text, values: [...values] });
    return rows;
  };
}
