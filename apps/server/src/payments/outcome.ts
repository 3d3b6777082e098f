import { appendAudit, type DB } from '@tinhso/db';
import { type StatusCode, TERMINAL_STATUSES } from '@tinhso/domain';
import type { Kysely, Transaction } from 'kysely';
import type { PaymentResult, VnpParams } from './vnpay.js';

/** The payment a notification names, as notify() reads it. */
export interface PaymentRow {
  id: string;
  dossier_id: string;
  purpose: string;
  amount_vnd: number;
  txn_ref: string;
  code: string;
}

export type NotifyOpts = { source: 'ipn' | 'return'; ip: string | null; now?: Date };

/** Why a successful payment settles nothing and must be refunded. */
export type RefundReason = 'dossier_closed' | 'duplicate';

/** Thrown inside a transaction when the payment was no longer pending (a replay or a race): rolls it back. */
export class AlreadyFinal extends Error {}

/**
 * Writes the final status of a pending payment and its audit record (throws AlreadyFinal when it is no longer
 * pending). A success is flagged `refund_needed` (audited `payment.refund_needed`, never counted as paid) when the
 * dossier is closed or the purpose is already paid: `refund` names the reason, or 'check' reads the dossier
 * (locked, so a closing action or another payment cannot interleave), or null trusts the caller.
 */
export async function writeOutcome(
  tx: Transaction<DB>,
  row: PaymentRow,
  result: PaymentResult,
  params: VnpParams,
  opts: NotifyOpts,
  refund: RefundReason | 'check' | null,
): Promise<boolean> {
  const now = opts.now ?? new Date();
  let reason: RefundReason | null = refund === 'check' ? null : refund;
  let dossierStatus: number | null = null;
  if (result.outcome === 'paid' && refund === 'check') {
    const d = await tx
      .selectFrom('dossiers')
      .select('status')
      .where('id', '=', row.dossier_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    dossierStatus = d.status;
    if (TERMINAL_STATUSES.includes(d.status as StatusCode)) reason = 'dossier_closed';
    else {
      const settled = await tx
        .selectFrom('payments')
        .select('id')
        .where('dossier_id', '=', row.dossier_id)
        .where('purpose', '=', row.purpose)
        .where('status', '=', 'paid')
        .where('refund_needed', '=', false)
        .where('id', '<>', row.id)
        .executeTakeFirst();
      if (settled) reason = 'duplicate';
    }
  }
  if (result.outcome !== 'paid') reason = null;
  const updated = await tx
    .updateTable('payments')
    .set({
      status: result.outcome,
      provider_txn_no: result.transactionNo,
      bank_code: result.bankCode,
      response_code: result.responseCode,
      response: JSON.stringify(params),
      completed_at: now,
      paid_at: result.outcome === 'paid' ? (result.payDate ?? now) : null,
      refund_needed: reason !== null,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AlreadyFinal();
  await appendAudit(tx, {
    actorType: 'system',
    actorId: null,
    action: reason ? 'payment.refund_needed' : `payment.${result.outcome}`,
    entityType: 'payment',
    entityId: row.id,
    ip: opts.ip,
    details: {
      dossier: row.code,
      txnRef: row.txn_ref,
      amountVnd: row.amount_vnd,
      purpose: row.purpose,
      responseCode: result.responseCode,
      transactionStatus: result.transactionStatus,
      transactionNo: result.transactionNo,
      bankCode: result.bankCode,
      source: opts.source,
      ...(reason
        ? {
            reason,
            ...(dossierStatus !== null ? { dossierStatus } : {}),
            note:
              reason === 'dossier_closed'
                ? 'paid after the dossier was closed: refund needed'
                : 'already paid by another transaction: refund needed',
          }
        : {}),
    },
  });
  return reason !== null;
}

/** An authentic notification with another amount than ours: nothing changes; the attempt is audited. */
export async function auditMismatch(
  db: Kysely<DB>,
  row: { id: string; amount_vnd: number; txn_ref: string; code: string },
  result: PaymentResult,
  opts: { source: 'ipn' | 'return'; ip: string | null },
): Promise<void> {
  await db.transaction().execute((tx) =>
    appendAudit(tx, {
      actorType: 'system',
      actorId: null,
      action: 'payment.amount_mismatch',
      entityType: 'payment',
      entityId: row.id,
      ip: opts.ip,
      details: {
        dossier: row.code,
        txnRef: row.txn_ref,
        expectedX100: row.amount_vnd * 100,
        receivedX100: result.amountX100,
        responseCode: result.responseCode,
        source: opts.source,
      },
    }),
  );
}
