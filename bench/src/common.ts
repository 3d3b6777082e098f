/** Helpers shared by the benchmark scripts: database URLs, formatting, percentiles. */
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tinhso_bench';

/** The database name of a connection string. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  return name;
}

/** The same server, maintenance database `postgres` (to drop and create databases). */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * Drops (if present) and creates a database. Refuses names without "bench" in them so that a mistyped URL never
 * drops a real database.
 */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!name.includes('bench')) {
    throw new Error(`refusing to drop "${name}": benchmark database names must contain "bench"`);
  }
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** Drops a benchmark database (its name must contain "bench", as for recreateDatabase). */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!name.includes('bench')) throw new Error(`refusing to drop "${name}": not a benchmark database`);
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A duration in seconds with one decimal: "12.3 s". */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Runs `f` and returns its result with the milliseconds it took; prints them after `label` unless it is null. */
export async function timed<T>(label: string | null, f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  const ms = performance.now() - t;
  if (label) console.log(`  ${label}: ${seconds(ms)}`);
  return [r, ms];
}

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(0)} KiB`;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** What people type in the portal's search box: no diacritics, abbreviations, typos (ki/ky, f/ph, x/s, ch/tr). */
export const SEARCH_QUERIES = [
  'giay phep xay dung',
  'dang ky khai sinh',
  'dang ki ket hon',
  'ly lich tu phap',
  'ho kinh doanh',
  'khai tu',
  'xac nhan tinh trang hon nhan',
  'chung thuc ban sao',
  'chung thuc chu ky',
  'dang ky tam tru',
  'dang ky thuong chu',
  'giay chung nhan quyen su dung dat',
  'tach thua',
  'cap lai giay phep lai xe',
  'tro cap that nghiep',
  'ho ngheo can ngheo',
  'thanh lap doanh nghiep',
  'cong ty co phan',
  'cong ty tnhh mot thanh vien',
  'giay phep kinh doanh van tai',
  'chung chi hanh nghe duoc',
  'nuoi con nuoi',
  'dang ky giam ho',
  'khai sinh co yeu to nuoc ngoai',
  'trich luc ho tich',
  'ho tro mai tang',
  'xac dinh muc do khuyet tat',
  'ban le xang dau',
  'giay fep xay dung',
  'dang ky khai xinh',
  'ket hon nguoi nuoc ngoai',
  'tuyen sinh trung hoc',
  '1.001193',
];
