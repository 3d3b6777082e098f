import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { parseCertificate } from './certificate.js';
import type { Signer } from './types.js';

/**
 * A key on a PKCS#11 token (USB token, HSM; SoftHSM2 in tests) through pkcs11js. The private key never leaves
 * the token. Signs with CKM_SHA256_RSA_PKCS, or with CKM_RSA_PKCS over a DigestInfo when the token lacks the
 * combined mechanism. Call close() to close the session.
 *
 * PKCS#11 logins belong to the application and token: while one session of this process is logged in, further
 * sessions on the same token share that login (the PIN is then not checked again).
 */

export interface Pkcs11Options {
  /** Path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  library: string;
  tokenLabel: string;
  pin: string;
  /** CKA_LABEL of the private key and of its certificate. */
  keyLabel: string;
  /** Extra chain certificates (DER) when the token does not hold them. */
  chain?: Uint8Array[];
  /** Force a mechanism (default: CKM_SHA256_RSA_PKCS when the token lists it, else CKM_RSA_PKCS + DigestInfo). */
  mechanism?: 'CKM_SHA256_RSA_PKCS' | 'CKM_RSA_PKCS';
}

// One loaded, initialised module per library path, shared by sessions (C_Initialize may be called only once).
const modules = new Map<string, { p11: pkcs11js.PKCS11; users: number }>();

function acquire(library: string): pkcs11js.PKCS11 {
  let m = modules.get(library);
  if (!m) {
    const p11 = new pkcs11js.PKCS11();
    p11.load(library);
    p11.C_Initialize();
    m = { p11, users: 0 };
    modules.set(library, m);
  }
  m.users++;
  return m.p11;
}

function release(library: string): void {
  const m = modules.get(library);
  if (!m || --m.users > 0) return;
  modules.delete(library);
  try {
    m.p11.C_Finalize();
  } finally {
    m.p11.close();
  }
}

const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export class Pkcs11Signer implements Signer {
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    readonly name: string,
    private readonly opts: Pkcs11Options,
    private readonly p11: pkcs11js.PKCS11,
    private readonly session: Buffer,
    private readonly key: Buffer,
    private readonly cert: Uint8Array,
    private readonly chainCerts: Uint8Array[],
    private readonly combined: boolean,
  ) {}

  static async open(opts: Pkcs11Options): Promise<Pkcs11Signer> {
    const p11 = acquire(opts.library);
    let session: Buffer | undefined;
    try {
      const slot = p11
        .C_GetSlotList(true)
        .find((s) => p11.C_GetTokenInfo(s).label.trim() === opts.tokenLabel);
      if (!slot) throw new Error(`PKCS#11: no token labelled "${opts.tokenLabel}" in ${opts.library}`);
      session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, opts.pin);
      } catch (err) {
        if ((err as { code?: number }).code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) throw err;
      }
      const find = (template: pkcs11js.Template) => {
        p11.C_FindObjectsInit(session!, template);
        try {
          return p11.C_FindObjects(session!, 16);
        } finally {
          p11.C_FindObjectsFinal(session!);
        }
      };
      const [key] = find([
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_LABEL, value: opts.keyLabel },
      ]);
      if (!key) throw new Error(`PKCS#11: no private key labelled "${opts.keyLabel}"`);
      const value = (obj: Buffer) =>
        p11.C_GetAttributeValue(session!, obj, [{ type: pkcs11js.CKA_VALUE }])[0]!.value;
      const [certObj] = find([
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_LABEL, value: opts.keyLabel },
      ]);
      if (!certObj) throw new Error(`PKCS#11: no certificate labelled "${opts.keyLabel}"`);
      const cert = new Uint8Array(value(certObj));

      // Issuers stored on the token (looked up by subject), then the configured ones.
      const chain: Uint8Array[] = [];
      let current = parseCertificate(cert);
      for (let depth = 0; depth < 8; depth++) {
        const issuer = Buffer.from(current.issuer.toSchema().toBER(false));
        if (issuer.equals(Buffer.from(current.subject.toSchema().toBER(false)))) break;
        const [obj] = find([
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_SUBJECT, value: issuer },
        ]);
        if (!obj) break;
        const der = new Uint8Array(value(obj));
        chain.push(der);
        current = parseCertificate(der);
      }
      const combined = opts.mechanism
        ? opts.mechanism === 'CKM_SHA256_RSA_PKCS'
        : p11.C_GetMechanismList(slot).includes(pkcs11js.CKM_SHA256_RSA_PKCS);
      const label = `${opts.tokenLabel}/${opts.keyLabel}`;
      return new Pkcs11Signer(
        label,
        opts,
        p11,
        session,
        key,
        cert,
        [...chain, ...(opts.chain ?? [])],
        combined,
      );
    } catch (err) {
      if (session) p11.C_CloseSession(session);
      release(opts.library);
      throw err;
    }
  }

  async certificate(): Promise<Uint8Array> {
    return this.cert;
  }
  async chain(): Promise<Uint8Array[]> {
    return this.chainCerts;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    // A session runs one operation at a time: queue signatures; the token works off the event loop.
    const run = this.queue.then(async () => {
      if (this.closed) throw new Error('PKCS#11 session is closed');
      const mechanism = this.combined ? pkcs11js.CKM_SHA256_RSA_PKCS : pkcs11js.CKM_RSA_PKCS;
      const input = this.combined
        ? Buffer.from(data)
        : Buffer.concat([DIGEST_INFO_SHA256, createHash('sha256').update(data).digest()]);
      this.p11.C_SignInit(this.session, { mechanism }, this.key);
      return new Uint8Array(await this.p11.C_SignAsync(this.session, input, Buffer.alloc(1024)));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Closes the session (which ends the login with the last session) and, with the last user, the module. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    try {
      this.p11.C_CloseSession(this.session);
    } finally {
      release(this.opts.library);
    }
  }
}
