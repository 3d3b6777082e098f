import type { AuditEntry } from '@tinhso/db';

/** Who did it, for the audit log. */
export type AuditActor = Pick<AuditEntry, 'actorType' | 'actorId' | 'ip'>;
