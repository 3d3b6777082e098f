import { createHash, randomBytes } from 'node:crypto';
import { type Database, prepared } from '@tinhso/db';
import type { Role } from '@tinhso/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { rolesOfOfficer } from '../services/officers/read.js';
import type { Principal } from './principal.js';

export const SESSION_COOKIE = 'tinhso_session';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Creates a session (a fresh id at every login: no session fixation) and sets the cookie. */
export async function startSession(
  database: Database,
  config: Config,
  req: FastifyRequest,
  reply: FastifyReply,
  subject: { type: 'officer' | 'citizen'; id: string },
): Promise<{ csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expires = new Date(Date.now() + config.SESSION_TTL_HOURS * 3600_000);
  await database.db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      subject_type: subject.type,
      subject_id: subject.id,
      csrf_token: csrfToken,
      expires_at: expires,
      ip: req.ip,
      user_agent: (req.headers['user-agent'] ?? '').slice(0, 300),
    })
    .execute();
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires,
  });
  return { csrfToken };
}

export async function endSession(
  database: Database,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const token = req.cookies[SESSION_COOKIE];
  if (token) await database.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

async function officerPrincipal(
  database: Database,
  officerId: string,
  via: 'session' | 'token',
  csrfToken: string | null,
  sessionId: string | null,
): Promise<Principal | null> {
  const officer = await database.db
    .selectFrom('officers')
    .select(['id', 'username', 'full_name', 'active'])
    .where('id', '=', officerId)
    .executeTakeFirst();
  if (!officer?.active) return null;
  const roles = await rolesOfOfficer(database.db, officerId);
  return {
    kind: 'officer',
    id: officer.id,
    username: officer.username,
    name: officer.full_name,
    roles,
    via,
    csrfToken,
    sessionId,
  };
}

interface SessionRow {
  subject_type: 'officer' | 'citizen';
  subject_id: string;
  csrf_token: string;
  expires_at: Date | string;
  username: string | null;
  officer_name: string | null;
  active: boolean | null;
  citizen_name: string | null;
  personal_id: string | null;
  roles: { role: string; unit: string }[] | null;
}

/**
 * One round trip for every signed-in request: the session, its officer with all roles, or its citizen. A prepared
 * statement (packages/db/src/prepared.ts).
 */
const readSession = prepared('session_principal', (db) =>
  sql<SessionRow>`
    SELECT s.subject_type, s.subject_id, s.csrf_token, s.expires_at,
           o.username, o.full_name AS officer_name, o.active,
           c.full_name AS citizen_name, c.personal_id,
           CASE WHEN o.id IS NULL THEN NULL ELSE COALESCE(
             (SELECT json_agg(json_build_object('role', r.role, 'unit', u.code) ORDER BY u.code, r.role)
                FROM officer_roles r JOIN units u ON u.id = r.unit_id
               WHERE r.officer_id = o.id), '[]'::json) END AS roles
      FROM sessions s
      LEFT JOIN officers o ON s.subject_type = 'officer' AND o.id = s.subject_id
      LEFT JOIN citizens c ON s.subject_type = 'citizen' AND c.id = s.subject_id
     WHERE s.id = ${''}`.compile(db),
);

/** Resolves who is calling: an API token (Authorization: Bearer) or a session cookie. */
export async function resolvePrincipal(database: Database, req: FastifyRequest): Promise<Principal | null> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const row = await database.db
      .selectFrom('api_tokens')
      .select(['id', 'officer_id', 'expires_at', 'revoked_at'])
      .where('token_hash', '=', sha256(auth.slice(7).trim()))
      .executeTakeFirst();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() < Date.now())) return null;
    void database.db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date() })
      .where('id', '=', row.id)
      .execute()
      .catch(() => {});
    return officerPrincipal(database, row.officer_id, 'token', null, null);
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const id = sha256(token);
  const [s] = await readSession(database, [id]);
  if (!s || new Date(s.expires_at).getTime() < Date.now()) return null;
  if (s.subject_type === 'officer') {
    if (!s.active || s.username == null || s.officer_name == null) return null;
    return {
      kind: 'officer',
      id: s.subject_id,
      username: s.username,
      name: s.officer_name,
      roles: (s.roles ?? []).map((r) => ({ role: r.role as Role, unit: r.unit })),
      via: 'session',
      csrfToken: s.csrf_token,
      sessionId: id,
    };
  }
  if (s.citizen_name == null || s.personal_id == null) return null;
  return {
    kind: 'citizen',
    id: s.subject_id,
    name: s.citizen_name,
    personalId: s.personal_id,
    via: 'session',
    csrfToken: s.csrf_token,
    sessionId: id,
  };
}
