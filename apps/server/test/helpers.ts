import { randomUUID } from 'node:crypto';
import { type Database, migrate, openDatabase } from '@tinhso/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { type AppContext, buildApp, buildContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEMO_PASSWORD } from '../src/demo/organisation.js';
import { seedDemo } from '../src/demo/seed.js';

/**
 * API tests run on every engine available: PGlite always, PostgreSQL when TEST_DATABASE_URL points at a server
 * (`.ci/run` sets it). Each test file gets a fresh database built from the migrations and the demo data.
 */
export const ENGINES: ('pglite' | 'postgresql')[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgresql']
  : ['pglite'];

/** The fixed "now" of the demo data in tests, so generated dossiers are the same on every run. */
export const DEMO_NOW = new Date('2026-11-20T03:00:00Z');

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** With `listen: true`: the base URL the app listens on (also its PUBLIC_URL). */
  baseUrl?: string;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OIDC issuer must be known before the app is built). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function freshDatabase(
  engine: 'pglite' | 'postgresql',
): Promise<{ database: Database; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: async () => {} };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `tinhso_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolMax: 5 });
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startTestApp(
  engine: 'pglite' | 'postgresql',
  opts: { dossiers?: number; env?: Record<string, string>; listen?: boolean } = {},
): Promise<TestApp> {
  const { database, drop } = await freshDatabase(engine);
  await migrate(database.pool);
  // `listen`: a real HTTP server on 127.0.0.1 whose address is PUBLIC_URL (browser-like tests, e.g. the OIDC flow).
  const port = opts.listen ? await freePort() : undefined;
  const listenEnv: Record<string, string> = port
    ? { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }
    : {};
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    TINHSO_DATA_DIR: '/tmp/tinhso-test',
    ...listenEnv,
    ...opts.env,
  });
  const ctx = await buildContext(config, database);
  await seedDemo(ctx, { dossiers: opts.dossiers ?? 80, now: DEMO_NOW, seed: 7 });
  const app = await buildApp(ctx);
  await app.ready();
  if (port) await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    ctx,
    ...(port ? { baseUrl: config.publicUrl } : {}),
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Logs a demo officer in and returns the headers a browser would send on writes. */
export async function login(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** A citizen session (the OIDC flow creates the same kind of session; tests of that flow live in oidc.test.ts). */
export async function citizenSession(t: TestApp, personalId: string): Promise<Session> {
  const c = await t.ctx.database.db
    .selectFrom('citizens')
    .select('id')
    .where('personal_id', '=', personalId)
    .executeTakeFirstOrThrow();
  const { createHash, randomBytes } = await import('node:crypto');
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await t.ctx.database.db
    .insertInto('sessions')
    .values({
      id: createHash('sha256').update(token).digest('hex'),
      subject_type: 'citizen',
      subject_id: c.id,
      csrf_token: csrf,
      expires_at: new Date(Date.now() + 3600_000),
      ip: null,
      user_agent: 'test',
    })
    .execute();
  const cookie = `tinhso_session=${token}`;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export function errorCode(res: LightMyRequestResponse): string | undefined {
  return (res.json() as { error?: { code?: string } }).error?.code;
}

/**
 * Registers a counter dossier for a commune-level procedure through the API, as a reception officer would.
 * `overrides` replace fields of the request body.
 */
export function registerAtCounter(
  app: FastifyInstance,
  session: Session,
  commune: string,
  applicant: { name: string; idNumber: string },
  overrides: Record<string, unknown> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: session.headers,
    payload: {
      procedureCode: '1.013225',
      channel: 'counter',
      competentUnit: commune,
      applicant,
      ...overrides,
    },
  });
}

/** A valid e-form for a procedure, built from its definition (required fields only). */
export async function validForm(
  app: FastifyInstance,
  procedureCode = '1.001193', // Đăng ký khai sinh
): Promise<Record<string, string>> {
  const { definition } = (
    await app.inject({ method: 'GET', url: `/api/procedures/${procedureCode}` })
  ).json();
  const fields = definition.eform.sections.flatMap(
    (sec: { fields: { name: string; type: string; required: boolean; options?: string[] }[] }) => sec.fields,
  );
  const sample: Record<string, string> = {
    personalId: '040090001234',
    date: '2026-11-01',
    phone: '0912345678',
    email: 'minh@example.vn',
  };
  return Object.fromEntries(
    fields
      .filter((f: { required: boolean }) => f.required)
      .map((f: { name: string; type: string; options?: string[] }) => [
        f.name,
        f.options?.[0] ?? sample[f.type] ?? 'Nguyễn Văn An',
      ]),
  );
}

/** Sends one command on a dossier, as the officer or citizen of `session` would, on the version they saw. */
export function act(
  app: FastifyInstance,
  session: Session,
  code: string,
  expectedVersion: number,
  command: Record<string, unknown>,
) {
  return app.inject({
    method: 'POST',
    url: `/api/dossiers/${code}/actions`,
    headers: session.headers,
    payload: { expectedVersion, command },
  });
}
