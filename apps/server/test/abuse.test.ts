import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { SESSION_COOKIE, sha256 } from '../src/auth/sessions.js';
import type { Config } from '../src/config.js';
import { DEMO_PASSWORD } from '../src/demo/organisation.js';
import {
  citizenSession,
  ENGINES,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

/**
 * Issue 7, "Abuse", in one place: rate limits (officer and citizen login, public lookup, submission), lockout after
 * failed logins, secure headers (CSP, frame options, nosniff, referrer policy, HSTS only over HTTPS), session
 * fixation and logout, CSRF for officer and citizen sessions. Hostile files: abuse-files.test.ts.
 */

const LOCK_MINUTES = 15;

/** The platform's error shape with `code` and HTTP `status`. */
function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({
    error: { code, message: expect.any(String), messageEn: expect.any(String) },
  });
}

const sessionCookie = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name === SESSION_COOKIE && c.value !== '')?.value;

describe.each(ENGINES)('abuse: rate limits, lockout, headers, sessions, CSRF on %s', (engine) => {
  let t: TestApp;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await startTestApp(engine, {
      dossiers: 4,
      env: {
        RATE_LIMIT_PUBLIC_PER_MIN: '5',
        RATE_LIMIT_SUBMIT_PER_MIN: '2',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_LOCK_MINUTES: String(LOCK_MINUTES),
      },
    });
    app = t.app;
  });
  afterAll(async () => t?.close());

  const db = () => t.ctx.database.db;
  const count = async (table: 'dossiers' | 'sessions' | 'audit_log' | 'api_tokens') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const officerLogin = (username: string, password: string, remoteAddress: string, headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers,
      payload: { username, password },
    });
  const me = (cookie: string) =>
    app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });

  describe('rate limits', () => {
    it('officer password login: 20 attempts a minute per address, then 429 RATE_LIMITED', async () => {
      for (let i = 0; i < 20; i++) {
        expectError(await officerLogin(`khong.co.${i}`, 'sai', '203.0.113.10'), 401, 'LOGIN_FAILED');
      }
      // Even the right password is refused now, from this address…
      const limited = await officerLogin('tiepnhan.52', DEMO_PASSWORD, '203.0.113.10');
      expectError(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // …but not from another one.
      expect((await officerLogin('tiepnhan.52', DEMO_PASSWORD, '203.0.113.11')).statusCode).toBe(200);
    });

    it('citizen login (start, callback, demo identity provider form): limited per address, 429 RATE_LIMITED', async () => {
      const from = { remoteAddress: '203.0.113.20' };
      for (let i = 0; i < 60; i++) {
        const start = await app.inject({ method: 'GET', url: '/api/auth/citizen/login', ...from });
        expect(start.statusCode).toBe(302);
      }
      expectError(
        await app.inject({ method: 'GET', url: '/api/auth/citizen/login', ...from }),
        429,
        'RATE_LIMITED',
      );
      const callback = '/api/auth/citizen/callback?code=x&state=y';
      for (let i = 0; i < 60; i++) {
        expectError(await app.inject({ method: 'GET', url: callback, ...from }), 400, 'OIDC_STATE_INVALID');
      }
      expectError(await app.inject({ method: 'GET', url: callback, ...from }), 429, 'RATE_LIMITED');
      // The embedded demo provider's password form (in production VNeID applies its own limits and lockout).
      const form = {
        method: 'POST' as const,
        url: '/oidc/interaction/khong-co/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `personalId=040090001234&password=${encodeURIComponent(DEMO_PASSWORD)}`,
        ...from,
      };
      for (let i = 0; i < 30; i++) expect((await app.inject(form)).statusCode).not.toBe(429);
      expectError(await app.inject(form), 429, 'RATE_LIMITED');
    });

    it('public lookup: RATE_LIMIT_PUBLIC_PER_MIN a minute per address, then 429 RATE_LIMITED', async () => {
      const { code } = await db().selectFrom('dossiers').select('code').limit(1).executeTakeFirstOrThrow();
      const lookup = (remoteAddress: string) =>
        app.inject({ method: 'GET', url: `/api/lookup/${code}`, remoteAddress });
      for (let i = 0; i < 5; i++) expect((await lookup('203.0.113.30')).statusCode).toBe(200);
      expectError(await lookup('203.0.113.30'), 429, 'RATE_LIMITED');
      const qr = await app.inject({
        method: 'GET',
        url: `/api/lookup/${code}/qr.svg`,
        remoteAddress: '203.0.113.30',
      });
      expect(qr.statusCode).toBe(200); // its own counter
      expect((await lookup('203.0.113.31')).statusCode).toBe(200);
    });

    it('submission: RATE_LIMIT_SUBMIT_PER_MIN per account (officer and citizen), 429 stores nothing', async () => {
      const officer = await login(app, 'tiepnhan.53');
      const person = (i: number) => ({ name: 'Nguyễn Văn Giới Hạn', idNumber: `04009000${7400 + i}` });
      expect((await registerAtCounter(app, officer, 'H41.53', person(1))).statusCode).toBe(201);
      expect((await registerAtCounter(app, officer, 'H41.53', person(2))).statusCode).toBe(201);
      const before = await count('dossiers');
      expectError(await registerAtCounter(app, officer, 'H41.53', person(3)), 429, 'RATE_LIMITED');
      expect(await count('dossiers')).toBe(before);
      // A citizen's submissions count on their own account, whatever their outcome.
      const citizen = await citizenSession(t, '040201009012');
      const submit = (s: Session) =>
        app.inject({
          method: 'POST',
          url: '/api/dossiers',
          headers: s.headers,
          payload: { channel: 'online' },
        });
      expectError(await submit(citizen), 400, 'VALIDATION_FAILED');
      expectError(await submit(citizen), 400, 'VALIDATION_FAILED');
      expectError(await submit(citizen), 429, 'RATE_LIMITED');
      const other = await citizenSession(t, '040164005678');
      expectError(await submit(other), 400, 'VALIDATION_FAILED');
      expect(await count('dossiers')).toBe(before);
    });
  });

  describe('lockout after failed logins', () => {
    it('locks after LOGIN_MAX_FAILURES (423 ACCOUNT_LOCKED), refuses the right password, unlocks after LOGIN_LOCK_MINUTES', async () => {
      const from = '198.51.100.20';
      for (let i = 0; i < 3; i++)
        expectError(await officerLogin('vanthu.52', 'sai-mat-khau', from), 401, 'LOGIN_FAILED');
      const row = await db()
        .selectFrom('officers')
        .select(['locked_until', 'failed_logins'])
        .where('username', '=', 'vanthu.52')
        .executeTakeFirstOrThrow();
      // No injectable clock: the stored lock ends LOGIN_LOCK_MINUTES after the last failure.
      const until = row.locked_until!.getTime();
      expect(until - Date.now()).toBeGreaterThan((LOCK_MINUTES - 1) * 60_000);
      expect(until - Date.now()).toBeLessThanOrEqual(LOCK_MINUTES * 60_000);
      const locked = await officerLogin('vanthu.52', DEMO_PASSWORD, from);
      expectError(locked, 423, 'ACCOUNT_LOCKED');
      expect(locked.json().error.details.until).toBe(row.locked_until!.toISOString());
      expect(sessionCookie(locked)).toBeUndefined();
      // Move the clock past the lock: the right password works again.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(until + 1000);
        const back = await officerLogin('vanthu.52', DEMO_PASSWORD, from);
        expect(back.statusCode, back.body).toBe(200);
      } finally {
        vi.useRealTimers();
      }
    });

    it('answers an unknown username exactly like an existing one, locked included', async () => {
      const from = '198.51.100.21';
      const known: LightMyRequestResponse[] = [];
      const unknown: LightMyRequestResponse[] = [];
      for (let i = 0; i < 4; i++) {
        known.push(await officerLogin('vanthu.51', 'sai-mat-khau', from));
        unknown.push(await officerLogin('khong.ton.tai', 'sai-mat-khau', from));
      }
      const shape = (r: LightMyRequestResponse) => {
        const { code, message, messageEn, details } = r.json().error;
        return { status: r.statusCode, code, message, messageEn, details: Object.keys(details ?? {}) };
      };
      expect(known.map(shape)).toEqual(unknown.map(shape));
      expect(known.map((r) => r.statusCode)).toEqual([401, 401, 401, 423]);
      // The unknown name unlocks after the same time.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + (LOCK_MINUTES + 1) * 60_000);
        expectError(await officerLogin('khong.ton.tai', 'sai-mat-khau', from), 401, 'LOGIN_FAILED');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('secure headers', () => {
    function expectSecureHeaders(res: LightMyRequestResponse) {
      const csp = String(res.headers['content-security-policy']);
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `));
      expect(directive('script-src')).toBe("script-src 'self'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
      expect(directive('default-src')).toBe("default-src 'self'");
      expect(['DENY', 'SAMEORIGIN']).toContain(res.headers['x-frame-options']);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }

    it('HTML pages and API answers (success and error) carry CSP, frame options, nosniff, referrer policy', async () => {
      for (const url of ['/', '/can-bo', '/tra-cuu', '/ho-so/H41.50-261120-0001']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type']).toContain('text/html');
        expectSecureHeaders(res);
      }
      const api = [
        await app.inject({ method: 'GET', url: '/api/calendar/holidays?year=2026' }),
        await app.inject({ method: 'GET', url: '/api/auth/me' }),
        await app.inject({ method: 'GET', url: '/api/nope' }),
        await app.inject({ method: 'POST', url: '/api/auth/login', payload: {} }),
        // Refused before routing (bad percent-encoding): answered by Fastify's frameworkErrors, before any hook.
        await app.inject({ method: 'GET', url: '/api/lookup/%E0%A4%A' }),
      ];
      expect(api.map((r) => r.statusCode)).toEqual([200, 401, 404, 400, 400]);
      for (const res of api) {
        expect(res.headers['content-type']).toContain('application/json');
        expectSecureHeaders(res);
      }
    });

    it("the demo identity provider's password page cannot be framed either", async () => {
      const start = await app.inject({ method: 'GET', url: '/api/auth/citizen/login' });
      let location = start.headers.location as string;
      let cookie = '';
      let page: LightMyRequestResponse | null = null;
      for (let hop = 0; hop < 5 && location; hop++) {
        const u = new URL(location, 'http://localhost:3000');
        page = await app.inject({ method: 'GET', url: `${u.pathname}${u.search}`, headers: { cookie } });
        cookie = [cookie, ...page.cookies.map((c) => `${c.name}=${c.value}`)].filter(Boolean).join('; ');
        location = page.headers.location as string;
      }
      expect(page?.statusCode).toBe(200);
      expect(page?.body).toContain('<form method="post"');
      const csp = String(page?.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(page?.headers['x-content-type-options']).toBe('nosniff');
    });

    describe('HSTS', () => {
      const variants: FastifyInstance[] = [];
      const variant = async (config: Partial<Config>) => {
        const v = await buildApp({ ...t.ctx, config: { ...t.ctx.config, ...config } });
        await v.ready();
        variants.push(v);
        return v;
      };
      afterAll(async () => {
        for (const v of variants) await v.close();
      });
      const hsts = (res: LightMyRequestResponse) => res.headers['strict-transport-security'];

      it('is sent over HTTPS through the trusted proxy (X-Forwarded-Proto: https), never over plain http', async () => {
        const behindProxy = await variant({ TRUST_PROXY: true });
        for (const url of ['/', '/api/auth/me']) {
          const tls = await behindProxy.inject({
            method: 'GET',
            url,
            headers: { 'x-forwarded-proto': 'https' },
          });
          expect(hsts(tls)).toBe('max-age=31536000; includeSubDomains');
          const plain = await behindProxy.inject({
            method: 'GET',
            url,
            headers: { 'x-forwarded-proto': 'http' },
          });
          expect(hsts(plain)).toBeUndefined();
          expect(hsts(await behindProxy.inject({ method: 'GET', url }))).toBeUndefined();
        }
      });

      it('ignores X-Forwarded-Proto from an untrusted client; an https PUBLIC_URL without a trusted proxy always sends it', async () => {
        const spoofed = await app.inject({
          method: 'GET',
          url: '/',
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(hsts(spoofed)).toBeUndefined();
        const httpsOnly = await variant({ publicUrl: 'https://dichvucong.example.vn', cookieSecure: true });
        expect(hsts(await httpsOnly.inject({ method: 'GET', url: '/' }))).toBe(
          'max-age=31536000; includeSubDomains',
        );
      });
    });
  });

  describe('session fixation and logout', () => {
    it('a forged session cookie sent with the login is never adopted: the login sets a fresh one', async () => {
      const forged = 'chosen-by-the-attacker-0123456789abcdefghijk';
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: `${SESSION_COOKIE}=${forged}` },
        payload: { username: 'tuphap.52', password: DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      const fresh = sessionCookie(res)!;
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(forged);
      expect((await me(forged)).statusCode).toBe(401);
      expect((await me(fresh)).statusCode).toBe(200);
    });

    it('a login over an earlier session replaces it: the earlier cookie is refused afterwards', async () => {
      const first = await login(app, 'tuphap.53');
      const earlier = first.cookie.split('=')[1]!;
      const again = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: first.cookie },
        payload: { username: 'tuphap.53', password: DEMO_PASSWORD },
      });
      expect(again.statusCode).toBe(200);
      const now = sessionCookie(again)!;
      expect(now).not.toBe(earlier);
      expect((await me(earlier)).statusCode).toBe(401);
      expect(
        await db().selectFrom('sessions').select('id').where('id', '=', sha256(earlier)).execute(),
      ).toEqual([]);
      expect((await me(now)).statusCode).toBe(200);
    });

    it('logout ends the server-side session (officer and citizen): the old cookie is refused', async () => {
      for (const s of [await login(app, 'chutich.52'), await citizenSession(t, '040090001234')]) {
        const token = s.cookie.split('=')[1]!;
        expect((await me(token)).statusCode).toBe(200);
        const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
        expect(out.statusCode).toBe(204);
        expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
        expectError(await me(token), 401, 'UNAUTHENTICATED');
        expect(
          await db().selectFrom('sessions').select('id').where('id', '=', sha256(token)).execute(),
        ).toEqual([]);
      }
    });
  });

  describe('CSRF', () => {
    const HOST = 'dichvucong.test';
    const refusals = (s: Session): { why: string; headers: Record<string, string> }[] => [
      { why: 'no token', headers: { cookie: s.cookie } },
      { why: 'wrong token', headers: { cookie: s.cookie, 'x-csrf-token': `${s.csrf}x` } },
      { why: 'foreign Origin', headers: { ...s.headers, origin: 'https://evil.example' } },
      { why: 'null Origin', headers: { ...s.headers, origin: 'null' } },
    ];

    it('officer session: a write without the token, with a wrong one or from a foreign Origin is 403 CSRF_FAILED', async () => {
      const s = await login(app, 'tiepnhan.54');
      const create = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { host: HOST, ...headers },
          payload: { name: 'tích hợp', expiresInDays: 30 },
        });
      const before = await count('api_tokens');
      for (const { why, headers } of refusals(s)) {
        const res = await create(headers);
        expect(res.statusCode, why).toBe(403);
        expectError(res, 403, 'CSRF_FAILED');
      }
      expect(await count('api_tokens')).toBe(before);
      // The same request from our own page (same Origin, right token) goes through.
      expect((await create({ ...s.headers, origin: `http://${HOST}` })).statusCode).toBe(201);
      expect(await count('api_tokens')).toBe(before + 1);
    });

    it('citizen session: the same refusals; the profile is unchanged until the proper request', async () => {
      const s = await citizenSession(t, '040164005678');
      const update = (headers: Record<string, string>) =>
        app.inject({
          method: 'PUT',
          url: '/api/me/profile',
          headers: { host: HOST, ...headers },
          payload: { phone: '0987654321' },
        });
      const phone = async () =>
        (await app.inject({ method: 'GET', url: '/api/me/profile', headers: { cookie: s.cookie } })).json()
          .phone;
      const before = await phone();
      for (const { why, headers } of refusals(s)) {
        const res = await update(headers);
        expect(res.statusCode, why).toBe(403);
        expectError(res, 403, 'CSRF_FAILED');
      }
      expect(await phone()).toBe(before);
      expect((await update({ ...s.headers, origin: `http://${HOST}` })).statusCode).toBe(200);
      expect(await phone()).toBe('0987654321');
    });

    it('another site cannot log a browser in (login CSRF): a foreign Origin on the login is refused', async () => {
      const res = await officerLogin('tiepnhan.55', DEMO_PASSWORD, '198.51.100.40', {
        origin: 'https://evil.example',
      });
      expectError(res, 403, 'CSRF_FAILED');
      expect(sessionCookie(res)).toBeUndefined();
    });

    it('GET changes nothing and needs no token; there is no GET logout', async () => {
      const officer = await login(app, 'tiepnhan.50');
      const citizen = await citizenSession(t, '040090001234');
      const sessions = await count('sessions');
      const audits = await count('audit_log');
      const gets: [Session, string][] = [
        [officer, '/api/auth/me'],
        [officer, '/api/queues'],
        [officer, '/api/dossiers'],
        [citizen, '/api/me/profile'],
        [citizen, '/api/me/files'],
        [citizen, '/api/me/drafts'],
      ];
      for (const [s, url] of gets) {
        const res = await app.inject({
          method: 'GET',
          url,
          headers: { cookie: s.cookie, origin: 'https://evil.example' },
        });
        expect(res.statusCode, url).toBe(200);
      }
      const logout = await app.inject({
        method: 'GET',
        url: '/api/auth/logout',
        headers: { cookie: officer.cookie },
      });
      expectError(logout, 404, 'NOT_FOUND');
      expect(
        (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: officer.cookie } }))
          .statusCode,
      ).toBe(200);
      expect(await count('sessions')).toBe(sessions);
      expect(await count('audit_log')).toBe(audits);
    });
  });
});
