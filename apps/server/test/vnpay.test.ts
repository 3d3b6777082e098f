import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hashData,
  isReply,
  orderInfoText,
  parseVnpDate,
  paymentParams,
  paymentUrl,
  readResult,
  signParams,
  toQuery,
  verifyParams,
  vnpDate,
} from '../src/payments/vnpay.js';

/** The VNPAY 2.1.0 protocol adapter, checked against independent implementations (no database). */

const SECRET = 'SECRETKEY0123456789ABCDEFGHIJKLM';
const request = {
  tmnCode: 'TINHSO01',
  txnRef: '261120ABCDEF0123456789',
  amountVnd: 75_000,
  orderInfo: 'Thanh toán phí, lệ phí hồ sơ H41.50-261120-0001',
  returnUrl: 'https://dichvucong.example.vn/api/payments/vnpay/return',
  ipAddr: '127.0.0.1',
  createdAt: new Date('2026-11-20T03:00:00Z'),
  expiresAt: new Date('2026-11-20T03:15:00Z'),
};

/** Independent signer: form encoding by URLSearchParams (spaces as '+'), keys sorted, HMAC-SHA512 hex. */
function referenceSign(secret: string, params: Record<string, string>): string {
  const sorted = Object.entries(params)
    .filter(([k]) => k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = new URLSearchParams(sorted).toString();
  return createHmac('sha512', secret).update(data).digest('hex');
}

describe('VNPAY 2.1.0 signing', () => {
  it('builds the pay parameters: version, command, VND × 100, GMT+7 dates, ASCII order info', () => {
    const p = paymentParams(SECRET, request);
    expect(p).toMatchObject({
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: 'TINHSO01',
      vnp_Amount: '7500000',
      vnp_CurrCode: 'VND',
      vnp_TxnRef: '261120ABCDEF0123456789',
      vnp_OrderInfo: 'Thanh toan phi le phi ho so H41.50-261120-0001',
      vnp_OrderType: 'other',
      vnp_Locale: 'vn',
      vnp_ReturnUrl: request.returnUrl,
      vnp_IpAddr: '127.0.0.1',
      vnp_CreateDate: '20261120100000',
      vnp_ExpireDate: '20261120101500',
    });
  });

  it('matches a known vector (computed with Python urllib quote_plus + hmac) and an independent signer', () => {
    const p = paymentParams(SECRET, request);
    expect(hashData(p)).toBe(
      'vnp_Amount=7500000&vnp_Command=pay&vnp_CreateDate=20261120100000&vnp_CurrCode=VND&vnp_ExpireDate=20261120101500' +
        '&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+H41.50-261120-0001' +
        '&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.example.vn%2Fapi%2Fpayments%2Fvnpay%2Freturn' +
        '&vnp_TmnCode=TINHSO01&vnp_TxnRef=261120ABCDEF0123456789&vnp_Version=2.1.0',
    );
    expect(p['vnp_SecureHash']).toBe(
      'fd52edc3f0cd321a119238a6887218eb685d09e9337d01a66422356b057d28cd28b012f84c7feb952a9cc5f3b6c1629e3e84e897f0914621770a4103d5cf5809',
    );
    expect(p['vnp_SecureHash']).toBe(referenceSign(SECRET, p));
  });

  it('puts the same encoding in the URL, so the gateway reads back exactly what was signed', () => {
    const url = paymentUrl('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html', SECRET, request);
    expect(url.startsWith('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=7500000&')).toBe(
      true,
    );
    const back = Object.fromEntries(new URL(url).searchParams);
    expect(back['vnp_OrderInfo']).toBe('Thanh toan phi le phi ho so H41.50-261120-0001');
    expect(verifyParams(SECRET, back)).toBe(true);
    expect(referenceSign(SECRET, back)).toBe(back['vnp_SecureHash']);
  });

  it('verifies response parameters; any change, another secret or a missing hash fails', () => {
    const response = {
      vnp_Amount: '7500000',
      vnp_BankCode: 'NCB',
      vnp_BankTranNo: 'VNP14226112',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: 'Thanh toan phi le phi ho so H41.50-261120-0001',
      vnp_PayDate: '20261120101203',
      vnp_ResponseCode: '00',
      vnp_TmnCode: 'TINHSO01',
      vnp_TransactionNo: '14226112',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: '261120ABCDEF0123456789',
    };
    const signed = {
      ...response,
      vnp_SecureHash: referenceSign(SECRET, response),
      vnp_SecureHashType: 'HmacSHA512',
    };
    expect(verifyParams(SECRET, signed)).toBe(true);
    expect(verifyParams(SECRET, { ...signed, vnp_SecureHash: signed.vnp_SecureHash.toUpperCase() })).toBe(
      true,
    );
    expect(verifyParams(SECRET, { ...signed, vnp_Amount: '750000000' })).toBe(false);
    expect(verifyParams(SECRET, { ...signed, vnp_ResponseCode: '24' })).toBe(false);
    expect(verifyParams(SECRET, { ...signed, vnp_Extra: 'x' })).toBe(false);
    expect(verifyParams(`${SECRET}x`, signed)).toBe(false);
    expect(verifyParams(SECRET, { ...signed, vnp_SecureHash: 'abc' })).toBe(false);
    expect(verifyParams(SECRET, { ...signed, vnp_SecureHash: 'zz'.repeat(64) })).toBe(false);
    const { vnp_SecureHash: _, ...unsigned } = signed;
    expect(verifyParams(SECRET, unsigned)).toBe(false);
    // Non-vnp parameters are not signed and are ignored.
    expect(verifyParams(SECRET, { ...signed, utm_source: 'x' } as Record<string, string>)).toBe(true);
    expect(readResult(signed)).toMatchObject({
      txnRef: '261120ABCDEF0123456789',
      amountX100: 7_500_000,
      outcome: 'paid',
      transactionNo: '14226112',
      bankCode: 'NCB',
      payDate: new Date('2026-11-20T03:12:03Z'),
    });
  });

  it('accepts an empty value signed either way (Node/PHP samples keep it, the Java sample drops it)', () => {
    const base = { vnp_Amount: '100', vnp_BankTranNo: '', vnp_ResponseCode: '24', vnp_TxnRef: 'A1' };
    const keepEmpty = referenceSign(SECRET, base);
    expect(verifyParams(SECRET, { ...base, vnp_SecureHash: keepEmpty })).toBe(true);
    expect(verifyParams(SECRET, { ...base, vnp_SecureHash: signParams(SECRET, base) })).toBe(true);
    expect(readResult(base).outcome).toBe('cancelled');
  });

  it('reads the outcome: 00/00 paid, 24 cancelled by the customer, anything else failed', () => {
    const r = (vnp_ResponseCode: string, vnp_TransactionStatus: string) =>
      readResult({ vnp_ResponseCode, vnp_TransactionStatus, vnp_Amount: '100' }).outcome;
    expect(r('00', '00')).toBe('paid');
    expect(r('24', '02')).toBe('cancelled');
    expect(r('11', '02')).toBe('failed');
    expect(r('51', '02')).toBe('failed');
    expect(r('00', '02')).toBe('failed');
    expect(readResult({ vnp_Amount: '12.5' }).amountX100).toBeNull();
    expect(readResult({ vnp_Amount: '-100' }).amountX100).toBeNull();
  });

  it('tells the gateway’s reply from our own signed request (same secret, same format)', () => {
    const req = paymentParams(SECRET, request);
    expect(verifyParams(SECRET, req)).toBe(true); // authentic, yet not a reply
    expect(isReply(req)).toBe(false);
    const reply = {
      vnp_Amount: '7500000',
      vnp_ResponseCode: '00',
      vnp_TransactionStatus: '00',
      vnp_TransactionNo: '14226112',
      vnp_TxnRef: request.txnRef,
      vnp_TmnCode: 'TINHSO01',
    };
    expect(isReply(reply)).toBe(true);
    expect(
      isReply({ ...reply, vnp_ResponseCode: '24', vnp_TransactionStatus: '02', vnp_TransactionNo: '0' }),
    ).toBe(true);
    for (const k of ['vnp_Command', 'vnp_ReturnUrl', 'vnp_IpAddr', 'vnp_CreateDate', 'vnp_ExpireDate']) {
      expect(isReply({ ...reply, [k]: req[k]! }), k).toBe(false);
    }
    const { vnp_TransactionStatus: _s, ...noStatus } = reply;
    expect(isReply(noStatus)).toBe(false);
    const { vnp_ResponseCode: _r, ...noCode } = reply;
    expect(isReply(noCode)).toBe(false);
    const { vnp_TransactionNo: _n, ...noTxnNo } = reply;
    expect(isReply(noTxnNo)).toBe(false);
    expect(isReply({ ...reply, vnp_TransactionNo: '0' })).toBe(false);
  });

  it('formats and parses yyyyMMddHHmmss in GMT+7, across midnight', () => {
    expect(vnpDate(new Date('2026-12-31T17:30:05Z'))).toBe('20270101003005');
    expect(parseVnpDate('20270101003005')).toEqual(new Date('2026-12-31T17:30:05Z'));
    expect(parseVnpDate('20260231120000')).toBeNull();
    expect(parseVnpDate('2026')).toBeNull();
  });

  it('keeps order info to characters every VNPAY sample encodes alike', () => {
    expect(orderInfoText('Nộp lệ phí: Đường 5/7 (100%) ~ “nhanh”')).toBe('Nop le phi: Duong 5 7 100 nhanh');
    expect(toQuery({ vnp_B: 'x y', vnp_A: '1', vnp_SecureHash: 'ff' })).toBe(
      'vnp_A=1&vnp_B=x+y&vnp_SecureHash=ff',
    );
  });
});
