import { type Actor, DomainError, type Role } from '@tinhso/domain';
import type { FastifyRequest } from 'fastify';
import type { UnitDirectory } from '../services/units.js';

export interface OfficerPrincipal {
  kind: 'officer';
  id: string;
  username: string;
  name: string;
  roles: { role: Role; unit: string }[];
  /** How the request authenticated; cookie sessions need the CSRF header on writes. */
  via: 'session' | 'token';
  csrfToken: string | null;
  sessionId: string | null;
}

export interface CitizenPrincipal {
  kind: 'citizen';
  id: string;
  name: string;
  personalId: string;
  via: 'session';
  csrfToken: string;
  sessionId: string;
}

export type Principal = OfficerPrincipal | CitizenPrincipal;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const unauthenticated = () =>
  new DomainError('UNAUTHENTICATED', 'Bạn cần đăng nhập.', 'You need to log in.');
export const forbidden = () =>
  new DomainError(
    'FORBIDDEN',
    'Bạn không có quyền thực hiện thao tác này.',
    'You are not allowed to do this.',
  );

/** The logged-in officer, or UNAUTHENTICATED / FORBIDDEN. */
export function requireOfficer(req: FastifyRequest): OfficerPrincipal {
  const p = req.principal;
  if (!p) throw unauthenticated();
  if (p.kind !== 'officer') throw forbidden();
  return p;
}

export function requireCitizen(req: FastifyRequest): CitizenPrincipal {
  const p = req.principal;
  if (!p) throw unauthenticated();
  if (p.kind !== 'citizen') throw forbidden();
  return p;
}

/** The officer, who must hold one of `roles` on some unit (or on a unit covering `unitCode` when given). */
export function requireRole(
  req: FastifyRequest,
  units: UnitDirectory,
  roles: readonly Role[],
  unitCode?: string,
): OfficerPrincipal {
  const o = requireOfficer(req);
  const ok = o.roles.some(
    (r) => roles.includes(r.role) && (unitCode === undefined || units.covers(r.unit, unitCode)),
  );
  if (!ok) throw forbidden();
  return o;
}

/** An administrator of the whole province (role `admin` on the root unit): catalogue, units, calendar, settings. */
export function requireProvinceAdmin(req: FastifyRequest, units: UnitDirectory): OfficerPrincipal {
  const root = units.root();
  if (!root) throw forbidden();
  return requireRole(req, units, ['admin'], root.code);
}

/** The domain actor for a principal. */
export function actorOf(p: Principal | null, units: UnitDirectory, applicantCitizenId: string | null): Actor {
  if (!p) throw unauthenticated();
  if (p.kind === 'officer')
    return { kind: 'officer', id: p.id, name: p.name, roles: p.roles, covers: units.covers };
  return { kind: 'citizen', id: p.id, name: p.name, isApplicant: p.id === applicantCitizenId };
}

export function auditActor(req: FastifyRequest) {
  const p = req.principal;
  return {
    actorType: (p?.kind ?? 'anonymous') as 'officer' | 'citizen' | 'anonymous',
    actorId: p?.id ?? null,
    ip: req.ip,
  };
}
