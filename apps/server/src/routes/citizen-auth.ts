import { appendAudit, type DB } from '@tinhso/db';
import { DomainError, isDomainError } from '@tinhso/domain';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import {
  CITIZEN_CALLBACK_PATH,
  CITIZEN_LOGIN_PATH,
  type CitizenClaims,
  CitizenOidcClient,
  externalProvider,
  newSecret,
  STATE_COOKIE,
  STATE_COOKIE_PATH,
  STATE_TTL_SECONDS,
  storedKey,
} from '../auth/oidc-client.js';
import { endSession, startSession } from '../auth/sessions.js';
import { handleError, httpStatusOf } from '../http/errors.js';
import { escapeHtml } from '../http/html.js';
import { ErrorResponse, errors } from '../http/schemas.js';

/**
 * Citizen login through OpenID Connect (auth/oidc-client.ts): the national SSO when OIDC_ISSUER is set, otherwise
 * the embedded demo provider (auth/oidc-provider.ts, loaded only then). Both routes are GETs reached by browser
 * navigation, so the CSRF header check does not apply; the state cookie and PKCE protect the flow.
 */
export async function citizenAuthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app.ctx;

  // A browser that lands on an error (expired login, provider error) gets a short page; API clients get JSON.
  app.setErrorHandler((error, req, reply) => {
    if (isDomainError(error) && prefersHtml(req)) {
      return reply
        .status(httpStatusOf(error.code))
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(errorPage(error));
    }
    return handleError(error as FastifyError, req, reply);
  });

  // The embedded provider lets anyone in with the public demo password: only ever in demo mode. A real deployment
  // without OIDC_ISSUER has no citizen login at all.
  const idp = config.OIDC_ISSUER
    ? externalProvider(config)
    : config.demo
      ? await (await import('../auth/oidc-provider.js')).mountEmbeddedProvider(app)
      : null;
  if (!idp) app.log.warn('citizen login disabled: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  const stateKey = await storedKey(database, 'rp_state_key', newSecret);
  const client = idp ? new CitizenOidcClient(idp, Buffer.from(stateKey.secret, 'base64url'), config) : null;
  const rp = () => {
    if (client) return client;
    throw new DomainError(
      'OIDC_UNAVAILABLE',
      'Chưa cấu hình đăng nhập công dân (nhà cung cấp định danh).',
      'Citizen login is not configured (no identity provider).',
      { reason: 'not_configured' },
    );
  };

  r.get(
    CITIZEN_LOGIN_PATH,
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Công dân đăng nhập qua định danh điện tử (OpenID Connect) / citizen login (redirect)',
        description:
          'Chuyển hướng (302) tới nhà cung cấp định danh: VNeID / SSO quốc gia khi cấu hình OIDC_ISSUER, nếu không là ' +
          'nhà cung cấp mô phỏng của bản trình diễn (/oidc). `returnTo`: đường dẫn tương đối cùng nguồn, mặc định "/".',
        querystring: z.object({ returnTo: z.string().max(2000).optional() }),
        response: { 302: z.null().describe('redirect to the identity provider'), 503: ErrorResponse },
      },
    },
    async (req, reply) => {
      const { url, cookie } = await rp().start(req.query.returnTo ?? '/');
      reply.setCookie(STATE_COOKIE, cookie, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: STATE_TTL_SECONDS,
      });
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    },
  );

  r.get(
    CITIZEN_CALLBACK_PATH,
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Nhà cung cấp định danh chuyển về sau khi đăng nhập / OpenID Connect redirect URI',
        querystring: z.object({
          code: z.string().max(2000).optional(),
          state: z.string().max(500).optional(),
          iss: z.string().max(500).optional(),
          error: z.string().max(200).optional(),
          error_description: z.string().max(2000).optional(),
        }),
        response: {
          303: z.null().describe('logged in: redirect to returnTo'),
          ...errors(400, 401),
          503: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      const oidc = rp();
      reply.header('cache-control', 'no-store');
      reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
      // The raw query, as the provider sent it (openid-client checks every parameter, e.g. `iss`).
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      const result = await oidc.finish(query, req.cookies[STATE_COOKIE]);
      if (result.cancelled) return reply.redirect(result.returnTo, 303);
      const citizenId = await database.db.transaction().execute(async (tx) => {
        const { id, created, relinked } = await upsertCitizen(tx, result.claims);
        await appendAudit(tx, {
          actorType: 'citizen',
          actorId: id,
          action: 'auth.citizen_login',
          entityType: 'citizen',
          entityId: id,
          ip: req.ip,
          details: { provider: oidc.idp.kind, issuer: oidc.idp.issuer, created, relinked },
        });
        return id;
      });
      await endSession(database, req, reply);
      await startSession(database, config, req, reply, { type: 'citizen', id: citizenId });
      return reply.redirect(result.returnTo, 303);
    },
  );
}

/**
 * Finds the citizen by the provider's subject, else by personal ID number (a row created at the counter, or linked
 * to an older subject: the provider is the authority on who this is), else creates it from the claims.
 */
async function upsertCitizen(
  tx: Transaction<DB>,
  claims: CitizenClaims,
): Promise<{ id: string; created: boolean; relinked: boolean }> {
  const profile = {
    ...(claims.name ? { full_name: claims.name } : {}),
    ...(claims.birthdate ? { date_of_birth: claims.birthdate } : {}),
    ...(claims.address ? { address: claims.address } : {}),
    ...(claims.phone ? { phone: claims.phone } : {}),
    ...(claims.email ? { email: claims.email } : {}),
    updated_at: new Date(),
  };
  const bySubject = await tx
    .selectFrom('citizens')
    .select(['id', 'personal_id'])
    .where('oidc_subject', '=', claims.subject)
    .executeTakeFirst();
  if (bySubject) {
    if (bySubject.personal_id !== claims.personalId) {
      throw new DomainError(
        'OIDC_CLAIMS_INVALID',
        'Số định danh cá nhân do nhà cung cấp định danh trả về khác với tài khoản đã liên kết; không thể đăng nhập.',
        'The personal ID number from the identity provider differs from the linked account; login refused.',
        { claim: 'personal_id' },
      );
    }
    await tx.updateTable('citizens').set(profile).where('id', '=', bySubject.id).execute();
    return { id: bySubject.id, created: false, relinked: false };
  }
  const byPersonalId = await tx
    .selectFrom('citizens')
    .select(['id', 'oidc_subject'])
    .where('personal_id', '=', claims.personalId)
    .executeTakeFirst();
  if (byPersonalId) {
    await tx
      .updateTable('citizens')
      .set({ ...profile, oidc_subject: claims.subject })
      .where('id', '=', byPersonalId.id)
      .execute();
    return { id: byPersonalId.id, created: false, relinked: byPersonalId.oidc_subject !== null };
  }
  if (!claims.name) {
    throw new DomainError(
      'OIDC_CLAIMS_INVALID',
      'Nhà cung cấp định danh không trả về họ tên; không thể tạo tài khoản công dân.',
      'The identity provider did not return a name; cannot create the citizen account.',
      { claim: 'name' },
    );
  }
  const row = await tx
    .insertInto('citizens')
    .values({
      oidc_subject: claims.subject,
      personal_id: claims.personalId,
      full_name: claims.name,
      date_of_birth: claims.birthdate,
      address: claims.address,
      phone: claims.phone,
      email: claims.email,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, created: true, relinked: false };
}

function prefersHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
}

function errorPage(e: DomainError): string {
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập không thành công — Tỉnh Số</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.3rem}.en{color:#4a4a4a}code{background:#f1f1f1;padding:0 .25rem}</style></head>
<body><main>
<h1>${escapeHtml(e.messageVi)}</h1>
<p class="en" lang="en">${escapeHtml(e.messageEn)}</p>
<p>Mã lỗi / error code: <code>${escapeHtml(e.code)}</code></p>
<p><a href="/api/auth/citizen/login">Đăng nhập lại <span lang="en">/ Log in again</span></a> · <a href="/">Trang chủ <span lang="en">/ Home</span></a></p>
</main></body></html>`;
}
