import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DIGEST_NAMES, engine, OID, summarize } from './certificate.js';
import { checkChain, findSignerCertificate } from './chain.js';
import { decodeTextString, type PdfDict, type PdfValue } from './pdf-objects.js';
import { parsePdfDate, type ScannedObject, scan } from './pdf-scan.js';

/**
 * Verification of the signatures of a PDF, like an auditor (and like pdfsig): byte ranges, digest, CMS
 * signature over the signed attributes, ESS signing-certificate binding, chain to the given trust anchors at
 * the /M signing time, and whether the document was changed after the last signature. Never throws: malformed
 * input yields a report with errors.
 */

export interface SignatureReport {
  fieldName: string | null;
  subFilter: string | null;
  signerCommonName: string | null;
  signerOrganization: string | null;
  /** Hex, upper case. */
  certificateSerial: string | null;
  /** /M of the signature dictionary (claimed by the signer; no timestamp token yet). */
  signingTime: Date | null;
  reason: string | null;
  byteRange: [number, number, number, number] | null;
  /** The digest of the byte ranges equals the signed messageDigest attribute. */
  integrity: boolean;
  /** The CMS signature over the signed attributes verifies with the signer certificate (and ESS binding). */
  signatureValid: boolean;
  /** The signer certificate chains to one of the trust anchors, all valid at the signing time. */
  chainTrusted: boolean;
  /** Last signature: its byte range reaches the end of the file. Earlier ones: they cover a complete
   * revision (ending with %%EOF) and only incremental updates follow. */
  coversWholeDocument: boolean;
  errors: string[];
}

export interface VerificationReport {
  /** At least one signature and every check of every signature passed, nothing appended after the last one. */
  valid: boolean;
  modifiedAfterLastSignature: boolean;
  signatures: SignatureReport[];
  errors: string[];
}

const MAX_SIGNATURES = 100;
const MAX_CMS_BYTES = 1 << 20;

/** SigningCertificateV2 → the first ESSCertIDv2's hash algorithm (default SHA-256) and hash. */
function essCertHash(value: unknown): { algorithm: string; hash: Buffer } | null {
  const seqs = (v: unknown) => (v instanceof asn1js.Sequence ? v.valueBlock.value : []);
  const id = seqs(seqs(value)[0])[0];
  const [first, second] = seqs(id);
  if (first instanceof asn1js.OctetString)
    return { algorithm: OID.sha256, hash: Buffer.from(first.valueBlock.valueHexView) };
  const oid = seqs(first)[0];
  if (oid instanceof asn1js.ObjectIdentifier && second instanceof asn1js.OctetString)
    return { algorithm: oid.valueBlock.toString(), hash: Buffer.from(second.valueBlock.valueHexView) };
  return null;
}

const entry = (d: PdfDict, key: string): PdfValue | undefined => d.entries.get(key)?.value;
const str = (v: PdfValue | undefined) => (v?.kind === 'string' ? decodeTextString(v.bytes) : null);

function emptyReport(fieldName: string | null, sig: PdfDict): SignatureReport {
  const sub = entry(sig, 'SubFilter');
  const m = str(entry(sig, 'M'));
  return {
    fieldName,
    subFilter: sub?.kind === 'name' ? sub.value : null,
    signerCommonName: null,
    signerOrganization: null,
    certificateSerial: null,
    signingTime: m ? parsePdfDate(m) : null,
    reason: str(entry(sig, 'Reason')),
    byteRange: null,
    integrity: false,
    signatureValid: false,
    chainTrusted: false,
    coversWholeDocument: false,
    errors: [],
  };
}

function checkByteRange(buf: Buffer, sig: PdfDict, r: SignatureReport): boolean {
  const br = entry(sig, 'ByteRange');
  const contents = entry(sig, 'Contents');
  const nums = br?.kind === 'array' ? br.items.map((i) => (i.kind === 'number' ? i.value : Number.NaN)) : [];
  if (nums.length !== 4 || nums.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    r.errors.push('/ByteRange is not four non-negative integers');
    return false;
  }
  const [a, b, c, d] = nums as [number, number, number, number];
  r.byteRange = [a, b, c, d];
  if (a !== 0 || c <= b || c + d > buf.length) {
    r.errors.push(`/ByteRange [${nums.join(' ')}] does not fit the file (${buf.length} bytes)`);
    return false;
  }
  if (contents?.kind !== 'string' || !contents.hex || contents.start !== b || contents.end !== c) {
    r.errors.push('the gap in /ByteRange is not exactly the /Contents hex string');
    return false;
  }
  return true;
}

async function verifyOne(buf: Buffer, sig: PdfDict, r: SignatureReport, anchors: pkijs.Certificate[]) {
  if (r.subFilter !== 'ETSI.CAdES.detached' && r.subFilter !== 'adbe.pkcs7.detached') {
    r.errors.push(`unsupported /SubFilter ${r.subFilter}`);
    return;
  }
  const contents = entry(sig, 'Contents') as Extract<PdfValue, { kind: 'string' }>;
  if (contents.bytes.length > MAX_CMS_BYTES) throw new Error('/Contents larger than 1 MB');
  const asn1 = asn1js.fromBER(contents.bytes);
  if (asn1.offset === -1) throw new Error('/Contents is not DER (CMS)');
  const info = new pkijs.ContentInfo({ schema: asn1.result });
  if (info.contentType !== OID.signedData) throw new Error('/Contents is not a CMS SignedData');
  const sd = new pkijs.SignedData({ schema: info.content });
  const si = sd.signerInfos[0];
  if (!si || sd.signerInfos.length !== 1) throw new Error('expected exactly one SignerInfo');
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const cert = findSignerCertificate(si, certs);
  if (!cert) throw new Error('the signer certificate is not in the CMS');
  const s = summarize(cert);
  r.signerCommonName = s.commonName;
  r.signerOrganization = s.organization;
  r.certificateSerial = s.serialNumber;

  const hashName = DIGEST_NAMES[si.digestAlgorithm.algorithmId];
  if (!hashName || hashName === 'SHA-1')
    throw new Error(`digest algorithm ${si.digestAlgorithm.algorithmId} refused`);
  const [a, b, c, d] = r.byteRange!;
  const digest = createHash(hashName.replace('-', '').toLowerCase())
    .update(buf.subarray(a, a + b))
    .update(buf.subarray(c, c + d))
    .digest();
  const attrs = si.signedAttrs?.attributes ?? [];
  const attr = (oid: string) => attrs.find((x) => x.type === oid)?.values[0];
  if (!si.signedAttrs) throw new Error('no signed attributes (not CAdES)');
  const md = attr(OID.messageDigest) as asn1js.OctetString | undefined;
  r.integrity = !!md && Buffer.from(md.valueBlock.valueHexView).equals(digest);
  if (!r.integrity) r.errors.push('digest mismatch: the signed bytes were changed');

  const signedAttrs = si.signedAttrs.encodedValue; // pkijs re-tags [0] as SET (0x31)
  const ok = await engine.verifyWithPublicKey(
    signedAttrs,
    si.signature,
    cert.subjectPublicKeyInfo,
    si.signatureAlgorithm,
    hashName,
  );
  if (!ok) r.errors.push('the CMS signature does not verify');
  const ctype = attr(OID.contentType) as asn1js.ObjectIdentifier | undefined;
  const ess = attr(OID.signingCertificateV2);
  let essOk = ctype?.valueBlock.toString() === OID.data;
  if (!essOk) r.errors.push('contentType attribute missing or not id-data');
  if (ess) {
    const bound = essCertHash(ess);
    const alg = bound && DIGEST_NAMES[bound.algorithm];
    const der = new Uint8Array(cert.toSchema(false).toBER(false));
    const actual = alg ? createHash(alg.replace('-', '').toLowerCase()).update(der).digest() : null;
    if (!bound || !actual?.equals(bound.hash)) {
      essOk = false;
      r.errors.push('signingCertificateV2 does not match the signer certificate');
    }
  } else if (r.subFilter === 'ETSI.CAdES.detached') {
    essOk = false;
    r.errors.push('PAdES signature without signingCertificateV2');
  }
  r.signatureValid = ok && essOk;

  const chain = await checkChain(cert, certs, anchors, r.signingTime ?? new Date());
  r.chainTrusted = chain.trusted;
  if (!chain.trusted) r.errors.push(`certificate not trusted: ${chain.message}`);
}

export async function verifyPdf(
  pdf: Buffer,
  opts: { trustAnchors: Uint8Array[] },
): Promise<VerificationReport> {
  const report: VerificationReport = {
    valid: false,
    modifiedAfterLastSignature: false,
    signatures: [],
    errors: [],
  };
  try {
    if (!Buffer.isBuffer(pdf)) pdf = Buffer.from(pdf as Uint8Array);
    if (!pdf.subarray(0, 1024).includes('%PDF-')) {
      report.errors.push('not a PDF (no %PDF- header)');
      return report;
    }
    if (!/%%EOF\s*$/.test(pdf.toString('latin1', Math.max(0, pdf.length - 1024))))
      report.errors.push('the file does not end with %%EOF (truncated?)');
    const anchors: pkijs.Certificate[] = [];
    for (const der of opts.trustAnchors) {
      try {
        anchors.push(pkijs.Certificate.fromBER(new Uint8Array(der)));
      } catch {
        report.errors.push('a trust anchor is not a DER certificate');
      }
    }
    const text = pdf.toString('latin1');
    const { enclosing, byNum } = scan(pdf, text);
    const sigs = new Map<number, ScannedObject>();
    for (const m of text.matchAll(/\/ByteRange\b/g)) {
      const o = enclosing(m.index);
      if (!o || !entry(o.dict, 'ByteRange') || !entry(o.dict, 'Contents')) continue;
      const seen = sigs.get(o.num);
      if (!seen || seen.offset < o.offset) sigs.set(o.num, o);
      if (sigs.size > MAX_SIGNATURES) throw new Error(`more than ${MAX_SIGNATURES} signatures`);
    }
    const names = new Map<number, string | null>();
    for (const m of text.matchAll(/\/FT\s*\/Sig\b/g)) {
      const field = enclosing(m.index);
      const v = field ? entry(field.dict, 'V') : undefined;
      if (!field || v?.kind !== 'ref') continue;
      let t = str(entry(field.dict, 'T'));
      const parent = entry(field.dict, 'Parent');
      if (parent?.kind === 'ref') {
        const pt = byNum(parent.num);
        const pn = pt && str(entry(pt.dict, 'T'));
        if (pn) t = t ? `${pn}.${t}` : pn;
      }
      names.set(v.num, t);
    }
    for (const { num, dict } of sigs.values()) {
      const r = emptyReport(names.get(num) ?? null, dict);
      report.signatures.push(r);
      if (!checkByteRange(pdf, dict, r)) continue;
      try {
        await verifyOne(pdf, dict, r, anchors);
      } catch (err) {
        r.errors.push((err as Error).message || String(err));
      }
    }
    report.signatures.sort((x, y) => end(x) - end(y));
    const contentEnd = pdf.length - (/[\r\n\s]*$/.exec(text.slice(-16))?.[0].length ?? 0);
    report.signatures.forEach((r, i) => {
      const e = end(r);
      const last = i === report.signatures.length - 1;
      const atRevisionEnd = e > 0 && /%%EOF\s*$/.test(text.slice(Math.max(0, e - 16), e));
      r.coversWholeDocument = last ? e >= contentEnd : atRevisionEnd;
      if (!r.coversWholeDocument && !last) r.errors.push('the signed range does not end a revision');
    });
    const lastSig = report.signatures.at(-1);
    report.modifiedAfterLastSignature = !!lastSig && end(lastSig) < contentEnd;
    if (!report.signatures.length) report.errors.push('no signatures');
    if (report.modifiedAfterLastSignature)
      report.errors.push('the document was changed after the last signature');
    report.valid =
      report.errors.length === 0 &&
      report.signatures.every(
        (r) =>
          r.integrity && r.signatureValid && r.chainTrusted && r.coversWholeDocument && r.errors.length === 0,
      );
  } catch (err) {
    report.errors.push(`unreadable PDF: ${(err as Error).message || String(err)}`);
    report.valid = false;
  }
  return report;
}

const end = (r: SignatureReport) => (r.byteRange ? r.byteRange[2] + r.byteRange[3] : 0);
