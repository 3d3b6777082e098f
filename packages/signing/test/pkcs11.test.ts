import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../src/certificate.js';
import {
  createDemoCa,
  type DemoCa,
  issueSigningCertificate,
  Pkcs11Signer,
  signPdf,
  verifyPdf,
} from '../src/index.js';
import {
  LAYOUT,
  nssTrusting,
  pdfsig,
  removeTempDirs,
  renderPage,
  run,
  SOFTHSM_LIBRARY,
  samplePdf,
  tempDir,
} from './helpers.js';

const SIGNER_NAME = 'Nguyễn Thị Lựu';

/** Writes X.509 certificate objects on the token (softhsm2-util imports keys only). */
function storeCertificates(certs: { label: string; id: Buffer; der: Uint8Array }[]) {
  const p11 = new pkcs11js.PKCS11();
  p11.load(SOFTHSM_LIBRARY);
  p11.C_Initialize();
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === 'tinhso')!;
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, '1234');
    for (const { label, id, der } of certs) {
      const cert = parseCertificate(der);
      p11.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: false },
        { type: pkcs11js.CKA_LABEL, value: label },
        { type: pkcs11js.CKA_ID, value: id },
        { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(cert.subject.toSchema().toBER(false)) },
        { type: pkcs11js.CKA_ISSUER, value: Buffer.from(cert.issuer.toSchema().toBER(false)) },
        { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(cert.serialNumber.toBER(false)) },
        { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
      ]);
    }
    p11.C_Logout(session);
    p11.C_CloseSession(session);
  } finally {
    p11.C_Finalize();
    p11.close();
  }
}

describe('PKCS#11 signer on a SoftHSM2 token', () => {
  let ca: DemoCa;
  let dir: string;
  let nss: string;
  let signer: Pkcs11Signer;
  let certificate: Uint8Array;
  const previousConf = process.env.SOFTHSM2_CONF;

  beforeAll(async () => {
    if (!existsSync(SOFTHSM_LIBRARY))
      throw new Error(`${SOFTHSM_LIBRARY} is missing: apt-get install -y softhsm2`);
    dir = tempDir('softhsm');
    mkdirSync(join(dir, 'tokens'));
    const conf = join(dir, 'softhsm2.conf');
    writeFileSync(
      conf,
      `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    );
    process.env.SOFTHSM2_CONF = conf; // read by the in-process module at C_Initialize and by softhsm2-util
    const init = run('softhsm2-util', [
      '--init-token',
      '--free',
      '--label',
      'tinhso',
      '--pin',
      '1234',
      '--so-pin',
      '5678',
    ]);
    expect(init.status, init.out).toBe(0);

    ca = await createDemoCa();
    nss = nssTrusting(ca.certificatePem);
    const issued = await issueSigningCertificate(ca, {
      commonName: SIGNER_NAME,
      organization: 'Sở Xây dựng tỉnh Nghệ An',
      title: 'Giám đốc',
      passphrase: 'tạm',
    });
    certificate = issued.certificate;
    // The key goes onto the token; the PEM exists only for the import, in a private temp directory.
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(issued.p12.toString('binary')), 'tạm');
    const bag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
      forge.pki.oids.pkcs8ShroudedKeyBag!
    ]![0]!;
    const keyPem = join(dir, 'key.pem');
    writeFileSync(
      keyPem,
      forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key!))),
      {
        mode: 0o600,
      },
    );
    const imp = run('softhsm2-util', [
      '--import',
      keyPem,
      '--label',
      'signer',
      '--id',
      '01',
      '--token',
      'tinhso',
      '--pin',
      '1234',
    ]);
    expect(imp.status, imp.out).toBe(0);
    writeFileSync(keyPem, '');
    storeCertificates([
      { label: 'signer', id: Buffer.from([1]), der: issued.certificate },
      { label: 'ca', id: Buffer.from([2]), der: ca.certificate },
    ]);
    // A wrong PIN is refused (checked before any session of this process is logged in: PKCS#11 logins are
    // per application and token, so later sessions share the login).
    const base = { library: SOFTHSM_LIBRARY, tokenLabel: 'tinhso', keyLabel: 'signer' };
    await expect(Pkcs11Signer.open({ ...base, pin: '0000' })).rejects.toThrow(/PIN_INCORRECT/);
    signer = await Pkcs11Signer.open({ ...base, pin: '1234' });
  });

  afterAll(async () => {
    await signer?.close();
    removeTempDirs();
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
  });

  it('reads the certificate and its issuer from the token', async () => {
    expect(Buffer.from(await signer.certificate()).equals(Buffer.from(certificate))).toBe(true);
    const chain = await signer.chain();
    expect(chain.map((c) => Buffer.from(c).equals(Buffer.from(ca.certificate)))).toEqual([true]);
    expect(signer.name).toBe('tinhso/signer');
  });

  it('signs a PDF with CKM_SHA256_RSA_PKCS: pdfsig says valid and trusted', async () => {
    const signed = await signPdf(await samplePdf(), signer, {
      reason: 'Ký bằng USB token',
      appearance: { page: 0, rect: LAYOUT.signerBox, kind: 'signer' },
    });
    const file = join(dir, 'pkcs11.pdf');
    writeFileSync(file, signed);
    const { out, signatures } = pdfsig(file, nss);
    expect(signatures, out).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ commonName: SIGNER_NAME, valid: true, trusted: true });
    const report = await verifyPdf(signed, { trustAnchors: [ca.certificate] });
    expect(report.valid, JSON.stringify(report)).toBe(true);
    expect(report.signatures[0]!.signerCommonName).toBe(SIGNER_NAME);
    renderPage(file, 'pkcs11-signer');
  });

  it('signs with CKM_RSA_PKCS over a DigestInfo (tokens without the combined mechanism)', async () => {
    const raw = await Pkcs11Signer.open({
      library: SOFTHSM_LIBRARY,
      tokenLabel: 'tinhso',
      pin: '1234',
      keyLabel: 'signer',
      mechanism: 'CKM_RSA_PKCS',
    });
    try {
      const signed = await signPdf(await samplePdf(), raw, { reason: 'CKM_RSA_PKCS' });
      const file = join(dir, 'pkcs11-raw.pdf');
      writeFileSync(file, signed);
      const { out, signatures } = pdfsig(file, nss);
      expect(signatures[0], out).toMatchObject({ valid: true, trusted: true });
    } finally {
      await raw.close();
    }
    // The first signer shares the module and still works after the second one closed.
    expect((await signer.sign(new Uint8Array([1, 2, 3]))).length).toBe(256);
  });

  it('reports an unknown token or key label clearly', async () => {
    const base = { library: SOFTHSM_LIBRARY, tokenLabel: 'tinhso', pin: '1234', keyLabel: 'signer' };
    await expect(Pkcs11Signer.open({ ...base, tokenLabel: 'nope' })).rejects.toThrow(
      /no token labelled "nope"/,
    );
    await expect(Pkcs11Signer.open({ ...base, keyLabel: 'nope' })).rejects.toThrow(/no private key labelled/);
  });
});
