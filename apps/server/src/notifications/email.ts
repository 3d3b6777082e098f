import nodemailer from 'nodemailer';
import { type DeliveryRecord, PermanentDeliveryError } from '../outbox/outbox.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable across retries (derived from the outbox key), so a receiver can drop a duplicate. */
  messageId: string;
  /** The dossier code, sent as the header X-Tinhso-Dossier. */
  dossierCode: string;
}

export interface EmailSender {
  readonly provider: 'smtp' | 'log';
  send(m: EmailMessage): Promise<DeliveryRecord>;
  close(): void;
}

/** The domain of an address such as `Tỉnh Số <no-reply@tinhso.gov.vn>` (for Message-IDs). */
export function mailDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'localhost';
}

/** SMTP through nodemailer: `SMTP_URL` like smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. */
export class SmtpEmailSender implements EmailSender {
  readonly provider = 'smtp' as const;
  private readonly transport;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      url,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  async send(m: EmailMessage): Promise<DeliveryRecord> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: { 'X-Tinhso-Dossier': m.dossierCode, 'Auto-Submitted': 'auto-generated' },
      });
      return { provider: 'smtp', messageId: info.messageId, response: String(info.response ?? '') };
    } catch (e) {
      const err = e as { permanent?: boolean; command?: string; message?: string };
      // The server refused the recipient for good (5xx on RCPT TO): retrying cannot help. Anything else —
      // connection refused, timeouts, 4xx, a wrong password the operator will fix — is retried.
      if (err.permanent === true && /RCPT/i.test(err.command ?? '')) {
        throw new PermanentDeliveryError(err.message ?? 'recipient rejected');
      }
      throw e;
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Demo without SMTP: nothing leaves the machine; the outbox row records the message as delivered by 'log'. */
export class LogEmailSender implements EmailSender {
  readonly provider = 'log' as const;
  async send(m: EmailMessage): Promise<DeliveryRecord> {
    return { provider: 'log', messageId: m.messageId };
  }
  close(): void {}
}
