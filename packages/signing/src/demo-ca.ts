import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { OID } from './certificate.js';

/**
 * A DEMO certificate authority for development, tests and the demo seed: RSA-2048 keys, SHA-256 certificates
 * with UTF-8 Vietnamese names. Never a substitute for the Government CA (VGCA) or a licensed public CA.
 *
 * node-forge is used to BUILD certificates and PKCS#12 files only. Names are always written from the original
 * JavaScript strings (forge re-encodes names it parsed back from DER, so a parsed CA must never be used as
 * issuer).
 */

export const DEMO_CA_NAME = 'Tỉnh Số DEMO CA — không dùng cho văn bản thật';
const DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36'; // id-kp-documentSigning (RFC 9336)
const DAY = 86_400_000;

interface NameAttr {
  type: string;
  value: string;
  valueTagClass: number;
}

export interface DemoCa {
  name: string;
  /** Self-signed CA certificate, DER. */
  certificate: Uint8Array;
  certificatePem: string;
  /** Unencrypted PKCS#8 PEM of the CA key: a demo CA only, keep it out of production data. */
  privateKeyPem: string;
  /** Subject attributes as written (reused verbatim as the issuer of issued certificates). */
  subject: NameAttr[];
}

export interface IssueOptions {
  commonName: string;
  organization: string;
  title?: string;
  email?: string;
  organizationalUnit?: string;
  /** Tỉnh/thành phố (ST). */
  province?: string;
  /** Passphrase of the returned PKCS#12. */
  passphrase: string;
  validFrom?: Date;
  validTo?: Date;
  friendlyName?: string;
}

export interface IssuedCertificate {
  /** PKCS#12 with the key (AES-256, PBKDF2), the certificate and the CA certificate. */
  p12: Buffer;
  certificate: Uint8Array;
  certificatePem: string;
  serialNumber: string;
}

const utf8 = (type: string, value: string): NameAttr => ({
  type,
  value,
  valueTagClass: forge.asn1.Type.UTF8,
});
const country = (): NameAttr => ({
  type: '2.5.4.6',
  value: 'VN',
  valueTagClass: forge.asn1.Type.PRINTABLESTRING,
});

async function rsaKeyPair() {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKeyPem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10; // positive, 16 bytes
  return bytes.toString('hex');
}

function keyId(key: forge.pki.rsa.PublicKey): string {
  return forge.pki.getPublicKeyFingerprint(key, { type: 'RSAPublicKey' }).getBytes();
}

function toDer(cert: forge.pki.Certificate): Uint8Array {
  return new Uint8Array(
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
  );
}

/** Creates a self-signed demo root CA (10 years by default). `name` must say DEMO; it is added otherwise. */
export async function createDemoCa(
  opts: { name?: string; organization?: string; validFrom?: Date; validTo?: Date } = {},
): Promise<DemoCa> {
  let name = opts.name ?? DEMO_CA_NAME;
  if (!/DEMO/i.test(name)) name = `${name} (DEMO)`;
  if ([...name].length > 64) throw new Error('CA name longer than 64 characters (X.520 ub-common-name)');
  const keys = await rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.validFrom ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = opts.validTo ?? new Date(cert.validity.notBefore.getTime() + 3650 * DAY);
  const subject = [
    country(),
    utf8(OID.organization, opts.organization ?? 'Tỉnh Số (bản trình diễn)'),
    utf8(OID.commonName, name),
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier', subjectKeyIdentifier: forge.util.bytesToHex(keyId(keys.publicKey)) },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    name,
    certificate: toDer(cert),
    certificatePem: forge.pki.certificateToPem(cert),
    privateKeyPem: keys.privateKeyPem,
    subject,
  };
}

/** Issues a document-signing certificate (2 years by default) and returns it inside a PKCS#12. */
export async function issueSigningCertificate(ca: DemoCa, opts: IssueOptions): Promise<IssuedCertificate> {
  const caKey = forge.pki.privateKeyFromPem(ca.privateKeyPem);
  const caPublic = forge.pki.setRsaPublicKey(caKey.n, caKey.e);
  const keys = await rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.validFrom ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = opts.validTo ?? new Date(cert.validity.notBefore.getTime() + 730 * DAY);
  const subject = [country()];
  if (opts.province) subject.push(utf8('2.5.4.8', opts.province));
  subject.push(utf8(OID.organization, opts.organization));
  if (opts.organizationalUnit) subject.push(utf8('2.5.4.11', opts.organizationalUnit));
  if (opts.title) subject.push(utf8(OID.title, opts.title));
  subject.push(utf8(OID.commonName, opts.commonName));
  if (opts.email)
    subject.push({
      type: '1.2.840.113549.1.9.1',
      value: opts.email,
      valueTagClass: forge.asn1.Type.IA5STRING,
    });
  cert.setSubject(subject);
  cert.setIssuer(ca.subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true, [DOCUMENT_SIGNING]: true },
    { name: 'subjectKeyIdentifier', subjectKeyIdentifier: forge.util.bytesToHex(keyId(keys.publicKey)) },
    { name: 'authorityKeyIdentifier', keyIdentifier: keyId(caPublic) },
    ...(opts.email ? [{ name: 'subjectAltName', altNames: [{ type: 1, value: opts.email }] }] : []),
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  // Parsed certificates are re-emitted from their captured TBS bytes (exact).
  const bagCerts = [certificatePem, ca.certificatePem].map((pem) => forge.pki.certificateFromPem(pem));
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, bagCerts, opts.passphrase, {
    algorithm: 'aes256',
    friendlyName: opts.friendlyName ?? opts.commonName,
    generateLocalKeyId: true,
  });
  return {
    p12: Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary'),
    certificate: toDer(cert),
    certificatePem,
    serialNumber: cert.serialNumber.toUpperCase(),
  };
}
