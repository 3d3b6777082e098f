import { chmodSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { appendAudit, openDatabase } from '@tinhso/db';
import type { Config } from '../../config.js';
import {
  BACKUP_FORMAT,
  type BackupManifest,
  type BackupResult,
  engineOf,
  fail,
  pgliteDir,
} from './common.js';
import { type State, stateOf, withClient } from './database-state.js';
import { commit, exists, manifestPath, sha256File, tempBeside } from './files.js';
import { demoMasterKey } from './master-key.js';
import { pgEnv, pgTool, run } from './pg-tools.js';

// Backup

export async function backupDatabase(
  config: Config,
  file: string,
  opts: { force?: boolean } = {},
): Promise<BackupResult> {
  const started = Date.now();
  const force = opts.force ?? false;
  const target = resolve(file);
  const sidecar = manifestPath(target);
  if (!force && (existsSync(target) || existsSync(sidecar))) throw exists();
  if (!existsSync(dirname(target))) {
    throw fail(
      'BACKUP_DIR_MISSING',
      `Thư mục ${dirname(target)} không tồn tại.`,
      `The directory ${dirname(target)} does not exist.`,
    );
  }
  const engine = engineOf(config);
  if (engine === 'pglite' && !existsSync(join(pgliteDir(config), 'PG_VERSION'))) {
    throw fail(
      'BACKUP_NO_DATABASE',
      `Không có CSDL nhúng trong ${pgliteDir(config)} (kiểm tra TINHSO_DATA_DIR).`,
      `There is no embedded database in ${pgliteDir(config)} (check TINHSO_DATA_DIR).`,
    );
  }
  const database =
    engine === 'postgresql'
      ? await openDatabase({ url: config.DATABASE_URL, poolMax: 2 })
      : await openDatabase({ dataDir: pgliteDir(config) }); // takes the directory's lock: refused while in use
  const tmp = tempBeside(target);
  try {
    let state: State;
    let createdAt = new Date().toISOString(); // when the state below is read
    let tool: string;
    let toolMajor = 0;
    if (engine === 'postgresql') {
      const env = pgEnv(config.DATABASE_URL!);
      ({ state, tool, toolMajor } = await withClient(database, async (c) => {
        // The row counts and pg_dump see the same snapshot, so the manifest describes exactly what was dumped.
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          const snapshot = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
          createdAt = new Date().toISOString();
          const st = await stateOf(c);
          const serverMajor = Math.floor(
            Number(
              (await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v,
            ) / 10000,
          );
          const t = await pgTool('pg_dump', serverMajor, 'máy chủ');
          const r = await run(
            'pg_dump',
            ['--format=custom', '--no-password', `--snapshot=${snapshot}`, `--file=${tmp}`],
            env,
          );
          if (r.code !== 0) {
            throw fail(
              'BACKUP_FAILED',
              `pg_dump thất bại: ${r.stderr.trim()}`,
              `pg_dump failed: ${r.stderr.trim()}`,
            );
          }
          return { state: st, tool: t.version, toolMajor: t.major };
        } finally {
          await c.query('COMMIT');
        }
      }));
    } else {
      await database.pool.query('CHECKPOINT'); // the files hold every committed change before they are archived
      createdAt = new Date().toISOString();
      state = await withClient(database, stateOf);
      const blob = await database.pglite!.dumpDataDir('gzip');
      writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()), { flag: 'wx', mode: 0o600 });
      tool = 'PGlite dumpDataDir (tar.gz)';
    }
    chmodSync(tmp, 0o600); // a backup holds every citizen's data
    const bytes = statSync(tmp).size;
    const sha256 = await sha256File(tmp);
    const key = demoMasterKey(config);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      engine,
      createdAt,
      file: basename(target),
      bytes,
      sha256,
      serverVersion: state.serverVersion,
      tool,
      toolMajor,
      migrations: state.migrations,
      rowCounts: state.rowCounts,
      audit: state.audit,
      ...(key ? { demoMasterKey: key } : {}),
    };
    commit(tmp, target, force);
    const sideTmp = tempBeside(sidecar);
    writeFileSync(sideTmp, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    try {
      commit(sideTmp, sidecar, force);
    } catch (e) {
      rmSync(sideTmp, { force: true });
      throw e;
    }
    await database.db.transaction().execute((tx) =>
      appendAudit(tx, {
        actorType: 'system',
        actorId: null,
        ip: null,
        action: 'database.backup',
        entityType: 'database',
        entityId: null,
        details: { engine, file: target, bytes, sha256, auditRecords: state.audit.records },
      }),
    );
    return { file: target, manifestFile: sidecar, manifest, ms: Date.now() - started };
  } finally {
    rmSync(tmp, { force: true });
    await database.close();
  }
}
