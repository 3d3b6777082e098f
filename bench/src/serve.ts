/**
 * A server for measure-core.ts, run as a child process (so that the load generator never shares its event loop):
 *
 *   serve.ts app      the real application: loadConfig → boot (no migrations) → buildApp, on 127.0.0.1:0
 *   serve.ts ceiling  a bare Fastify with one route doing one indexed SELECT through `pg` (pool of the same size),
 *                     as a named prepared statement like the application's lookup
 *
 * Reads BENCH_DATABASE_URL; reports `{ port }` to the parent over IPC and exits when the parent disconnects.
 */

import { startAuditSealer } from '@tinhso/db';
import { buildApp } from '@tinhso/server';
import { boot } from '@tinhso/server/boot';
import { loadConfig } from '@tinhso/server/config';
import Fastify from 'fastify';
import pg from 'pg';

const mode = process.argv[2];
const url = process.env['BENCH_DATABASE_URL'];
if (!url || !process.send) throw new Error('serve.ts is started by measure-core.ts');

/** Pool size of the application (DATABASE_POOL_MAX default) and of the ceiling. */
const POOL_MAX = 10;

async function startApp(): Promise<{ port: number; close: () => Promise<void> }> {
  const config = loadConfig({
    DATABASE_URL: url,
    DATABASE_POOL_MAX: String(POOL_MAX),
    LOG_LEVEL: 'silent',
    TINHSO_MIGRATE_ON_START: 'false',
    TINHSO_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    // One client address sends everything here; production keeps its per-IP default (600/min).
    RATE_LIMIT_PUBLIC_PER_MIN: '1000000000',
    RATE_LIMIT_SUBMIT_PER_MIN: '1000000000',
    // bench/src/indicators.ts measures the computation itself with 0.
    ...(process.env['INDICATOR_CACHE_MS'] ? { INDICATOR_CACHE_MS: process.env['INDICATOR_CACHE_MS'] } : {}),
  });
  const ctx = await boot(config, { migrate: false });
  const app = await buildApp(ctx);
  // As main.ts: the audit records of the benchmark's writes are sealed into the hash chain while it runs.
  const sealer = startAuditSealer(ctx.database.db, { intervalMs: config.AUDIT_SEAL_MS });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      await app.close();
      await sealer.stop();
      await ctx.database.close();
    },
  };
}

async function startCeiling(): Promise<{ port: number; close: () => Promise<void> }> {
  // The same session settings as the application's pool (DATABASE_PARALLEL_WORKERS 0, DATABASE_JIT off).
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    options: '-c max_parallel_workers_per_gather=0 -c jit=off',
  });
  const app = Fastify({ logger: false });
  app.get<{ Params: { code: string } }>('/lookup/:code', async (req, reply) => {
    // A named prepared statement, as the application's lookup (packages/db/src/prepared.ts).
    const { rows } = await pool.query<{ code: string; status: number }>({
      name: 'ceiling_lookup',
      text: 'SELECT code, status FROM dossiers WHERE code = $1',
      values: [req.params.code],
    });
    if (!rows[0]) return reply.status(404).send({ error: 'not found' });
    return rows[0];
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

const server = mode === 'app' ? await startApp() : mode === 'ceiling' ? await startCeiling() : null;
if (!server) throw new Error('usage: serve.ts app|ceiling');
process.send({ port: server.port });
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});
