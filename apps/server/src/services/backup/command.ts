import { join, resolve } from 'node:path';
import { DataDirInUseError } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import type { Config } from '../../config.js';
import { backupDatabase } from './backup.js';
import { restoreDatabase } from './restore.js';

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
