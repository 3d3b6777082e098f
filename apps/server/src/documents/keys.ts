import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import {
  createDemoCa,
  DEMO_CA_NAME,
  type DemoCa,
  issueSigningCertificate,
  Pkcs11Signer,
  type Signer,
  SoftwareSigner,
} from '@tinhso/signing';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { UnitDirectory } from '../services/units.js';

const keysNotConfigured = () =>
  new DomainError(
    'SIGNING_NOT_CONFIGURED',
    'Chưa cấu hình khoá ký số cho cán bộ hoặc đơn vị này.',
    'No signing key is configured for this officer or unit.',
  );

/**
 * Signing keys kept in the database, encrypted with a passphrase derived from the master passphrase
 * (TINHSO_KEY_PASSPHRASE, or in demo mode a random one generated once in TINHSO_DATA_DIR/keys/master.key).
 * In demo mode a demo certificate authority is created on first use, and officers and units get demo
 * certificates when they first sign. PKCS#11 keys are references to a token; the PIN comes from PKCS11_PIN.
 */
export class KeyStore {
  private master: string | null = null;
  private anchors: Uint8Array[] | null = null;
  private signers = new Map<string, Signer>();

  constructor(
    private readonly database: Database,
    private readonly units: UnitDirectory,
    private readonly config: Config,
  ) {}

  private masterPassphrase(): string {
    if (this.master) return this.master;
    if (this.config.TINHSO_KEY_PASSPHRASE) {
      this.master = this.config.TINHSO_KEY_PASSPHRASE;
    } else if (this.config.demo) {
      const dir = join(this.config.dataDir, 'keys');
      const file = join(dir, 'master.key');
      if (!existsSync(file)) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      }
      this.master = readFileSync(file, 'utf8').trim();
    } else {
      throw keysNotConfigured();
    }
    return this.master;
  }

  /** The passphrase of one stored key: derived, never stored. */
  private passphrase(keyId: string): string {
    return createHmac('sha256', this.masterPassphrase()).update(`tinhso-key:${keyId}`).digest('base64url');
  }

  /** Certificates of the authorities the verifier trusts. */
  async trustAnchors(): Promise<Uint8Array[]> {
    if (this.anchors) return this.anchors;
    if (this.config.demo) await this.demoCa();
    const rows = await this.database.db.selectFrom('trust_anchors').select('certificate').execute();
    this.anchors = rows.map((r) => new Uint8Array(r.certificate));
    return this.anchors;
  }

  /** The demo CA (created and registered as a trust anchor on first use; demo mode only). */
  private async demoCa(): Promise<DemoCa> {
    const { db } = this.database;
    const row = await db
      .selectFrom('signing_keys')
      .select(['id', 'certificate', 'private_key'])
      .where('purpose', '=', 'ca')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (row) {
      const stored = JSON.parse(decrypt(row.private_key!, this.passphrase(row.id))) as Omit<
        DemoCa,
        'certificate'
      >;
      return { ...stored, certificate: new Uint8Array(row.certificate) };
    }
    const ca = await createDemoCa({ name: DEMO_CA_NAME });
    await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(4151100003)`.execute(tx); // two nodes starting together: one CA
      const again = await tx
        .selectFrom('signing_keys')
        .select('id')
        .where('purpose', '=', 'ca')
        .executeTakeFirst();
      if (again) return;
      const id = randomUUID();
      const { certificate: _der, ...rest } = ca;
      const encrypted = encrypt(JSON.stringify(rest), this.passphrase(id));
      await tx
        .insertInto('signing_keys')
        .values({
          id,
          purpose: 'ca',
          kind: 'software',
          label: ca.name,
          certificate: Buffer.from(ca.certificate),
          private_key: encrypted,
          demo: true,
          officer_id: null,
          unit_id: null,
          pkcs11: null,
        })
        .execute();
      await tx
        .insertInto('trust_anchors')
        .values({ name: ca.name, certificate: Buffer.from(ca.certificate), demo: true })
        .execute();
    });
    this.anchors = null;
    return this.demoCa();
  }

  /** The signer of an officer (their own key) or the agency key of a unit. */
  async signerFor(
    owner: { officerId: string; name: string; title: string | null; unitCode: string } | { unitCode: string },
  ): Promise<Signer> {
    const unit = this.units.get(owner.unitCode);
    const purpose = 'officerId' in owner ? 'signer' : 'agency';
    const cacheKey = 'officerId' in owner ? `o:${owner.officerId}` : `u:${unit.id}`;
    const cached = this.signers.get(cacheKey);
    if (cached) return cached;
    const { db } = this.database;
    let q = db
      .selectFrom('signing_keys')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('revoked_at', 'is', null);
    q = 'officerId' in owner ? q.where('officer_id', '=', owner.officerId) : q.where('unit_id', '=', unit.id);
    let row = await q.orderBy('created_at', 'desc').executeTakeFirst();
    if (!row) {
      if (!this.config.demo) throw keysNotConfigured();
      const ca = await this.demoCa();
      const id = randomUUID();
      const issued = await issueSigningCertificate(ca, {
        commonName: 'officerId' in owner ? owner.name : unit.name,
        organization: unit.name,
        ...('officerId' in owner && owner.title ? { title: owner.title } : {}),
        province: 'Nghệ An',
        passphrase: this.passphrase(id),
      });
      await db
        .insertInto('signing_keys')
        .values({
          id,
          purpose,
          kind: 'software',
          label: `${'officerId' in owner ? owner.name : unit.name} (DEMO)`,
          officer_id: 'officerId' in owner ? owner.officerId : null,
          unit_id: unit.id,
          certificate: Buffer.from(issued.certificate),
          private_key: issued.p12,
          demo: true,
          pkcs11: null,
        })
        .execute();
      row = (await q.orderBy('created_at', 'desc').executeTakeFirst())!;
    }
    let signer: Signer;
    if (row.kind === 'pkcs11') {
      if (!row.pkcs11 || !this.config.PKCS11_PIN) throw keysNotConfigured();
      signer = await Pkcs11Signer.open({ ...row.pkcs11, pin: this.config.PKCS11_PIN });
    } else {
      signer = await SoftwareSigner.fromPkcs12(row.private_key!, this.passphrase(row.id), row.label);
    }
    this.signers.set(cacheKey, signer);
    return signer;
  }
}

/** AES-256-GCM with a key derived from the passphrase: iv (12) | tag (16) | ciphertext. */
function encrypt(text: string, passphrase: string): Buffer {
  const key = createHmac('sha256', passphrase).update('tinhso-ca-key').digest();
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function decrypt(data: Buffer, passphrase: string): string {
  const key = createHmac('sha256', passphrase).update('tinhso-ca-key').digest();
  const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  d.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
}
