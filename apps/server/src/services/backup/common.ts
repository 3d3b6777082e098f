import { join } from 'node:path';
import { DomainError } from '@tinhso/domain';
import type { Config } from '../../config.js';

// Types and small helpers shared by the backup modules.

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

export const fail = (code: string, vi: string, en: string) => new DomainError(code, vi, en);

export const engineOf = (config: Config): Engine => (config.DATABASE_URL ? 'postgresql' : 'pglite');
export const pgliteDir = (config: Config) => join(config.dataDir, 'pglite');
export const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
