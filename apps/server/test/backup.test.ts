import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Database,
  listMigrations,
  migrate,
  openDatabase,
  sealAllAudit,
  verifyAuditChain,
} from '@tinhso/db';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppContext, buildApp } from '../src/app.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed.js';
import { type BackupManifest, backupDatabase, pgEnv, restoreDatabase } from '../src/services/backup/index.js';
import { pdfBytes, upload } from './file-fixtures.js';
import { act, citizenSession, DEMO_NOW, ENGINES, login, registerAtCounter, type Session } from './helpers.js';

/**
 * Backup and restore through the real command (`npx tsx apps/server/src/cli.ts backup|restore …` in a child
 * process) on every engine available: demo data and a few real actions, a backup, more actions, a restore into an
 * empty database that must hold exactly the state at backup time.
 */

/** A PGlite start, a seeded demo or a child `tsx` process takes seconds each on a busy 2-core machine. */
const SLOW = 180_000;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** One database of the engine under test: a data directory, and on PostgreSQL a database of its own. */
interface Side {
  dir: string;
  env: Record<string, string>;
}

async function newSide(engine: 'pglite' | 'postgresql'): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'tinhso-backup-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  if (engine === 'pglite') return { dir, env: { TINHSO_DATA_DIR: dir } };
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `tinhso_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Demo mode on PostgreSQL too, so that documents are signed with the demo keys (keys/master.key in `dir`).
  return { dir, env: { TINHSO_DATA_DIR: dir, DATABASE_URL: url.toString(), TINHSO_DEMO: 'true' } };
}

const configOf = (s: Side) => loadConfig({ LOG_LEVEL: 'silent', ...s.env });

interface Running {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

async function start(s: Side, seed = false): Promise<Running> {
  const ctx = await boot(configOf(s), { migrate: true });
  if (seed) await seedDemo(ctx, { dossiers: 6, now: DEMO_NOW, seed: 7 });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    close: async () => {
      await app.close();
      await ctx.database.close();
    },
  };
}

/** The real command line, as an operator runs it (only the variables of `env` set, besides PATH and the like). */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|TINHSO_|PG[A-Z]+$)/.test(k)),
  ) as Record<string, string>;
  return new Promise((ok) => {
    execFile(
      'npx',
      ['tsx', 'apps/server/src/cli.ts', ...args],
      { cwd: ROOT, env: { ...base, LOG_LEVEL: 'silent', ...env }, timeout: 240_000 },
      (err, stdout, stderr) =>
        ok({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function rowCounts(database: Database): Promise<Record<string, number>> {
  const { rows: tables } = await database.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = Number((await database.pool.query(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n);
  }
  return counts;
}

/** What the restore must give back: counts of every table and exact rows of the records that matter. */
async function snapshot(ctx: AppContext, code: string) {
  // A running node seals within AUDIT_SEAL_MS; the test seals at once so the snapshot holds the chained records.
  await sealAllAudit(ctx.database.db);
  const { db } = ctx.database;
  const dossier = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return {
    counts: await rowCounts(ctx.database),
    dossier,
    actions: await db
      .selectFrom('dossier_actions')
      .selectAll()
      .where('dossier_id', '=', dossier.id)
      .orderBy('seq')
      .execute(),
    audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
    documents: await db
      .selectFrom('documents')
      .select(['id', 'status', 'sha256', 'file', 'dossier_id'])
      .orderBy('id')
      .execute(),
    files: await db.selectFrom('files').select(['id', 'name', 'sha256', 'content']).orderBy('id').execute(),
    schema: (
      await ctx.database.pool.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1')
    ).rows.map((r) => r.version),
  };
}

describe('backup: the PostgreSQL connection', () => {
  it('reaches pg_dump and pg_restore as PG* variables only, decoded from DATABASE_URL', () => {
    expect(
      pgEnv('postgresql://t%C3%AD%40nh:p%40ss%3Aw%2Fo@[::1]:6543/t%C3%ADnh%20so?sslmode=verify-full'),
    ).toEqual({
      PGHOST: '::1',
      PGPORT: '6543',
      PGUSER: 'tí@nh',
      PGPASSWORD: 'p@ss:w/o',
      PGDATABASE: 'tính so',
      PGSSLMODE: 'verify-full',
    });
    expect(pgEnv('postgres://app@/tinhso?host=/var/run/postgresql')).toEqual({
      PGHOST: '/var/run/postgresql',
      PGUSER: 'app',
      PGDATABASE: 'tinhso',
    });
  });
});

describe.each(ENGINES)('backup and restore on %s', (engine) => {
  let src: Side;
  let dst: Side;
  let out: string;
  let file: string;
  let code = ''; // the dossier acted on before the backup
  let atBackup: Awaited<ReturnType<typeof snapshot>>;
  let manifest: BackupManifest;
  const later = { name: 'Trần Văn Sau Sao Lưu', idNumber: '040090007777' };

  beforeAll(async () => {
    src = await newSide(engine);
    dst = await newSide(engine);
    out = mkdtempSync(join(tmpdir(), 'tinhso-backup-out-'));
    cleanups.push(async () => rmSync(out, { recursive: true, force: true }));
    file = join(out, engine === 'pglite' ? 'tinhso.tar.gz' : 'tinhso.dump');
    const s = await start(src, true);
    try {
      const reception = await login(s.app, 'tiepnhan.50');
      const specialist = await login(s.app, 'tuphap.50');
      const chairman = await login(s.app, 'chutich.50');
      const reg = await registerAtCounter(
        s.app,
        reception,
        'H41.50',
        { name: 'Nguyễn Văn Minh', idNumber: '040090001234' },
        { outcome: { type: 'accept' }, components: [{ code: 'TP01', provided: true, digitized: true }] },
      );
      expect(reg.statusCode, reg.body).toBe(201);
      code = reg.json().code;
      const fwd = await act(s.app, specialist, code, reg.json().version, {
        type: 'forward',
        note: 'Hồ sơ hợp lệ',
      });
      expect(fwd.statusCode, fwd.body).toBe(200);
      // A file in a citizen's store, and a signed result document: bytes the restore must give back unchanged.
      const citizen: Session = await citizenSession(
        { app: s.app, ctx: s.ctx, close: s.close },
        '040090001234',
      );
      expect((await upload(s.app, citizen, pdfBytes(3000), 'Giấy chứng sinh.pdf')).statusCode).toBe(201);
      const draft = await s.app.inject({
        method: 'POST',
        url: `/api/dossiers/${code}/documents`,
        headers: specialist.headers,
        payload: { kind: 'licence', title: 'Giấy phép xây dựng', body: ['Cấp cho ông Nguyễn Văn Minh.'] },
      });
      expect(draft.statusCode, draft.body).toBe(201);
      const signed = await s.app.inject({
        method: 'POST',
        url: `/api/documents/${draft.json().id}/sign`,
        headers: chairman.headers,
      });
      expect(signed.json().status).toBe('signed');
      atBackup = await snapshot(s.ctx, code);
      expect(atBackup.files).toHaveLength(1);
      expect(atBackup.documents[0]!.file!.length).toBeGreaterThan(1000);
    } finally {
      await s.close();
    }
  }, SLOW);

  it(
    'backs up with the real command: the file, its SHA-256 and a manifest; refuses to overwrite it',
    async () => {
      const r = await cli(['backup', file], src.env);
      expect(r.code, r.stderr).toBe(0);
      const digest = sha256(file);
      expect(r.stdout).toContain(`SHA-256: ${digest}`);
      expect(r.stdout).toContain(`(${statSync(file).size} bytes)`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const head = readFileSync(file).subarray(0, 5);
      // PGlite: a gzip stream; PostgreSQL: pg_dump's custom archive.
      expect(engine === 'pglite' ? head.subarray(0, 2).toString('hex') : head.toString('latin1')).toBe(
        engine === 'pglite' ? '1f8b' : 'PGDMP',
      );
      manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
      expect(manifest).toMatchObject({
        format: 'tinhso-backup/1',
        engine,
        file: engine === 'pglite' ? 'tinhso.tar.gz' : 'tinhso.dump',
        bytes: statSync(file).size,
        sha256: digest,
        migrations: listMigrations().map((m) => m.version),
        rowCounts: atBackup.counts,
        audit: { records: atBackup.audit.length, lastHash: atBackup.audit.at(-1)!.hash },
        demoMasterKey: readFileSync(join(src.dir, 'keys', 'master.key'), 'utf8').trim(),
      });
      expect(manifest.rowCounts.dossiers).toBe(7);
      // No temp file left beside it; a second backup to the same name is refused and leaves the file alone.
      expect(readdirSync(out).sort()).toEqual([manifest.file, `${manifest.file}.json`].sort());
      const again = await cli(['backup', file], src.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Tệp sao lưu đã tồn tại');
      expect(again.stderr).toContain('BACKUP_FILE_EXISTS');
      expect(sha256(file)).toBe(digest);
    },
    SLOW,
  );

  it(
    'records the backup in the audit log; later changes go on; a running server blocks a restore',
    async () => {
      const s = await start(src);
      try {
        const audit = await s.ctx.database.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'database.backup')
          .execute();
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actor_type: 'system', entity_type: 'database' });
        expect(audit[0]!.details).toMatchObject({
          engine,
          file,
          sha256: manifest.sha256,
          bytes: manifest.bytes,
        });
        const reception = await login(s.app, 'tiepnhan.50');
        const specialist = await login(s.app, 'tuphap.50');
        expect((await registerAtCounter(s.app, reception, 'H41.50', later)).statusCode).toBe(201);
        const d = await s.ctx.database.db
          .selectFrom('dossiers')
          .select('version')
          .where('code', '=', code)
          .executeTakeFirstOrThrow();
        const comment = await act(s.app, specialist, code, d.version, {
          type: 'comment',
          text: 'Sau sao lưu',
        });
        expect(comment.statusCode, comment.body).toBe(200);
        // The database is open in this process, as it is in a running server: restore refuses, even with --force.
        if (engine === 'pglite') {
          const r = await cli(['restore', file, '--force'], src.env);
          expect(r.code, r.stdout).toBe(1);
          expect(r.stderr).toContain('đang được một tiến trình khác sử dụng (máy chủ Tỉnh Số đang chạy?)');
          expect(r.stderr).toContain('is in use by another process');
          // PGlite: a backup needs the directory too (two instances on the same files would corrupt them).
          await expect(backupDatabase(configOf(src), join(out, 'other.tar.gz'))).rejects.toThrow(
            /is in use by another process/,
          );
          expect(existsSync(join(out, 'other.tar.gz'))).toBe(false);
        } else {
          await expect(restoreDatabase(configOf(src), file, { force: true })).rejects.toMatchObject({
            code: 'RESTORE_DATABASE_IN_USE',
          });
        }
      } finally {
        await s.close();
      }
    },
    SLOW,
  );

  it(
    'restores into an empty database: the state at backup time, migrated, chain intact, audited',
    async () => {
      const r = await cli(['restore', file], dst.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`số dòng của ${Object.keys(atBackup.counts).length} bảng khớp bản kê`);
      expect(r.stdout).toContain(`Nhật ký nguyên vẹn: ${atBackup.audit.length} bản ghi / audit chain intact`);
      expect(readFileSync(join(dst.dir, 'keys', 'master.key'), 'utf8')).toBe(manifest.demoMasterKey);
      const s = await start(dst);
      try {
        const now = await snapshot(s.ctx, code);
        // One more audit record: the restore itself, chained after the backed-up ones.
        expect(now.counts).toEqual({ ...atBackup.counts, audit_log: atBackup.counts.audit_log! + 1 });
        expect(now.dossier).toEqual(atBackup.dossier);
        expect(now.actions).toEqual(atBackup.actions);
        expect(now.actions.some((a) => a.type === 'comment')).toBe(false);
        expect(now.audit.slice(0, -1)).toEqual(atBackup.audit);
        expect(now.audit.at(-1)).toMatchObject({ action: 'database.restore', actor_type: 'system' });
        expect(now.audit.at(-1)!.details).toMatchObject({
          file,
          sha256: manifest.sha256,
          migrationsApplied: [],
          auditChain: {
            checked: atBackup.audit.length,
            firstBrokenId: null,
            missingAfter: null,
            unsealed: 0,
          },
        });
        await sealAllAudit(s.ctx.database.db);
        expect(await verifyAuditChain(s.ctx.database.db)).toEqual({
          checked: atBackup.audit.length + 1,
          firstBrokenId: null,
          missingAfter: null,
          unsealed: 0,
        });
        expect(now.documents).toEqual(atBackup.documents);
        expect(now.files).toEqual(atBackup.files);
        expect(now.schema).toEqual(atBackup.schema);
        const after = await s.ctx.database.db
          .selectFrom('dossiers')
          .select('code')
          .where('applicant_name', '=', later.name)
          .execute();
        expect(after).toEqual([]);
        // The restored demo keys open with the restored master key: the receipt is signed again.
        const reception = await login(s.app, 'tiepnhan.50');
        const receipt = await s.app.inject({
          method: 'GET',
          url: `/api/dossiers/${code}/forms/receipt`,
          headers: reception.headers,
        });
        expect(receipt.statusCode, receipt.body.slice(0, 300)).toBe(200);
        expect(receipt.headers['content-type']).toBe('application/pdf');
      } finally {
        await s.close();
      }
    },
    SLOW,
  );

  it(
    'refuses a second restore without --force, and a backup made on the other engine',
    async () => {
      await expect(restoreDatabase(configOf(dst), file)).rejects.toMatchObject({
        code: 'RESTORE_TARGET_NOT_EMPTY',
        messageVi: expect.stringContaining('đã có dữ liệu (audit_log, citizens, documents, dossiers'),
        messageEn: expect.stringContaining('add --force to replace all of it'),
      });
      // The other engine: refused before any connection is tried (nothing listens on port 1; no directory made).
      const elsewhere = mkdtempSync(join(tmpdir(), 'tinhso-backup-'));
      cleanups.push(async () => rmSync(elsewhere, { recursive: true, force: true }));
      const otherEnv: Record<string, string> =
        engine === 'pglite'
          ? { TINHSO_DATA_DIR: elsewhere, DATABASE_URL: 'postgresql://tinhso@127.0.0.1:1/tinhso' }
          : { TINHSO_DATA_DIR: elsewhere };
      const wrong = await cli(['restore', file], otherEnv);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('BACKUP_ENGINE_MISMATCH');
      expect(wrong.stderr).toContain(
        engine === 'pglite'
          ? 'Bản sao lưu này được tạo từ CSDL nhúng PGlite nhưng cấu hình hiện tại dùng PostgreSQL'
          : 'Bản sao lưu này được tạo từ PostgreSQL nhưng cấu hình hiện tại dùng CSDL nhúng PGlite',
      );
      expect(wrong.stderr).toContain('a backup cannot be restored into another engine');
      expect(existsSync(join(elsewhere, 'pglite'))).toBe(false);
      // A damaged copy (one byte changed) no longer matches its manifest: refused before the database is touched.
      const damaged = join(out, `damaged-${manifest.file}`);
      const bytes = readFileSync(file);
      bytes[bytes.length >> 1]! ^= 0xff;
      writeFileSync(damaged, bytes);
      copyFileSync(`${file}.json`, `${damaged}.json`);
      await expect(restoreDatabase(configOf(dst), damaged, { force: true })).rejects.toMatchObject({
        code: 'BACKUP_CHECKSUM_MISMATCH',
      });
    },
    SLOW,
  );

  it(
    '--force replaces a database that has data (PGlite keeps the old directory aside)',
    async () => {
      const r = await restoreDatabase(configOf(dst), file, { force: true });
      expect(r.auditChain).toEqual({
        checked: atBackup.audit.length,
        firstBrokenId: null,
        missingAfter: null,
        unsealed: 0,
      });
      const s = await start(dst);
      try {
        const audit = await s.ctx.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
        // The first restore's record was replaced with the backup's content; this restore appended its own.
        expect(audit.slice(0, -1)).toEqual(atBackup.audit);
        await sealAllAudit(s.ctx.database.db);
        expect(audit.at(-1)!.details).toMatchObject({ replaced: true });
        expect(await verifyAuditChain(s.ctx.database.db)).toMatchObject({ firstBrokenId: null });
      } finally {
        await s.close();
      }
      if (engine === 'pglite') {
        expect(r.previousDataKeptIn).toMatch(/pglite\.before-restore-/);
        expect(existsSync(join(r.previousDataKeptIn!, 'PG_VERSION'))).toBe(true);
      } else expect(r.previousDataKeptIn).toBeNull();
    },
    SLOW,
  );

  it(
    'runs the migrations a backup made before them lacks',
    async () => {
      // An older database: every migration but the last, no data. Backed up and restored through the service.
      const old = await newSide(engine);
      const fresh = await newSide(engine);
      const dir = join(out, 'older-migrations/');
      mkdirSync(dir);
      const all = listMigrations();
      for (const m of all.slice(0, -1))
        copyFileSync(join(ROOT, 'packages/db/migrations', `${m.version}.sql`), join(dir, `${m.version}.sql`));
      const config = configOf(old);
      const database =
        engine === 'pglite'
          ? await openDatabase({ dataDir: join(old.dir, 'pglite') })
          : await openDatabase({ url: config.DATABASE_URL });
      await migrate(database.pool, dir);
      await database.close();
      const olderFile = join(out, 'older.backup');
      const b = await backupDatabase(config, olderFile);
      expect(b.manifest.migrations).toEqual(all.slice(0, -1).map((m) => m.version));
      const r = await restoreDatabase(configOf(fresh), olderFile);
      expect(r.migrationsApplied).toEqual([all.at(-1)!.version]);
      // The backup's own record was written after the dump: the restored chain starts empty.
      expect(r.auditChain).toEqual({ checked: 0, firstBrokenId: null, missingAfter: null, unsealed: 0 });
      // Migrations already applied to a target but absent from the backup: refused, the target is left alone.
      if (engine === 'postgresql') {
        await expect(restoreDatabase(configOf(fresh), olderFile, { force: true })).rejects.toMatchObject({
          code: 'RESTORE_TARGET_NEWER',
        });
      }
    },
    SLOW,
  );
});
