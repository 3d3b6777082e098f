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

export { backupDatabase } from './backup.js';
export { runBackupCommand } from './command.js';
export type { BackupManifest, BackupResult, Engine, RestoreResult } from './common.js';
export { BACKUP_FORMAT } from './common.js';
export { pgEnv } from './pg-tools.js';
export { restoreDatabase } from './restore.js';
