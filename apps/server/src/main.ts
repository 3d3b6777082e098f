import { DataDirInUseError, startAuditSealer } from '@tinhso/db';
import { buildApp } from './app.js';
import { boot, isEmpty } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemo } from './demo/seed.js';

/** `npm start`: validate config, open the database, migrate, load demo data on first start, serve. */
async function main() {
  const config = loadConfig();
  const started = Date.now();
  const ctx = await boot(config);
  if (config.demo && (await isEmpty(ctx))) {
    console.log('Đang nạp dữ liệu mẫu (tỉnh, cán bộ, danh mục thủ tục, hồ sơ)… / loading demo data…');
    const loaded = await seedDemo(ctx);
    console.log(
      `  ${loaded.units} đơn vị, ${loaded.officers} cán bộ, ${loaded.procedures} thủ tục, ${loaded.dossiers} hồ sơ`,
    );
  }
  if (config.demo) await ctx.keys.trustAnchors(); // creates the demo certificate authority on first start
  const app = await buildApp(ctx);
  await app.listen({ port: config.PORT, host: config.HOST });
  ctx.outbox.start(); // delivers notifications (and later the national-portal sync) from the durable outbox
  // Chains the audit records of committed writes into the hash chain (writes do not wait for each other).
  const sealer = startAuditSealer(ctx.database.db, {
    intervalMs: config.AUDIT_SEAL_MS,
    onError: (e) => app.log.warn({ err: e }, 'audit sealing failed; retrying'),
  });
  const where = ctx.database.kind === 'pglite' ? `PGlite ${config.dataDir}` : 'PostgreSQL';
  console.log(
    `\nTỉnh Số đang chạy / is running: ${config.publicUrl}  (${where}, ${Date.now() - started} ms)`,
  );
  console.log(`  API: ${config.publicUrl}/api/docs`);
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await ctx.outbox.stop(); // finishes recording the batch in progress; unsent messages stay in the outbox
    await app.close();
    await sealer.stop(); // seals what the last requests wrote
    await ctx.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  if (e instanceof ConfigError || e instanceof DataDirInUseError) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
