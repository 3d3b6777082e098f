import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  appendAudit,
  type Database,
  DataDirInUseError,
  lockDataDir,
  migrate,
  openDatabase,
  sealAllAudit,
  verifyAuditChain,
} from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import type { Config } from '../config.js';

/**
 * Backup and restore of the whole database (`npm run cli -- backup FILE`, `restore FILE`).
 * - PostgreSQL: `pg_dump --format=custom` in the snapshot the manifest's row counts were taken in, and
 *   `pg_restore --clean --if-exists --no-owner --single-transaction`; the connection reaches the tools through
 *   PG* environment variables only (no password on a command line).
 * - PGlite: the data directory as PGlite dumps it (`dumpDataDir`, a .tar.gz), loaded back with `loadDataDir` into
 *   a new directory that replaces the old one only once it is complete, migrated and checked.
 * Beside FILE, `FILE.json` (the manifest) records the engine, migrations, row counts of every table and FILE's
 * SHA-256; restore checks them, runs pending migrations, verifies the audit chain, and both actions are audited.
 */

export const BACKUP_FORMAT = 'tinhso-backup/1';

export type Engine = 'pglite' | 'postgresql';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  engine: Engine;
  createdAt: string;
  file: string;
  bytes: number;
  sha256: string;
  /** `SHOW server_version` of the database backed up. */
  serverVersion: string;
  /** `pg_dump --version`, or how PGlite wrote the archive. */
  tool: string;
  /** pg_dump's major version (pg_restore must be at least as new); 0 for PGlite. */
  toolMajor: number;
  migrations: string[];
  /** Rows of every table at the moment of the backup. */
  rowCounts: Record<string, number>;
  audit: { records: number; lastHash: string | null };
  /** Demo mode only: TINHSO_DATA_DIR/keys/master.key, without which the demo signing keys cannot be read. */
  demoMasterKey?: string;
}

export interface BackupResult {
  file: string;
  manifestFile: string;
  manifest: BackupManifest;
  ms: number;
}

export interface RestoreResult {
  engine: Engine;
  manifest: BackupManifest | null;
  /** Row counts read right after loading, before migrations (equal to the manifest's). */
  rowCounts: Record<string, number>;
  migrationsApplied: string[];
  auditChain: { checked: number; firstBrokenId: number | null };
  /** PGlite --force: where the replaced data directory was kept. */
  previousDataKeptIn: string | null;
  masterKey: 'written' | 'replaced' | 'same' | 'ignored' | null;
  ms: number;
}

const fail = (code: string, vi: string, en: string) => new DomainError(code, vi, en);

const engineOf = (config: Config): Engine => (config.DATABASE_URL ? 'postgresql' : 'pglite');
const pgliteDir = (config: Config) => join(config.dataDir, 'pglite');
const ENGINE_VI: Record<Engine, string> = { pglite: 'CSDL nhúng PGlite', postgresql: 'PostgreSQL' };
const ENGINE_EN: Record<Engine, string> = {
  pglite: 'the embedded PGlite database',
  postgresql: 'PostgreSQL',
};
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL client tools

/** The connection of a DATABASE_URL as libpq environment variables (never arguments: `ps` shows those). */
export function pgEnv(url: string): Record<string, string> {
  // `postgres://user@/db?host=/run/postgresql` (a Unix socket) has no host part, which URL does not accept.
  const noHost = /^(postgres(?:ql)?:\/\/(?:[^/@]*@)?)\//;
  const u = new URL(url.replace(noHost, '$1none/'));
  const env: Record<string, string> = {};
  const host = noHost.test(url) ? '' : decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (host) env.PGHOST = host;
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const params: Record<string, string> = {
    host: 'PGHOST',
    port: 'PGPORT',
    user: 'PGUSER',
    password: 'PGPASSWORD',
    dbname: 'PGDATABASE',
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    application_name: 'PGAPPNAME',
    options: 'PGOPTIONS',
    connect_timeout: 'PGCONNECT_TIMEOUT',
  };
  for (const [k, v] of u.searchParams) {
    const name = params[k];
    if (name) env[name] = v;
  }
  if (!env.PGSSLMODE && /^(true|1)$/.test(u.searchParams.get('ssl') ?? '')) env.PGSSLMODE = 'require';
  return env;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((ok, ko) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', ko);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** Finds pg_dump / pg_restore and checks its major version is at least `needMajor`. */
async function pgTool(cmd: 'pg_dump' | 'pg_restore', needMajor: number, against: string) {
  const missing = () =>
    fail(
      'BACKUP_TOOL_MISSING',
      `Không tìm thấy ${cmd}: cài công cụ dòng lệnh PostgreSQL (gói postgresql-client, phiên bản ${needMajor || 'bằng máy chủ'} trở lên) và đặt nó trong PATH.`,
      `${cmd} not found: install the PostgreSQL client tools (package postgresql-client, version ${needMajor || 'of the server'} or newer) and put them on PATH.`,
    );
  let out: Ran;
  try {
    out = await run(cmd, ['--version']);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw missing();
    throw e;
  }
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(out.stdout);
  if (out.code !== 0 || !m) throw missing();
  const major = Number(m[1]);
  if (major < needMajor) {
    throw fail(
      'BACKUP_TOOL_TOO_OLD',
      `${cmd} phiên bản ${major} cũ hơn ${against} (${needMajor}): cài postgresql-client-${needMajor} (hoặc mới hơn) và đặt nó trước trong PATH.`,
      `${cmd} version ${major} is older than ${against === 'máy chủ' ? 'the server' : 'the backup'} (${needMajor}): install postgresql-client-${needMajor} (or newer) and put it first on PATH.`,
    );
  }
  return { version: out.stdout.trim(), major };
}

// ---------------------------------------------------------------------------------------------------------------
// What a database holds

/** A pool or one of its connections (typed from the pool: the server does not depend on pg directly). */
type Client = Pick<Database['pool'], 'query'>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function publicTables(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

interface State {
  serverVersion: string;
  migrations: string[];
  rowCounts: Record<string, number>;
  audit: { records: number; lastHash: string | null };
}

async function stateOf(c: Client): Promise<State> {
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
async function filledTables(c: Client): Promise<string[]> {
  const tables = (await publicTables(c)).filter((t) => DATA_TABLES.includes(t));
  if (!tables.length) return [];
  const { rows } = await c.query<{ t: string }>(
    tables
      .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t WHERE EXISTS (SELECT 1 FROM ${ident(t)})`)
      .join(' UNION ALL '),
  );
  return rows.map((r) => r.t);
}

async function withClient<T>(database: Database, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await database.pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Files

function sha256File(path: string): Promise<string> {
  return new Promise((ok, ko) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', ko)
      .on('end', () => ok(h.digest('hex')));
  });
}

function fsyncPath(path: string) {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {} // directories cannot be fsynced everywhere (Windows)
}

const exists = () =>
  fail(
    'BACKUP_FILE_EXISTS',
    'Tệp sao lưu đã tồn tại; chọn tên khác hoặc thêm --force để ghi đè.',
    'The backup file already exists; choose another name or add --force to overwrite it.',
  );

/** Moves a finished temp file into place: atomically, and without replacing an existing file unless `force`. */
function commit(tmp: string, final: string, force: boolean) {
  fsyncPath(tmp);
  if (force) renameSync(tmp, final);
  else {
    try {
      linkSync(tmp, final); // fails when `final` appeared meanwhile, where rename would replace it
      unlinkSync(tmp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw exists();
      if (existsSync(final)) throw exists();
      renameSync(tmp, final); // a filesystem without hard links
    }
  }
  fsyncPath(dirname(final));
}

const tempBeside = (final: string) =>
  join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.tmp`);

const manifestPath = (file: string) => `${file}.json`;

/** The engine of a backup file, from its first bytes: pg_dump's custom format, or PGlite's gzip tarball. */
function sniff(file: string): Engine | null {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgresql';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  return null;
}

function masterKeyPath(config: Config) {
  return join(config.dataDir, 'keys', 'master.key');
}

function demoMasterKey(config: Config): string | undefined {
  if (!config.demo || config.TINHSO_KEY_PASSPHRASE) return undefined;
  const file = masterKeyPath(config);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------------------------
// Restore

function readManifest(file: string): BackupManifest | null {
  const path = manifestPath(file);
  if (!existsSync(path)) return null;
  let m: BackupManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch {
    m = {} as BackupManifest;
  }
  if (m.format !== BACKUP_FORMAT || (m.engine !== 'pglite' && m.engine !== 'postgresql')) {
    throw fail(
      'BACKUP_MANIFEST_INVALID',
      `${path} không phải bản kê sao lưu Tỉnh Số (${BACKUP_FORMAT}).`,
      `${path} is not a Tỉnh Số backup manifest (${BACKUP_FORMAT}).`,
    );
  }
  return m;
}

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

/** Demo mode: puts back the key that opens the demo signing keys of the restored database. */
function restoreMasterKey(config: Config, manifest: BackupManifest | null): RestoreResult['masterKey'] {
  if (!manifest?.demoMasterKey) return null;
  if (!config.demo || config.TINHSO_KEY_PASSPHRASE) return 'ignored';
  const file = masterKeyPath(config);
  let outcome: 'written' | 'replaced' = 'written';
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8').trim() === manifest.demoMasterKey) return 'same';
    renameSync(file, `${file}.before-restore-${stamp()}`);
    outcome = 'replaced';
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = tempBeside(file);
  writeFileSync(tmp, manifest.demoMasterKey, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// Command line: `npm run cli -- backup FILE [--force]`, `npm run cli -- restore FILE [--force]`

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;

/** Runs one of the two commands, prints the outcome in Vietnamese and English, returns the exit code. */
export async function runBackupCommand(
  config: Config,
  cmd: 'backup' | 'restore',
  args: string[],
): Promise<number> {
  const force = args.includes('--force');
  const files = args.filter((a) => a !== '--force');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    console.error(`npm run cli -- ${cmd} FILE [--force]`);
    return 1;
  }
  const file = files[0]!;
  try {
    if (cmd === 'backup') {
      const r = await backupDatabase(config, file, { force });
      const m = r.manifest;
      console.log(`Đã sao lưu / backed up (${m.engine}): ${r.file}`);
      console.log(`  ${size(m.bytes)} (${m.bytes} bytes), ${r.ms} ms`);
      console.log(`  SHA-256: ${m.sha256}`);
      console.log(
        `  Bản kê / manifest: ${r.manifestFile} — ${m.migrations.length} migration, ` +
          `${Object.keys(m.rowCounts).length} bảng / tables, ${m.rowCounts.dossiers ?? 0} hồ sơ / dossiers, ` +
          `${m.audit.records} bản ghi nhật ký / audit records`,
      );
      if (m.demoMasterKey) {
        console.log(
          '  Bản kê chứa khoá chủ của bản trình diễn (keys/master.key): giữ kín như chính CSDL. / ' +
            'The manifest holds the demo master key: keep it as secret as the database.',
        );
      }
      return 0;
    }
    const r = await restoreDatabase(config, file, { force });
    const tables = Object.keys(r.rowCounts).length;
    console.log(`Đã khôi phục / restored (${r.engine}) từ / from ${resolve(file)}, ${r.ms} ms`);
    console.log(
      r.manifest
        ? `  Bản sao lưu lúc / made at ${r.manifest.createdAt}; số dòng của ${tables} bảng khớp bản kê / row counts of ${tables} tables match the manifest`
        : '  Không có bản kê (.json): không kiểm được SHA-256 và số dòng. / No manifest: SHA-256 and row counts not checked.',
    );
    console.log(
      `  Migration đã áp dụng thêm / migrations applied: ${r.migrationsApplied.length ? r.migrationsApplied.join(', ') : 'không có / none'}`,
    );
    if (r.previousDataKeptIn)
      console.log(`  Dữ liệu cũ giữ tại / previous data kept in: ${r.previousDataKeptIn}`);
    if (r.masterKey === 'written' || r.masterKey === 'replaced') {
      console.log(
        `  Khoá chủ bản trình diễn / demo master key: ${join(config.dataDir, 'keys', 'master.key')} (${r.masterKey})`,
      );
    }
    if (r.auditChain.firstBrokenId === null) {
      console.log(`  Nhật ký nguyên vẹn: ${r.auditChain.checked} bản ghi / audit chain intact`);
      return 0;
    }
    console.error(
      `  Chuỗi băm nhật ký bị phá vỡ tại bản ghi #${r.auditChain.firstBrokenId} / audit chain broken at record #${r.auditChain.firstBrokenId}`,
    );
    return 2;
  } catch (e) {
    if (e instanceof DomainError) {
      console.error(`${e.messageVi}\n${e.messageEn} (${e.code})`);
      return 1;
    }
    if (e instanceof DataDirInUseError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
