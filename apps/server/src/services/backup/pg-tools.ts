import { spawn } from 'node:child_process';
import { fail } from './common.js';

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

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
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
export async function pgTool(cmd: 'pg_dump' | 'pg_restore', needMajor: number, against: string) {
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
