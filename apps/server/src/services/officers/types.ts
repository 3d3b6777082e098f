/** What the officer administration reads and writes: an officer as shown, a new officer, the changes to one. */
import type { Role } from '@tinhso/domain';

export interface RoleGrant {
  role: Role;
  unit: string;
}

export interface OfficerView {
  id: string;
  username: string;
  name: string;
  title: string | null;
  email: string | null;
  active: boolean;
  roles: RoleGrant[];
  lockedUntil: string | null;
  createdAt: string;
}

export interface NewOfficer {
  username: string;
  name: string;
  password: string;
  title?: string | undefined;
  email?: string | undefined;
  roles: RoleGrant[];
}

export interface OfficerChanges {
  name?: string | undefined;
  title?: string | null | undefined;
  email?: string | null | undefined;
  active?: boolean | undefined;
  roles?: RoleGrant[] | undefined;
  password?: string | undefined;
  /** Clears a lock after repeated failed logins. */
  unlock?: boolean | undefined;
}
