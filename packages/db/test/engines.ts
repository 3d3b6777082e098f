import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Database, migrate, openDatabase } from '../src/index.js';

/** The engines a test runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const ENGINES: ('pglite' | 'postgresql')[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgresql']
  : ['pglite'];

/**
 * A migrated database of its own on `engine`: PGlite in memory, or a fresh PostgreSQL database named
 * `tinhso_test_<prefix>_…` on TEST_DATABASE_URL's server. `drop()` closes it (and drops the PostgreSQL one).
 */
export async function openTestDatabase(
  engine: 'pglite' | 'postgresql',
  prefix: string,
  poolMax = 8,
): Promise<{ database: Database; name: string; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database.pool);
    return { database, name: '', drop: () => database.close() };
  }
  const name = `tinhso_test_${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = async (statement: string) => {
    const a = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await a.connect();
    try {
      await a.query(statement);
    } finally {
      await a.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax });
  await migrate(database.pool);
  return {
    database,
    name,
    drop: async () => {
      await database.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
