import { randomBytes } from 'node:crypto';
import type { Database } from '@tinhso/db';
import type { Config } from '../config.js';
import {
  type PaymentRequest,
  type PaymentResult,
  paymentUrl,
  readResult,
  signParams,
  type VnpParams,
  verifyParams,
} from './vnpay.js';

/** The browser comes back here from the payment page (both providers). */
export const RETURN_PATH = '/api/payments/vnpay/return';
/** The provider notifies us here, server to server (VNPAY: configure this URL in the merchant portal). */
export const IPN_PATH = '/api/payments/vnpay/ipn';
/** The demo bank's payment page (PAYMENT_PROVIDER=sandbox). */
export const SANDBOX_PAY_PATH = '/sandbox-bank/pay';
/** The terminal code of the portal at the sandbox bank. */
export const SANDBOX_TMN_CODE = 'TINHSO01';

export type ProviderName = 'vnpay' | 'sandbox';

/** A payment provider: where to send the citizen, and how to trust what comes back. */
export interface PaymentProvider {
  readonly name: ProviderName;
  readonly tmnCode: string;
  /** The signed URL of the provider's payment page for one payment. */
  createPaymentUrl(r: Omit<PaymentRequest, 'tmnCode' | 'returnUrl'>): string;
  /** The result carried by the browser's return, or null when its signature is wrong. */
  verifyReturn(params: VnpParams): PaymentResult | null;
  /** The result of a server-to-server notification (IPN), or null when its signature is wrong. */
  verifyNotification(params: VnpParams): PaymentResult | null;
}

/**
 * A provider speaking VNPAY 2.1.0: the real gateway (absolute return URL on PUBLIC_URL), or the sandbox bank of
 * this process (same protocol; relative URLs, so the demo works whatever address the browser uses).
 */
export class VnpayProtocolProvider implements PaymentProvider {
  constructor(
    readonly name: ProviderName,
    readonly tmnCode: string,
    private readonly secret: string,
    private readonly payUrl: string,
    private readonly returnUrl: string,
  ) {}

  createPaymentUrl(r: Omit<PaymentRequest, 'tmnCode' | 'returnUrl'>): string {
    return paymentUrl(this.payUrl, this.secret, { ...r, tmnCode: this.tmnCode, returnUrl: this.returnUrl });
  }

  verifyReturn(params: VnpParams): PaymentResult | null {
    return verifyParams(this.secret, params) ? readResult(params) : null;
  }

  verifyNotification(params: VnpParams): PaymentResult | null {
    return verifyParams(this.secret, params) ? readResult(params) : null;
  }

  /** Bank side (sandbox only): verifies a payment request signed with the shared secret. */
  verifyRequest(params: VnpParams): boolean {
    return verifyParams(this.secret, params);
  }

  /** Bank side (sandbox only): signs response parameters with the shared secret. */
  sign(params: VnpParams): VnpParams {
    return { ...params, vnp_SecureHash: signParams(this.secret, params) };
  }
}

/** The provider configured: PAYMENT_PROVIDER, or the sandbox bank by default in demo mode; null = none. */
export function providerName(config: Config): ProviderName | null {
  const p = config.PAYMENT_PROVIDER ?? (config.demo ? 'sandbox' : 'none');
  return p === 'none' ? null : p;
}

/** A secret generated once and kept in `payment_keys` (every node reads the same one; never committed). */
export async function storedSecret(database: Database, name: string): Promise<string> {
  const read = async () =>
    (
      await database.db
        .selectFrom('payment_keys')
        .select('secret')
        .where('name', '=', name)
        .executeTakeFirst()
    )?.secret;
  const existing = await read();
  if (existing !== undefined) return existing;
  await database.db
    .insertInto('payment_keys')
    .values({ name, secret: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const created = await read();
  if (created === undefined) throw new Error(`payment_keys: ${name} missing after insert`);
  return created;
}

export async function loadProvider(
  config: Config,
  database: Database,
): Promise<VnpayProtocolProvider | null> {
  const name = providerName(config);
  if (name === 'vnpay') {
    return new VnpayProtocolProvider(
      'vnpay',
      config.VNPAY_TMN_CODE!,
      config.VNPAY_HASH_SECRET!,
      config.VNPAY_PAY_URL,
      `${config.publicUrl}${RETURN_PATH}`,
    );
  }
  if (name === 'sandbox') {
    const secret = await storedSecret(database, 'sandbox_bank_hash_secret');
    return new VnpayProtocolProvider('sandbox', SANDBOX_TMN_CODE, secret, SANDBOX_PAY_PATH, RETURN_PATH);
  }
  return null;
}
