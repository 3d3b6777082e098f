import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { type ClaimedMessage, enqueue } from '../outbox/outbox.js';
import type { OutboxWorker } from '../outbox/worker.js';
import type { DossierChange, DossierService } from '../services/dossiers/index.js';
import { type EmailSender, LogEmailSender, mailDomain, SmtpEmailSender } from './email.js';
import { HttpSmsProvider, LogSmsProvider, normalizePhone, type SmsProvider } from './sms.js';
import { notificationOf, renderNotification } from './templates.js';

export const EMAIL_TOPIC = 'notify.email';
export const SMS_TOPIC = 'notify.sms';

/** What an e-mail row of the outbox carries (rendered when the event happened). */
export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
  dossierCode: string;
  kind: string;
}

export interface SmsPayload {
  to: string;
  /** The title shown in the dossier's list of notifications (not sent). */
  subject: string;
  text: string;
  dossierCode: string;
  kind: string;
}

export interface Notifier {
  email: EmailSender | null;
  sms: SmsProvider | null;
  close(): void;
}

/**
 * The channels this process can use: SMTP when SMTP_URL is set, the HTTP SMS provider when SMS_PROVIDER_URL is;
 * in demo mode a missing one is replaced by 'log' (recorded as delivered, nothing leaves the machine). Outside
 * demo mode a channel without configuration is off and nothing is queued for it.
 */
export function createNotifier(config: Config): Notifier {
  const email = config.SMTP_URL
    ? new SmtpEmailSender(config.SMTP_URL, config.MAIL_FROM)
    : config.demo
      ? new LogEmailSender()
      : null;
  const sms = config.SMS_PROVIDER_URL
    ? new HttpSmsProvider(config.SMS_PROVIDER_URL, config.SMS_PROVIDER_TOKEN)
    : config.demo
      ? new LogSmsProvider()
      : null;
  return { email, sms, close: () => email?.close() };
}

/** `dossier:<uuid>`: the outbox `ref` of a dossier's messages. */
export const dossierRef = (dossierId: string) => `dossier:${dossierId}`;

/** Registers the outbox handlers that send queued e-mails and SMS through the notifier's channels. */
export function registerNotificationHandlers(outbox: OutboxWorker, config: Config, notifier: Notifier): void {
  const domain = mailDomain(config.MAIL_FROM);
  if (notifier.email) {
    const sender = notifier.email;
    outbox.register(EMAIL_TOPIC, async (m: ClaimedMessage) => {
      const p = m.payload as unknown as EmailPayload;
      const id = createHash('sha256').update(m.dedupeKey).digest('hex').slice(0, 32);
      return sender.send({
        to: p.to,
        subject: p.subject,
        text: p.text,
        html: p.html,
        messageId: `<${id}@${domain}>`,
        dossierCode: p.dossierCode,
      });
    });
  }
  if (notifier.sms) {
    const provider = notifier.sms;
    outbox.register(SMS_TOPIC, async (m: ClaimedMessage) => {
      const p = m.payload as unknown as SmsPayload;
      return provider.send({ to: p.to, text: p.text, reference: m.dedupeKey });
    });
  }
}

/**
 * Wires notifications: a dossier listener that queues, inside the transaction that wrote the events, one e-mail
 * and one SMS per event that concerns the citizen; and the outbox handlers that send them.
 */
export function registerNotifications(
  deps: { config: Config; dossiers: DossierService; outbox: OutboxWorker },
  notifier: Notifier = createNotifier(deps.config),
): Notifier {
  const { config, dossiers, outbox } = deps;
  registerNotificationHandlers(outbox, config, notifier);

  dossiers.onChange(async (change: DossierChange) => {
    if (!notifier.email && !notifier.sms) return;
    const { tx, dossier, events } = change;
    const channel = dossier.state.channel;
    const firstSeq = dossier.version - events.length + 1;
    const due = events
      .map((e, i) => ({ seq: firstSeq + i, n: notificationOf(e, channel) }))
      .filter((x) => x.n !== null);
    if (due.length === 0) return;
    const row = await tx
      .selectFrom('dossiers as d')
      .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
      .leftJoin('citizens as c', 'c.id', 'd.applicant_citizen_id')
      .select([
        'd.applicant_name',
        'd.applicant_contact',
        'p.name as procedure_name',
        'c.email as citizen_email',
        'c.phone as citizen_phone',
        'c.full_name as citizen_name',
      ])
      .where('d.id', '=', dossier.id)
      .executeTakeFirstOrThrow();
    const contact = (row.applicant_contact ?? {}) as Record<string, string | undefined>;
    // An online dossier's messages go to the account that submitted it (a VNeID identity), greeted by its verified
    // name: text typed into the form must not turn the province's mail and SMS into a relay to anyone. At the counter
    // the officer wrote the applicant's contact details from the person in front of them.
    const online = channel === 'online' && row.citizen_name !== null;
    const pick = (own: string | null, typed: string | undefined) =>
      ((online ? own || typed : typed || own) ?? '').trim();
    const email = pick(row.citizen_email, contact['email']) || null;
    const phoneRaw = pick(row.citizen_phone, contact['phone']);
    const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
    const applicantName = online ? row.citizen_name! : row.applicant_name;
    for (const { seq, n } of due) {
      const r = renderNotification(n!, {
        code: dossier.code,
        publicUrl: config.publicUrl,
        applicantName,
        procedureName: row.procedure_name,
      });
      const key = (ch: string) => `notify:${dossier.id}:${seq}:${ch}`;
      if (email && notifier.email) {
        const payload: EmailPayload = {
          to: email,
          subject: r.subject,
          text: r.text,
          html: r.html,
          dossierCode: dossier.code,
          kind: n!.kind,
        };
        await enqueue(tx, {
          topic: EMAIL_TOPIC,
          dedupeKey: key('email'),
          ref: dossierRef(dossier.id),
          payload: { ...payload },
        });
      }
      if (phone && notifier.sms) {
        const payload: SmsPayload = {
          to: phone,
          subject: r.subject,
          text: r.sms,
          dossierCode: dossier.code,
          kind: n!.kind,
        };
        await enqueue(tx, {
          topic: SMS_TOPIC,
          dedupeKey: key('sms'),
          ref: dossierRef(dossier.id),
          payload: { ...payload },
        });
      }
    }
  });
  return notifier;
}
