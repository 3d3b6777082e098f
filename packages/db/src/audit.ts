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
/** Records sealed per transaction (and read per page when verifying). */
const SEAL_BATCH = 5000;

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
 * Appends an audit record inside the caller's transaction: it commits or rolls back with the action it records.
 * The record is written unchained (no lock: writes never queue behind each other for the audit log); `sealAudit`
 * chains it shortly after its transaction commits.
 */
export async function appendAudit(tx: Transaction<DB>, e: AuditEntry): Promise<void> {
  await tx.insertInto('audit_log').values(auditValues(e)).execute();
}

/** The unchained row `appendAudit` writes, for a caller that inserts it within a larger statement. */
export function auditValues(e: AuditEntry) {
  return {
    at: new Date().toISOString(),
    actor_type: e.actorType,
    actor_id: e.actorId,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    ip: e.ip ?? null,
    details: JSON.stringify(e.details ?? {}),
  };
}

type AuditRow = {
  id: number | string;
  at: Date | string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

const entryOf = (r: AuditRow): AuditEntry => ({
  actorType: r.actor_type as AuditEntry['actorType'],
  actorId: r.actor_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  ip: r.ip,
  details: r.details,
});

/**
 * Chains the committed, unsealed audit records (in id order, at most `limit`): each gets the next place in the chain
 * (`seq`) and its hash over the previous record's hash. One sealer at a time (an advisory lock; another node that
 * finds it taken returns 0 at once). Returns how many records it sealed.
 */
export async function sealAudit(db: Kysely<DB>, limit = SEAL_BATCH): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`SELECT pg_try_advisory_xact_lock(${AUDIT_LOCK}) AS locked`.execute(tx);
    if (!rows[0]?.locked) return 0;
    const pending = await tx
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor_type', 'actor_id', 'action', 'entity_type', 'entity_id', 'ip', 'details'])
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    if (pending.length === 0) return 0;
    // The chain continues from its recorded head, not from the last record found: a deleted tail stays visible.
    const head = await tx.selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirst();
    let prev = head?.hash ?? GENESIS;
    let seq = Number(head?.seq ?? 0);
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const r of pending) {
      const hash = auditHash(prev, new Date(r.at).toISOString(), entryOf(r));
      ids.push(String(r.id));
      seqs.push(String(++seq));
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await sql`
      UPDATE audit_log a SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
        FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[])
             AS u(id, seq, prev_hash, hash)
       WHERE a.id = u.id AND a.seq IS NULL`.execute(tx);
    await sql`
      INSERT INTO audit_chain_head (one, seq, hash) VALUES (true, ${seq}, ${prev})
      ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`.execute(tx);
    return pending.length;
  });
}

/** Seals until nothing committed is left unsealed (or another node holds the sealer's lock). */
export async function sealAllAudit(db: Kysely<DB>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealAudit(db);
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

/**
 * Walks the chain in order and checks it ends at the recorded head. Returns the id of the first broken record (null
 * when none), how many records it checked, `missingAfter` (the seq after which records are missing: the chain's
 * last records were deleted; null when the walk ends at the head) and how many committed records are not sealed
 * yet (run sealAllAudit first to include them).
 */
export async function verifyAuditChain(db: Kysely<DB>): Promise<{
  checked: number;
  firstBrokenId: number | null;
  missingAfter: number | null;
  unsealed: number;
}> {
  const { n } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('seq', 'is', null)
    .executeTakeFirstOrThrow();
  const unsealed = Number(n);
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirst();
  let prev = GENESIS;
  let checked = 0;
  let afterSeq = 0;
  let expected = 1;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(SEAL_BATCH)
      .execute();
    if (rows.length === 0) {
      const complete = afterSeq === Number(head?.seq ?? 0) && prev === (head?.hash ?? GENESIS);
      return { checked, firstBrokenId: null, missingAfter: complete ? null : afterSeq, unsealed };
    }
    for (const r of rows) {
      const at = new Date(r.at).toISOString();
      // A gap in seq is a deleted record: the record after it is the first one whose chain breaks.
      if (Number(r.seq) !== expected || r.prev_hash !== prev || r.hash !== auditHash(prev, at, entryOf(r))) {
        return { checked, firstBrokenId: r.id, missingAfter: null, unsealed };
      }
      prev = r.hash;
      checked++;
      expected++;
      afterSeq = Number(r.seq);
    }
  }
}

/** A point of the chain, written as `seq:hash`. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/**
 * The chain's head, to be recorded OUTSIDE the database (a signed report, a ticket, an e-mail to the inspectorate):
 * an anchor. A hash chain alone shows partial edits; someone with write access who changes a record and recomputes
 * every later hash leaves a chain that verifies. An anchor taken before the change exposes it (checkAuditAnchor).
 */
export async function auditAnchor(db: Kysely<DB>): Promise<AuditAnchor> {
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirst();
  return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? GENESIS };
}

/** Reads `seq:hash` (as `verify-audit` prints it); null when it is not one. */
export function parseAuditAnchor(text: string): AuditAnchor | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/**
 * Whether an anchor recorded earlier still holds: the sealed record numbered `seq` carries `hash` (seq 0: the
 * empty chain). 'rewritten': the chain up to there was recomputed; 'missing': that record is gone.
 */
export async function checkAuditAnchor(
  db: Kysely<DB>,
  anchor: AuditAnchor,
): Promise<'holds' | 'rewritten' | 'missing'> {
  if (anchor.seq === 0) return anchor.hash === GENESIS ? 'holds' : 'rewritten';
  const row = await db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', anchor.seq)
    .executeTakeFirst();
  if (!row) return 'missing';
  return row.hash === anchor.hash ? 'holds' : 'rewritten';
}

/**
 * Seals the audit log every `intervalMs` until stopped (each app node runs one; the lock lets one work at a time).
 * A failed round (database unavailable) is reported and retried at the next tick.
 */
export function startAuditSealer(
  db: Kysely<DB>,
  opts: { intervalMs: number; onError?: (e: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sealAllAudit(db)
      .catch((e) => opts.onError?.(e))
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sealAllAudit(db).catch((e) => opts.onError?.(e));
    },
  };
}
