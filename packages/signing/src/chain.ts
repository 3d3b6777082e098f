import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { engine, sameName } from './certificate.js';

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const SUBJECT_KEY_ID = '2.5.29.14';

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

function isCa(cert: pkijs.Certificate): boolean {
  const bc = extension(cert, BASIC_CONSTRAINTS)?.parsedValue as pkijs.BasicConstraints | undefined;
  return bc?.cA === true;
}

/** The certificate named by the SignerInfo's sid (issuer + serial, or subject key identifier). */
export function findSignerCertificate(
  si: pkijs.SignerInfo,
  certs: pkijs.Certificate[],
): pkijs.Certificate | undefined {
  const sid = si.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber)
    return certs.find((c) => sameName(c.issuer, sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  const keyId = Buffer.from((sid as asn1js.Primitive).valueBlock?.valueHexView ?? new Uint8Array());
  return certs.find((c) => {
    const ski = extension(c, SUBJECT_KEY_ID)?.parsedValue as asn1js.OctetString | undefined;
    return ski && Buffer.from(ski.valueBlock.valueHexView).equals(keyId);
  });
}

/**
 * Path validation with pkijs (signatures, name chaining, validity at `at`, CA flags) from the signer
 * certificate to one of the anchors, using CA certificates shipped in the CMS as intermediates.
 * Revocation (CRL/OCSP) is not checked yet.
 */
export async function checkChain(
  cert: pkijs.Certificate,
  bundled: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<{ trusted: boolean; message: string }> {
  if (!anchors.length) return { trusted: false, message: 'no trust anchors configured' };
  const ku = extension(cert, KEY_USAGE)?.parsedValue as asn1js.BitString | undefined;
  if (ku) {
    const bits = ku.valueBlock.valueHexView[0] ?? 0;
    if (!(bits & 0x80) && !(bits & 0x40))
      return { trusted: false, message: 'key usage allows neither digitalSignature nor nonRepudiation' };
  }
  const intermediates = bundled.filter((c) => c !== cert && isCa(c));
  try {
    const validation = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors,
      certs: [cert, ...intermediates],
      checkDate: at,
    });
    const result = await validation.verify({}, engine);
    return { trusted: result.result, message: result.resultMessage || 'ok' };
  } catch (err) {
    const e = err as { resultMessage?: string; message?: string };
    return { trusted: false, message: e.resultMessage ?? e.message ?? String(err) };
  }
}
