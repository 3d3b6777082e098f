import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/organisation.js';
import { ENGINES, startTestApp, type TestApp } from './helpers.js';

/**
 * Citizen login through OpenID Connect, end to end over real HTTP: our relying party (openid-client) against the
 * embedded demo provider (oidc-provider) of the same listening server, driven like a browser (manual redirects,
 * a cookie jar).
 */

const MINH = { personalId: '040090001234', name: 'Nguyễn Văn Minh' };
const HUONG = { personalId: '040164005678', name: 'Trần Thị Hường' };

// biome-ignore lint/suspicious/noExplicitAny: test assertions on JSON bodies
const json = async (res: Response): Promise<any> => res.json();

/** A minimal browser cookie jar: name + path, expiry, sent on matching paths. */
class Browser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  constructor(private readonly base: string) {}

  url(location: string): string {
    return new URL(location, this.base).href;
  }

  cookie(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  setCookie(name: string, value: string, path: string) {
    this.cookies.set(`${name};${path}`, { name, value, path });
  }

  async fetch(location: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(this.url(location));
    const header = [...this.cookies.values()]
      .filter(
        (c) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (header) headers.set('cookie', header);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (n: string) =>
        attrs.find((a) => a.toLowerCase().startsWith(`${n}=`))?.slice(n.length + 1) ?? undefined;
      const path = attr('path') ?? '/';
      const maxAge = attr('max-age');
      const expires = attr('expires');
      const gone =
        (maxAge !== undefined && Number(maxAge) <= 0) ||
        (expires !== undefined && new Date(expires).getTime() <= Date.now());
      if (gone) this.cookies.delete(`${name};${path}`);
      else this.setCookie(name, value, path);
    }
    return res;
  }

  /** Follows redirects (GET) until a non-redirect, or until `stop(location)` says to stop before following. */
  async follow(res: Response, stop?: (location: string) => boolean): Promise<Response> {
    let current = res;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) return current;
      if (stop?.(this.url(location))) return current;
      current = await this.fetch(location);
    }
    throw new Error('too many redirects');
  }
}

describe.each(ENGINES)('citizen login through OpenID Connect on %s', (engine) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 40, listen: true });
    base = t.baseUrl!;
  });
  afterAll(async () => t?.close());

  const citizenId = async (personalId: string) =>
    (
      await t.ctx.database.db
        .selectFrom('citizens')
        .select('id')
        .where('personal_id', '=', personalId)
        .executeTakeFirstOrThrow()
    ).id;

  /** Login link → provider → login page; returns the browser and the page. */
  async function openLoginPage(returnTo = '/') {
    const b = new Browser(base);
    const start = await b.fetch(`/api/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.href.startsWith(`${base}/oidc/auth?`)).toBe(true);
    const page = await b.follow(start);
    expect(page.status).toBe(200);
    const html = await page.text();
    return { b, authorize, page, html, loginUrl: page.url };
  }

  /** Submits the login form; returns the provider's response (a redirect on success). */
  async function submit(b: Browser, html: string, personalId: string, password: string) {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    expect(action).toMatch(/^\/oidc\/interaction\/[^/]+\/login$/);
    return b.fetch(action!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ personalId, password }).toString(),
    });
  }

  /** The whole flow; stops at our callback when `stopAtCallback`, else follows it and returns its response. */
  async function login(personalId: string, opts: { returnTo?: string; stopAtCallback?: boolean } = {}) {
    const { b, html } = await openLoginPage(opts.returnTo);
    const posted = await submit(b, html, personalId, DEMO_PASSWORD);
    expect(posted.status).toBe(303);
    const atCallback = await b.follow(posted, (l) => l.startsWith(`${base}/api/auth/citizen/callback`));
    const callbackUrl = b.url(atCallback.headers.get('location')!);
    expect(callbackUrl.startsWith(`${base}/api/auth/citizen/callback?`)).toBe(true);
    if (opts.stopAtCallback) return { b, callbackUrl, done: null };
    const done = await b.fetch(callbackUrl);
    return { b, callbackUrl, done };
  }

  it('sends the authorization request with PKCE (S256), state, nonce, scope openid profile', async () => {
    const { authorize, html, page } = await openLoginPage();
    const p = authorize.searchParams;
    expect(p.get('client_id')).toBe('tinhso-portal');
    expect(p.get('redirect_uri')).toBe(`${base}/api/auth/citizen/callback`);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('scope')).toBe('openid profile');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toBeTruthy();
    expect(p.get('nonce')).toBeTruthy();
    // The demo login page: clearly labelled, no script, served under the app's CSP.
    expect(html).toContain('Đăng nhập bằng tài khoản định danh (MÔ PHỎNG VNeID — bản trình diễn)');
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toMatch(/<label for="personalId">/);
    expect(html).not.toMatch(/<script/i);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('logs a demo citizen in: session cookie, /api/auth/me, only their own dossiers', async () => {
    const minh = await citizenId(MINH.personalId);
    const huong = await citizenId(HUONG.personalId);
    // Make sure both have dossiers (the generator gives demo citizens only a few).
    const some = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('id')
      .orderBy('code')
      .limit(5)
      .execute();
    for (const [i, d] of some.entries()) {
      await t.ctx.database.db
        .updateTable('dossiers')
        .set({ applicant_citizen_id: i < 3 ? minh : huong })
        .where('id', '=', d.id)
        .execute();
    }

    const { b, done } = await login(MINH.personalId, { returnTo: '/ho-so?tab=1' });
    expect(done!.status).toBe(303);
    expect(done!.headers.get('location')).toBe('/ho-so?tab=1');
    expect(b.cookie('tinhso_session')).toBeTruthy();
    expect(b.cookie('tinhso_oidc')).toBeUndefined();

    const me = await b.fetch('/api/auth/me');
    expect(me.status).toBe(200);
    const body = await json(me);
    expect(body).toMatchObject({ kind: 'citizen', id: minh, personalId: MINH.personalId, name: MINH.name });
    expect(body.csrfToken).toBeTruthy();

    const list = await b.fetch('/api/dossiers?limit=200');
    expect(list.status).toBe(200);
    const { items, total } = (await json(list)) as { items: { code: string }[]; total: number };
    const own = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('code')
      .where('applicant_citizen_id', '=', minh)
      .execute();
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(total).toBe(own.length);
    expect(items.map((i) => i.code).sort()).toEqual(own.map((o) => o.code).sort());

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'details'])
      .where('action', '=', 'auth.citizen_login')
      .where('entity_id', '=', minh)
      .executeTakeFirst();
    expect(audit).toMatchObject({ actor_type: 'citizen', details: { provider: 'embedded', created: false } });
  });

  it('keeps the citizen on the login page with an error on a wrong password or an unknown ID', async () => {
    const { b, html } = await openLoginPage();
    const wrong = await submit(b, html, MINH.personalId, 'not-the-password');
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('Sai số định danh cá nhân hoặc mật khẩu');
    expect(again).toContain('role="alert"');
    expect(again).toContain(`value="${MINH.personalId}"`);

    const unknown = await submit(b, again, '040999999999', DEMO_PASSWORD);
    expect(unknown.status).toBe(401);
    const malformed = await submit(b, again, '12345', DEMO_PASSWORD);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('12 chữ số');

    // The same interaction still accepts the right credentials afterwards.
    const ok = await submit(b, again, MINH.personalId, DEMO_PASSWORD);
    expect(ok.status).toBe(303);
    expect(b.cookie('tinhso_session')).toBeUndefined();
  });

  it('refuses a tampered state, a missing or forged state cookie, with OIDC_STATE_INVALID', async () => {
    const { b, callbackUrl } = await login(MINH.personalId, { stopAtCallback: true });
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const res = await b.fetch(tampered.href);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({
      code: 'OIDC_STATE_INVALID',
      details: { reason: 'mismatch' },
    });
    expect(b.cookie('tinhso_session')).toBeUndefined();

    // The state cookie was cleared: replaying the genuine callback now fails too.
    const replay = await b.fetch(callbackUrl);
    expect(replay.status).toBe(400);
    expect((await json(replay)).error).toMatchObject({
      code: 'OIDC_STATE_INVALID',
      details: { reason: 'missing' },
    });

    // A forged cookie (payload changed, signature kept).
    const second = await login(MINH.personalId, { stopAtCallback: true });
    const [payload, mac] = second.b.cookie('tinhso_oidc')!.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.returnTo = '/elsewhere';
    second.b.setCookie(
      'tinhso_oidc',
      `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`,
      '/api/auth/citizen',
    );
    const res2 = await second.b.fetch(second.callbackUrl);
    expect(res2.status).toBe(400);
    expect((await json(res2)).error).toMatchObject({
      code: 'OIDC_STATE_INVALID',
      details: { reason: 'tampered' },
    });

    // A browser gets a page rather than JSON, with the same status and code.
    const page = await new Browser(base).fetch(callbackUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('OIDC_STATE_INVALID');
  });

  it('ignores a returnTo that is not a same-origin relative path', async () => {
    for (const evil of [
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      '/.//evil.example',
      '/a/..//evil.example',
      '/\r\nSet-Cookie:x=1',
      'javascript:alert(1)',
    ]) {
      const { done } = await login(MINH.personalId, { returnTo: evil });
      expect(done!.status).toBe(303);
      expect(done!.headers.get('location')).toBe('/');
    }
  });

  it('a provider error (the citizen cancels) leads back without a session; an error code is refused', async () => {
    const { b, html } = await openLoginPage('/back');
    const action = /formaction="([^"]+)"/.exec(html)?.[1];
    expect(action).toMatch(/\/abort$/);
    const cancelled = await b.fetch(action!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const done = await b.follow(cancelled, (l) => !l.startsWith(`${base}/oidc/`) && !l.includes('/callback'));
    expect(done.headers.get('location')).toBe('/back');
    expect(b.cookie('tinhso_session')).toBeUndefined();

    const { b: b2, authorize } = await openLoginPage();
    const state = authorize.searchParams.get('state')!;
    const res = await b2.fetch(
      `/api/auth/citizen/callback?error=server_error&state=${encodeURIComponent(state)}`,
    );
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('OIDC_LOGIN_FAILED');
  });

  it('lets another citizen log in from the same browser (the provider ends the previous session first)', async () => {
    const first = await login(MINH.personalId);
    const b = first.b;
    expect(first.done!.status).toBe(303);
    const { csrfToken } = await json(await b.fetch('/api/auth/me'));
    const out = await b.fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(b.cookie('tinhso_session')).toBeUndefined();

    const start = await b.fetch('/api/auth/citizen/login?returnTo=/next');
    const page = await b.follow(start);
    const posted = await submit(b, await page.text(), HUONG.personalId, DEMO_PASSWORD);
    // The provider asks to end Minh's provider session: an auto-submitted form whose script is allowed by hash.
    const confirm = await b.follow(posted, (l) => l === `${base}/next`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(script).toBeDefined();
    const hash = createHash('sha256').update(script!).digest('base64');
    expect(confirm.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
      ([, k, v]) => [k!, v!] as [string, string],
    );
    const confirmed = await b.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const res = await b.follow(confirmed, (l) => l === `${base}/next`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/next');
    const me = await json(await b.fetch('/api/auth/me'));
    expect(me).toMatchObject({ kind: 'citizen', personalId: HUONG.personalId, name: HUONG.name });
  });

  it('links a citizen row that has no subject yet (created at the counter) instead of duplicating it', async () => {
    const huong = await citizenId(HUONG.personalId);
    await t.ctx.database.db
      .updateTable('citizens')
      .set({ oidc_subject: null, phone: null })
      .where('id', '=', huong)
      .execute();
    const { b, done } = await login(HUONG.personalId);
    expect(done!.status).toBe(303);
    const me = await json(await b.fetch('/api/auth/me'));
    expect(me).toMatchObject({ kind: 'citizen', id: huong, name: HUONG.name });
    const row = await t.ctx.database.db
      .selectFrom('citizens')
      .select(['oidc_subject', 'phone'])
      .where('id', '=', huong)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ oidc_subject: `demo:${HUONG.personalId}`, phone: null });
  });

  it('publishes discovery and public keys only; keys and the client secret live in the database', async () => {
    const b = new Browser(base);
    const discovery = await json(await b.fetch('/oidc/.well-known/openid-configuration'));
    expect(discovery.issuer).toBe(`${base}/oidc`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'name', 'personal_id', 'birthdate', 'address', 'phone_number', 'email']),
    );
    // The provider's error pages and an unknown interaction: our labelled page, a 4xx, no script.
    for (const url of [
      '/oidc/auth?client_id=nobody&response_type=code&scope=openid',
      '/oidc/interaction/nope',
    ]) {
      const res = await b.fetch(url);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('BẢN TRÌNH DIỄN');
      expect(html).not.toMatch(/<script/i);
    }
    const jwks = await json(await b.fetch('/oidc/jwks'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
    const { rows } = await t.ctx.database.pool.query<{ name: string }>(
      'SELECT name FROM oidc_keys ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual([
      'portal_client_secret',
      'provider_cookie_key',
      'provider_signing_jwk',
      'rp_state_key',
    ]);
  });
});

describe.each(ENGINES)('citizen login with an external provider (OIDC_ISSUER) on %s', (engine) => {
  let t: TestApp;
  let stub: Server;
  let issuer: string;
  let discoveryFailures = 1;
  beforeAll(async () => {
    // A stand-in for the national SSO: only its discovery document (the first request fails, as if it were down).
    stub = createServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') return res.writeHead(404).end();
      if (discoveryFailures-- > 0) return res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/oauth2/authorize`,
          token_endpoint: `${issuer}/oauth2/token`,
          userinfo_endpoint: `${issuer}/oauth2/userinfo`,
          jwks_uri: `${issuer}/oauth2/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    t = await startTestApp(engine, {
      dossiers: 0,
      env: {
        PUBLIC_URL: 'https://dichvucong.tinhso.example',
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'tinhso-h41',
        OIDC_CLIENT_SECRET: 'not-a-real-secret',
        OIDC_ACR_VALUES: 'LoA1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => stub?.close(resolve));
  });

  it('answers 503 OIDC_UNAVAILABLE while discovery fails, then redirects with acr_values=LoA1', async () => {
    const down = await t.app.inject({ method: 'GET', url: '/api/auth/citizen/login' });
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('OIDC_UNAVAILABLE');

    const res = await t.app.inject({ method: 'GET', url: '/api/auth/citizen/login?returnTo=/ho-so' });
    expect(res.statusCode).toBe(302);
    const url = new URL(res.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'tinhso-h41',
      response_type: 'code',
      scope: 'openid',
      acr_values: 'LoA1',
      redirect_uri: 'https://dichvucong.tinhso.example/api/auth/citizen/callback',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('prompt')).toBeNull();
    const cookie = res.cookies.find((c) => c.name === 'tinhso_oidc');
    expect(cookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/api/auth/citizen',
    });
  });

  it('does not serve the embedded demo provider', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/oidc/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(404);
  });
});

describe.each(ENGINES)('citizen login outside demo mode without OIDC_ISSUER on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0, env: { TINHSO_DEMO: 'false' } });
  });
  afterAll(async () => t?.close());

  it('never serves the demo provider (public password) and answers 503 OIDC_UNAVAILABLE', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/oidc/.well-known/openid-configuration' })).statusCode,
    ).toBe(404);
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/citizen/login' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({
      code: 'OIDC_UNAVAILABLE',
      details: { reason: 'not_configured' },
    });
  });
});
