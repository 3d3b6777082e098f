import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  appendAudit,
  type Database,
  lockDataDir,
  migrate,
  openDatabase,
  sealAllAudit,
  verifyAuditChain,
} from '@tinhso/db';
import type { Config } from '../../config.js';
import {
  type BackupManifest,
  type Engine,
  engineOf,
  fail,
  pgliteDir,
  type RestoreResult,
  stamp,
} from './common.js';
import { filledTables, ident, publicTables, stateOf, withClient } from './database-state.js';
import { manifestPath, readManifest, sha256File, sniff, tempBeside } from './files.js';
import { restoreMasterKey } from './master-key.js';
import { pgEnv, pgTool, type Ran, run } from './pg-tools.js';

// Restore

const ENGINE_VI: Record<Engine, string> = { pglite: 'CSDL nhúng PGlite', postgresql: 'PostgreSQL' };
const ENGINE_EN: Record<Engine, string> = {
  pglite: 'the embedded PGlite database',
  postgresql: 'PostgreSQL',
};

function engineMismatch(backup: Engine, configured: Engine) {
  const howVi =
    configured === 'pglite'
      ? 'đặt DATABASE_URL trỏ tới một CSDL PostgreSQL trống'
      : 'bỏ DATABASE_URL và đặt TINHSO_DATA_DIR tới thư mục cần khôi phục';
  const howEn =
    configured === 'pglite'
      ? 'set DATABASE_URL to an empty PostgreSQL database'
      : 'unset DATABASE_URL and set TINHSO_DATA_DIR to the directory to restore into';
  return fail(
    'BACKUP_ENGINE_MISMATCH',
    `Bản sao lưu này được tạo từ ${ENGINE_VI[backup]} nhưng cấu hình hiện tại dùng ${ENGINE_VI[configured]}; ` +
      `không thể khôi phục sang loại CSDL khác: ${howVi}.`,
    `This backup was made from ${ENGINE_EN[backup]} but the configuration uses ${ENGINE_EN[configured]}; ` +
      `a backup cannot be restored into another engine: ${howEn}.`,
  );
}

const notEmpty = (where: string, tables: string[]) =>
  fail(
    'RESTORE_TARGET_NOT_EMPTY',
    `CSDL đích ${where} đã có dữ liệu (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? '…' : ''}); ` +
      'thêm --force để thay toàn bộ bằng bản sao lưu.',
    `The target database ${where} is not empty (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? '…' : ''}); ` +
      'add --force to replace all of it with the backup.',
  );

/** Checks what was loaded against the manifest, migrates, verifies the audit chain and records the restore. */
async function finishRestore(
  database: Database,
  source: string,
  manifest: BackupManifest | null,
  replaced: boolean,
) {
  const loaded = await withClient(database, stateOf);
  if (manifest) {
    const names = new Set([...Object.keys(manifest.rowCounts), ...Object.keys(loaded.rowCounts)]);
    const differ = [...names].filter((t) => manifest.rowCounts[t] !== loaded.rowCounts[t]);
    if (differ.length) {
      throw fail(
        'RESTORE_COUNTS_DIFFER',
        `Số dòng sau khi nạp khác bản kê: ${differ.map((t) => `${t} ${loaded.rowCounts[t] ?? '—'} ≠ ${manifest.rowCounts[t] ?? '—'}`).join(', ')}.`,
        `Row counts after loading differ from the manifest: ${differ.map((t) => `${t} ${loaded.rowCounts[t] ?? '—'} ≠ ${manifest.rowCounts[t] ?? '—'}`).join(', ')}.`,
      );
    }
  }
  const migrationsApplied = await migrate(database.pool);
  await sealAllAudit(database.db); // records the backup held unsealed
  const auditChain = await verifyAuditChain(database.db);
  await database.db.transaction().execute((tx) =>
    appendAudit(tx, {
      actorType: 'system',
      actorId: null,
      ip: null,
      action: 'database.restore',
      entityType: 'database',
      entityId: null,
      details: {
        engine: database.kind,
        file: source,
        sha256: manifest?.sha256 ?? null,
        backupCreatedAt: manifest?.createdAt ?? null,
        replaced,
        migrationsApplied,
        auditChain,
      },
    }),
  );
  return { rowCounts: loaded.rowCounts, migrationsApplied, auditChain };
}

async function restorePostgres(
  config: Config,
  source: string,
  manifest: BackupManifest | null,
  force: boolean,
): Promise<{ filled: string[] }> {
  const url = config.DATABASE_URL!;
  const env = pgEnv(url);
  const tool = await pgTool('pg_restore', manifest?.toolMajor ?? 0, 'bản sao lưu');
  const toc = await run('pg_restore', ['--list', source]);
  if (toc.code !== 0) {
    throw fail(
      'BACKUP_UNREADABLE',
      `pg_restore (${tool.version}) không đọc được ${source}: ${toc.stderr.trim()}`,
      `pg_restore (${tool.version}) cannot read ${source}: ${toc.stderr.trim()}`,
    );
  }
  // Extensions (unaccent, pg_trgm) are created beforehand and left out of the archive's list: only their owner may
  // drop or comment on them, and a restoring role that is not a superuser does not own those that already exist.
  const entries = toc.stdout.split('\n');
  const extensions = entries.flatMap((l) => /^\d+; \d+ \d+ EXTENSION - (\S+)/.exec(l)?.[1] ?? []);
  const isExtension = (l: string) => /^\d+; \d+ \d+ (EXTENSION|COMMENT - EXTENSION) /.test(l);
  const database = await openDatabase({ url, poolMax: 1 });
  let filled: string[];
  try {
    filled = await withClient(database, async (c) => {
      // Other sessions on the target (a running server): refused. A client that has just disconnected can stay
      // listed for a moment, so look a few times before refusing.
      let others = { n: 0, apps: null as string | null };
      for (let i = 0; i < 10; i++) {
        others = (
          await c.query<{ n: number; apps: string | null }>(
            `SELECT count(*)::int AS n,
                    string_agg(DISTINCT coalesce(nullif(application_name, ''), 'client'), ', ') AS apps
             FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
          )
        ).rows[0]!;
        if (others.n === 0) break;
        await new Promise((ok) => setTimeout(ok, 300));
      }
      if (others.n > 0) {
        throw fail(
          'RESTORE_DATABASE_IN_USE',
          `CSDL đích đang có ${others.n} kết nối khác (${others.apps}); dừng máy chủ Tỉnh Số và các ứng dụng khác đang dùng nó rồi thử lại.`,
          `The target database has ${others.n} other connection(s) (${others.apps}); stop the Tỉnh Số servers and other clients using it, then try again.`,
        );
      }
      const tables = await publicTables(c);
      if (manifest && tables.includes('schema_migrations')) {
        const known = new Set(manifest.migrations);
        const { rows: applied } = await c.query<{ version: string }>('SELECT version FROM schema_migrations');
        const newer = applied.map((r) => r.version).filter((v) => !known.has(v));
        if (newer.length) {
          throw fail(
            'RESTORE_TARGET_NEWER',
            `CSDL đích có migration mới hơn bản sao lưu (${newer.join(', ')}); khôi phục vào một CSDL mới tạo (createdb).`,
            `The target database has migrations newer than the backup (${newer.join(', ')}); restore into a newly created database (createdb).`,
          );
        }
      }
      const found = await filledTables(c);
      if (found.length && !force) throw notEmpty(`(PostgreSQL ${env.PGDATABASE ?? ''})`, found);
      for (const name of extensions) await c.query(`CREATE EXTENSION IF NOT EXISTS ${ident(name)}`);
      return found;
    });
  } finally {
    await database.close();
  }
  const list = tempBeside(resolve(tmpdir(), 'tinhso-restore.list'));
  writeFileSync(list, entries.filter((l) => !isExtension(l)).join('\n'), { mode: 0o600 });
  let r: Ran;
  try {
    r = await run(
      'pg_restore',
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--single-transaction',
        '--no-password',
        `--use-list=${list}`,
        `--dbname=${env.PGDATABASE ?? env.PGUSER ?? process.env.PGDATABASE ?? 'postgres'}`,
        source,
      ],
      env,
    );
  } finally {
    rmSync(list, { force: true });
  }
  if (r.code !== 0) {
    throw fail(
      'RESTORE_FAILED',
      `pg_restore (${tool.version}) thất bại, dữ liệu trong CSDL đích không thay đổi: ${r.stderr.trim().slice(-2000)}`,
      `pg_restore (${tool.version}) failed and left the target's data unchanged: ${r.stderr.trim().slice(-2000)}`,
    );
  }
  return { filled };
}

export async function restoreDatabase(
  config: Config,
  file: string,
  opts: { force?: boolean } = {},
): Promise<RestoreResult> {
  const started = Date.now();
  const force = opts.force ?? false;
  const source = resolve(file);
  if (!existsSync(source)) {
    throw fail('BACKUP_NOT_FOUND', `Không có tệp ${source}.`, `There is no file ${source}.`);
  }
  const manifest = readManifest(source);
  const sniffed = sniff(source);
  if (!sniffed) {
    throw fail(
      'BACKUP_UNKNOWN_FORMAT',
      `${source} không phải bản sao lưu của Tỉnh Số (pg_dump dạng custom hoặc PGlite .tar.gz).`,
      `${source} is not a Tỉnh Số backup (a pg_dump custom archive or a PGlite .tar.gz).`,
    );
  }
  if (manifest) {
    const sha256 = await sha256File(source);
    if (
      manifest.engine !== sniffed ||
      sha256 !== manifest.sha256 ||
      statSync(source).size !== manifest.bytes
    ) {
      throw fail(
        'BACKUP_CHECKSUM_MISMATCH',
        `${source} không khớp bản kê ${basename(manifestPath(source))} (SHA-256 ${sha256}, bản kê ghi ${manifest.sha256}): tệp hỏng hoặc không cùng bộ.`,
        `${source} does not match its manifest ${basename(manifestPath(source))} (SHA-256 ${sha256}, manifest says ${manifest.sha256}): damaged, or not the same pair.`,
      );
    }
  }
  const engine = manifest?.engine ?? sniffed;
  const configured = engineOf(config);
  if (engine !== configured) throw engineMismatch(engine, configured);

  let previousDataKeptIn: string | null = null;
  let finished: Awaited<ReturnType<typeof finishRestore>>;
  if (engine === 'postgresql') {
    const { filled } = await restorePostgres(config, source, manifest, force);
    const database = await openDatabase({ url: config.DATABASE_URL, poolMax: 2 });
    try {
      finished = await finishRestore(database, source, manifest, filled.length > 0);
    } finally {
      await database.close();
    }
  } else {
    const dir = pgliteDir(config);
    let filled: string[] = [];
    if (existsSync(join(dir, 'PG_VERSION'))) {
      const current = await openDatabase({ dataDir: dir }); // refused while the server has it open
      try {
        filled = await withClient(current, filledTables);
      } finally {
        await current.close();
      }
    } else if (existsSync(dir) && readdirSync(dir).length > 0) {
      filled = ['(không phải CSDL PGlite / not a PGlite database)'];
    }
    if (filled.length && !force) throw notEmpty(dir, filled);
    // Hold the directory for the whole restore: no server may open it until the new data is in place.
    const lock = await lockDataDir(dir);
    const tmp = `${dir}.restoring-${randomBytes(4).toString('hex')}`;
    try {
      const loaded = await openDatabase({ dataDir: tmp, loadDataDir: new Blob([readFileSync(source)]) });
      try {
        finished = await finishRestore(loaded, source, manifest, filled.length > 0);
      } finally {
        await loaded.close();
      }
      if (existsSync(dir)) {
        const aside = `${dir}.before-restore-${stamp()}`;
        renameSync(dir, aside);
        if (filled.length) previousDataKeptIn = aside;
        else rmSync(aside, { recursive: true, force: true });
      }
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      await lock.release();
    }
  }
  return {
    engine,
    manifest,
    ...finished,
    previousDataKeptIn,
    masterKey: restoreMasterKey(config, manifest),
    ms: Date.now() - started,
  };
}
