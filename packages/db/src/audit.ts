import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

export interface AuditEntry {
  actorType: 'officer' | 'citizen' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK = 4_151_100_002;

/** JSON with object keys sorted at every depth (jsonb does not keep key order, so hashes use this form). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of one audit record, chained to the previous record's hash. */
export function auditHash(prevHash: string, at: string, e: AuditEntry): string {
  const canonical = canonicalJson([
    at,
    e.actorType,
    e.actorId,
    e.action,
    e.entityType,
    e.entityId,
    e.ip ?? null,
    e.details ?? {},
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Appends an audit record inside the caller's transaction. Records form a hash chain: each stores the previous
 * record's hash, so an edited or deleted record breaks the chain (see verifyAuditChain).
 */
export async function appendAudit(tx: Transaction<DB>, e: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(tx);
  const last = await tx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  await tx
    .insertInto('audit_log')
    .values({
      at,
      actor_type: e.actorType,
      actor_id: e.actorId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      ip: e.ip ?? null,
      details: JSON.stringify(e.details ?? {}),
      prev_hash: prevHash,
      hash: auditHash(prevHash, at, e),
    })
    .execute();
}

/** Walks the chain in order; returns the id of the first broken record, or null when the chain is intact. */
export async function verifyAuditChain(
  db: Kysely<DB>,
): Promise<{ checked: number; firstBrokenId: number | null }> {
  let prev = GENESIS;
  let checked = 0;
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(5000)
      .execute();
    if (rows.length === 0) return { checked, firstBrokenId: null };
    for (const r of rows) {
      const entry: AuditEntry = {
        actorType: r.actor_type as AuditEntry['actorType'],
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        ip: r.ip,
        details: r.details,
      };
      const at = new Date(r.at).toISOString();
      if (r.prev_hash !== prev || r.hash !== auditHash(prev, at, entry))
        return { checked, firstBrokenId: r.id };
      prev = r.hash;
      checked++;
      afterId = r.id;
    }
  }
}
