/**
 * Render + sign throughput of receipts (Mẫu 01) with a software key, and verification throughput.
 * `npx tsx bench/src/documents.ts [--seconds 10] [--workers 2]` — one process per worker (worker_threads),
 * each rendering a receipt with @tinhso/pdf and signing it with @tinhso/signing (PAdES, RSA-2048), then verifying.
 */
import { cpus } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { renderReceipt } from '@tinhso/pdf';
import { createDemoCa, issueSigningCertificate, SoftwareSigner, signPdf, verifyPdf } from '@tinhso/signing';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Setup {
  p12: Buffer;
  ca: Uint8Array;
  seconds: number;
}

function receipt(n: number) {
  const now = new Date();
  return renderReceipt({
    issuer: {
      parent: 'Ủy ban nhân dân tỉnh Nghệ An',
      name: 'Trung tâm Phục vụ hành chính công tỉnh',
      place: 'Vinh',
    },
    dossierCode: `H41.02-261124-${String(n % 10000).padStart(4, '0')}`,
    applicant: {
      name: 'Nguyễn Thị Hường',
      idNumber: '040164005678',
      address: 'Xóm 3, xã Diễn Châu, tỉnh Nghệ An',
    },
    procedure: {
      name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài',
      code: '3.000333',
    },
    components: [
      { name: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', copies: 1, note: 'Đã số hóa' },
      { name: 'Bản chụp giấy tờ tùy thân', copies: 1 },
    ],
    processingDays: 10,
    receivedAt: now,
    appointmentAt: new Date(now.getTime() + 14 * 86_400_000),
    statusUrl: `https://dichvucong.nghean.gov.vn/?ma=H41.02-261124-${n}`,
  });
}

async function work(setup: Setup) {
  // workerData arrives as a Uint8Array (structured clone), not a Buffer.
  const signer = await SoftwareSigner.fromPkcs12(Buffer.from(setup.p12), 'bench');
  const until = Date.now() + setup.seconds * 1000;
  let signed = 0;
  let last: Buffer = Buffer.alloc(0);
  const t0 = performance.now();
  while (Date.now() < until) {
    last = await signPdf(await receipt(signed), signer, { reason: 'Tiếp nhận hồ sơ' });
    signed++;
  }
  const signSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let verified = 0;
  while (performance.now() - t1 < (setup.seconds * 1000) / 2) {
    const r = await verifyPdf(last, { trustAnchors: [setup.ca] });
    if (!r.valid) throw new Error('verification failed');
    verified++;
  }
  return {
    signed,
    signSeconds,
    verified,
    verifySeconds: (performance.now() - t1) / 1000,
    bytes: last.length,
  };
}

if (isMainThread) {
  const seconds = arg('seconds', 10);
  const workers = arg('workers', 2);
  const ca = await createDemoCa();
  const { p12 } = await issueSigningCertificate(ca, {
    commonName: 'Trung tâm Phục vụ hành chính công tỉnh',
    organization: 'Ủy ban nhân dân tỉnh Nghệ An',
    passphrase: 'bench',
  });
  const setup: Setup = { p12, ca: ca.certificate, seconds };
  const results = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Awaited<ReturnType<typeof work>>>((resolve, reject) => {
          // A worker cannot load TypeScript by itself: register tsx in it, then import this file.
          const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const w = new Worker(boot, { eval: true, workerData: setup });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const signedPerSecond = results.reduce((a, r) => a + r.signed / r.signSeconds, 0);
  const verifiedPerSecond = results.reduce((a, r) => a + r.verified / r.verifySeconds, 0);
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        node: process.version,
        workers,
        seconds,
        receiptBytes: results[0]?.bytes,
        renderAndSignPerSecond: Math.round(signedPerSecond),
        verifyPerSecond: Math.round(verifiedPerSecond),
      },
      null,
      2,
    ),
  );
} else {
  parentPort!.postMessage(await work(workerData as Setup));
}
