import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { demoPage, escapeHtml } from '../http/html.js';
import { IPN_PATH, SANDBOX_PAY_PATH, SANDBOX_TMN_CODE } from './provider.js';
import type { PaymentService } from './service.js';
import { parseVnpDate, toQuery, VNPAY_VERSION, type VnpParams, vnpDate, vnpParamsOf } from './vnpay.js';

/**
 * The SANDBOX BANK of the demo ("NGÂN HÀNG MÔ PHỎNG — bản trình diễn"): the payment page a VNPAY-protocol gateway
 * would show, served by this process when PAYMENT_PROVIDER=sandbox (demo mode only). It moves no money.
 *
 * GET  /sandbox-bank/pay?vnp_*   the payment URL itself: checks the signed request and shows the order
 *                                (merchant, order information, amount in ₫) with "Thanh toán" / "Huỷ giao dịch".
 * POST /sandbox-bank/pay         checks the signed request again, builds the VNPAY response parameters signed
 *                                with the same secret, delivers the IPN server to server (through `app.inject`,
 *                                never the network), then sends the browser (303) to vnp_ReturnUrl with them.
 *
 * The page has no script at all and works under the app's CSP (script-src 'self'; inline styles are allowed;
 * form-action 'self': the form posts to this origin and the return URL is a path on it).
 */

/** The sandbox bank's merchants (it has one: the portal). */
const MERCHANTS: Record<string, string> = { [SANDBOX_TMN_CODE]: 'Cổng dịch vụ công Tỉnh Số' };
const SANDBOX_BANK_CODE = 'MOPHONG';

const vnd = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} ₫`;

/** dd/mm/yyyy HH:mm in Vietnam time. */
const vnTime = (d: Date) => {
  const s = vnpDate(d);
  return `${s.slice(6, 8)}/${s.slice(4, 6)}/${s.slice(0, 4)} ${s.slice(8, 10)}:${s.slice(10, 12)}`;
};

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#eef3f8;color:#1b1b1b}
main{max-width:32rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-top:6px solid #005baa;box-shadow:0 1px 3px rgba(0,0,0,.2)}
.demo{background:#fff4ce;border:2px dashed #8a6d00;padding:.5rem .75rem;font-weight:600}
h1{font-size:1.35rem;margin:1rem 0 .25rem}.en{color:#4a4a4a;margin-top:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:1.25rem 0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.amount{font-size:1.5rem;font-weight:700;color:#005baa}
button{font:inherit;margin-top:1rem;padding:.6rem 1.25rem;border:0;border-radius:4px;background:#005baa;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b1b1b;border:1px solid #5f6368;margin-left:.5rem}
button:focus,a:focus{outline:3px solid #b3261e;outline-offset:2px}
.error{color:#8c1d18;background:#fdecea;border-left:4px solid #b3261e;padding:.5rem .75rem}
.hint{font-size:.9rem;color:#4a4a4a;margin-top:1.5rem}.row{display:flex;flex-wrap:wrap;align-items:center}`;

const BANNER = `<p class="demo" role="note">BẢN TRÌNH DIỄN — đây KHÔNG phải ngân hàng hay cổng thanh toán thật; không có tiền nào được chuyển.<br><span lang="en">DEMO — this is NOT a real bank or payment gateway; no money moves.</span></p>`;

function page(title: string, body: string): string {
  return demoPage({ title, style: STYLE, banner: BANNER, body });
}

const sendPage = (reply: FastifyReply, status: number, html: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

function errorPage(vi: string, en: string): string {
  return page(
    'Lỗi giao dịch — NGÂN HÀNG MÔ PHỎNG (bản trình diễn)',
    `<h1>NGÂN HÀNG MÔ PHỎNG — bản trình diễn</h1>
<p id="bank-error" class="error" role="alert">${escapeHtml(vi)}<br><span lang="en">${escapeHtml(en)}</span></p>
<p><a href="/ho-so">Về Cổng dịch vụ công <span lang="en">/ Back to the portal</span></a></p>`,
  );
}

/** The order the signed request describes, or why it cannot be paid here. */
type Checked =
  | { ok: true; params: VnpParams; amountVnd: number; expiresAt: Date | null; expired: boolean }
  | { ok: false; vi: string; en: string };

function checkRequest(params: VnpParams, verify: (p: VnpParams) => boolean, now: Date): Checked {
  if (!verify(params)) {
    return {
      ok: false,
      vi: 'Yêu cầu thanh toán không hợp lệ: sai chữ ký (vnp_SecureHash).',
      en: 'Invalid payment request: wrong signature (vnp_SecureHash).',
    };
  }
  const amountX100 = Number(params['vnp_Amount']);
  const returnUrl = params['vnp_ReturnUrl'] ?? '';
  const wellFormed =
    params['vnp_Version'] === VNPAY_VERSION &&
    params['vnp_Command'] === 'pay' &&
    params['vnp_CurrCode'] === 'VND' &&
    !!params['vnp_TxnRef'] &&
    Number.isSafeInteger(amountX100) &&
    amountX100 > 0 &&
    amountX100 % 100 === 0 &&
    parseVnpDate(params['vnp_CreateDate']) !== null &&
    (returnUrl.startsWith('/') ? !returnUrl.startsWith('//') : /^https?:\/\//.test(returnUrl));
  if (!wellFormed) {
    return {
      ok: false,
      vi: 'Yêu cầu thanh toán thiếu hoặc sai tham số.',
      en: 'The payment request has missing or invalid parameters.',
    };
  }
  if (!MERCHANTS[params['vnp_TmnCode'] ?? '']) {
    return {
      ok: false,
      vi: 'Đơn vị chấp nhận thanh toán không tồn tại tại ngân hàng mô phỏng.',
      en: 'Unknown merchant.',
    };
  }
  const expiresAt = parseVnpDate(params['vnp_ExpireDate']);
  return {
    ok: true,
    params,
    amountVnd: amountX100 / 100,
    expiresAt,
    expired: expiresAt !== null && expiresAt.getTime() < now.getTime(),
  };
}

function payPage(c: Extract<Checked, { ok: true }>): string {
  const p = c.params;
  const hidden = Object.entries(p)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  const merchant = MERCHANTS[p['vnp_TmnCode']!]!;
  const details = `<dl>
<dt>Đơn vị nhận <span lang="en">/ Merchant</span></dt><dd>${escapeHtml(merchant)} (${escapeHtml(p['vnp_TmnCode'])})</dd>
<dt>Mã giao dịch <span lang="en">/ Reference</span></dt><dd>${escapeHtml(p['vnp_TxnRef'])}</dd>
<dt>Nội dung <span lang="en">/ Order</span></dt><dd>${escapeHtml(p['vnp_OrderInfo'])}</dd>
<dt>Số tiền <span lang="en">/ Amount</span></dt><dd class="amount">${escapeHtml(vnd(c.amountVnd))}</dd>
${c.expiresAt ? `<dt>Hết hạn lúc <span lang="en">/ Expires</span></dt><dd>${escapeHtml(vnTime(c.expiresAt))} (giờ Việt Nam)</dd>` : ''}
</dl>`;
  const actions = c.expired
    ? `<p class="error" role="alert">Giao dịch đã hết thời gian chờ thanh toán. <span lang="en">The payment has expired.</span></p>
<button type="submit" name="action" value="expired">Quay lại Cổng dịch vụ công <span lang="en">/ Back to the portal</span></button>`
    : `<div class="row"><button type="submit" name="action" value="pay">Thanh toán <span lang="en">/ Pay</span></button>
<button type="submit" name="action" value="cancel" class="secondary">Huỷ giao dịch <span lang="en">/ Cancel</span></button></div>`;
  return page(
    'Thanh toán — NGÂN HÀNG MÔ PHỎNG (bản trình diễn)',
    `<h1>NGÂN HÀNG MÔ PHỎNG — bản trình diễn</h1>
<p class="en" lang="en">SANDBOX BANK — demo</p>
<h2>Xác nhận thanh toán <span lang="en">/ Confirm the payment</span></h2>
${details}
<form method="post" action="${SANDBOX_PAY_PATH}">
${hidden}
${actions}
</form>
<p class="hint">Bấm "Thanh toán" để mô phỏng giao dịch thành công, "Huỷ giao dịch" để mô phỏng khách hàng huỷ.<br><span lang="en">"Pay" simulates a successful payment, "Cancel" a payment cancelled by the customer.</span></p>`,
  );
}

/** VNPAY's response parameters for a request, signed: paid ('00'), cancelled by the customer ('24') or expired ('11'). */
function responseParams(
  req: VnpParams,
  outcome: 'pay' | 'cancel' | 'expired',
  now: Date,
  sign: (p: VnpParams) => VnpParams,
): VnpParams {
  const paid = outcome === 'pay';
  const params: VnpParams = {
    vnp_Amount: req['vnp_Amount']!,
    vnp_BankCode: SANDBOX_BANK_CODE,
    vnp_OrderInfo: req['vnp_OrderInfo'] ?? '',
    vnp_PayDate: vnpDate(now),
    vnp_ResponseCode: paid ? '00' : outcome === 'cancel' ? '24' : '11',
    vnp_TmnCode: req['vnp_TmnCode']!,
    vnp_TransactionNo: paid ? String(randomInt(10_000_000, 99_999_999)) : '0',
    vnp_TransactionStatus: paid ? '00' : '02',
    vnp_TxnRef: req['vnp_TxnRef']!,
  };
  if (paid) {
    params['vnp_BankTranNo'] = `MP${vnpDate(now).slice(2)}${randomInt(1000, 9999)}`;
    params['vnp_CardType'] = 'ATM';
  }
  return sign(params);
}

/** Mounts the sandbox bank. Only called when PAYMENT_PROVIDER resolves to `sandbox`. */
export async function sandboxBankRoutes(app: FastifyInstance, payments: PaymentService): Promise<void> {
  const provider = await payments.provider();
  if (provider?.name !== 'sandbox') throw new Error('the sandbox bank needs PAYMENT_PROVIDER=sandbox');
  // Public pages (no session): per client address, as the other public endpoints.
  const publicLimit = {
    rateLimit: { max: app.ctx.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: '1 minute' },
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => {
        const out: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(String(body))) if (!(k in out)) out[k] = v;
        done(null, out);
      },
    );

    scope.get(SANDBOX_PAY_PATH, { config: publicLimit, schema: { hide: true } }, async (req, reply) => {
      const checked = checkRequest(vnpParamsOf(req.query), (p) => provider.verifyRequest(p), new Date());
      if (!checked.ok) return sendPage(reply, 400, errorPage(checked.vi, checked.en));
      return sendPage(reply, 200, payPage(checked));
    });

    scope.post(SANDBOX_PAY_PATH, { config: publicLimit, schema: { hide: true } }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, string>;
      const now = new Date();
      const checked = checkRequest(vnpParamsOf(body), (p) => provider.verifyRequest(p), now);
      if (!checked.ok) return sendPage(reply, 400, errorPage(checked.vi, checked.en));
      const action = checked.expired
        ? 'expired'
        : body['action'] === 'pay'
          ? 'pay'
          : body['action'] === 'cancel'
            ? 'cancel'
            : null;
      if (!action) {
        return sendPage(
          reply,
          400,
          errorPage('Hãy chọn "Thanh toán" hoặc "Huỷ giao dịch".', 'Choose "Pay" or "Cancel".'),
        );
      }
      const result = responseParams(checked.params, action, now, (p) => provider.sign(p));
      const query = toQuery(result);
      // Server to server first (as the gateway does), then the browser.
      const ipn = await app.inject({ method: 'GET', url: `${IPN_PATH}?${query}` });
      const answer = ipn.statusCode === 200 ? (ipn.json() as { RspCode?: string }) : null;
      if (answer?.RspCode !== '00') {
        req.log.warn(
          { status: ipn.statusCode, answer, txnRef: result['vnp_TxnRef'] },
          'sandbox bank: IPN not confirmed',
        );
      }
      const returnUrl = checked.params['vnp_ReturnUrl']!;
      return reply
        .header('cache-control', 'no-store')
        .redirect(`${returnUrl}${returnUrl.includes('?') ? '&' : '?'}${query}`, 303);
    });
  });
}
