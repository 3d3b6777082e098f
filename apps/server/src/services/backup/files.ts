import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BACKUP_FORMAT, type BackupManifest, type Engine, fail } from './common.js';

// Files

export function sha256File(path: string): Promise<string> {
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

export const exists = () =>
  fail(
    'BACKUP_FILE_EXISTS',
    'Tệp sao lưu đã tồn tại; chọn tên khác hoặc thêm --force để ghi đè.',
    'The backup file already exists; choose another name or add --force to overwrite it.',
  );

/** Moves a finished temp file into place: atomically, and without replacing an existing file unless `force`. */
export function commit(tmp: string, final: string, force: boolean) {
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

export const tempBeside = (final: string) =>
  join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.tmp`);

export const manifestPath = (file: string) => `${file}.json`;

/** The engine of a backup file, from its first bytes: pg_dump's custom format, or PGlite's gzip tarball. */
export function sniff(file: string): Engine | null {
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

export function readManifest(file: string): BackupManifest | null {
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
