import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable Tỉnh Số reads, validated at boot (the process refuses to start on a bad value).
 * Documented in docs/CONFIGURATION.md — keep the two in step.
 */
export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Public base URL (used in QR codes, OIDC redirects, links in e-mails). */
    PUBLIC_URL: z.url().optional(),
    /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * Parallel workers per query for the app's sessions (PostgreSQL's max_parallel_workers_per_gather). 0: the
     * dashboards' and queues' small queries never pay for starting workers (measured: 45 ms each on 2 vCPUs).
     * -1: send nothing (the server's or the role's setting). Behind a pooler that refuses startup options: -1 and
     * DATABASE_JIT=server, with the settings made on the role (ALTER ROLE … SET).
     */
    DATABASE_PARALLEL_WORKERS: z.coerce.number().int().min(-1).max(64).default(0),
    /**
     * PostgreSQL's JIT compilation for the app's sessions. off: a request query never pays for compiling (the
     * officers' queue counts: 20 ms of compiling, 93 ms in all, for 4 ms of work warm). on: jit=on. server: send
     * nothing (the server's or the role's setting).
     */
    DATABASE_JIT: z.enum(['off', 'on', 'server']).default('off'),
    /** Data directory (embedded database, generated keys). */
    TINHSO_DATA_DIR: z.string().min(1).default('./data'),
    /** Load the demo province, officers, catalogue and dossiers into an empty database. */
    TINHSO_DEMO: bool.optional(),
    /** Apply pending migrations at start (turn off when migrations run as a separate release step). */
    TINHSO_MIGRATE_ON_START: bool.default(true),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .min(0.25)
      .max(24 * 30)
      .default(10),
    /** Secure cookies; defaults to true when PUBLIC_URL is https. */
    COOKIE_SECURE: bool.optional(),
    /** Trust X-Forwarded-* headers (set when behind a reverse proxy / load balancer). */
    TRUST_PROXY: bool.default(false),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    UPLOAD_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(20 * 1024 * 1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** External OpenID Connect provider for citizens (national SSO / VNeID). Absent = embedded demo provider. */
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** `acr_values` sent with the authorization request (the national SSO asks for `LoA1`); absent = none sent. */
    OIDC_ACR_VALUES: z.string().trim().min(1).max(200).optional(),
    /**
     * Passphrase protecting the signing keys stored in the database (PKCS#12). Required outside demo mode; every
     * app node must use the same one. In demo mode a random one is generated in TINHSO_DATA_DIR/keys/master.key.
     */
    TINHSO_KEY_PASSPHRASE: z.string().min(16).optional(),
    /** PIN of the PKCS#11 token (USB token, HSM) holding officers' or agencies' keys, when such keys are used. */
    PKCS11_PIN: z.string().min(4).optional(),
    /** Failed officer logins before the account is locked for LOGIN_LOCK_MINUTES. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Requests per minute per IP on public lookup (login and submission have their own, stricter limits). */
    RATE_LIMIT_PUBLIC_PER_MIN: z.coerce.number().int().min(1).default(600),
    /**
     * How long a computed indicator answer is reused (ms; 0 = never). Each node forgets its answers at every dossier
     * change it makes; across nodes a figure is at most this old.
     */
    INDICATOR_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
    /** How often each node chains the new audit records into the hash chain (ms; ADR 0007). */
    AUDIT_SEAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
    /** Dossier submissions per minute per account (per IP when anonymous): a counter officer or a citizen. */
    RATE_LIMIT_SUBMIT_PER_MIN: z.coerce.number().int().min(1).default(120),
    /** Largest file a citizen or officer uploads as a dossier component (PDF, JPEG, PNG). */
    UPLOAD_FILE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** Per-owner store quota: number of files and total bytes a citizen (or officer) may keep. */
    UPLOAD_QUOTA_FILES: z.coerce.number().int().min(1).max(100_000).default(500),
    UPLOAD_QUOTA_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .default(1024 * 1024 * 1024),
    /**
     * Online payment of fees: `vnpay` (the VNPAY gateway), `sandbox` (the demo bank served by this process, demo
     * mode only) or `none`. Default: `sandbox` in demo mode, otherwise `none` (payments answer PAYMENT_NOT_CONFIGURED).
     */
    PAYMENT_PROVIDER: z.enum(['vnpay', 'sandbox', 'none']).optional(),
    /** VNPAY merchant (terminal) code and hash secret, issued by VNPAY; required with PAYMENT_PROVIDER=vnpay. */
    VNPAY_TMN_CODE: z
      .string()
      .regex(/^[A-Za-z0-9]{1,20}$/, 'letters and digits')
      .optional(),
    VNPAY_HASH_SECRET: z.string().min(16).optional(),
    /** VNPAY payment page: VNPAY's sandbox by default; in production, the URL VNPAY issues with the credentials. */
    VNPAY_PAY_URL: z.url().default('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html'),
    /** Outgoing e-mail: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^/\s]+/, 'must look like smtp://user:pass@host:port or smtps://…')
      .optional(),
    /** Sender of notification e-mails. */
    MAIL_FROM: z.string().trim().min(3).max(200).default('Tỉnh Số <no-reply@localhost>'),
    /** SMS provider reached over HTTP: POST {to, text, reference} as JSON, Bearer SMS_PROVIDER_TOKEN. */
    SMS_PROVIDER_URL: z.url().optional(),
    SMS_PROVIDER_TOKEN: z.string().min(1).max(1000).optional(),
    /** How often each node's outbox worker looks for messages to deliver, and how many attempts before "dead". */
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(48),
  })
  .superRefine((c, ctx) => {
    if (c.PAYMENT_PROVIDER === 'vnpay' && (!c.VNPAY_TMN_CODE || !c.VNPAY_HASH_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENT_PROVIDER'],
        message: 'PAYMENT_PROVIDER=vnpay needs VNPAY_TMN_CODE and VNPAY_HASH_SECRET',
      });
    }
    if (c.PAYMENT_PROVIDER === 'sandbox' && !(c.TINHSO_DEMO ?? !c.DATABASE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENT_PROVIDER'],
        message: 'the sandbox bank pays without money: demo mode only (TINHSO_DEMO)',
      });
    }
    const external = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (external !== 0 && external !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & {
  publicUrl: string;
  dataDir: string;
  demo: boolean;
  cookieSecure: boolean;
};

export class ConfigError extends Error {}

/** Parses and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ / invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return {
    ...c,
    publicUrl,
    dataDir: resolve(c.TINHSO_DATA_DIR),
    demo: c.TINHSO_DEMO ?? !c.DATABASE_URL,
    cookieSecure: c.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
  };
}
