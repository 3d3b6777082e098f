import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.js';
import { type BackupManifest, type RestoreResult, stamp } from './common.js';
import { tempBeside } from './files.js';

// The demo master key (TINHSO_DATA_DIR/keys/master.key), carried in the manifest in demo mode.

function masterKeyPath(config: Config) {
  return join(config.dataDir, 'keys', 'master.key');
}

export function demoMasterKey(config: Config): string | undefined {
  if (!config.demo || config.TINHSO_KEY_PASSPHRASE) return undefined;
  const file = masterKeyPath(config);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Demo mode: puts back the key that opens the demo signing keys of the restored database. */
export function restoreMasterKey(
  config: Config,
  manifest: BackupManifest | null,
): RestoreResult['masterKey'] {
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
