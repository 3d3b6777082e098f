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
 * Null when it is not a plausible mobile number (SMS is then skipped).
 */
export function normalizePhone(raw: string): string | null {
  const s = raw.replace(/[\s.()-]/g, '');
  let digits: string;
  if (/^\+\d{8,15}$/.test(s)) return s.startsWith('+84') && !/^\+84[1-9]\d{8}$/.test(s) ? null : s;
  if (/^0[1-9]\d{8}$/.test(s)) digits = `84${s.slice(1)}`;
  else if (/^84[1-9]\d{8}$/.test(s)) digits = s;
  else return null;
  return `+${digits}`;
}
