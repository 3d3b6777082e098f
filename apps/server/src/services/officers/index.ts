import { hash } from '@node-rs/argon2';
import { appendAudit, type Database, type DB } from '@tinhso/db';
import { DomainError, type Role } from '@tinhso/domain';
import { sql, type Transaction } from 'kysely';
import { forbidden, type OfficerPrincipal } from '../../auth/principal.js';
import type { AuditActor } from '../audit-actor.js';
import { isUniqueViolation } from '../dossier-store.js';
import type { Unit, UnitDirectory } from '../units.js';
import {
  checkPassword,
  normaliseRoles,
  requireActiveUnits,
  requireProvinceAdminLeft,
  roleKey,
} from './checks.js';
import { officerNotFound, usernameTaken } from './errors.js';
import { findOfficer, present, rolesOf } from './read.js';
import type { NewOfficer, OfficerChanges, OfficerView, RoleGrant } from './types.js';

export type { NewOfficer, OfficerChanges, OfficerView, RoleGrant } from './types.js';

/**
 * Officers and their roles (administration, issue 4 §6). An administrator acts within the units their `admin` role
 * covers: they may see, create and change only officers whose every role lies in those units (the province
 * administrator, `admin` on the root unit, covers all). A head of unit may list the officers of their units (to
 * assign work). Passwords are stored as argon2 hashes and never returned; every change is audited with what changed.
 */
export class OfficerService {
  constructor(
    private readonly database: Database,
    private readonly units: UnitDirectory,
  ) {}

  /** Units on which the principal holds one of `roles`. */
  private scopes(p: OfficerPrincipal, roles: readonly Role[]): Unit[] {
    return p.roles.filter((r) => roles.includes(r.role)).flatMap((r) => this.units.find(r.unit) ?? []);
  }

  private coveredBy(scopes: Unit[], unitCode: string): boolean {
    return scopes.some((s) => this.units.covers(s.code, unitCode));
  }

  private isProvinceAdmin(p: OfficerPrincipal): boolean {
    const root = this.units.root();
    return !!root && this.coveredBy(this.scopes(p, ['admin']), root.code);
  }

  /**
   * Officers holding a role on `unitCode` or below (default: every unit the caller administers or heads). The caller
   * must hold `admin` or `head` on a unit covering it. The province administrator without a unit sees everyone,
   * including officers without any role.
   */
  async list(
    p: OfficerPrincipal,
    q: { unit?: string | undefined; q?: string | undefined; active?: boolean | undefined },
  ): Promise<OfficerView[]> {
    const scopes = this.scopes(p, ['admin', 'head']);
    if (scopes.length === 0) throw forbidden();
    let within: Unit[];
    let everyone = false;
    if (q.unit) {
      const unit = this.units.get(q.unit);
      if (!this.coveredBy(scopes, unit.code)) throw forbidden();
      within = [unit];
    } else {
      within = scopes;
      everyone = this.isProvinceAdmin(p);
    }
    const unitIds = [...new Set(within.flatMap((u) => this.units.subtree(u).map((x) => x.id)))];
    const { db } = this.database;
    let query = db.selectFrom('officers as o');
    if (!everyone) {
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('officer_roles as r')
            .select('r.officer_id')
            .whereRef('r.officer_id', '=', 'o.id')
            .where('r.unit_id', 'in', unitIds),
        ),
      );
    }
    if (q.active !== undefined) query = query.where('o.active', '=', q.active);
    if (q.q) {
      const text = q.q;
      query = query.where((eb) =>
        eb.or([
          eb('o.username', 'like', `%${text.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`),
          eb(sql`ts_fold(o.full_name)`, 'like', sql`'%' || ts_fold(${text}) || '%'`),
        ]),
      );
    }
    const rows = await query
      .select([
        'o.id',
        'o.username',
        'o.full_name',
        'o.title',
        'o.email',
        'o.active',
        'o.locked_until',
        'o.created_at',
      ])
      .orderBy('o.username')
      .limit(2000)
      .execute();
    const roles = await rolesOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => present(r, roles.get(r.id) ?? []));
  }

  /** One officer, for an administrator or head whose units cover one of the officer's roles. */
  async get(p: OfficerPrincipal, id: string): Promise<OfficerView> {
    const o = await findOfficer(this.database.db, id);
    const scopes = this.scopes(p, ['admin', 'head']);
    if (scopes.length === 0) throw forbidden();
    const visible = this.isProvinceAdmin(p) || o.roles.some((g) => this.coveredBy(scopes, g.unit));
    if (!visible) throw officerNotFound(id);
    return o;
  }

  /** Creates an officer: an administrator covering every role's unit; username unique (ALREADY_EXISTS). */
  async create(p: OfficerPrincipal, input: NewOfficer, actor: AuditActor): Promise<OfficerView> {
    const roles = normaliseRoles(this.units, input.roles);
    const admin = this.scopes(p, ['admin']);
    if (admin.length === 0) throw forbidden();
    if (roles.length === 0 && !this.isProvinceAdmin(p)) throw forbidden();
    this.requireCovers(admin, roles);
    requireActiveUnits(this.units, roles);
    const username = input.username.toLowerCase();
    checkPassword(input.password, username);
    const passwordHash = await hash(input.password);
    try {
      return await this.database.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('officers')
          .values({
            username,
            full_name: input.name,
            title: input.title ?? null,
            email: input.email ?? null,
            password_hash: passwordHash,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.writeRoles(tx, row.id, roles);
        await appendAudit(tx, {
          ...actor,
          action: 'officer.create',
          entityType: 'officer',
          entityId: row.id,
          details: {
            username,
            name: input.name,
            title: input.title ?? null,
            email: input.email ?? null,
            roles,
          },
        });
        return findOfficer(tx, row.id);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw usernameTaken(username);
      throw e;
    }
  }

  /**
   * Changes an officer: the administrator must cover every unit of the officer's current roles and of the new
   * ones. Deactivating ends the officer's sessions and revokes their API tokens; a new password ends the sessions
   * too. The province keeps at least one active province administrator (LAST_ADMIN).
   */
  async update(
    p: OfficerPrincipal,
    id: string,
    changes: OfficerChanges,
    actor: AuditActor,
  ): Promise<OfficerView> {
    const admin = this.scopes(p, ['admin']);
    if (admin.length === 0) throw forbidden();
    const newRoles = changes.roles ? normaliseRoles(this.units, changes.roles) : undefined;
    if (changes.password !== undefined) {
      const current = await findOfficer(this.database.db, id).catch(() => null);
      checkPassword(changes.password, current?.username ?? '');
    }
    const passwordHash = changes.password !== undefined ? await hash(changes.password) : undefined;
    return this.database.db.transaction().execute(async (tx) => {
      // Lock the officer: two administrators editing the same officer apply one after the other.
      const locked = await tx
        .selectFrom('officers')
        .select('id')
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!locked) throw officerNotFound(id);
      const before = await findOfficer(tx, id);
      const isProvince = this.isProvinceAdmin(p);
      // An officer outside the administrator's units is not revealed.
      if (!isProvince && !before.roles.some((g) => this.coveredBy(admin, g.unit))) throw officerNotFound(id);
      if (before.roles.length === 0 && !isProvince) throw forbidden();
      this.requireCovers(admin, before.roles);
      const details: Record<string, unknown> = {};
      const set: Record<string, unknown> = {};
      const diff = <T>(field: string, column: string, from: T, to: T | undefined) => {
        if (to === undefined || to === from) return;
        set[column] = to;
        details[field] = { from, to };
      };
      diff('name', 'full_name', before.name, changes.name);
      diff('title', 'title', before.title, changes.title);
      diff('email', 'email', before.email, changes.email);
      diff('active', 'active', before.active, changes.active);
      if (passwordHash !== undefined) {
        set['password_hash'] = passwordHash;
        set['failed_logins'] = 0;
        set['locked_until'] = null;
        details['password'] = 'changed';
      } else if (changes.unlock && before.lockedUntil !== null) {
        set['failed_logins'] = 0;
        set['locked_until'] = null;
        details['unlocked'] = { lockedUntil: before.lockedUntil };
      }
      if (newRoles) {
        this.requireCovers(admin, newRoles);
        const had = new Set(before.roles.map(roleKey));
        const will = new Set(newRoles.map(roleKey));
        const added = newRoles.filter((g) => !had.has(roleKey(g)));
        const removed = before.roles.filter((g) => !will.has(roleKey(g)));
        requireActiveUnits(this.units, added);
        if (added.length || removed.length) {
          await tx.deleteFrom('officer_roles').where('officer_id', '=', id).execute();
          await this.writeRoles(tx, id, newRoles);
          details['roles'] = { added, removed };
        }
      }
      if (Object.keys(details).length === 0) return before; // nothing changed, nothing written
      if (Object.keys(set).length > 0) {
        await tx.updateTable('officers').set(set).where('id', '=', id).execute();
      }
      const deactivated = changes.active === false && before.active;
      if (deactivated || passwordHash !== undefined) {
        const ended = await tx
          .deleteFrom('sessions')
          .where('subject_type', '=', 'officer')
          .where('subject_id', '=', id)
          .executeTakeFirst();
        details['sessionsEnded'] = Number(ended.numDeletedRows);
      }
      if (deactivated) {
        const revoked = await tx
          .updateTable('api_tokens')
          .set({ revoked_at: new Date() })
          .where('officer_id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        details['tokensRevoked'] = Number(revoked.numUpdatedRows);
      }
      await requireProvinceAdminLeft(tx, this.units);
      await appendAudit(tx, {
        ...actor,
        action: 'officer.update',
        entityType: 'officer',
        entityId: id,
        details: { username: before.username, ...details },
      });
      return findOfficer(tx, id);
    });
  }

  private requireCovers(admin: Unit[], roles: RoleGrant[]) {
    const outside = roles.find((g) => !this.coveredBy(admin, g.unit));
    if (outside) {
      throw new DomainError(
        'FORBIDDEN',
        `Bạn không quản trị đơn vị ${outside.unit}, nên không thể cấp hoặc thay đổi vai trò tại đơn vị này.`,
        `You do not administer unit ${outside.unit}, so you cannot grant or change roles there.`,
        { unit: outside.unit },
      );
    }
  }

  private async writeRoles(tx: Transaction<DB>, officerId: string, roles: RoleGrant[]) {
    if (roles.length === 0) return;
    await tx
      .insertInto('officer_roles')
      .values(roles.map((g) => ({ officer_id: officerId, unit_id: this.units.get(g.unit).id, role: g.role })))
      .execute();
  }
}
