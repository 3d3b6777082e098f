import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

/** Where rendered pages are written for a human to look at. */
export const RENDER_DIR = '/tmp/tinhso-signing';

const TOOLS: Record<string, string> = {
  pdfsig: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  certutil: 'libnss3-tools',
  'softhsm2-util': 'softhsm2',
};

/** Runs a Debian tool; a missing tool fails with the name of the package to install. */
export function run(tool: string, args: string[], env?: NodeJS.ProcessEnv): { status: number; out: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', env: env ?? process.env });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(`${tool} is not installed: apt-get install -y ${TOOLS[tool] ?? tool}`);
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

const created: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tinhso-${prefix}-`));
  created.push(dir);
  return dir;
}
/** Removes the temporary directories of this test file (rendered pages in RENDER_DIR stay). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** An NSS database trusting `caPem`, for pdfsig. */
export function nssTrusting(caPem: string): string {
  const dir = tempDir('nss');
  writeFileSync(join(dir, 'ca.pem'), caPem);
  for (const args of [
    ['-N', '-d', `sql:${dir}`, '--empty-password'],
    ['-A', '-n', 'ca', '-t', 'CT,C,C', '-i', join(dir, 'ca.pem'), '-d', `sql:${dir}`],
  ]) {
    const r = run('certutil', args);
    if (r.status !== 0) throw new Error(`certutil ${args.join(' ')}: ${r.out}`);
  }
  return dir;
}

export interface PdfsigSignature {
  field: string;
  commonName: string;
  valid: boolean;
  trusted: boolean;
  totalDocumentSigned: boolean;
  lines: string[];
}

/** Runs `pdfsig -nssdir sql:DIR file` and splits its report per signature. */
export function pdfsig(file: string, nssDir: string): { out: string; signatures: PdfsigSignature[] } {
  const { out } = run('pdfsig', ['-nssdir', `sql:${nssDir}`, file]);
  const signatures = out
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const lines = block
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const get = (label: string) =>
        lines
          .find((l) => l.startsWith(`- ${label}:`))
          ?.slice(label.length + 3)
          .trim() ?? '';
      return {
        field: get('Signature Field Name'),
        commonName: get('Signer Certificate Common Name'),
        valid: get('Signature Validation') === 'Signature is Valid.',
        trusted: get('Certificate Validation') === 'Certificate is Trusted.',
        totalDocumentSigned: lines.includes('- Total document signed'),
        lines,
      };
    });
  return { out, signatures };
}

/** Renders page `page` (1-based) at 110 dpi into RENDER_DIR/<name>.png and returns the path. */
export function renderPage(file: string, name: string, page = 1): string {
  mkdirSync(RENDER_DIR, { recursive: true });
  const prefix = join(RENDER_DIR, name);
  const args = ['-r', '110', '-png', '-singlefile', '-f', String(page), '-l', String(page), file, prefix];
  const r = run('pdftoppm', args);
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.out}`);
  return `${prefix}.png`;
}

const FONT = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
);
const BOLD = createRequire(import.meta.url).resolve('@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf');

/** Page geometry of the sample decision (PDF user space, origin bottom-left, A4 595×842). */
export const LAYOUT = {
  signerBox: [340, 200, 540, 300] as [number, number, number, number],
  sealBox: [282, 190, 402, 310] as [number, number, number, number],
  numberBox: [40, 712, 250, 742] as [number, number, number, number],
};

/** A one- or two-page decision in Vietnamese, rendered with pdfkit and Tinos (about 25 KB). */
export function samplePdf(pages = 1): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: 'Quyết định cấp giấy phép xây dựng' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('r', FONT).registerFont('b', BOLD);
    doc.font('r').fontSize(12).text('ỦY BAN NHÂN DÂN', 40, 50, { width: 210, align: 'center' });
    doc.font('b').text('PHƯỜNG TRƯỜNG VINH', 40, 66, { width: 210, align: 'center' });
    doc.font('b').text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 260, 50, { width: 300, align: 'center' });
    doc.text('Độc lập - Tự do - Hạnh phúc', 260, 66, { width: 300, align: 'center', underline: true });
    doc
      .font('r')
      .fontSize(12)
      .text('Nghệ An, ngày 24 tháng 11 năm 2026', 260, 104, { width: 300, align: 'center' });
    doc.font('b').fontSize(14).text('QUYẾT ĐỊNH', 50, 160, { width: 495, align: 'center' });
    doc
      .font('b')
      .fontSize(12)
      .text('Về việc cấp giấy phép xây dựng nhà ở riêng lẻ', { width: 495, align: 'center' });
    doc.moveDown().font('r').fontSize(12);
    const body =
      'Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 ' +
      'của Chính phủ về công tác văn thư; xét đề nghị của Phòng Kinh tế, Hạ tầng và Đô thị, ' +
      'cấp giấy phép xây dựng cho ông Nguyễn Văn Minh, địa chỉ: khối Đông Thọ, phường Trường Vinh, tỉnh Nghệ An. ';
    for (let i = 0; i < 5; i++) doc.text(`Điều ${i + 1}. ${body}`, { align: 'justify' });
    doc.font('b').text('CHỦ TỊCH', 340, 842 - 320, { width: 200, align: 'center' });
    doc.link(40, 780, 200, 20, 'https://tinhso.nghean.gov.vn/xac-thuc'); // an existing annotation on page 1
    for (let p = 1; p < pages; p++) {
      doc.addPage();
      doc
        .font('r')
        .text(`Trang ${p + 1}: phụ lục kèm theo Quyết định — danh mục hồ sơ, bản vẽ, ghi chú.`, 50, 80);
    }
    doc.end();
  });
}
