import { webcrypto } from 'node:crypto';
import forge from 'node-forge';
import { parseCertificate, sameName } from './certificate.js';
import type { Signer } from './types.js';

const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/**
 * A software key from a PKCS#12 (.p12/.pfx) file. The file stays encrypted at rest; node-forge only READS it
 * here. The private key is imported into WebCrypto as a non-extractable key and signing uses WebCrypto
 * (node-forge's own CMS signer re-encodes UTF-8 names and must not be used).
 */
export class SoftwareSigner implements Signer {
  private constructor(
    readonly name: string,
    private readonly key: webcrypto.CryptoKey,
    private readonly cert: Uint8Array,
    private readonly chainCerts: Uint8Array[],
  ) {}

  static async fromPkcs12(p12: Buffer, passphrase: string, name = 'pkcs12'): Promise<SoftwareSigner> {
    let parsed: forge.pkcs12.Pkcs12Pfx;
    try {
      parsed = forge.pkcs12.pkcs12FromAsn1(
        forge.asn1.fromDer(p12.toString('binary'), false),
        false,
        passphrase,
      );
    } catch (err) {
      throw new Error(`PKCS#12: wrong passphrase or damaged file (${(err as Error).message})`);
    }
    const bags = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
    const keyBags = [...bags(SHROUDED_KEY_BAG), ...bags(KEY_BAG)];
    const privateKey = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
    if (!privateKey) throw new Error('PKCS#12: no RSA private key in the file');
    const certBags = bags(CERT_BAG);

    // Certificates are re-emitted from forge's captured TBS ASN.1 (byte-exact), never rebuilt from its fields.
    let own: Uint8Array | undefined;
    const others: Uint8Array[] = [];
    for (const bag of certBags) {
      const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
      if (!asn1) continue;
      const der = new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
      const pub = bag.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
      if (!own && pub?.n && pub.n.equals(privateKey.n) && pub.e.equals(privateKey.e)) own = der;
      else others.push(der);
    }
    if (!own) throw new Error('PKCS#12: no certificate matches the private key');

    const pkcs8 = Buffer.from(
      forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey))).getBytes(),
      'binary',
    );
    try {
      const key = await webcrypto.subtle.importKey(
        'pkcs8',
        pkcs8,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      return new SoftwareSigner(name, key, own, orderChain(own, others));
    } finally {
      pkcs8.fill(0);
    }
  }

  async certificate(): Promise<Uint8Array> {
    return this.cert;
  }
  async chain(): Promise<Uint8Array[]> {
    return this.chainCerts;
  }
  async sign(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', this.key, data));
  }
}

/** Orders extra certificates from the signer's issuer upwards; unrelated ones are appended. */
export function orderChain(leaf: Uint8Array, others: Uint8Array[]): Uint8Array[] {
  const pool = others.map((der) => ({ der, cert: parseCertificate(der) }));
  const ordered: Uint8Array[] = [];
  let current = parseCertificate(leaf);
  for (;;) {
    const i = pool.findIndex((p) => sameName(p.cert.subject, current.issuer));
    if (i < 0 || sameName(current.subject, current.issuer)) break;
    const [next] = pool.splice(i, 1);
    ordered.push(next!.der);
    current = next!.cert;
  }
  return [...ordered, ...pool.map((p) => p.der)];
}
