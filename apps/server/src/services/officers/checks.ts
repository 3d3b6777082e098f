/**
 * The rules an officer change must keep, apart from who may make it: a strong enough password, roles only on units
 * that exist and are active, and always one active province administrator.
 */
import type { DB } from '@tinhso/db';
import { DomainError, vietnamDate } from '@tinhso/domain';
import type { Transaction } from 'kysely';
import type { UnitDirectory } from '../units.js';
import type { RoleGrant } from './types.js';

export const roleKey = (g: RoleGrant) => `${g.role}@${g.unit}`;

/** Canonical unit codes (either QCVN 102 form accepted), no duplicates; UNIT_NOT_FOUND for an unknown unit. */
export function normaliseRoles(units: UnitDirectory, roles: RoleGrant[]): RoleGrant[] {
  const seen = new Map<string, RoleGrant>();
  for (const g of roles) {
    const unit = units.get(g.unit);
    const grant = { role: g.role, unit: unit.code };
    seen.set(roleKey(grant), grant);
  }
  return [...seen.values()].sort((a, b) => (roleKey(a) < roleKey(b) ? -1 : 1));
}

/** UNIT_INACTIVE: no role is granted on a unit that has closed (merged or ended). */
export function requireActiveUnits(units: UnitDirectory, roles: RoleGrant[]) {
  const today = vietnamDate(new Date());
  for (const g of roles) {
    const u = units.get(g.unit);
    if (!units.isActive(u, today)) {
      throw new DomainError(
        'UNIT_INACTIVE',
        `Đơn vị "${u.name}" không còn hoạt động: không thể cấp vai trò tại đơn vị này.`,
        `Unit "${u.code}" is no longer active: no role can be granted there.`,
        { unit: u.code },
      );
    }
  }
}

/** LAST_ADMIN: run in the change's transaction, after it, so that no change leaves the province without one. */
export async function requireProvinceAdminLeft(tx: Transaction<DB>, units: UnitDirectory) {
  const root = units.root();
  if (!root) return;
  const n = await tx
    .selectFrom('officer_roles as r')
    .innerJoin('officers as o', 'o.id', 'r.officer_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.role', '=', 'admin')
    .where('r.unit_id', '=', root.id)
    .where('o.active', '=', true)
    .executeTakeFirstOrThrow();
  if (Number(n.n) === 0) {
    throw new DomainError(
      'LAST_ADMIN',
      'Tỉnh phải còn ít nhất một quản trị hệ thống cấp tỉnh đang hoạt động.',
      'The province must keep at least one active province administrator.',
    );
  }
}

/** At least 10 characters, not the username. */
export function checkPassword(password: string, username: string) {
  if (password.length < 10) {
    throw new DomainError(
      'PASSWORD_TOO_WEAK',
      'Mật khẩu phải có ít nhất 10 ký tự.',
      'The password must have at least 10 characters.',
    );
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    throw new DomainError(
      'PASSWORD_TOO_WEAK',
      'Mật khẩu không được chứa tên đăng nhập.',
      'The password must not contain the username.',
    );
  }
}
