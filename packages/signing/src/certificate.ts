import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** One WebCrypto-backed pkijs engine for the package (node:crypto.webcrypto), without touching pkijs globals. */
export const engine = new pkijs.CryptoEngine({
  name: 'node-webcrypto',
  crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'],
});

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  title: '2.5.4.12',
} as const;

export const DIGEST_NAMES: Record<string, string> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
  [OID.sha1]: 'SHA-1',
};

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes));
}

/** Parses a DER certificate with pkijs (names are kept as their original bytes). */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** The DER of a pkijs certificate, re-emitted from its original TBS bytes. */
export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema(false).toBER(false));
}

/** First value of an attribute in a distinguished name, decoded (UTF8String, PrintableString, BMPString…). */
export function nameValue(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const attr = name.typesAndValues.find((tv) => tv.type === oid);
  if (!attr) return null;
  const block = attr.value.valueBlock as { value?: unknown };
  return typeof block.value === 'string' ? block.value : null;
}

export function serialHex(cert: pkijs.Certificate): string {
  return Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
}

export interface CertificateSummary {
  commonName: string | null;
  organization: string | null;
  title: string | null;
  issuerCommonName: string | null;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export function summarize(cert: pkijs.Certificate): CertificateSummary {
  return {
    commonName: nameValue(cert.subject, OID.commonName),
    organization: nameValue(cert.subject, OID.organization),
    title: nameValue(cert.subject, OID.title),
    issuerCommonName: nameValue(cert.issuer, OID.commonName),
    serialNumber: serialHex(cert),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
  };
}

/** Byte-exact equality of two DER encodings of names (issuer of one certificate vs subject of another). */
export function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  return Buffer.from(a.toSchema().toBER(false)).equals(Buffer.from(b.toSchema().toBER(false)));
}

export function asn1Integer(bytes: ArrayBuffer | Uint8Array): asn1js.Integer {
  return new asn1js.Integer({ valueHex: bytes instanceof Uint8Array ? toArrayBuffer(bytes) : bytes });
}
