import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { asn1Integer, certificateDer, OID, parseCertificate, sha256, toArrayBuffer } from './certificate.js';
import type { Signer } from './types.js';

/**
 * CAdES-detached CMS (PAdES B-B) built with pkijs, signed by any {@link Signer}:
 * signed attributes = contentType, messageDigest, signingCertificateV2 (ESSCertIDv2: SHA-256 of the signer
 * certificate + issuer/serial); no signingTime attribute (PAdES puts the time in /M of the signature
 * dictionary). Certificates and the issuer name are copied as their original DER bytes, never re-encoded
 * (node-forge re-encodes UTF-8 names, which breaks every certificate with a Vietnamese name).
 */

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (RFC 5035); hashAlgorithm = sha256 (default, omitted). */
function signingCertificateV2(certHash: Uint8Array, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] }),
        ],
      }),
      asn1Integer(cert.serialNumber.valueBlock.valueHexView.slice()),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER SET OF: elements sorted by their encodings. */
function sortedAttributes(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attrs.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }));
  return encoded.sort((x, y) => compareBytes(x.der, y.der)).map((x) => x.a);
}

function signatureAlgorithm(cert: pkijs.Certificate): pkijs.AlgorithmIdentifier {
  if (cert.subjectPublicKeyInfo.algorithm.algorithmId === OID.ecPublicKey)
    return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  return new pkijs.AlgorithmIdentifier({
    algorithmId: OID.rsaEncryption,
    algorithmParams: new asn1js.Null(),
  });
}

export interface CmsSignResult {
  /** DER ContentInfo (SignedData). */
  der: Uint8Array;
  /** DER of the signed attributes as signed (SET OF). */
  signedAttributes: Uint8Array;
}

/** Signs `content` (the PDF bytes covered by the ByteRange) and returns a detached CAdES ContentInfo. */
export async function createCadesDetached(content: Uint8Array, signer: Signer): Promise<CmsSignResult> {
  const [certBytes, chainBytes] = await Promise.all([signer.certificate(), signer.chain()]);
  const cert = parseCertificate(certBytes);
  const chain = chainBytes.map(parseCertificate);
  const original = [certBytes, ...chainBytes];
  [cert, ...chain].forEach((c, i) => {
    if (!Buffer.from(certificateDer(c)).equals(Buffer.from(original[i]!)))
      throw new Error('certificate does not round-trip byte-exactly through pkijs (non-DER encoding?)');
  });

  const digest = await sha256(content);
  const certHash = await sha256(certBytes);
  const attributes = sortedAttributes([
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })),
    attribute(OID.signingCertificateV2, signingCertificateV2(certHash, cert)),
  ]);
  const signedAttributes = new Uint8Array(
    new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false),
  );
  const signature = await signer.sign(signedAttributes);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: signatureAlgorithm(cert),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [cert, ...chain],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(false),
  });
  const der = new Uint8Array(contentInfo.toSchema().toBER(false));
  return { der, signedAttributes };
}
