/** Officers read from the database as the administration shows them: roles by unit code, never a password hash. */
import type { Database, DB } from '@tinhso/db';
import type { Role } from '@tinhso/domain';
import type { Transaction } from 'kysely';
import { officerNotFound } from './errors.js';
import type { OfficerView, RoleGrant } from './types.js';

/** The roles of each officer of `ids`, by unit code then role. */
export async function rolesOf(db: Database['db'], ids: string[]): Promise<Map<string, RoleGrant[]>> {
  const out = new Map<string, RoleGrant[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('officer_roles as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.officer_id', 'r.role', 'u.code'])
    .where('r.officer_id', 'in', ids)
    .orderBy('u.code')
    .orderBy('r.role')
    .execute();
  for (const r of rows) {
    const list = out.get(r.officer_id) ?? [];
    list.push({ role: r.role as Role, unit: r.code });
    out.set(r.officer_id, list);
  }
  return out;
}

/** One officer with their roles; OFFICER_NOT_FOUND when there is none. */
export async function findOfficer(db: Database['db'] | Transaction<DB>, id: string): Promise<OfficerView> {
  const row = await db
    .selectFrom('officers')
    .select(['id', 'username', 'full_name', 'title', 'email', 'active', 'locked_until', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw officerNotFound(id);
  return present(row, await rolesOfOfficer(db, id));
}

/** One officer's roles, by unit code then role: the order of every roles list (sessions and administration). */
export async function rolesOfOfficer(db: Database['db'] | Transaction<DB>, id: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('officer_roles as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.role', 'u.code'])
    .where('r.officer_id', '=', id)
    .orderBy('u.code')
    .orderBy('r.role')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, unit: r.code }));
}

/** An `officers` row as shown; a lock that has run out is shown as none. */
export function present(
  r: {
    id: string;
    username: string;
    full_name: string;
    title: string | null;
    email: string | null;
    active: boolean;
    locked_until: Date | null;
    created_at: Date;
  },
  roles: RoleGrant[],
): OfficerView {
  const locked = r.locked_until && r.locked_until.getTime() > Date.now() ? r.locked_until : null;
  return {
    id: r.id,
    username: r.username,
    name: r.full_name,
    title: r.title,
    email: r.email,
    active: r.active,
    roles,
    lockedUntil: locked ? locked.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}
