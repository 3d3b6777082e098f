import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDemoCa,
  type DemoCa,
  formatVietnamTime,
  issueSigningCertificate,
  SoftwareSigner,
  signPdf,
  verifyPdf,
} from '../src/index.js';
import {
  LAYOUT,
  nssTrusting,
  pdfsig,
  RENDER_DIR,
  removeTempDirs,
  renderPage,
  samplePdf,
  tempDir,
} from './helpers.js';
import { countInk, rasterize } from './ppm.js';

const SIGNER_NAME = 'Hoàng Thu Hà';
const UNIT = 'Ủy ban nhân dân phường Trường Vinh';

describe('closed-loop PAdES signing: the signer, then the agency seal with the number', () => {
  let ca: DemoCa;
  let nss: string;
  let dir: string;
  let unsigned: Buffer;
  let signed1: Buffer;
  let signed2: Buffer;
  let signerSerial: string;
  const time1 = new Date(Date.now() - 120_000);
  const time2 = new Date(Date.now() - 60_000);
  const file = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  beforeAll(async () => {
    dir = tempDir('signing');
    ca = await createDemoCa();
    nss = nssTrusting(ca.certificatePem);
    const validFrom = new Date(Date.now() - 30 * 86_400_000);
    const person = await issueSigningCertificate(ca, {
      commonName: SIGNER_NAME,
      organization: UNIT,
      title: 'Chủ tịch',
      email: 'hoangthuha@truongvinh.nghean.gov.vn',
      province: 'Nghệ An',
      passphrase: 'mật khẩu 1',
      validFrom,
    });
    const agency = await issueSigningCertificate(ca, {
      commonName: UNIT,
      organization: UNIT,
      province: 'Nghệ An',
      passphrase: 'mật khẩu 2',
      validFrom,
    });
    signerSerial = person.serialNumber;
    unsigned = await samplePdf();
    const personSigner = await SoftwareSigner.fromPkcs12(person.p12, 'mật khẩu 1');
    signed1 = await signPdf(unsigned, personSigner, {
      reason: 'Ký phê duyệt Quyết định',
      location: 'Phường Trường Vinh, tỉnh Nghệ An',
      signingTime: time1,
      appearance: { page: 0, rect: LAYOUT.signerBox, kind: 'signer' },
    });
    const agencySigner = await SoftwareSigner.fromPkcs12(agency.p12, 'mật khẩu 2');
    signed2 = await signPdf(signed1, agencySigner, {
      reason: 'Văn thư cấp số và đóng dấu',
      signingTime: time2,
      appearance: {
        page: 0,
        rect: LAYOUT.sealBox,
        kind: 'agency',
        lines: ['Số: 15/QĐ-UBND', `Thời gian ký: ${formatVietnamTime(time2)}`],
        textRect: LAYOUT.numberBox,
      },
    });
  });

  afterAll(removeTempDirs);

  it('the PDF is about 25 KB and the signer PDF keeps it byte for byte', () => {
    expect(unsigned.length).toBeGreaterThan(10_000);
    expect(unsigned.length).toBeLessThan(60_000);
    expect(signed1.subarray(0, unsigned.length).equals(unsigned)).toBe(true);
  });

  it('pdfsig: the signer signature is valid, trusted, with the Vietnamese name', () => {
    const { out, signatures } = pdfsig(file('signed1.pdf', signed1), nss);
    expect(signatures, out).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ commonName: SIGNER_NAME, valid: true, trusted: true });
    expect(signatures[0]!.totalDocumentSigned).toBe(true);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('O=Ủy ban nhân dân phường Trường Vinh');
  });

  it('the agency signature is an incremental update: pdfsig reports both valid and trusted', () => {
    expect(signed2.subarray(0, signed1.length).equals(signed1)).toBe(true);
    const { out, signatures } = pdfsig(file('signed2.pdf', signed2), nss);
    expect(signatures, out).toHaveLength(2);
    expect(signatures.map((s) => s.commonName)).toEqual([SIGNER_NAME, UNIT]);
    for (const s of signatures) expect(s, out).toMatchObject({ valid: true, trusted: true });
    expect(signatures[1]!.totalDocumentSigned).toBe(true);
  });

  it('verifyPdf agrees with pdfsig', async () => {
    const report = await verifyPdf(signed2, { trustAnchors: [ca.certificate] });
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.modifiedAfterLastSignature).toBe(false);
    expect(report.signatures).toHaveLength(2);
    const [first, second] = report.signatures;
    expect(first).toMatchObject({
      fieldName: 'Signature1',
      subFilter: 'ETSI.CAdES.detached',
      signerCommonName: SIGNER_NAME,
      signerOrganization: UNIT,
      certificateSerial: signerSerial,
      reason: 'Ký phê duyệt Quyết định',
      integrity: true,
      signatureValid: true,
      chainTrusted: true,
      coversWholeDocument: true,
      errors: [],
    });
    expect(first!.signingTime?.getTime()).toBe(Math.floor(time1.getTime() / 1000) * 1000);
    expect(first!.byteRange![2] + first!.byteRange![3]).toBe(signed1.length);
    expect(second).toMatchObject({
      fieldName: 'Signature2',
      signerCommonName: UNIT,
      coversWholeDocument: true,
    });
    expect(second!.byteRange![2] + second!.byteRange![3]).toBe(signed2.length);
  });

  it('a changed byte in the signed content: pdfsig reports a digest mismatch, verifyPdf integrity false', async () => {
    const tampered = Buffer.from(signed2);
    const pos = tampered.indexOf('(PDFKit)'); // /Producer in the Info dictionary of the first revision
    expect(pos).toBeGreaterThan(0);
    expect(pos).toBeLessThan(unsigned.length);
    tampered[pos + 2] = 0x64; // 'D' → 'd'
    const { out, signatures } = pdfsig(file('tampered.pdf', tampered), nss);
    expect(signatures, out).toHaveLength(2);
    for (const s of signatures) expect(s.lines.join('\n')).toMatch(/Digest Mismatch|Signature is Invalid/);
    const report = await verifyPdf(tampered, { trustAnchors: [ca.certificate] });
    expect(report.valid).toBe(false);
    expect(report.signatures.map((s) => s.integrity)).toEqual([false, false]);
    expect(report.signatures.map((s) => s.signatureValid)).toEqual([true, true]);
  });

  it('bytes appended after the last signature are reported', async () => {
    const appended = Buffer.concat([signed2, Buffer.from('\n1 0 obj\n(modified)\nendobj\n')]);
    const { signatures } = pdfsig(file('appended.pdf', appended), nss);
    expect(signatures[1]!.totalDocumentSigned).toBe(false);
    const report = await verifyPdf(appended, { trustAnchors: [ca.certificate] });
    expect(report.modifiedAfterLastSignature).toBe(true);
    expect(report.valid).toBe(false);
    expect(report.signatures.map((s) => [s.integrity, s.coversWholeDocument])).toEqual([
      [true, true],
      [true, false],
    ]);
  });

  it('another CA is not trusted (pdfsig and verifyPdf)', async () => {
    const other = await createDemoCa({ name: 'Another DEMO CA' });
    const { signatures } = pdfsig(file('untrusted.pdf', signed2), nssTrusting(other.certificatePem));
    expect(signatures.map((s) => s.trusted)).toEqual([false, false]);
    const report = await verifyPdf(signed2, { trustAnchors: [other.certificate] });
    expect(report.valid).toBe(false);
    expect(report.signatures.map((s) => [s.integrity, s.signatureValid, s.chainTrusted])).toEqual([
      [true, true, false],
      [true, true, false],
    ]);
  });

  it('renders both appearances: blue signature, red seal over its left third, black number text', () => {
    const png1 = renderPage(file('signed1.pdf', signed1), 'signer');
    const png2 = renderPage(file('signed2.pdf', signed2), 'signer-and-seal');
    expect(png1.startsWith(RENDER_DIR) && png2.startsWith(RENDER_DIR)).toBe(true);
    const page = rasterize(join(dir, 'signed2.pdf'));
    const [x1, y1, x2, y2] = LAYOUT.signerBox;
    const third = (x2 - x1) / 3;
    expect(countInk(page, 'blue', LAYOUT.signerBox)).toBeGreaterThan(40);
    expect(countInk(page, 'red', LAYOUT.sealBox)).toBeGreaterThan(200);
    expect(countInk(page, 'red', [x1, y1, x1 + third, y2])).toBeGreaterThan(20);
    expect(countInk(page, 'red', [x1 + third + 6, y1, x2, y2])).toBe(0);
    expect(countInk(page, 'dark', LAYOUT.numberBox)).toBeGreaterThan(30);
    const before = rasterize(join(dir, 'signed1.pdf'));
    expect(countInk(before, 'red', LAYOUT.sealBox)).toBe(0);
    expect(countInk(before, 'dark', LAYOUT.numberBox)).toBe(0);
  });
});
