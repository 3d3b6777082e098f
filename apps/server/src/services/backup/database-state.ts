import type { Database } from '@tinhso/db';

// What a database holds

/** A pool or one of its connections (typed from the pool: the server does not depend on pg directly). */
export type Client = Pick<Database['pool'], 'query'>;

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function publicTables(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

export interface State {
  serverVersion: string;
  migrations: string[];
  rowCounts: Record<string, number>;
  audit: { records: number; lastHash: string | null };
}

export async function stateOf(c: Client): Promise<State> {
  const tables = await publicTables(c);
  const rowCounts: Record<string, number> = {};
  if (tables.length) {
    const { rows } = await c.query<{ t: string; n: string | number }>(
      tables
        .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*) AS n FROM ${ident(t)}`)
        .join(' UNION ALL '),
    );
    for (const r of rows) rowCounts[r.t] = Number(r.n);
  }
  const migrations = tables.includes('schema_migrations')
    ? (await c.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
        (r) => r.version,
      )
    : [];
  const lastHash = tables.includes('audit_log')
    ? ((
        await c.query<{ hash: string }>(
          'SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1',
        )
      ).rows[0]?.hash ?? null)
    : null;
  const serverVersion = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  return { serverVersion, migrations, rowCounts, audit: { records: rowCounts.audit_log ?? 0, lastHash } };
}

/**
 * Tables only people's work fills. A database where they are all empty can be restored into without --force: a
 * server started on it once holds nothing but what it generates by itself (the calendar, keys, settings).
 */
const DATA_TABLES = [
  'units',
  'officers',
  'citizens',
  'procedures',
  'dossiers',
  'files',
  'documents',
  'audit_log',
];

/** The data tables holding rows. */
export async function filledTables(c: Client): Promise<string[]> {
  const tables = (await publicTables(c)).filter((t) => DATA_TABLES.includes(t));
  if (!tables.length) return [];
  const { rows } = await c.query<{ t: string }>(
    tables
      .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t WHERE EXISTS (SELECT 1 FROM ${ident(t)})`)
      .join(' UNION ALL '),
  );
  return rows.map((r) => r.t);
}

export async function withClient<T>(database: Database, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await database.pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}
