import { join } from 'node:path';
import { type Database, migrate, openDatabase } from '@tinhso/db';
import { type AppContext, buildContext } from './app.js';
import type { Config } from './config.js';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite in TINHSO_DATA_DIR). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir: join(config.dataDir, 'pglite'),
    poolMax: config.DATABASE_POOL_MAX,
    parallelWorkers: config.DATABASE_PARALLEL_WORKERS,
    jit: config.DATABASE_JIT === 'server' ? undefined : config.DATABASE_JIT === 'on',
  });
}

/** Database + migrations + context: what both the server and the CLI start from. */
export async function boot(config: Config, opts: { migrate?: boolean } = {}): Promise<AppContext> {
  const database = await openConfiguredDatabase(config);
  if (opts.migrate ?? config.TINHSO_MIGRATE_ON_START) await migrate(database.pool);
  return buildContext(config, database);
}

export async function isEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.database.db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}
