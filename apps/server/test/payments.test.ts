import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import {
  act,
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
  validForm,
} from './helpers.js';

const PERMIT = '1.013225'; // building permit: the demo catalogue gives its online channel an illustrative 75.000 ₫ fee
const FEE = 75_000;
const applicant = { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912345678' };
const formData = {
  hoTen: 'Nguyễn Văn Minh',
  soDinhDanh: '040090001234',
  ngaySinh: '1990-05-12',
  diaChi: 'Số 12 đường Lê Lợi, phường Hưng Bình, Nghệ An',
  soDienThoai: '0912345678',
  loaiCongTrinh: 'Nhà ở riêng lẻ',
  diaDiemXayDung: 'Thửa 45, tờ bản đồ 12, phường Hưng Bình',
  thuaDatToBanDo: 'Thửa 45, tờ 12',
  dienTichXayDung: 96,
  tongDienTichSan: 280,
  soTang: 3,
};

/** Independent VNPAY signer for crafted notifications: URLSearchParams form encoding, sorted keys, HMAC-SHA512. */
function sign(secret: string, params: Record<string, string>): Record<string, string> {
  const data = new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))).toString();
  return { ...params, vnp_SecureHash: createHmac('sha512', secret).update(data).digest('hex') };
}

const unescapeHtml = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e as string]!,
  );

/** The hidden fields of the sandbox bank's form, as a browser would post them. */
function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  }
  return out;
}

describe('payment configuration', () => {
  it('refuses the sandbox bank outside demo mode and VNPAY without its credentials', () => {
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'sandbox', DATABASE_URL: 'postgres://db/x' })).toThrow(
      /PAYMENT_PROVIDER/,
    );
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'vnpay', VNPAY_TMN_CODE: 'ABC12345' })).toThrow(
      /VNPAY_HASH_SECRET/,
    );
    const c = loadConfig({
      PAYMENT_PROVIDER: 'vnpay',
      VNPAY_TMN_CODE: 'ABC12345',
      VNPAY_HASH_SECRET: 'x'.repeat(32),
    });
    expect(c.VNPAY_PAY_URL).toBe('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html');
  });
});

describe.each(ENGINES)('online payment with the sandbox bank on %s', (engine) => {
  let t: TestApp;
  let citizen: Session;
  let secret: string;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 4 });
    citizen = await citizenSession(t, '040090001234');
  });
  afterAll(async () => t?.close());

  const submit = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: { procedureCode: PERMIT, channel: 'online', competentUnit: 'H41.50', applicant, formData },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { code: string; version: number; status: number };
  };
  const fees = async (code: string, s: Session = citizen) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${code}/fees`,
      headers: { cookie: s.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const startPayment = (code: string, headers: Record<string, string> = citizen.headers) =>
    t.app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers, payload: {} });
  const pay = async (code: string) => {
    const res = await startPayment(code);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { paymentId: string; redirectUrl: string };
    const txnRef = new URL(out.redirectUrl, 'http://x').searchParams.get('vnp_TxnRef')!;
    return { ...out, txnRef };
  };
  /** The browser at the sandbox bank: opens the payment URL, presses a button, follows the 303. */
  const bank = async (redirectUrl: string, action: 'pay' | 'cancel') => {
    const pageRes = await t.app.inject({ method: 'GET', url: redirectUrl });
    expect(pageRes.statusCode, pageRes.body).toBe(200);
    const form = new URLSearchParams({ ...formFields(pageRes.body), action }).toString();
    const posted = await t.app.inject({
      method: 'POST',
      url: '/sandbox-bank/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    expect(posted.statusCode, posted.body).toBe(303);
    const back = posted.headers.location as string;
    expect(back.startsWith('/api/payments/vnpay/return?')).toBe(true);
    const returned = await t.app.inject({ method: 'GET', url: back, headers: { cookie: citizen.cookie } });
    expect(returned.statusCode).toBe(302);
    return { page: pageRes, returnLocation: returned.headers.location as string, returnUrl: back };
  };
  const ipn = async (params: Record<string, string>) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/ipn?${new URLSearchParams(params)}`,
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { RspCode: string; Message: string };
  };
  const payment = (txnRef: string) =>
    t.ctx.database.db
      .selectFrom('payments')
      .selectAll()
      .where('txn_ref', '=', txnRef)
      .executeTakeFirstOrThrow();
  const audits = (action: string, entityId: string) =>
    t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'details'])
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .execute();
  const sandboxSecret = async () => {
    secret ??= (
      await t.ctx.database.db
        .selectFrom('payment_keys')
        .select('secret')
        .where('name', '=', 'sandbox_bank_hash_secret')
        .executeTakeFirstOrThrow()
    ).secret;
    return secret;
  };
  /** A notification as the gateway would sign it for `txnRef`. */
  const notification = async (txnRef: string, over: Record<string, string> = {}) =>
    sign(await sandboxSecret(), {
      vnp_Amount: String(FEE * 100),
      vnp_BankCode: 'NCB',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: 'Thanh toan phi le phi ho so',
      vnp_PayDate: '20261201103000',
      vnp_ResponseCode: '00',
      vnp_TmnCode: 'TINHSO01',
      vnp_TransactionNo: '14226112',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: txnRef,
      ...over,
    });

  it('pays an online dossier’s fee through the sandbox bank: page, IPN, return, fees paid', async () => {
    const d = await submit();
    const before = await fees(d.code);
    expect(before).toMatchObject({
      totalVnd: FEE,
      paidVnd: 0,
      dueVnd: FEE,
      payableOnline: true,
      payments: [],
    });
    expect(before.items).toEqual([
      {
        name: expect.stringContaining('Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ'),
        amountVnd: FEE,
        kind: 'charge',
      },
    ]);

    const p = await pay(d.code);
    expect(p.redirectUrl.startsWith('/sandbox-bank/pay?')).toBe(true);
    const q = new URL(p.redirectUrl, 'http://x').searchParams;
    expect(q.get('vnp_Amount')).toBe(String(FEE * 100));
    expect(q.get('vnp_Version')).toBe('2.1.0');
    expect(q.get('vnp_Command')).toBe('pay');
    expect(q.get('vnp_CurrCode')).toBe('VND');
    expect(q.get('vnp_ReturnUrl')).toBe('/api/payments/vnpay/return');
    expect(q.get('vnp_OrderInfo')).toBe(`Thanh toan phi le phi ho so ${d.code}`);
    expect(q.get('vnp_ExpireDate')! > q.get('vnp_CreateDate')!).toBe(true);
    expect((await payment(p.txnRef)).status).toBe('pending');

    const { page, returnLocation } = await bank(p.redirectUrl, 'pay');
    // The bank page: Vietnamese, accessible, no script (the app's CSP allows none inline).
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).toContain('NGÂN HÀNG MÔ PHỎNG — bản trình diễn');
    expect(page.body).toContain('75.000 ₫');
    expect(page.body).toContain('Cổng dịch vụ công Tỉnh Số');
    expect(page.body).toContain(`Thanh toan phi le phi ho so ${d.code}`);
    expect(page.body).toMatch(/<button type="submit" name="action" value="pay">Thanh toán/);
    expect(page.body).toMatch(/value="cancel"[^>]*>Huỷ giao dịch/);
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body).not.toMatch(/<script|onclick=/i);

    expect(returnLocation).toBe(`/ho-so/${d.code}?thanh-toan=thanh-cong`);
    const row = await payment(p.txnRef);
    expect(row).toMatchObject({ status: 'paid', amount_vnd: FEE, provider: 'sandbox', bank_code: 'MOPHONG' });
    expect(row.provider_txn_no).toMatch(/^\d{8}$/);
    expect(row.paid_at).toBeInstanceOf(Date);
    expect(row.response?.['vnp_ResponseCode']).toBe('00');

    const after = await fees(d.code);
    expect(after).toMatchObject({ totalVnd: FEE, paidVnd: FEE, dueVnd: 0, payableOnline: false });
    expect(after.payments).toEqual([
      {
        id: p.paymentId,
        amountVnd: FEE,
        status: 'paid',
        provider: 'sandbox',
        reference: p.txnRef,
        createdAt: expect.any(String),
        paidAt: expect.any(String),
        refundNeeded: false,
      },
    ]);
    const again = await startPayment(d.code);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('NOTHING_TO_PAY');

    expect(await audits('payment.create', p.paymentId)).toHaveLength(1);
    const confirmed = await audits('payment.paid', p.paymentId);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({
      actor_type: 'system',
      details: { txnRef: p.txnRef, source: 'ipn' },
    });
    // Paying the procedure fee does not move the dossier (it is still waiting for reception).
    const dossier = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${d.code}`,
        headers: { cookie: citizen.cookie },
      })
    ).json();
    expect(dossier.status).toBe(1);
  });

  it('leaves the fee due when the citizen cancels at the bank; a new attempt gets a new reference', async () => {
    const d = await submit();
    const p = await pay(d.code);
    // Asking again while the URL is valid hands out the same attempt (no second payment from two tabs).
    expect((await pay(d.code)).paymentId).toBe(p.paymentId);
    const { returnLocation } = await bank(p.redirectUrl, 'cancel');
    expect(returnLocation).toBe(`/ho-so/${d.code}?thanh-toan=huy`);
    const row = await payment(p.txnRef);
    expect(row).toMatchObject({
      status: 'cancelled',
      response_code: '24',
      paid_at: null,
      provider_txn_no: null,
    });
    const f = await fees(d.code);
    expect(f).toMatchObject({ paidVnd: 0, dueVnd: FEE, payableOnline: true });
    expect(f.payments.map((x: { status: string }) => x.status)).toEqual(['cancelled']);
    expect(await audits('payment.cancelled', p.paymentId)).toHaveLength(1);

    const second = await pay(d.code);
    expect(second.paymentId).not.toBe(p.paymentId);
    expect(second.txnRef).not.toBe(p.txnRef);
    expect((await bank(second.redirectUrl, 'pay')).returnLocation).toBe(
      `/ho-so/${d.code}?thanh-toan=thanh-cong`,
    );
    expect(await fees(d.code)).toMatchObject({ paidVnd: FEE, dueVnd: 0 });
  });

  it('rejects a tampered notification (97) and a wrong amount (04) without marking anything paid', async () => {
    const d = await submit();
    const p = await pay(d.code);
    const good = await notification(p.txnRef);

    expect(await ipn({ ...good, vnp_Amount: String(FEE * 100 * 10) })).toEqual({
      RspCode: '97',
      Message: 'Invalid signature',
    });
    expect(
      await ipn({
        ...good,
        vnp_SecureHash: good.vnp_SecureHash!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      }),
    ).toMatchObject({
      RspCode: '97',
    });
    const { vnp_SecureHash: _, ...unsigned } = good;
    expect((await ipn(unsigned)).RspCode).toBe('97');
    expect((await ipn({})).RspCode).toBe('97');
    // Signed with another secret (not the bank's).
    expect((await ipn(sign('another-secret-0123456789', { ...unsigned }))).RspCode).toBe('97');

    // Authentic, but for another amount than the one asked.
    const wrong = await notification(p.txnRef, { vnp_Amount: String(100 * 100) });
    expect(await ipn(wrong)).toEqual({ RspCode: '04', Message: 'Invalid amount' });
    expect((await payment(p.txnRef)).status).toBe('pending');
    expect(await fees(d.code)).toMatchObject({ paidVnd: 0, dueVnd: FEE });
    expect(await audits('payment.amount_mismatch', p.paymentId)).toHaveLength(1);
    // The browser coming back with those parameters sees a failure, the payment stays pending.
    const ret = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams(wrong)}`,
    });
    expect(ret.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=that-bai`);
    const tampered = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams({ ...good, vnp_ResponseCode: '24' })}`,
    });
    expect(tampered.statusCode).toBe(302);
    expect(tampered.headers.location).toBe('/ho-so?thanh-toan=that-bai');
    expect((await payment(p.txnRef)).status).toBe('pending');
    expect(await audits('payment.paid', p.paymentId)).toHaveLength(0);
  });

  it('confirms once: a replayed notification answers 02 and changes nothing; unknown references answer 01', async () => {
    const d = await submit();
    const p = await pay(d.code);
    const ok = await notification(p.txnRef, { vnp_TransactionNo: '55554444' });
    // Two deliveries of the same notification at once: exactly one confirms.
    const firsts = await Promise.all([ipn(ok), ipn(ok)]);
    expect(firsts.map((x) => x.RspCode).sort()).toEqual(['00', '02']);
    expect(firsts).toContainEqual({ RspCode: '00', Message: 'Confirm Success' });
    const first = await payment(p.txnRef);
    expect(first).toMatchObject({ status: 'paid', provider_txn_no: '55554444', bank_code: 'NCB' });
    expect(first.paid_at?.toISOString()).toBe('2026-12-01T03:30:00.000Z'); // vnp_PayDate 10:30 GMT+7

    // Replays (the same, concurrent ones, or a later "cancel" for the same reference) change nothing.
    const replays = await Promise.all([ipn(ok), ipn(ok)]);
    expect(replays).toEqual([
      { RspCode: '02', Message: 'Order already confirmed' },
      { RspCode: '02', Message: 'Order already confirmed' },
    ]);
    const late = await notification(p.txnRef, { vnp_ResponseCode: '24', vnp_TransactionStatus: '02' });
    expect((await ipn(late)).RspCode).toBe('02');
    expect(await payment(p.txnRef)).toEqual(first);
    expect(await audits('payment.paid', p.paymentId)).toHaveLength(1);
    expect(await fees(d.code)).toMatchObject({ paidVnd: FEE, dueVnd: 0 });
    // The browser's return after the IPN lands on success without writing again.
    const ret = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams(ok)}`,
    });
    expect(ret.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=thanh-cong`);
    expect(await audits('payment.paid', p.paymentId)).toHaveLength(1);

    expect(await ipn(await notification('261201UNKNOWN00000'))).toEqual({
      RspCode: '01',
      Message: 'Order not found',
    });
    expect((await ipn(await notification(p.txnRef, { vnp_TmnCode: 'OTHER001' }))).RspCode).toBe('01');
  });

  it('records a failed payment (bank error) and leaves the fee due', async () => {
    const d = await submit();
    const p = await pay(d.code);
    const failed = await notification(p.txnRef, { vnp_ResponseCode: '51', vnp_TransactionStatus: '02' });
    expect((await ipn(failed)).RspCode).toBe('00');
    expect(await payment(p.txnRef)).toMatchObject({ status: 'failed', response_code: '51', paid_at: null });
    const ret = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams(failed)}`,
    });
    expect(ret.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=that-bai`);
    expect(await fees(d.code)).toMatchObject({ paidVnd: 0, dueVnd: FEE, payableOnline: true });
    expect(await audits('payment.failed', p.paymentId)).toHaveLength(1);
  });

  it('pays what an officer requested (status 6) and the gateway’s confirm_payment resumes the dossier', async () => {
    const reception = await login(t.app, 'tiepnhan.50');
    const specialist = await login(t.app, 'tuphap.50');
    const d0 = await submit();
    const d1 = (await act(t.app, reception, d0.code, d0.version, { type: 'accept' })).json();
    expect(d1.status).toBe(2);
    const request = {
      type: 'request_payment',
      reason: 'Nộp lệ phí cấp giấy phép xây dựng',
      amountVnd: 150_000,
    };
    // Reception may not ask for payment; the specialist at the processing step may.
    const wrongOfficer = await act(t.app, reception, d1.code, d1.version, request);
    expect(wrongOfficer.statusCode).toBe(403);
    const d2res = await act(t.app, specialist, d1.code, d1.version, request);
    expect(d2res.statusCode, d2res.body).toBe(200);
    const d2 = d2res.json();
    expect(d2.status).toBe(6);
    expect(d2.state.pause).toMatchObject({ kind: 'payment' });

    const f = await fees(d2.code);
    expect(f).toMatchObject({
      items: [{ name: 'Nộp lệ phí cấp giấy phép xây dựng', amountVnd: 150_000, kind: 'obligation' }],
      totalVnd: 150_000,
      paidVnd: 0,
      dueVnd: 150_000,
      payableOnline: true,
    });
    // Officers who see the dossier see its fees too.
    expect((await fees(d2.code, specialist)).dueVnd).toBe(150_000);

    const p = await pay(d2.code);
    expect(new URL(p.redirectUrl, 'http://x').searchParams.get('vnp_Amount')).toBe('15000000');
    const { returnLocation } = await bank(p.redirectUrl, 'pay');
    expect(returnLocation).toBe(`/ho-so/${d2.code}?thanh-toan=thanh-cong`);

    const d3 = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${d2.code}`,
        headers: { cookie: citizen.cookie },
      })
    ).json();
    expect(d3.status).toBe(2); // back where it was when payment was requested: the clock runs again
    expect(d3.version).toBe(d2.version + 1);
    expect(d3.state.paid).toBe(true);
    expect(d3.state.pause).toBeNull();
    expect(d3.state.pauses.at(-1)).toMatchObject({ kind: 'payment', to: expect.any(String) });
    const confirm = d3.actions.at(-1);
    expect(confirm).toMatchObject({
      type: 'confirm_payment',
      actor_type: 'system',
      actor_name: 'Cổng thanh toán',
      status_after: 2,
      payload: { reference: p.txnRef },
    });
    expect(await payment(p.txnRef)).toMatchObject({ status: 'paid', purpose: `request:${d2.version}` });
    // The requested amount is settled; the procedure's online fee is what remains due now.
    const after = await fees(d2.code);
    expect(after).toMatchObject({ totalVnd: FEE, paidVnd: 0, dueVnd: FEE });
    expect(after.payments.map((x: { amountVnd: number; status: string }) => [x.amountVnd, x.status])).toEqual(
      [[150_000, 'paid']],
    );
  });

  it('confirms a requested payment once even when two notifications race (one confirm_payment)', async () => {
    const reception = await login(t.app, 'tiepnhan.50');
    const specialist = await login(t.app, 'tuphap.50');
    const d0 = await submit();
    const d1 = (await act(t.app, reception, d0.code, d0.version, { type: 'accept' })).json();
    const d2 = (
      await act(t.app, specialist, d1.code, d1.version, {
        type: 'request_payment',
        reason: 'Nộp lệ phí',
        amountVnd: 20_000,
      })
    ).json();
    expect(d2.status).toBe(6);
    const p = await pay(d2.code);
    const ok = await notification(p.txnRef, { vnp_Amount: String(20_000 * 100) });
    const answers = await Promise.all([ipn(ok), ipn(ok), ipn(ok)]);
    expect(answers.map((x) => x.RspCode).sort()).toEqual(['00', '02', '02']);
    const d3 = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${d2.code}`,
        headers: { cookie: citizen.cookie },
      })
    ).json();
    expect(d3.status).toBe(2);
    expect(d3.actions.filter((a: { type: string }) => a.type === 'confirm_payment')).toHaveLength(1);
    expect(await audits('payment.paid', p.paymentId)).toHaveLength(1);
  });

  it('refuses payment of a closed dossier, for someone else, and without CSRF protection', async () => {
    const d = await submit();
    const other = await citizenSession(t, '040164005678');
    const officer = await login(t.app, 'tiepnhan.50');
    const strangerRes = await startPayment(d.code, other.headers);
    expect(strangerRes.statusCode).toBe(404);
    expect(errorCode(strangerRes)).toBe('DOSSIER_NOT_FOUND');
    const officerRes = await startPayment(d.code, officer.headers);
    expect(officerRes.statusCode).toBe(403);
    expect(errorCode(officerRes)).toBe('FORBIDDEN');
    const noCsrf = await startPayment(d.code, { cookie: citizen.cookie });
    expect(errorCode(noCsrf)).toBe('CSRF_FAILED');
    expect((await startPayment(d.code, {})).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/fees` })).statusCode).toBe(401);

    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${d.code}/actions`,
      headers: citizen.headers,
      payload: { expectedVersion: d.version, command: { type: 'withdraw', reason: 'Tôi không xây nữa' } },
    });
    expect(withdrawn.json().status).toBe(7);
    const closed = await startPayment(d.code);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toMatchObject({
      code: 'NOTHING_TO_PAY',
      details: { reason: 'dossier_closed' },
    });
    expect(await fees(d.code)).toMatchObject({ totalVnd: FEE, dueVnd: 0, payableOnline: false });
  });

  /** Lê Hoàng Nam: the tests below start payments as another citizen (the per-user limit is 20 a minute). */
  const nam = { name: 'Lê Hoàng Nam', idNumber: '040201009012', phone: '0901234567' };
  let namSession: Session;
  const submitAsNam = async () => {
    namSession ??= await citizenSession(t, nam.idNumber);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: namSession.headers,
      payload: {
        procedureCode: PERMIT,
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: nam,
        formData: { ...formData, hoTen: nam.name, soDinhDanh: nam.idNumber, soDienThoai: nam.phone },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { code: string; version: number; status: number };
  };
  const payAsNam = async (code: string) => {
    const res = await startPayment(code, namSession.headers);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { paymentId: string; redirectUrl: string };
    return { ...out, txnRef: new URL(out.redirectUrl, 'http://x').searchParams.get('vnp_TxnRef')! };
  };

  it('never takes our own signed payment request for the bank’s reply (return → that-bai, IPN → 99)', async () => {
    const d = await submitAsNam();
    const p = await payAsNam(d.code);
    const requestQuery = p.redirectUrl.slice(p.redirectUrl.indexOf('?') + 1);
    // The request URL verifies with the shared secret, but it is a request: nothing changes.
    const ret = await t.app.inject({ method: 'GET', url: `/api/payments/vnpay/return?${requestQuery}` });
    expect(ret.statusCode).toBe(302);
    expect(ret.headers.location).toBe('/ho-so?thanh-toan=that-bai');
    const viaIpn = await t.app.inject({ method: 'GET', url: `/api/payments/vnpay/ipn?${requestQuery}` });
    expect(viaIpn.json()).toEqual({ RspCode: '99', Message: 'Invalid data' });
    // Request parameters re-signed together with reply fields are not a reply either.
    const req = Object.fromEntries(new URL(p.redirectUrl, 'http://x').searchParams);
    const { vnp_SecureHash: _h, ...reqFields } = req;
    const mixed = sign(await sandboxSecret(), {
      ...reqFields,
      vnp_ResponseCode: '24',
      vnp_TransactionStatus: '02',
    });
    expect((await ipn(mixed)).RspCode).toBe('99');
    // A reply without a transaction status, or a success without a transaction number, is incomplete.
    const { vnp_TransactionStatus: _s, vnp_SecureHash: _a, ...noStatus } = await notification(p.txnRef);
    expect((await ipn(sign(await sandboxSecret(), noStatus))).RspCode).toBe('99');
    const { vnp_TransactionNo: _n, vnp_SecureHash: _b, ...noTxnNo } = await notification(p.txnRef);
    expect((await ipn(sign(await sandboxSecret(), noTxnNo))).RspCode).toBe('99');
    expect(await payment(p.txnRef)).toMatchObject({ status: 'pending', completed_at: null });
    for (const a of ['payment.failed', 'payment.cancelled', 'payment.paid']) {
      expect(await audits(a, p.paymentId)).toHaveLength(0);
    }
    // The real reply still confirms the payment.
    expect((await ipn(await notification(p.txnRef))).RspCode).toBe('00');
    expect(await payment(p.txnRef)).toMatchObject({ status: 'paid', refund_needed: false });
  });

  it('moves a payment only from pending: a success after a cancellation changes nothing (02)', async () => {
    const d = await submitAsNam();
    const p = await payAsNam(d.code);
    const cancel = await notification(p.txnRef, {
      vnp_ResponseCode: '24',
      vnp_TransactionStatus: '02',
      vnp_TransactionNo: '0',
    });
    expect((await ipn(cancel)).RspCode).toBe('00');
    const cancelled = await payment(p.txnRef);
    expect(cancelled.status).toBe('cancelled');
    expect(await ipn(await notification(p.txnRef))).toEqual({
      RspCode: '02',
      Message: 'Order already confirmed',
    });
    const back = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams(await notification(p.txnRef))}`,
    });
    expect(back.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=huy`);
    expect(await payment(p.txnRef)).toEqual(cancelled);
    expect(await fees(d.code, namSession)).toMatchObject({ paidVnd: 0, dueVnd: FEE });
  });

  it('records a payment arriving after the dossier closed as paid but to refund, never counted', async () => {
    const d = await submitAsNam();
    const p = await payAsNam(d.code);
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${d.code}/actions`,
      headers: namSession.headers,
      payload: { expectedVersion: d.version, command: { type: 'withdraw', reason: 'Tôi không xây nữa' } },
    });
    expect(withdrawn.json().status).toBe(7);
    // The link still open for it is not handed out again.
    const reuse = await startPayment(d.code, namSession.headers);
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().error).toMatchObject({
      code: 'NOTHING_TO_PAY',
      details: { reason: 'dossier_closed' },
    });
    // The citizen paid at the bank anyway: the money is recorded, flagged for a refund.
    const paid = await notification(p.txnRef, { vnp_TransactionNo: '77778888' });
    expect(await ipn(paid)).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect(await payment(p.txnRef)).toMatchObject({
      status: 'paid',
      refund_needed: true,
      provider_txn_no: '77778888',
    });
    const f = await fees(d.code, namSession);
    expect(f).toMatchObject({ paidVnd: 0, dueVnd: 0, payableOnline: false });
    expect(f.payments).toEqual([
      expect.objectContaining({ id: p.paymentId, status: 'paid', refundNeeded: true }),
    ]);
    expect(await audits('payment.paid', p.paymentId)).toHaveLength(0);
    const flagged = await audits('payment.refund_needed', p.paymentId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({
      actor_type: 'system',
      details: { reason: 'dossier_closed', dossierStatus: 7, transactionNo: '77778888', source: 'ipn' },
    });
    const back = await t.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/return?${new URLSearchParams(paid)}`,
    });
    expect(back.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=that-bai`);
  });

  it('records a second success for an already paid fee as paid but to refund (counted once)', async () => {
    const d = await submitAsNam();
    const first = await payAsNam(d.code);
    // Its page expired before the bank answered: a second attempt is opened and paid.
    await t.ctx.database.db
      .updateTable('payments')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', first.paymentId)
      .execute();
    const second = await payAsNam(d.code);
    expect(second.paymentId).not.toBe(first.paymentId);
    expect((await ipn(await notification(second.txnRef))).RspCode).toBe('00');
    // The bank then confirms the first one too.
    expect((await ipn(await notification(first.txnRef, { vnp_TransactionNo: '12121212' }))).RspCode).toBe(
      '00',
    );
    expect(await payment(first.txnRef)).toMatchObject({ status: 'paid', refund_needed: true });
    expect(await payment(second.txnRef)).toMatchObject({ status: 'paid', refund_needed: false });
    const f = await fees(d.code, namSession);
    expect(f).toMatchObject({ paidVnd: FEE, dueVnd: 0 });
    expect(
      f.payments.map((x: { id: string; refundNeeded: boolean }) => [x.id, x.refundNeeded]).sort(),
    ).toEqual(
      [
        [first.paymentId, true],
        [second.paymentId, false],
      ].sort(),
    );
    const flagged = await audits('payment.refund_needed', first.paymentId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.details).toMatchObject({ reason: 'duplicate', transactionNo: '12121212' });
  });

  it('documents the payment routes in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/dossiers/{code}/fees',
      '/api/dossiers/{code}/payments',
      '/api/payments/vnpay/return',
      '/api/payments/vnpay/ipn',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths)).not.toContain('/sandbox-bank/pay');
  });

  it('has nothing to pay for a procedure without online fees', async () => {
    // 1.001193 birth registration: free (no fee line).
    const data = await validForm(t.app, '1.001193');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: {
        procedureCode: '1.001193',
        channel: 'online',
        competentUnit: 'H41.50',
        applicant,
        formData: data,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code;
    expect(await fees(code)).toMatchObject({ items: [], totalVnd: 0, dueVnd: 0, payableOnline: false });
    const none = await startPayment(code);
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ code: 'NOTHING_TO_PAY', details: { reason: 'nothing_due' } });
  });

  it('rejects a forged or malformed request at the sandbox bank', async () => {
    const d = await submit();
    const p = await pay(d.code);
    const forged = p.redirectUrl.replace(`vnp_Amount=${FEE * 100}`, 'vnp_Amount=100');
    const res = await t.app.inject({ method: 'GET', url: forged });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('sai chữ ký');
    const post = await t.app.inject({
      method: 'POST',
      url: '/sandbox-bank/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${new URL(forged, 'http://x').searchParams}&action=pay`,
    });
    expect(post.statusCode).toBe(400);
    expect((await payment(p.txnRef)).status).toBe('pending');
  });

  it('answers an expired payment page with a failure (VNPAY code 11), never a payment', async () => {
    const d = await submit();
    const p = await pay(d.code);
    // The same request, as if its vnp_ExpireDate had passed (re-signed with the bank's secret).
    const { vnp_SecureHash: _, ...req } = Object.fromEntries(new URL(p.redirectUrl, 'http://x').searchParams);
    const expired = sign(await sandboxSecret(), { ...req, vnp_ExpireDate: '20261120100000' });
    const page = await t.app.inject({
      method: 'GET',
      url: `/sandbox-bank/pay?${new URLSearchParams(expired)}`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('hết thời gian chờ thanh toán');
    expect(page.body).not.toContain('name="action" value="pay"');
    const posted = await t.app.inject({
      method: 'POST',
      url: '/sandbox-bank/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...formFields(page.body), action: 'pay' }).toString(),
    });
    expect(posted.statusCode).toBe(303);
    expect(await payment(p.txnRef)).toMatchObject({ status: 'failed', response_code: '11', paid_at: null });
    const back = await t.app.inject({ method: 'GET', url: posted.headers.location as string });
    expect(back.headers.location).toBe(`/ho-so/${d.code}?thanh-toan=that-bai`);
    expect(await fees(d.code)).toMatchObject({ paidVnd: 0, dueVnd: FEE });
  });
});

describe.each(ENGINES)('payment rate limits on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0, env: { RATE_LIMIT_PUBLIC_PER_MIN: '3' } });
  });
  afterAll(async () => t?.close());

  it('limits the public return, IPN and sandbox bank pages per client address', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const requests = [
      { method: 'GET' as const, url: '/api/payments/vnpay/return?vnp_TxnRef=x', ok: 302 },
      { method: 'GET' as const, url: '/api/payments/vnpay/ipn?vnp_TxnRef=x', ok: 200 },
      { method: 'GET' as const, url: '/sandbox-bank/pay?vnp_TxnRef=x', ok: 400 },
      { method: 'POST' as const, url: '/sandbox-bank/pay', ok: 400, headers: form, payload: 'vnp_TxnRef=x' },
    ];
    for (const r of requests) {
      for (let i = 0; i < 3; i++) {
        expect((await t.app.inject(r)).statusCode, `${r.method} ${r.url} #${i + 1}`).toBe(r.ok);
      }
      const limited = await t.app.inject(r);
      expect(limited.statusCode, `${r.method} ${r.url}`).toBe(429);
      if (r.url.startsWith('/api/')) expect(errorCode(limited)).toBe('RATE_LIMITED');
    }
  });

  it('limits payment attempts per signed-in user, not per address', async () => {
    const a = await citizenSession(t, '040090001234');
    const b = await citizenSession(t, '040164005678');
    const start = (s: Session) =>
      t.app.inject({
        method: 'POST',
        url: '/api/dossiers/H41.50-261120-9999/payments',
        headers: s.headers,
        payload: {},
      });
    for (let i = 0; i < 20; i++) expect((await start(a)).statusCode).toBe(404);
    const limited = await start(a);
    expect(limited.statusCode).toBe(429);
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    // Another citizen behind the same address is not affected.
    expect((await start(b)).statusCode).toBe(404);
  });
});

describe.each(ENGINES)('payment providers on %s', (engine) => {
  const VNPAY_SECRET = 'VNPAYSECRET0123456789ABCDEFGHIJ';
  let vnpay: TestApp;
  let none: TestApp;
  beforeAll(async () => {
    vnpay = await startTestApp(engine, {
      dossiers: 0,
      env: {
        PAYMENT_PROVIDER: 'vnpay',
        VNPAY_TMN_CODE: 'TSNA0001',
        VNPAY_HASH_SECRET: VNPAY_SECRET,
        PUBLIC_URL: 'https://dichvucong.example.vn',
      },
    });
    none = await startTestApp(engine, { dossiers: 0, env: { TINHSO_DEMO: 'false' } });
  });
  afterAll(async () => {
    await vnpay?.close();
    await none?.close();
  });

  const submit = async (t: TestApp, s: Session) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: s.headers,
      payload: { procedureCode: PERMIT, channel: 'online', competentUnit: 'H41.50', applicant, formData },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().code as string;
  };

  it('sends the citizen to the VNPAY gateway with a URL signed by the merchant secret', async () => {
    const s = await citizenSession(vnpay, '040090001234');
    const code = await submit(vnpay, s);
    const res = await vnpay.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/payments`,
      headers: s.headers,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(res.json().redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      vnp_TmnCode: 'TSNA0001',
      vnp_Amount: String(FEE * 100),
      vnp_ReturnUrl: 'https://dichvucong.example.vn/api/payments/vnpay/return',
      vnp_Locale: 'vn',
    });
    expect(sign(VNPAY_SECRET, (({ vnp_SecureHash, ...rest }) => rest)(params)).vnp_SecureHash).toBe(
      params['vnp_SecureHash'],
    );
    // VNPAY's IPN, signed with the merchant secret, confirms it.
    const ipn = sign(VNPAY_SECRET, {
      vnp_Amount: params['vnp_Amount']!,
      vnp_BankCode: 'NCB',
      vnp_OrderInfo: params['vnp_OrderInfo']!,
      vnp_PayDate: '20261201103000',
      vnp_ResponseCode: '00',
      vnp_TmnCode: 'TSNA0001',
      vnp_TransactionNo: '14226112',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: params['vnp_TxnRef']!,
    });
    const answer = await vnpay.app.inject({
      method: 'GET',
      url: `/api/payments/vnpay/ipn?${new URLSearchParams(ipn)}`,
    });
    expect(answer.json()).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    const fees = (
      await vnpay.app.inject({
        method: 'GET',
        url: `/api/dossiers/${code}/fees`,
        headers: { cookie: s.cookie },
      })
    ).json();
    expect(fees).toMatchObject({ paidVnd: FEE, dueVnd: 0 });
    expect(fees.payments[0]).toMatchObject({ provider: 'vnpay', status: 'paid' });
    // No demo bank next to a real gateway.
    expect((await vnpay.app.inject({ method: 'GET', url: '/sandbox-bank/pay' })).statusCode).toBe(404);
  });

  it('answers PAYMENT_NOT_CONFIGURED (503) without a provider, and serves no sandbox bank', async () => {
    const reception = await login(none.app, 'tiepnhan.50');
    const res = await none.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: reception.headers,
      payload: { procedureCode: PERMIT, channel: 'counter', competentUnit: 'H41.50', applicant },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const s = await citizenSession(none, '040090001234');
    const pay = await none.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/payments`,
      headers: s.headers,
      payload: {},
    });
    expect(pay.statusCode).toBe(503);
    expect(errorCode(pay)).toBe('PAYMENT_NOT_CONFIGURED');
    const fees = (
      await none.app.inject({
        method: 'GET',
        url: `/api/dossiers/${code}/fees`,
        headers: { cookie: s.cookie },
      })
    ).json();
    expect(fees.payableOnline).toBe(false);
    expect((await none.app.inject({ method: 'GET', url: '/sandbox-bank/pay' })).statusCode).toBe(404);
    const ipn = await none.app.inject({ method: 'GET', url: '/api/payments/vnpay/ipn?vnp_TxnRef=x' });
    expect(ipn.json()).toEqual({ RspCode: '99', Message: 'Unknown error' });
  });
});
