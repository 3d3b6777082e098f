import type { DB } from '@tinhso/db';
import { type Fee, STATUS, type StatusCode, TERMINAL_STATUSES } from '@tinhso/domain';
import type { Kysely } from 'kysely';
import type { FeeLine } from './types.js';

/** What a dossier owes now, and for which purpose (the unit a payment settles at most once). */
export interface Due {
  dossierId: string;
  code: string;
  status: StatusCode;
  closed: boolean;
  purpose: string;
  items: FeeLine[];
  totalVnd: number;
  paidVnd: number;
  dueVnd: number;
}

/**
 * What is due: while the dossier waits for a payment (status 6) the amount the officer requested; otherwise the
 * procedure's fees for the dossier's channel with a known amount and payable online; minus what was paid for it.
 */
export async function dueFor(db: Kysely<DB>, dossierId: string): Promise<Due> {
  const d = await db
    .selectFrom('dossiers')
    .select(['id', 'code', 'status', 'channel', 'procedure_id', 'procedure_version'])
    .where('id', '=', dossierId)
    .executeTakeFirstOrThrow();
  const status = d.status as StatusCode;
  let purpose = 'fees';
  let items: FeeLine[] = [];
  const request = status === STATUS.PAYMENT ? await currentRequest(db, d.id) : null;
  if (request) {
    purpose = request.purpose;
    items = [{ name: request.name, amountVnd: request.amountVnd, kind: 'obligation' }];
  } else {
    const v = await db
      .selectFrom('procedure_versions')
      .select('definition')
      .where('procedure_id', '=', d.procedure_id)
      .where('version', '=', d.procedure_version)
      .executeTakeFirstOrThrow();
    const fees = ((v.definition as { fees?: Fee[] }).fees ?? []) as Fee[];
    items = fees
      .filter(
        (f) =>
          f.channels.includes(d.channel as Fee['channels'][number]) &&
          f.payableOnline &&
          f.amountVnd !== null &&
          f.amountVnd > 0,
      )
      .map((f) => ({ name: f.name, amountVnd: f.amountVnd!, kind: f.kind ?? 'fee' }));
  }
  const paid = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_vnd'), eb.lit(0)).as('n'))
    .where('dossier_id', '=', d.id)
    .where('purpose', '=', purpose)
    .where('status', '=', 'paid')
    .where('refund_needed', '=', false)
    .executeTakeFirstOrThrow();
  const totalVnd = items.reduce((s, i) => s + i.amountVnd, 0);
  const paidVnd = Number(paid.n);
  const closed = TERMINAL_STATUSES.includes(status);
  return {
    dossierId: d.id,
    code: d.code,
    status,
    closed,
    purpose,
    items,
    totalVnd,
    paidVnd,
    dueVnd: closed ? 0 : Math.max(0, totalVnd - paidVnd),
  };
}

/** The request_payment the dossier waits for (the latest one): its log number, reason and amount. */
async function currentRequest(db: Kysely<DB>, dossierId: string) {
  const a = await db
    .selectFrom('dossier_actions')
    .select(['seq', 'reason', 'payload'])
    .where('dossier_id', '=', dossierId)
    .where('type', '=', 'request_payment')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const amountVnd = Number((a?.payload as { amountVnd?: unknown } | undefined)?.amountVnd);
  if (!a || !Number.isSafeInteger(amountVnd) || amountVnd <= 0) return null;
  return {
    purpose: `request:${a.seq}`,
    name: a.reason ?? 'Nghĩa vụ tài chính',
    amountVnd,
  };
}
