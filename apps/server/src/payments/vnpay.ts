import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The VNPAY payment-gateway protocol, version 2.1.0 (pure functions, no I/O): the signed payment URL, the
 * verification of the signed parameters VNPAY sends back (browser return URL and server-to-server IPN), and the
 * IPN answers. The sandbox bank (sandbox-bank.ts) speaks the same protocol from the bank's side.
 *
 * Signature: the `vnp_*` parameters except vnp_SecureHash / vnp_SecureHashType, sorted by name, each value
 * URL-encoded with spaces as '+' (VNPAY's Node sample: `encodeURIComponent(v).replace(/%20/g, '+')`), joined as
 * `k=v&k=v`; vnp_SecureHash = hex(HMAC-SHA512(secret, that string)). Empty values are left out (VNPAY's Java
 * sample skips them; we never send one). The texts we send use only characters every VNPAY sample encodes alike
 * (letters, digits, space, `.-_:`), so the PHP (urlencode), Java (URLEncoder) and Node encodings agree.
 */

export const VNPAY_VERSION = '2.1.0';
export const VNPAY_SANDBOX_PAY_URL = 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html';

export type VnpParams = Record<string, string>;

/** A value as it enters the hash data: URL-encoded, space as '+'. */
export function vnpEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

const isSignedField = (k: string) =>
  k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType';

/** The string VNPAY signs: sorted `vnp_*` fields (hash fields excluded), encoded values, joined with '&'. */
export function hashData(params: VnpParams, opts: { keepEmpty?: boolean } = {}): string {
  return Object.keys(params)
    .filter((k) => isSignedField(k) && (opts.keepEmpty || params[k] !== ''))
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(params[k]!)}`)
    .join('&');
}

export function signParams(secret: string, params: VnpParams): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(hashData(params), 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (case-insensitive; different lengths never match). */
function sameDigest(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(givenHex) || givenHex.length !== expectedHex.length) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex.toLowerCase(), 'hex'));
}

/**
 * True when `vnp_SecureHash` is the HMAC of the other `vnp_*` parameters under `secret`. Also accepts the variant
 * that keeps empty values in the hash data (VNPAY's Node and PHP samples keep them; an empty value carries no data).
 */
export function verifyParams(secret: string, params: VnpParams): boolean {
  const given = params['vnp_SecureHash'];
  if (typeof given !== 'string' || given.length === 0) return false;
  const mac = (data: string) =>
    createHmac('sha512', Buffer.from(secret, 'utf8')).update(data, 'utf8').digest('hex');
  if (sameDigest(mac(hashData(params)), given)) return true;
  const hasEmpty = Object.keys(params).some((k) => isSignedField(k) && params[k] === '');
  return hasEmpty && sameDigest(mac(hashData(params, { keepEmpty: true })), given);
}

/** Serialises signed parameters as a query string (same encoding as the hash data), vnp_SecureHash last. */
export function toQuery(params: VnpParams): string {
  const { vnp_SecureHash, ...rest } = params;
  const body = Object.keys(rest)
    .filter((k) => rest[k] !== '')
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(rest[k]!)}`)
    .join('&');
  return vnp_SecureHash ? `${body}&vnp_SecureHash=${vnp_SecureHash}` : body;
}

/** Only the `vnp_*` string parameters of a parsed query string (repeated keys: the first value). */
export function vnpParamsOf(query: unknown): VnpParams {
  const out: VnpParams = {};
  if (!query || typeof query !== 'object') return out;
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (!k.startsWith('vnp_')) continue;
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

const GMT7_MS = 7 * 3_600_000;

/** `yyyyMMddHHmmss` in GMT+7 (Vietnam has no daylight saving time). */
export function vnpDate(d: Date): string {
  return new Date(d.getTime() + GMT7_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Parses `yyyyMMddHHmmss` (GMT+7); null when malformed. */
export function parseVnpDate(s: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) - GMT7_MS;
  const back = new Date(t + GMT7_MS);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d!) return null;
  return new Date(t);
}

/** ASCII text safe for vnp_OrderInfo: Vietnamese letters lose their marks (đ → d), other characters become spaces. */
export function orderInfoText(s: string, max = 255): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .:_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

export interface PaymentRequest {
  tmnCode: string;
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  orderType?: string;
  locale?: 'vn' | 'en';
  returnUrl: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  bankCode?: string;
}

/** The signed `vnp_*` parameters of a payment request (vnp_Command=pay). */
export function paymentParams(secret: string, r: PaymentRequest): VnpParams {
  if (!Number.isSafeInteger(r.amountVnd) || r.amountVnd <= 0) throw new RangeError('amountVnd');
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(r.txnRef)) throw new RangeError('txnRef');
  const params: VnpParams = {
    vnp_Version: VNPAY_VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: r.tmnCode,
    vnp_Amount: String(r.amountVnd * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: r.txnRef,
    vnp_OrderInfo: orderInfoText(r.orderInfo),
    vnp_OrderType: r.orderType ?? 'other',
    vnp_Locale: r.locale ?? 'vn',
    vnp_ReturnUrl: r.returnUrl,
    vnp_IpAddr: r.ipAddr,
    vnp_CreateDate: vnpDate(r.createdAt),
    vnp_ExpireDate: vnpDate(r.expiresAt),
  };
  if (r.bankCode) params['vnp_BankCode'] = r.bankCode;
  return { ...params, vnp_SecureHash: signParams(secret, params) };
}

/** The payment URL the browser is sent to: `${payUrl}?{signed parameters}`. */
export function paymentUrl(payUrl: string, secret: string, r: PaymentRequest): string {
  return `${payUrl}?${toQuery(paymentParams(secret, r))}`;
}

export type PaymentOutcome = 'paid' | 'cancelled' | 'failed';

/** What VNPAY reports about one transaction (return URL or IPN), read from signature-checked parameters. */
export interface PaymentResult {
  tmnCode: string;
  txnRef: string;
  /** vnp_Amount as sent (VND × 100), or null when it is not a non-negative integer. */
  amountX100: number | null;
  responseCode: string;
  transactionStatus: string;
  transactionNo: string | null;
  bankCode: string | null;
  payDate: Date | null;
  outcome: PaymentOutcome;
}

/**
 * '00' + '00' is a payment; vnp_ResponseCode '24' is "the customer cancelled"; anything else failed. (The
 * transaction status is what VNPAY's IPN samples check next to the response code.)
 */
export function readResult(params: VnpParams): PaymentResult {
  const responseCode = params['vnp_ResponseCode'] ?? '';
  const transactionStatus = params['vnp_TransactionStatus'] ?? '';
  const amount = params['vnp_Amount'] ?? '';
  const amountX100 = /^\d{1,17}$/.test(amount) ? Number(amount) : null;
  const outcome: PaymentOutcome =
    responseCode === '00' && transactionStatus === '00'
      ? 'paid'
      : responseCode === '24'
        ? 'cancelled'
        : 'failed';
  const txnNo = params['vnp_TransactionNo'];
  return {
    tmnCode: params['vnp_TmnCode'] ?? '',
    txnRef: params['vnp_TxnRef'] ?? '',
    amountX100,
    responseCode,
    transactionStatus,
    transactionNo: txnNo && txnNo !== '0' ? txnNo : null,
    bankCode: params['vnp_BankCode'] || null,
    payDate: parseVnpDate(params['vnp_PayDate']),
    outcome,
  };
}

/**
 * Fields only a payment request carries. Our request and the gateway's reply are signed with the same secret in the
 * same format, so a signed request sent back to the return URL or the IPN (its query string is in the citizen's
 * hands) verifies: these fields tell it apart.
 */
export const REQUEST_ONLY_FIELDS = [
  'vnp_Command',
  'vnp_ReturnUrl',
  'vnp_IpAddr',
  'vnp_CreateDate',
  'vnp_ExpireDate',
] as const;

/**
 * True when signature-checked parameters have the shape of the gateway's reply (return URL or IPN): a response
 * code and a transaction status, a transaction number for a success, and none of the request-only fields.
 */
export function isReply(params: VnpParams): boolean {
  if (REQUEST_ONLY_FIELDS.some((k) => params[k] !== undefined)) return false;
  const responseCode = params['vnp_ResponseCode'];
  const transactionStatus = params['vnp_TransactionStatus'];
  if (!responseCode || !transactionStatus) return false;
  if (responseCode === '00' && transactionStatus === '00') {
    const txnNo = params['vnp_TransactionNo'];
    if (!txnNo || txnNo === '0') return false;
  }
  return true;
}

/** The merchant's answers to an IPN call (VNPAY retries until it gets one of these). */
export const IPN_ANSWERS = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  /** Authentic but not a reply (e.g. our own signed request sent back), or a reply missing required fields. */
  invalidData: { RspCode: '99', Message: 'Invalid data' },
  unknownError: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnAnswer = (typeof IPN_ANSWERS)[keyof typeof IPN_ANSWERS];
