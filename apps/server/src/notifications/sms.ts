import type { DeliveryRecord } from '../outbox/outbox.js';

export interface SmsMessage {
  /** E.164 (+84…). */
  to: string;
  text: string;
  /** Stable across retries (the outbox key): an idempotent provider sends one SMS per reference. */
  reference: string;
}

/** An SMS gateway. Throwing means "not delivered, retry later". */
export interface SmsProvider {
  readonly provider: string;
  send(m: SmsMessage): Promise<DeliveryRecord>;
}

/**
 * A provider reached over HTTP: `POST SMS_PROVIDER_URL` with JSON `{to, text, reference}` and
 * `Authorization: Bearer SMS_PROVIDER_TOKEN`. Any 2xx is delivered; anything else (or no answer) is retried.
 */
export class HttpSmsProvider implements SmsProvider {
  readonly provider = 'http';
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 15_000,
  ) {}

  async send(m: SmsMessage): Promise<DeliveryRecord> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        'idempotency-key': m.reference,
      },
      body: JSON.stringify({ to: m.to, text: m.text, reference: m.reference }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await res.text().catch(() => '');
    if (!res.ok) throw new Error(`SMS provider answered HTTP ${res.status}: ${body.slice(0, 200)}`);
    let id: unknown = null;
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      id = json['id'] ?? json['messageId'] ?? null;
    } catch {
      // a 2xx without a JSON body is still a delivery
    }
    return {
      provider: 'http',
      status: res.status,
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
    };
  }
}

/** Demo without a provider: nothing is sent; the outbox row records the message as delivered by 'log'. */
export class LogSmsProvider implements SmsProvider {
  readonly provider = 'log';
  async send(m: SmsMessage): Promise<DeliveryRecord> {
    return { provider: 'log', reference: m.reference };
  }
}

/**
 * A Vietnamese mobile number in E.164: `0912 345 678`, `84912345678`, `+84 912.345.678` → `+84912345678`.
 * Null for anything else (a landline 02x, a foreign number, garbage): SMS is then skipped. Mobile numbers start
 * with 3, 5, 7, 8 or 9 after the trunk 0 since the 2018 renumbering; foreign numbers are refused so the gateway
 * cannot be used for international toll fraud.
 */
export function normalizePhone(raw: string): string | null {
  const s = raw.replace(/[\s.()-]/g, '');
  const national = /^(?:\+84|84|0)([35789]\d{8})$/.exec(s);
  return national ? `+84${national[1]}` : null;
}
