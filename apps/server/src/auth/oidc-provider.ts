import { createHash, generateKeyPair, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import type { Database } from '@tinhso/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Account, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type * as client from 'openid-client';
import { z } from 'zod';
import type { Config } from '../config.js';
import { DEMO_PASSWORD } from '../demo/organisation.js';
import { demoPage, escapeHtml } from '../http/html.js';
import { CITIZEN_CALLBACK_PATH, type IdentityProvider, newSecret, storedKey } from './oidc-client.js';

/**
 * The EMBEDDED DEMO identity provider ("MÔ PHỎNG VNeID — bản trình diễn"): a real OpenID Connect provider
 * (oidc-provider v9) served by this process under /oidc when no external provider is configured, so the demo can
 * show the whole citizen login without the national SSO. Its accounts are the rows of `citizens`; every one of
 * them logs in with the public demo password (DEMO_PASSWORD). It authenticates nobody for real.
 *
 * - Issuer `${PUBLIC_URL}/oidc`; one confidential client, our own portal (`tinhso-portal`), PKCE required, consent
 *   granted automatically (first-party client).
 * - The RS256 signing key, the cookie key and the client secret are generated at first start and kept in the
 *   `oidc_keys` table, so every app node uses the same ones and nothing secret is committed.
 * - The provider's own state (interactions, sessions, codes, tokens: minutes-long) uses oidc-provider's in-memory
 *   adapter: enough for the demo on one node; a login started on one node and finished on another would fail.
 * - Pages (login, errors) are ours, in Vietnamese with an English line, without any script (CSP script-src 'self').
 */

export const PROVIDER_PREFIX = '/oidc';
export const PORTAL_CLIENT_ID = 'tinhso-portal';
/** Subjects issued by the embedded provider (the same form the demo seed stores in citizens.oidc_subject). */
const subjectOf = (personalId: string) => `demo:${personalId}`;

async function newSigningJwk() {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(12).toString('base64url'),
    alg: 'RS256',
    use: 'sig',
  };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Constant-time comparison with the demo password (hashes first so lengths never leak). */
const isDemoPassword = (password: string) => timingSafeEqual(digest(password), digest(DEMO_PASSWORD));

async function citizenByPersonalId(database: Database, personalId: string) {
  return database.db
    .selectFrom('citizens')
    .select(['personal_id', 'full_name', 'date_of_birth', 'address', 'phone', 'email'])
    .where('personal_id', '=', personalId)
    .executeTakeFirst();
}

async function findAccount(database: Database, sub: string): Promise<Account | undefined> {
  const personalId = sub.startsWith('demo:') ? sub.slice(5) : '';
  if (!/^[0-9]{12}$/.test(personalId)) return undefined;
  const c = await citizenByPersonalId(database, personalId);
  if (!c) return undefined;
  return {
    accountId: sub,
    claims: () => ({
      sub,
      name: c.full_name,
      personal_id: c.personal_id,
      birthdate: c.date_of_birth ?? undefined,
      address: c.address ? { formatted: c.address } : undefined,
      phone_number: c.phone ?? undefined,
      email: c.email ?? undefined,
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pages (no script at all; inline style is allowed by the app's CSP)

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f4f5f7;color:#1b1b1b}
main{max-width:30rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-top:6px solid #b3261e;box-shadow:0 1px 3px rgba(0,0,0,.2)}
.demo{background:#fff4ce;border:2px dashed #8a6d00;padding:.5rem .75rem;font-weight:600}
h1{font-size:1.35rem;margin:1rem 0 .25rem}.en{color:#4a4a4a;margin-top:0}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #5f6368;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button{font:inherit;margin-top:1.25rem;padding:.6rem 1.25rem;border:0;border-radius:4px;background:#b3261e;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b1b1b;border:1px solid #5f6368;margin-left:.5rem}
.error{color:#8c1d18;background:#fdecea;border-left:4px solid #b3261e;padding:.5rem .75rem}
.hint{font-size:.9rem;color:#4a4a4a;margin-top:1.5rem}.row{display:flex;flex-wrap:wrap;align-items:center}`;

const BANNER = `<p class="demo" role="note">BẢN TRÌNH DIỄN — đây KHÔNG phải VNeID hay Cổng dịch vụ công quốc gia; không xác thực danh tính thật.<br><span lang="en">DEMO — this is NOT VNeID or the national portal; no real identity is verified.</span></p>`;

function page(title: string, body: string): string {
  return demoPage({ title, style: STYLE, banner: BANNER, body });
}

function loginPage(uid: string, opts: { personalId?: string; error?: string } = {}): string {
  const action = `${PROVIDER_PREFIX}/interaction/${encodeURIComponent(uid)}`;
  const invalid = opts.error ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return page(
    'Đăng nhập — MÔ PHỎNG VNeID (bản trình diễn)',
    `<h1>Đăng nhập bằng tài khoản định danh (MÔ PHỎNG VNeID — bản trình diễn)</h1>
<p class="en" lang="en">Sign in with your e-identity account (SIMULATED VNeID — demo)</p>
<p>Cổng dịch vụ công Tỉnh Số yêu cầu đăng nhập. <span lang="en">The Tỉnh Số public service portal asks you to sign in.</span></p>
${opts.error ? `<p id="login-error" class="error" role="alert">${escapeHtml(opts.error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}/login">
<label for="personalId">Số định danh cá nhân (12 chữ số) <span lang="en">/ Personal ID number</span></label>
<input id="personalId" name="personalId" inputmode="numeric" pattern="[0-9]{12}" maxlength="12" autocomplete="username" required autofocus value="${escapeHtml(opts.personalId)}"${invalid}>
<label for="password">Mật khẩu <span lang="en">/ Password</span></label>
<input id="password" name="password" type="password" maxlength="200" autocomplete="current-password" required${invalid}>
<div class="row"><button type="submit">Đăng nhập <span lang="en">/ Sign in</span></button>
<button type="submit" class="secondary" formaction="${escapeHtml(action)}/abort" formnovalidate>Huỷ <span lang="en">/ Cancel</span></button></div>
</form>
<p class="hint">Tài khoản mẫu (số định danh): 040090001234, 040164005678, 040201009012 — mật khẩu mẫu của bản trình diễn (xem README).<br><span lang="en">Demo accounts above; the demo password is in README.md.</span></p>`,
  );
}

function errorPage(vi: string, en: string, detail?: string): string {
  return page(
    'Lỗi đăng nhập — MÔ PHỎNG VNeID (bản trình diễn)',
    `<h1>${escapeHtml(vi)}</h1>
<p class="en" lang="en">${escapeHtml(en)}</p>
${detail ? `<p class="hint"><code>${escapeHtml(detail)}</code></p>` : ''}
<p><a href="/">Về trang chủ <span lang="en">/ Back to the portal</span></a></p>`,
  );
}

const sendPage = (reply: FastifyReply, status: number, html: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

const LoginForm = z.object({
  personalId: z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^[0-9]{12}$/)),
  password: z.string().min(1).max(200),
});

// ---------------------------------------------------------------------------------------------------------------

/**
 * Mounts the embedded provider on the app (routes under /oidc) and returns how our relying party reaches it.
 * Back-channel calls (token, userinfo, JWKS) are answered in process through `app.inject`, so the server never
 * has to reach itself through PUBLIC_URL (a reverse proxy, a container, or `localhost` resolving to ::1).
 */
export async function mountEmbeddedProvider(app: FastifyInstance): Promise<IdentityProvider> {
  const { config, database } = app.ctx;
  const { default: Provider, errors } = await import('oidc-provider');
  const issuer = `${config.publicUrl}${PROVIDER_PREFIX}`;
  const [jwk, cookieKey, portalSecret] = await Promise.all([
    storedKey(database, 'provider_signing_jwk', newSigningJwk),
    storedKey(database, 'provider_cookie_key', newSecret),
    storedKey(database, 'portal_client_secret', newSecret),
  ]);

  const configuration: Configuration = {
    clients: [
      {
        client_id: PORTAL_CLIENT_ID,
        client_secret: portalSecret.secret,
        client_name: 'Cổng dịch vụ công Tỉnh Số',
        redirect_uris: [`${config.publicUrl}${CITIZEN_CALLBACK_PATH}`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['openid', 'profile'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'personal_id', 'birthdate', 'address', 'phone_number', 'email'],
    },
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => findAccount(database, sub),
    // First-party client: consent is granted automatically (openid profile), no consent page.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      const clientId = oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (existing && existing.accountId === accountId) return existing;
      if (clientId !== PORTAL_CLIENT_ID) return undefined;
      const grant = new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${PROVIDER_PREFIX}/interaction/${interaction.uid}` },
    cookies: {
      keys: [cookieKey.secret],
      names: {
        session: 'tinhso_idp_session',
        interaction: 'tinhso_idp_interaction',
        resume: 'tinhso_idp_resume',
      },
      long: { httpOnly: true, sameSite: 'lax', path: PROVIDER_PREFIX },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn.',
        'The login request is invalid or has expired.',
        [out.error, out.error_description].filter(Boolean).join(': '),
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = config.TRUST_PROXY;
  const callback = provider.callback();

  // Everything under /oidc goes to the provider untouched (it reads its own bodies), prefix stripped.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handoff = async (req: { raw: IncomingMessage }, reply: FastifyReply) => {
      reply.hijack();
      const raw = req.raw as IncomingMessage & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = raw.url?.slice(PROVIDER_PREFIX.length) || '/';
      if (!raw.url.startsWith('/')) raw.url = `/${raw.url}`;
      await callback(raw, reply.raw);
    };
    scope.all(PROVIDER_PREFIX, { schema: { hide: true } }, handoff);
    scope.all(`${PROVIDER_PREFIX}/*`, { schema: { hide: true } }, handoff);
  });

  // Our interaction pages: the demo login form (consent is automatic).
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const expired = (reply: FastifyReply) =>
      sendPage(
        reply,
        400,
        errorPage(
          'Phiên đăng nhập đã hết hạn. Vui lòng bắt đầu lại từ Cổng dịch vụ công.',
          'This login session has expired. Please start again from the portal.',
        ),
      );
    /** The pending interaction of this browser for `uid`, or null when it is gone (expired, other browser). */
    const pending = async (req: { raw: IncomingMessage }, reply: FastifyReply, uid: string) => {
      try {
        const details = await provider.interactionDetails(req.raw, reply.raw);
        return details.uid === uid ? details : null;
      } catch (e) {
        if (e instanceof errors.SessionNotFound) return null;
        throw e;
      }
    };
    const Params = z.object({ uid: z.string().min(1).max(100) });

    scope.get(
      `${PROVIDER_PREFIX}/interaction/:uid`,
      { schema: { hide: true, params: Params } },
      async (req, reply) => {
        const { uid } = req.params as z.infer<typeof Params>;
        const details = await pending(req, reply, uid);
        if (!details) return expired(reply);
        if (details.prompt.name === 'login') return sendPage(reply, 200, loginPage(uid));
        // Consent for our own first-party portal: granted without asking (normally loadExistingGrant already did).
        const accountId = details.session?.accountId;
        if (
          details.prompt.name !== 'consent' ||
          !accountId ||
          details.params['client_id'] !== PORTAL_CLIENT_ID
        )
          return expired(reply);
        const grant = new provider.Grant({ accountId, clientId: PORTAL_CLIENT_ID });
        grant.addOIDCScope('openid profile');
        const returnTo = await provider.interactionResult(req.raw, reply.raw, {
          consent: { grantId: await grant.save() },
        });
        return reply.redirect(returnTo, 303);
      },
    );

    scope.post(
      `${PROVIDER_PREFIX}/interaction/:uid/login`,
      {
        schema: { hide: true, params: Params },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const { uid } = req.params as z.infer<typeof Params>;
        const details = await pending(req, reply, uid);
        if (details?.prompt.name !== 'login') return expired(reply);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const typed = typeof body['personalId'] === 'string' ? body['personalId'].slice(0, 20) : '';
        const form = LoginForm.safeParse(body);
        if (!form.success) {
          return sendPage(
            reply,
            400,
            loginPage(uid, {
              personalId: typed,
              error:
                'Nhập số định danh cá nhân gồm đúng 12 chữ số và mật khẩu. / Enter your 12-digit personal ID number and password.',
            }),
          );
        }
        const citizen = await citizenByPersonalId(database, form.data.personalId);
        const passwordOk = isDemoPassword(form.data.password);
        if (!citizen || !passwordOk) {
          return sendPage(
            reply,
            401,
            loginPage(uid, {
              personalId: form.data.personalId,
              error: 'Sai số định danh cá nhân hoặc mật khẩu. / Wrong personal ID number or password.',
            }),
          );
        }
        const returnTo = await provider.interactionResult(
          req.raw,
          reply.raw,
          { login: { accountId: subjectOf(citizen.personal_id), amr: ['pwd'], remember: false } },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(returnTo, 303);
      },
    );

    scope.post(
      `${PROVIDER_PREFIX}/interaction/:uid/abort`,
      { schema: { hide: true, params: Params } },
      async (req, reply) => {
        const { uid } = req.params as z.infer<typeof Params>;
        if (!(await pending(req, reply, uid))) return expired(reply);
        const returnTo = await provider.interactionResult(
          req.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'End-User aborted interaction' },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(returnTo, 303);
      },
    );
  });

  return {
    kind: 'embedded',
    issuer,
    clientId: PORTAL_CLIENT_ID,
    clientSecret: portalSecret.secret,
    scope: 'openid profile',
    // prompt=login: the demo asks every time, so several demo citizens can take turns in one browser.
    authParams: {
      prompt: 'login',
      ...(config.OIDC_ACR_VALUES ? { acr_values: config.OIDC_ACR_VALUES } : {}),
    },
    metadata: {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
      jwks_uri: `${issuer}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    },
    fetch: inProcessFetch(app, issuer, config),
    allowHttp: issuer.startsWith('http:'),
  };
}

const payloadOf = (body: NonNullable<client.CustomFetchOptions['body']>): string | Buffer => {
  if (typeof body === 'string' || body instanceof URLSearchParams) return String(body);
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return Buffer.from(body as Uint8Array);
  throw new TypeError('streamed request bodies are not used by the relying party');
};

/** A fetch for the relying party's back-channel calls to the embedded provider, served by `app.inject`. */
function inProcessFetch(app: FastifyInstance, issuer: string, config: Config): client.CustomFetch {
  return async (url, options) => {
    if (!url.startsWith(`${issuer}/`)) return fetch(url, options as RequestInit);
    const target = new URL(url);
    const headers: Record<string, string> = { ...options.headers, host: target.host };
    if (config.TRUST_PROXY) headers['x-forwarded-proto'] = target.protocol.slice(0, -1);
    const body = options.body;
    const res = await app.inject({
      method: options.method as 'GET' | 'POST',
      url: `${target.pathname}${target.search}`,
      headers,
      ...(body === null || body === undefined ? {} : { payload: payloadOf(body) }),
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, String(v));
    }
    const nullBody = [101, 204, 205, 304].includes(res.statusCode);
    return new Response(nullBody ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      headers: out,
    });
  };
}
