import { parseDossierCode } from '@tinhso/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unauthenticated } from '../auth/principal.js';
import { ErrorResponse, errors } from '../http/schemas.js';
import { IPN_PATH, providerName, RETURN_PATH } from '../payments/provider.js';
import { sandboxBankRoutes } from '../payments/sandbox-bank.js';
import { IPN_ANSWERS, vnpParamsOf } from '../payments/vnpay.js';

/** Payment attempts a signed-in user may start per minute (each one asks the gateway for nothing until paid). */
export const PAYMENTS_PER_USER_PER_MIN = 20;

const CodeParams = z.object({ code: z.string().max(60) });

const FeesView = z.object({
  items: z.array(
    z.object({ name: z.string(), amountVnd: z.number(), kind: z.enum(['fee', 'charge', 'obligation']) }),
  ),
  totalVnd: z.number(),
  paidVnd: z.number(),
  dueVnd: z.number(),
  payableOnline: z.boolean(),
  payments: z.array(
    z.object({
      id: z.string(),
      amountVnd: z.number(),
      status: z.enum(['pending', 'paid', 'failed', 'cancelled']),
      provider: z.string(),
      reference: z.string(),
      createdAt: z.string(),
      paidAt: z.string().nullable(),
      /** Paid when it could settle nothing (dossier closed, or already paid): not counted in paidVnd, to refund. */
      refundNeeded: z.boolean(),
    }),
  ),
});

const IpnAnswer = z.object({ RspCode: z.string(), Message: z.string() });
/** The gateway's parameters (vnp_*); anything else is ignored, nothing is refused before the signature check. */
const GatewayQuery = z.record(z.string(), z.unknown());

/** Where the browser lands after paying: the dossier page with the outcome, or "my dossiers" when unknown. */
const OUTCOME_PARAM = {
  paid: 'thanh-cong',
  cancelled: 'huy',
  failed: 'that-bai',
  pending: 'that-bai',
} as const;

/**
 * Fees and online payment (payments/service.ts). The provider is VNPAY or, in the demo, the sandbox bank mounted
 * here at /sandbox-bank/pay. The return and IPN URLs are reached by the gateway and the browser without our
 * session: they trust only the HMAC-SHA512 signature of the vnp_* parameters.
 */
export async function paymentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { payments, config } = app.ctx;
  /** The return and IPN are public (the gateway and any browser reach them): per client address. */
  const publicLimit = { rateLimit: { max: config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' } };

  r.get(
    '/api/dossiers/:code/fees',
    {
      schema: {
        tags: ['payments'],
        summary: 'Phí, lệ phí của hồ sơ: phải nộp, đã nộp, còn phải nộp, các lần thanh toán',
        params: CodeParams,
        response: { 200: FeesView, ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      return payments.fees(req.params.code, req.principal);
    },
  );

  r.post(
    '/api/dossiers/:code/payments',
    {
      // Per signed-in user (several citizens may share one address behind a NAT), else per address.
      config: {
        rateLimit: {
          max: PAYMENTS_PER_USER_PER_MIN,
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) =>
            req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`,
        },
      },
      schema: {
        tags: ['payments'],
        summary: 'Người nộp hồ sơ thanh toán trực tuyến khoản còn phải nộp (chuyển tới cổng thanh toán)',
        description:
          'Trả về `redirectUrl`: trang thanh toán của cổng VNPAY, hoặc ngân hàng mô phỏng /sandbox-bank/pay của bản ' +
          'trình diễn. Một URL còn hiệu lực cho cùng số tiền được trả lại thay vì mở giao dịch thứ hai.',
        params: CodeParams,
        body: z.object({}).strict().optional(),
        response: {
          201: z.object({ paymentId: z.string(), redirectUrl: z.string() }),
          ...errors(400, 401, 403, 404, 409, 429),
          503: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      parseDossierCode(req.params.code);
      const out = await payments.create(req.params.code, req.principal, { ip: req.ip });
      return reply.status(201).send(out);
    },
  );

  r.get(
    RETURN_PATH,
    {
      config: publicLimit,
      schema: {
        tags: ['payments'],
        summary: 'Cổng thanh toán chuyển trình duyệt về (vnp_*, có chữ ký) → hồ sơ với kết quả thanh toán',
        querystring: GatewayQuery,
        response: { 302: z.null().describe('redirect to /ho-so/{code}?thanh-toan=thanh-cong|that-bai|huy') },
      },
    },
    async (req, reply) => {
      const outcome = await payments
        .notify(vnpParamsOf(req.query), { source: 'return', ip: req.ip })
        .catch((e) => {
          req.log.error({ err: e }, 'payment return failed');
          return null;
        });
      reply.header('cache-control', 'no-store');
      if (!outcome?.payment) {
        if (outcome?.answer.RspCode === '99')
          req.log.warn({ ip: req.ip }, 'payment return that is not a reply');
        return reply.redirect('/ho-so?thanh-toan=that-bai', 302);
      }
      const { dossierCode, status, refundNeeded } = outcome.payment;
      // Money taken for a closed or already paid dossier settles nothing: it is refunded (UI: "sẽ được hoàn lại").
      const param = refundNeeded ? OUTCOME_PARAM.failed : OUTCOME_PARAM[status];
      return reply.redirect(`/ho-so/${encodeURIComponent(dossierCode)}?thanh-toan=${param}`, 302);
    },
  );

  r.get(
    IPN_PATH,
    {
      config: publicLimit,
      schema: {
        tags: ['payments'],
        summary: 'Thông báo kết quả thanh toán từ cổng thanh toán (IPN, máy chủ tới máy chủ)',
        description:
          'Trả lời theo giao thức VNPAY: 00 Confirm Success, 01 Order not found, 02 Order already confirmed, ' +
          '04 Invalid amount, 97 Invalid signature, 99 Invalid data (not a reply: e.g. our own signed request) or ' +
          'unknown error.',
        querystring: GatewayQuery,
        response: { 200: IpnAnswer },
      },
    },
    async (req) => {
      try {
        const { answer } = await payments.notify(vnpParamsOf(req.query), { source: 'ipn', ip: req.ip });
        if (answer.RspCode === '97') req.log.warn({ ip: req.ip }, 'payment IPN with an invalid signature');
        if (answer.RspCode === '99') req.log.warn({ ip: req.ip }, 'payment IPN that is not a reply');
        return answer;
      } catch (e) {
        req.log.error({ err: e }, 'payment IPN failed');
        return IPN_ANSWERS.unknownError;
      }
    },
  );

  // The demo bank exists only in sandbox mode (demo only, enforced by config.ts).
  if (providerName(config) === 'sandbox') await sandboxBankRoutes(app, payments);
}
