import { randomBytes } from 'node:crypto';
import { appendAudit, type Database, type DB } from '@tinhso/db';
import {
  DomainError,
  type Fee,
  isDomainError,
  STATUS,
  type StatusCode,
  TERMINAL_STATUSES,
} from '@tinhso/domain';
import type { Kysely, Transaction } from 'kysely';
import { forbidden, type Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { isUniqueViolation } from '../services/dossier-store.js';
import type { DossierService } from '../services/dossiers.js';
import { loadProvider, type VnpayProtocolProvider } from './provider.js';
import {
  IPN_ANSWERS,
  type IpnAnswer,
  isReply,
  type PaymentResult,
  type VnpParams,
  vnpDate,
} from './vnpay.js';

/** How long a payment URL stays valid at the provider (vnp_ExpireDate). */
export const PAYMENT_TTL_MINUTES = 15;
/** The name the payment gateway acts under in the dossier's log (confirm_payment). */
export const GATEWAY_ACTOR = 'Cổng thanh toán';

/** One line of what is due. `kind`: fee (phí), charge (lệ phí), obligation (an amount an officer requested). */
export interface FeeLine {
  name: string;
  amountVnd: number;
  kind: 'fee' | 'charge' | 'obligation';
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'cancelled';

export interface PaymentView {
  id: string;
  amountVnd: number;
  status: PaymentStatus;
  provider: string;
  reference: string;
  createdAt: string;
  paidAt: string | null;
  /** Paid when it could settle nothing (dossier closed, or already paid): not counted, to be refunded. */
  refundNeeded: boolean;
}

export interface FeesView {
  items: FeeLine[];
  totalVnd: number;
  paidVnd: number;
  dueVnd: number;
  payableOnline: boolean;
  payments: PaymentView[];
}

/** What a dossier owes now, and for which purpose (the unit a payment settles at most once). */
interface Due {
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

export interface NotificationOutcome {
  answer: IpnAnswer;
  /** The payment concerned, when the parameters were authentic and named one of ours. */
  payment: { dossierCode: string; status: PaymentStatus; refundNeeded: boolean } | null;
}

/** Why a successful payment settles nothing and must be refunded. */
type RefundReason = 'dossier_closed' | 'duplicate';

const nothingToPay = (reason: 'nothing_due' | 'dossier_closed') =>
  reason === 'dossier_closed'
    ? new DomainError(
        'NOTHING_TO_PAY',
        'Hồ sơ đã kết thúc (rút, từ chối, dừng xử lý hoặc đã trả kết quả): không thể thanh toán.',
        'The dossier is closed (withdrawn, refused, stopped or returned): nothing can be paid.',
        { reason },
      )
    : new DomainError(
        'NOTHING_TO_PAY',
        'Hồ sơ không có khoản phí, lệ phí nào cần thanh toán trực tuyến.',
        'Nothing is due online for this dossier.',
        { reason },
      );

const notConfigured = () =>
  new DomainError(
    'PAYMENT_NOT_CONFIGURED',
    'Chưa cấu hình cổng thanh toán trực tuyến. Vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.',
    'Online payment is not configured. Please pay at the one-stop counter.',
  );

/** The payment a notification names, as notify() reads it. */
interface PaymentRow {
  id: string;
  dossier_id: string;
  purpose: string;
  amount_vnd: number;
  txn_ref: string;
  code: string;
}

type NotifyOpts = { source: 'ipn' | 'return'; ip: string | null; now?: Date };

/** Thrown inside a transaction when the payment was no longer pending (a replay or a race): rolls it back. */
class AlreadyFinal extends Error {}

const newTxnRef = (now: Date) => `${vnpDate(now).slice(2, 8)}${randomBytes(7).toString('hex').toUpperCase()}`;

/**
 * Fees due for a dossier, online payment through the configured provider, and the provider's notifications.
 * A confirmed payment is written once (pending → paid in one transaction, with its audit record and, when the
 * dossier waits for this payment, the `confirm_payment` that restarts its clock); failures and cancellations
 * leave the fee due.
 */
export class PaymentService {
  private providerPromise: Promise<VnpayProtocolProvider | null> | null = null;

  constructor(
    private readonly database: Database,
    private readonly dossiers: DossierService,
    private readonly config: Config,
  ) {}

  /** The configured provider (the sandbox bank's secret is created in the database on first use). */
  provider(): Promise<VnpayProtocolProvider | null> {
    if (!this.providerPromise) {
      this.providerPromise = loadProvider(this.config, this.database).catch((e) => {
        this.providerPromise = null;
        throw e;
      });
    }
    return this.providerPromise;
  }

  /**
   * What is due: while the dossier waits for a payment (status 6) the amount the officer requested; otherwise the
   * procedure's fees for the dossier's channel with a known amount and payable online; minus what was paid for it.
   */
  private async due(db: Kysely<DB>, dossierId: string): Promise<Due> {
    const d = await db
      .selectFrom('dossiers')
      .select(['id', 'code', 'status', 'channel', 'procedure_id', 'procedure_version'])
      .where('id', '=', dossierId)
      .executeTakeFirstOrThrow();
    const status = d.status as StatusCode;
    let purpose = 'fees';
    let items: FeeLine[] = [];
    const request = status === STATUS.PAYMENT ? await this.currentRequest(db, d.id) : null;
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
  private async currentRequest(db: Kysely<DB>, dossierId: string) {
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

  /** GET /api/dossiers/:code/fees — for whoever may see the dossier. */
  async fees(code: string, principal: Principal): Promise<FeesView> {
    const d = await this.dossiers.load(code, principal);
    const [due, rows, provider] = await Promise.all([
      this.due(this.database.db, d.id),
      this.database.db
        .selectFrom('payments')
        .select([
          'id',
          'amount_vnd',
          'status',
          'provider',
          'txn_ref',
          'created_at',
          'paid_at',
          'refund_needed',
        ])
        .where('dossier_id', '=', d.id)
        .orderBy('created_at', 'desc')
        .execute(),
      this.provider(),
    ]);
    return {
      items: due.items,
      totalVnd: due.totalVnd,
      paidVnd: due.paidVnd,
      dueVnd: due.dueVnd,
      payableOnline: provider !== null && due.dueVnd > 0,
      payments: rows.map((r) => ({
        id: r.id,
        amountVnd: r.amount_vnd,
        status: r.status,
        provider: r.provider,
        reference: r.txn_ref,
        createdAt: r.created_at.toISOString(),
        paidAt: r.paid_at?.toISOString() ?? null,
        refundNeeded: r.refund_needed,
      })),
    };
  }

  /**
   * POST /api/dossiers/:code/payments — the applicant starts paying what is due. A payment URL still valid for
   * the same amount is handed out again instead of opening a second attempt (no double payment from two tabs).
   */
  async create(
    code: string,
    principal: Principal,
    opts: { ip: string; now?: Date },
  ): Promise<{ paymentId: string; redirectUrl: string }> {
    const provider = await this.provider();
    if (!provider) throw notConfigured();
    const d = await this.dossiers.load(code, principal);
    if (principal.kind !== 'citizen' || d.applicantCitizenId !== principal.id) throw forbidden();
    const now = opts.now ?? new Date();
    return this.database.db.transaction().execute(async (tx) => {
      // One payment is opened at a time per dossier.
      await tx.selectFrom('dossiers').select('id').where('id', '=', d.id).forUpdate().execute();
      const due = await this.due(tx, d.id);
      if (due.closed) throw nothingToPay('dossier_closed');
      if (due.dueVnd <= 0) throw nothingToPay('nothing_due');
      const open = await tx
        .selectFrom('payments')
        .select(['id', 'pay_url'])
        .where('dossier_id', '=', d.id)
        .where('purpose', '=', due.purpose)
        .where('status', '=', 'pending')
        .where('amount_vnd', '=', due.dueVnd)
        .where('provider', '=', provider.name)
        .where('citizen_id', '=', principal.id)
        .where('expires_at', '>', new Date(now.getTime() + 2 * 60_000))
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (open) return { paymentId: open.id, redirectUrl: open.pay_url };
      const txnRef = newTxnRef(now);
      const expiresAt = new Date(now.getTime() + PAYMENT_TTL_MINUTES * 60_000);
      const redirectUrl = provider.createPaymentUrl({
        txnRef,
        amountVnd: due.dueVnd,
        orderInfo: `Thanh toan phi le phi ho so ${d.code}`,
        orderType: 'other',
        locale: 'vn',
        ipAddr: opts.ip.replace(/^::ffff:/, ''),
        createdAt: now,
        expiresAt,
      });
      const row = await tx
        .insertInto('payments')
        .values({
          dossier_id: d.id,
          purpose: due.purpose,
          amount_vnd: due.dueVnd,
          items: JSON.stringify(due.items),
          provider: provider.name,
          txn_ref: txnRef,
          pay_url: redirectUrl,
          citizen_id: principal.id,
          expires_at: expiresAt,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(tx, {
        actorType: 'citizen',
        actorId: principal.id,
        action: 'payment.create',
        entityType: 'payment',
        entityId: row.id,
        ip: opts.ip,
        details: {
          dossier: d.code,
          txnRef,
          amountVnd: due.dueVnd,
          purpose: due.purpose,
          provider: provider.name,
        },
      });
      return { paymentId: row.id, redirectUrl };
    });
  }

  /**
   * A result from the provider: the IPN (server to server) or the browser's return (same signed parameters;
   * recording it there too keeps the dossier right when the IPN is late or cannot reach us). Idempotent: only a
   * pending payment changes, once. Answers as VNPAY expects from an IPN.
   */
  async notify(
    params: VnpParams,
    opts: { source: 'ipn' | 'return'; ip: string | null; now?: Date },
  ): Promise<NotificationOutcome> {
    const provider = await this.provider();
    if (!provider) return { answer: IPN_ANSWERS.unknownError, payment: null };
    const result =
      opts.source === 'ipn' ? provider.verifyNotification(params) : provider.verifyReturn(params);
    if (!result) return { answer: IPN_ANSWERS.invalidSignature, payment: null };
    // Authentic is not enough: our own signed request (same secret, same format) must not pass for a reply.
    if (!isReply(params)) return { answer: IPN_ANSWERS.invalidData, payment: null };
    if (result.tmnCode !== provider.tmnCode) return { answer: IPN_ANSWERS.notFound, payment: null };
    for (let attempt = 0; ; attempt++) {
      const row = await this.database.db
        .selectFrom('payments as p')
        .innerJoin('dossiers as d', 'd.id', 'p.dossier_id')
        .select([
          'p.id',
          'p.dossier_id',
          'p.purpose',
          'p.amount_vnd',
          'p.status',
          'p.txn_ref',
          'p.provider',
          'p.refund_needed',
          'd.code',
          'd.status as dossier_status',
        ])
        .where('p.txn_ref', '=', result.txnRef)
        .executeTakeFirst();
      if (!row || row.provider !== provider.name) return { answer: IPN_ANSWERS.notFound, payment: null };
      const payment = { dossierCode: row.code, status: row.status, refundNeeded: row.refund_needed };
      if (result.amountX100 !== row.amount_vnd * 100) {
        if (row.status === 'pending' && attempt === 0) await this.auditMismatch(row, result, opts);
        return { answer: IPN_ANSWERS.invalidAmount, payment };
      }
      if (row.status !== 'pending') return { answer: IPN_ANSWERS.alreadyConfirmed, payment };
      try {
        const refundNeeded = await this.record(row, result, params, opts);
        return { answer: IPN_ANSWERS.ok, payment: { ...payment, status: result.outcome, refundNeeded } };
      } catch (e) {
        if (e instanceof AlreadyFinal) return { answer: IPN_ANSWERS.alreadyConfirmed, payment };
        // The dossier moved meanwhile (an officer acted, another notification won): read again and retry.
        const retry =
          isDomainError(e) && (e.code === 'VERSION_CONFLICT' || e.code === 'TRANSITION_NOT_ALLOWED');
        if (retry && attempt < 3) continue;
        if (isUniqueViolation(e)) {
          // Another attempt settled the same purpose meanwhile: this one is recorded for a refund.
          try {
            await this.database.db
              .transaction()
              .execute((tx) => this.write(tx, row, result, params, opts, 'duplicate'));
          } catch (again) {
            if (again instanceof AlreadyFinal) return { answer: IPN_ANSWERS.alreadyConfirmed, payment };
            throw again;
          }
          return { answer: IPN_ANSWERS.ok, payment: { ...payment, status: 'paid', refundNeeded: true } };
        }
        throw e;
      }
    }
  }

  /**
   * pending → paid | cancelled | failed, with the audit record; `confirm_payment` when the dossier waits for it.
   * Returns true when the payment was recorded as paid but flagged for a refund (it settles nothing).
   */
  private async record(
    row: PaymentRow,
    result: PaymentResult,
    params: VnpParams,
    opts: NotifyOpts,
  ): Promise<boolean> {
    const now = opts.now ?? new Date();
    if (result.outcome === 'paid') {
      const due = await this.due(this.database.db, row.dossier_id);
      if (due.status === STATUS.PAYMENT && due.purpose === row.purpose) {
        // The dossier waits for exactly this payment: the gateway confirms it and the clock runs again.
        let refundNeeded = false;
        await this.dossiers.actAsSystem(
          row.code,
          { type: 'confirm_payment', reference: row.txn_ref },
          GATEWAY_ACTOR,
          {
            ...(opts.ip ? { ip: opts.ip } : {}),
            now,
            within: async (tx) => {
              refundNeeded = await this.write(tx, row, result, params, opts, null);
            },
          },
        );
        return refundNeeded;
      }
    }
    return this.database.db.transaction().execute((tx) => this.write(tx, row, result, params, opts, 'check'));
  }

  /**
   * Writes the final status of a pending payment and its audit record (throws AlreadyFinal when it is no longer
   * pending). A success is flagged `refund_needed` (audited `payment.refund_needed`, never counted as paid) when the
   * dossier is closed or the purpose is already paid: `refund` names the reason, or 'check' reads the dossier
   * (locked, so a closing action or another payment cannot interleave), or null trusts the caller.
   */
  private async write(
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
  private async auditMismatch(
    row: { id: string; amount_vnd: number; txn_ref: string; code: string },
    result: PaymentResult,
    opts: { source: 'ipn' | 'return'; ip: string | null },
  ): Promise<void> {
    await this.database.db.transaction().execute((tx) =>
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
}
