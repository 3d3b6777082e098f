import { hash, verify } from '@node-rs/argon2';
import { appendAudit } from '@tinhso/db';
import { DomainError, Role } from '@tinhso/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer, unauthenticated } from '../auth/principal.js';
import { endSession, randomToken, sha256, startSession } from '../auth/sessions.js';
import { errors } from '../http/schemas.js';
import { rolesOfOfficer } from '../services/officers/read.js';

/** A hash to verify against when the username is unknown, so both paths take the same time. */
let dummyHash: Promise<string> | null = null;

const UNKNOWN_FAILURES_MAX = 10_000;

const accountLocked = (until: Date) =>
  new DomainError(
    'ACCOUNT_LOCKED',
    'Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau.',
    'Account temporarily locked after repeated failed logins. Try again later.',
    { until: until.toISOString() },
  );

const Me = z.object({
  kind: z.enum(['officer', 'citizen']),
  id: z.string(),
  name: z.string(),
  username: z.string().optional(),
  personalId: z.string().optional(),
  roles: z.array(z.object({ role: Role, unit: z.string() })).optional(),
  csrfToken: z.string().nullable(),
});

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app.ctx;
  /**
   * Failed logins of unknown (or deactivated) usernames, counted like an account's, so the lock answers the same
   * (423 ACCOUNT_LOCKED) whether or not the account exists. In memory, per node, bounded (oldest forgotten first).
   */
  const unknownFailures = new Map<string, { failures: number; lockedUntil: number }>();

  r.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Cán bộ đăng nhập bằng mật khẩu / officer password login',
        body: z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }),
        response: { 200: Me, ...errors(400, 401, 423, 429) },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const officer = await database.db
        .selectFrom('officers')
        .selectAll()
        .where('username', '=', username.toLowerCase())
        .executeTakeFirst();
      const failed = new DomainError(
        'LOGIN_FAILED',
        'Sai tên đăng nhập hoặc mật khẩu.',
        'Wrong username or password.',
      );
      if (!officer?.active) {
        const key = username.toLowerCase();
        const seen = unknownFailures.get(key);
        if (seen && seen.lockedUntil > Date.now()) throw accountLocked(new Date(seen.lockedUntil));
        dummyHash ??= hash('tinhso-dummy-password');
        await verify(await dummyHash, password).catch(() => false);
        const failures = (seen?.failures ?? 0) + 1;
        const lock = failures >= config.LOGIN_MAX_FAILURES;
        unknownFailures.delete(key);
        if (unknownFailures.size >= UNKNOWN_FAILURES_MAX) {
          unknownFailures.delete(unknownFailures.keys().next().value as string);
        }
        unknownFailures.set(key, {
          failures: lock ? 0 : failures,
          lockedUntil: lock ? Date.now() + config.LOGIN_LOCK_MINUTES * 60_000 : 0,
        });
        throw failed;
      }
      if (officer.locked_until && officer.locked_until.getTime() > Date.now()) {
        throw accountLocked(officer.locked_until);
      }
      const ok = await verify(officer.password_hash, password).catch(() => false);
      await database.db.transaction().execute(async (tx) => {
        if (ok) {
          await tx
            .updateTable('officers')
            .set({ failed_logins: 0, locked_until: null })
            .where('id', '=', officer.id)
            .execute();
        } else {
          const failures = officer.failed_logins + 1;
          const lock = failures >= config.LOGIN_MAX_FAILURES;
          await tx
            .updateTable('officers')
            .set({
              failed_logins: lock ? 0 : failures,
              locked_until: lock ? new Date(Date.now() + config.LOGIN_LOCK_MINUTES * 60_000) : null,
            })
            .where('id', '=', officer.id)
            .execute();
        }
        await appendAudit(tx, {
          actorType: 'officer',
          actorId: officer.id,
          action: ok ? 'auth.login' : 'auth.login_failed',
          entityType: 'officer',
          entityId: officer.id,
          ip: req.ip,
        });
      });
      if (!ok) throw failed;
      // Whatever session cookie came with the login (an earlier session, one planted by someone else) ends here.
      await endSession(database, req, reply);
      const { csrfToken } = await startSession(database, config, req, reply, {
        type: 'officer',
        id: officer.id,
      });
      const roles = await rolesOfOfficer(database.db, officer.id);
      return {
        kind: 'officer' as const,
        id: officer.id,
        name: officer.full_name,
        username: officer.username,
        roles,
        csrfToken,
      };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Đăng xuất / log out', response: { 204: z.null() } } },
    async (req, reply) => {
      await endSession(database, req, reply);
      const p = req.principal;
      if (p) {
        await database.db.transaction().execute((tx) =>
          appendAudit(tx, {
            actorType: p.kind,
            actorId: p.id,
            action: 'auth.logout',
            entityType: p.kind,
            entityId: p.id,
            ip: req.ip,
          }),
        );
      }
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Người đang đăng nhập / who am I',
        response: { 200: Me, ...errors(401) },
      },
    },
    async (req) => {
      const p = req.principal;
      if (!p) throw unauthenticated();
      if (p.kind === 'officer') {
        return {
          kind: p.kind,
          id: p.id,
          name: p.name,
          username: p.username,
          roles: p.roles,
          csrfToken: p.csrfToken,
        };
      }
      return { kind: p.kind, id: p.id, name: p.name, personalId: p.personalId, csrfToken: p.csrfToken };
    },
  );

  r.post(
    '/api/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Tạo mã API cho tích hợp (hoạt động với quyền của cán bộ) / create an API token',
        body: z.object({
          name: z.string().trim().min(3).max(100),
          expiresInDays: z.number().int().min(1).max(730),
        }),
        response: {
          201: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const officer = requireOfficer(req);
      if (officer.via !== 'session') {
        throw new DomainError(
          'FORBIDDEN',
          'Chỉ tạo mã API từ phiên đăng nhập.',
          'API tokens can only be created from a login session.',
        );
      }
      const token = `ts_${randomToken()}`;
      const expiresAt = new Date(Date.now() + req.body.expiresInDays * 86_400_000);
      const row = await database.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('api_tokens')
          .values({
            name: req.body.name,
            token_hash: sha256(token),
            officer_id: officer.id,
            expires_at: expiresAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendAudit(tx, {
          actorType: 'officer',
          actorId: officer.id,
          action: 'auth.token_create',
          entityType: 'api_token',
          entityId: row.id,
          ip: req.ip,
          details: { name: req.body.name },
        });
        return row;
      });
      return reply.status(201).send({ id: row.id, token, expiresAt: expiresAt.toISOString() });
    },
  );
}
