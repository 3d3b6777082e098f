import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  appendAudit,
  auditAnchor,
  checkAuditAnchor,
  parseAuditAnchor,
  sealAllAudit,
  verifyAuditChain,
} from '@tinhso/db';
import { boot, isEmpty } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemo } from './demo/seed.js';
import { runBackupCommand } from './services/backup/index.js';
import { catalogueToXlsx, xlsxToCatalogue } from './services/catalogue-xlsx.js';

const USAGE = `Tỉnh Số — công cụ dòng lệnh / command line
  npm run cli -- migrate                    áp dụng migration / apply migrations
  npm run cli -- seed-demo [--dossiers N]   nạp dữ liệu mẫu vào CSDL trống / load demo data into an empty database
  npm run cli -- import-catalogue FILE      nhập danh mục (.json hoặc .xlsx) / import the catalogue
  npm run cli -- export-catalogue FILE      xuất danh mục (.json hoặc .xlsx) / export the catalogue
  npm run cli -- verify-audit [--anchor SEQ:HASH]
                                            kiểm tra chuỗi băm nhật ký (và một mốc đã ghi lại) / verify the audit
                                            hash chain (and an anchor recorded earlier); prints the new anchor
  npm run cli -- rebuild-indicators         tính lại số liệu chỉ số từ hồ sơ / rebuild the indicator aggregates
  npm run cli -- backup FILE [--force]      sao lưu CSDL vào FILE (+ FILE.json) / back up the database
  npm run cli -- restore FILE [--force]     khôi phục vào CSDL trống, rồi migrate / restore into an empty database`;

async function main(argv: string[]) {
  const [cmd, arg, value] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  // Before boot: these open the database themselves (restore must find it closed and not yet migrated).
  if (cmd === 'backup' || cmd === 'restore') return runBackupCommand(config, cmd, argv.slice(1));
  const ctx = await boot(config, { migrate: cmd === 'migrate' || config.TINHSO_MIGRATE_ON_START });
  const system = { actorType: 'system' as const, actorId: null, ip: null };
  try {
    switch (cmd) {
      case 'migrate':
        console.log(`migrations applied (${ctx.database.kind})`);
        return 0;
      case 'seed-demo': {
        if (!(await isEmpty(ctx))) {
          console.error('Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu. / The database is not empty.');
          return 1;
        }
        const n = arg === '--dossiers' ? Number(value) : undefined;
        console.log(await seedDemo(ctx, n ? { dossiers: n } : {}));
        return 0;
      }
      case 'import-catalogue': {
        if (!arg) throw new Error('FILE required');
        const defs = arg.endsWith('.xlsx')
          ? await xlsxToCatalogue(readFileSync(arg))
          : (JSON.parse(readFileSync(arg, 'utf8')) as { procedures: never[] }).procedures;
        let created = 0;
        for (const d of defs) if ((await ctx.catalogue.save(d, system)).created) created++;
        console.log(`${defs.length} thủ tục, ${created} phiên bản mới / procedures, new versions`);
        return 0;
      }
      case 'export-catalogue': {
        if (!arg) throw new Error('FILE required');
        const defs = await ctx.catalogue.exportAll();
        writeFileSync(
          arg,
          arg.endsWith('.xlsx') ? await catalogueToXlsx(defs) : JSON.stringify({ procedures: defs }, null, 2),
        );
        console.log(`${defs.length} thủ tục → ${arg}`);
        return 0;
      }
      case 'verify-audit': {
        // Chains what committed writes left unsealed (a stopped server seals at shutdown), then walks the chain.
        let anchorText: string | undefined;
        try {
          anchorText = parseArgs({ args: argv.slice(1), options: { anchor: { type: 'string' } } }).values
            .anchor;
        } catch (e) {
          console.error(`Tham số không hợp lệ / bad arguments: ${(e as Error).message}\n${USAGE}`);
          return 1;
        }
        const expected = anchorText === undefined ? null : parseAuditAnchor(anchorText);
        if (anchorText !== undefined && !expected) {
          console.error('Mốc phải có dạng SEQ:HASH (như lệnh này in ra) / the anchor must read SEQ:HASH');
          return 1;
        }
        await sealAllAudit(ctx.database.db);
        // Read before the walk: the head printed below is within what the walk verifies, even while nodes seal.
        const head = await auditAnchor(ctx.database.db);
        const r = await verifyAuditChain(ctx.database.db);
        if (r.missingAfter !== null) {
          console.error(
            `Thiếu các bản ghi cuối chuỗi sau số thứ tự ${r.missingAfter} / the chain's last records after seq ${r.missingAfter} are missing`,
          );
          return 2;
        }
        if (r.firstBrokenId === null) {
          console.log(
            `Nhật ký nguyên vẹn: ${r.checked} bản ghi / audit chain intact` +
              (r.unsealed ? ` (${r.unsealed} bản ghi chưa niêm phong / not sealed yet)` : ''),
          );
          if (expected) {
            const held = await checkAuditAnchor(ctx.database.db, expected);
            if (held !== 'holds') {
              console.error(
                held === 'missing'
                  ? `Không còn bản ghi số ${expected.seq} của mốc / the anchor's record ${expected.seq} is gone`
                  : `Chuỗi đã bị tính lại đến bản ghi số ${expected.seq}: khác mốc đã ghi / the chain was rewritten up to record ${expected.seq}`,
              );
              return 2;
            }
            console.log(`Mốc ${expected.seq} khớp / anchor ${expected.seq} holds`);
          }
          console.log(
            `Mốc hiện tại (ghi lại bên ngoài CSDL) / current anchor (record it outside the database): ${head.seq}:${head.hash}`,
          );
          return 0;
        }
        console.error(
          `Chuỗi băm bị phá vỡ tại bản ghi #${r.firstBrokenId} / chain broken at record #${r.firstBrokenId}`,
        );
        return 2;
      }
      case 'rebuild-indicators': {
        const started = Date.now();
        const facts = await ctx.indicators.store.rebuild();
        await ctx.database.db.transaction().execute((tx) =>
          appendAudit(tx, {
            ...system,
            action: 'indicator.rebuild',
            entityType: 'indicators',
            entityId: null,
            details: { facts },
          }),
        );
        console.log(`${facts} hồ sơ đã tiếp nhận, ${Date.now() - started} ms / received dossiers rebuilt`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 1;
    }
  } finally {
    await ctx.database.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  });
