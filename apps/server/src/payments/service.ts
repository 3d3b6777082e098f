import { randomBytes } from 'node:crypto';
import { appendAudit, type Database } from '@tinhso/db';
import { DomainError, isDomainError, STATUS } from '@tinhso/domain';
import { forbidden, type Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { isUniqueViolation } from '../services/dossier-store.js';
import type { DossierService } from '../services/dossiers/index.js';
import { dueFor } from './due.js';
import { AlreadyFinal, auditMismatch, type NotifyOpts, type PaymentRow, writeOutcome } from './outcome.js';
import { loadProvider, type VnpayProtocolProvider } from './provider.js';
import type { FeesView, NotificationOutcome } from './types.js';
import { IPN_ANSWERS, isReply, type PaymentResult, type VnpParams, vnpDate } from './vnpay.js';

export type { FeeLine, FeesView, NotificationOutcome, PaymentStatus, PaymentView } from './types.js';

/** How long a payment URL stays valid at the provider (vnp_ExpireDate). */
export const PAYMENT_TTL_MINUTES = 15;
/** The name the payment gateway acts under in the dossier's log (confirm_payment). */
export const GATEWAY_ACTOR = 'Cổng thanh toán';

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

  /** GET /api/dossiers/:code/fees — for whoever may see the dossier. */
  async fees(code: string, principal: Principal): Promise<FeesView> {
    const d = await this.dossiers.load(code, principal);
    const [due, rows, provider] = await Promise.all([
      dueFor(this.database.db, d.id),
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
      const due = await dueFor(tx, d.id);
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
        if (row.status === 'pending' && attempt === 0)
          await auditMismatch(this.database.db, row, result, opts);
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
              .execute((tx) => writeOutcome(tx, row, result, params, opts, 'duplicate'));
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
      const due = await dueFor(this.database.db, row.dossier_id);
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
              refundNeeded = await writeOutcome(tx, row, result, params, opts, null);
            },
          },
        );
        return refundNeeded;
      }
    }
    return this.database.db
      .transaction()
      .execute((tx) => writeOutcome(tx, row, result, params, opts, 'check'));
  }
}
