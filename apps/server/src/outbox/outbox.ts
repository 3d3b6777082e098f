import type { DB } from '@tinhso/db';
import type { Kysely, Transaction } from 'kysely';

/**
 * The transactional outbox (docs/adr/0005-outbox.md): a message to deliver is written in the transaction of the
 * change that causes it, so it exists exactly when the change committed. The worker (worker.ts) delivers it later,
 * with retries, from any app node.
 */
export interface OutboxMessage {
  /** Selects the handler, e.g. `notify.email`. */
  topic: string;
  /**
   * Unique per logical message: enqueueing the same key again (a retried transaction, a replayed event) is a
   * no-op. Receivers get it as their idempotency key.
   */
  dedupeKey: string;
  /** What the message is about (e.g. `dossier:<uuid>`), to list a subject's messages. */
  ref?: string | null;
  payload: Record<string, unknown>;
}

/**
 * Adds a message inside the caller's transaction (`ON CONFLICT (dedupe_key) DO NOTHING`).
 * Returns false when a message with this key already exists.
 */
export async function enqueue(tx: Transaction<DB> | Kysely<DB>, m: OutboxMessage): Promise<boolean> {
  const rows = await tx
    .insertInto('outbox')
    .values({
      topic: m.topic,
      dedupe_key: m.dedupeKey,
      ref: m.ref ?? null,
      payload: JSON.stringify(m.payload),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

/** A claimed message, as given to a handler. */
export interface ClaimedMessage {
  id: number;
  topic: string;
  dedupeKey: string;
  ref: string | null;
  payload: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

/** What a handler may return: stored in `outbox.delivery` (message id, provider reference…). */
export type DeliveryRecord = Record<string, unknown>;

export type OutboxHandler = (m: ClaimedMessage) => Promise<DeliveryRecord | undefined>;

/** Thrown by a handler when retrying cannot help (e.g. the mailbox does not exist): the message goes dead now. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
