import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID, sha256 } from '../src/certificate.js';
import {
  createDemoCa,
  type DemoCa,
  issueSigningCertificate,
  parsePdfDate,
  SoftwareSigner,
  signPdf,
  verifyPdf,
} from '../src/index.js';
import { decodeTextString, parseValue } from '../src/pdf-objects.js';
import { PdfReader } from '../src/pdf-reader.js';
import { nssTrusting, pdfsig, removeTempDirs, samplePdf, tempDir } from './helpers.js';
import { countInk, rasterize } from './ppm.js';

let ca: DemoCa;
let signer: SoftwareSigner;
let certificate: Uint8Array;
let signed: Buffer;

beforeAll(async () => {
  ca = await createDemoCa();
  const issued = await issueSigningCertificate(ca, {
    commonName: 'Trần Đức Lưỡng',
    organization: 'Văn phòng HĐND và UBND phường Trường Vinh',
    passphrase: 'x',
  });
  certificate = issued.certificate;
  signer = await SoftwareSigner.fromPkcs12(issued.p12, 'x');
  signed = await signPdf(await samplePdf(), signer, { reason: 'Kiểm tra' });
});

afterAll(removeTempDirs);

/** The CMS of the n-th signature (by position of /ByteRange). */
function cmsOf(pdf: Buffer, n = 0): pkijs.SignedData {
  let at = -1;
  for (let i = 0; i <= n; i++) at = pdf.indexOf('/ByteRange [0 ', at + 1);
  const open = pdf.indexOf('/Contents <', at) + '/Contents <'.length;
  const hex = pdf.toString('latin1', open, pdf.indexOf('>', open));
  const info = pkijs.ContentInfo.fromBER(Buffer.from(hex, 'hex'));
  return new pkijs.SignedData({ schema: info.content });
}

describe('CMS (PAdES B-B)', () => {
  it('signed attributes: contentType, messageDigest, signingCertificateV2, no signingTime', async () => {
    const sd = cmsOf(signed);
    const types = sd.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type);
    expect(types.sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(types).not.toContain(OID.signingTime);
    const ess = sd.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID.signingCertificateV2)!;
    const certHash = (ess.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const essId = certHash.valueBlock.value[0] as asn1js.Sequence;
    const hash = essId.valueBlock.value[0] as asn1js.OctetString;
    expect(Buffer.from(hash.valueBlock.valueHexView).equals(Buffer.from(await sha256(certificate)))).toBe(
      true,
    );
  });

  it('certificates are embedded byte for byte (UTF-8 names not re-encoded)', () => {
    const sd = cmsOf(signed);
    const ders = (sd.certificates ?? []).map((c) =>
      Buffer.from((c as pkijs.Certificate).toSchema(false).toBER(false)),
    );
    expect(ders[0]!.equals(Buffer.from(certificate))).toBe(true);
    expect(ders[1]!.equals(Buffer.from(ca.certificate))).toBe(true);
    expect(ders[0]!.includes(Buffer.from('Văn phòng HĐND', 'utf8'))).toBe(true);
  });

  it('a PKCS#12 with the wrong passphrase is refused', async () => {
    const issued = await issueSigningCertificate(ca, {
      commonName: 'A',
      organization: 'B',
      passphrase: 'right',
    });
    await expect(SoftwareSigner.fromPkcs12(issued.p12, 'wrong')).rejects.toThrow(/wrong passphrase/);
  });

  it('an expired certificate cannot sign', async () => {
    const old = await issueSigningCertificate(ca, {
      commonName: 'Hết hạn',
      organization: 'B',
      passphrase: 'p',
      validFrom: new Date('2020-01-01'),
      validTo: new Date('2021-01-01'),
    });
    const s = await SoftwareSigner.fromPkcs12(old.p12, 'p');
    await expect(signPdf(signed, s, { reason: 'x' })).rejects.toThrow(/not valid at/);
  });
});

describe('placement', () => {
  it('signs page 2 of a two-page PDF and keeps existing annotations; invisible signatures too', async () => {
    const two = await samplePdf(2);
    const visible = await signPdf(two, signer, {
      reason: 'Phụ lục',
      fieldName: 'Ký phụ lục',
      appearance: { page: 1, rect: [350, 600, 550, 700], kind: 'signer' },
    });
    // A second certificate: pdfsig 22.12 (Debian 12) misreports the certificate of a second signature made with
    // the SAME certificate as "Unknown issue…" (it reads a stale NSS error code, ignoring the return value of
    // CERT_PKIXVerifyCert; fixed in later poppler). Closed-loop signing always uses two certificates anyway.
    const other = await issueSigningCertificate(ca, {
      commonName: 'Văn thư',
      organization: 'UBND',
      passphrase: 'y',
    });
    const both = await signPdf(visible, await SoftwareSigner.fromPkcs12(other.p12, 'y'), {
      reason: 'Vô hình',
    });
    const reader = new PdfReader(both);
    const root = reader.dict(reader.trailer.entries.get('Root')!.value, 'root');
    const fields = reader.get(reader.dict(root.entries.get('AcroForm')!.value, 'acro'), 'Fields');
    expect(fields?.kind === 'array' && fields.items.length).toBe(2);
    const names = (fields as Extract<typeof fields, { kind: 'array' }>).items.map((f) => {
      const t = reader.get(reader.dict(f, 'field'), 'T');
      return t?.kind === 'string' ? decodeTextString(t.bytes) : null;
    });
    expect(names).toEqual(['Ký phụ lục', 'Signature2']);
    const pages = reader.get(reader.dict(root.entries.get('Pages')!.value, 'pages'), 'Kids');
    const annots = (n: number) => {
      const kids = pages?.kind === 'array' ? pages.items : [];
      const a = reader.get(reader.dict(kids[n], 'page'), 'Annots');
      return a?.kind === 'array' ? a.items.map((i) => reader.get(reader.dict(i, 'annot'), 'Subtype')) : [];
    };
    expect(annots(0).map((s) => s?.kind === 'name' && s.value)).toEqual(['Link', 'Widget']);
    expect(annots(1).map((s) => s?.kind === 'name' && s.value)).toEqual(['Widget']);
    const report = await verifyPdf(both, { trustAnchors: [ca.certificate] });
    expect(report.valid, JSON.stringify(report.errors)).toBe(true);
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['Ký phụ lục', 'Signature2']);
    const dir = tempDir('placement');
    writeFileSync(join(dir, 'two.pdf'), both);
    const { out, signatures } = pdfsig(join(dir, 'two.pdf'), nssTrusting(ca.certificatePem));
    expect(
      signatures.map((s) => s.valid && s.trusted),
      out,
    ).toEqual([true, true]);
    expect(out).toContain('Ký phụ lục');
    await expect(
      signPdf(two, signer, { reason: 'x', appearance: { page: 5, rect: [0, 0, 10, 10], kind: 'signer' } }),
    ).rejects.toThrow(/page 5 does not exist/);
    // An attachment: the agency signature without the seal image, text only at the top right of page 1.
    const attachment = await signPdf(two, signer, {
      reason: 'Văn bản kèm theo',
      appearance: {
        page: 0,
        rect: [360, 780, 560, 815],
        kind: 'agency',
        image: false,
        lines: ['Số: 15/QĐ-UBND'],
      },
    });
    writeFileSync(join(dir, 'attachment.pdf'), attachment);
    const page = rasterize(join(dir, 'attachment.pdf'));
    expect(countInk(page, 'dark', [360, 780, 560, 815])).toBeGreaterThan(20);
    expect(countInk(page, 'red', [360, 780, 560, 815])).toBe(0);
  });
});

describe('verifyPdf on malformed input never throws', () => {
  const anchors = () => ({ trustAnchors: [ca.certificate] });
  const cases: [string, () => Buffer, RegExp][] = [
    ['empty', () => Buffer.alloc(0), /not a PDF/],
    ['not a PDF', () => Buffer.from('<html>hello</html>'), /not a PDF/],
    [
      'random bytes after a header',
      () => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x30)]),
      /no signatures/,
    ],
    [
      'an unsigned PDF',
      () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
      /no signatures/,
    ],
    ['truncated', () => signed.subarray(0, signed.length - 300), /truncated|not exactly|does not fit/],
    [
      'a huge ByteRange',
      () => {
        const s = Buffer.from(signed);
        const i = s.indexOf('/ByteRange [0 ');
        const close = s.indexOf(']', i);
        const huge = '/ByteRange [0 9999999999999 99999999999999999999 1]';
        return Buffer.concat([
          s.subarray(0, i),
          Buffer.from(huge.padEnd(close + 1 - i, ' ')),
          s.subarray(close + 1),
        ]);
      },
      /ByteRange|does not fit/,
    ],
    [
      'garbage CMS',
      () => {
        const s = Buffer.from(signed);
        const open = s.indexOf('/Contents <') + 11;
        s.write('deadbeef', open, 'latin1');
        return s;
      },
      /./,
    ],
    [
      'deeply nested dictionaries',
      () => Buffer.from(`%PDF-1.7\n1 0 obj ${'<< /A '.repeat(50_000)} endobj /ByteRange /Contents`),
      /no signatures/,
    ],
  ];
  for (const [name, make, error] of cases)
    it(name, async () => {
      const report = await verifyPdf(make(), anchors());
      expect(report.valid).toBe(false);
      const all = [...report.errors, ...report.signatures.flatMap((s) => s.errors)].join('\n');
      expect(all).toMatch(error);
    });

  it('a non-Buffer argument is reported, not thrown', async () => {
    const report = await verifyPdf(null as unknown as Buffer, anchors());
    expect(report.valid).toBe(false);
    expect(report.errors.length).toBeGreaterThan(0);
  });
});

describe('PDF object reader', () => {
  it('parses strings, names, references and nested values', () => {
    const v = parseValue(
      Buffer.from('<< /T (Ch\\367 k\\(ý\\)) /N /A#20B /R 12 0 R /A [1 -2.5 <FEFF0110> true null] >>'),
      0,
    );
    expect(v.kind).toBe('dict');
    if (v.kind !== 'dict') return;
    const get = (k: string) => v.entries.get(k)!.value;
    expect(get('N')).toMatchObject({ kind: 'name', value: 'A B' });
    expect(get('R')).toMatchObject({ kind: 'ref', num: 12, gen: 0 });
    const arr = get('A');
    expect(arr.kind === 'array' && arr.items.map((i) => i.kind)).toEqual([
      'number',
      'number',
      'string',
      'bool',
      'null',
    ]);
    const s = arr.kind === 'array' ? arr.items[2]! : arr;
    expect(s.kind === 'string' && decodeTextString(s.bytes)).toBe('Đ');
  });

  it('parses PDF dates with offsets', () => {
    expect(parsePdfDate("D:20261124101503+07'00'")?.toISOString()).toBe('2026-11-24T03:15:03.000Z');
    expect(parsePdfDate('D:20261124031503Z')?.toISOString()).toBe('2026-11-24T03:15:03.000Z');
    expect(parsePdfDate('yesterday')).toBeNull();
  });
});
