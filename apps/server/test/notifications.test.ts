import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { CitizenPrincipal } from '../src/auth/principal.js';
import { loadConfig } from '../src/config.js';
import { createNotifier, EMAIL_TOPIC, registerNotificationHandlers } from '../src/notifications/listener.js';
import { normalizePhone } from '../src/notifications/sms.js';
import { type NotificationEvent, renderNotification } from '../src/notifications/templates.js';
import { OutboxWorker } from '../src/outbox/worker.js';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
  validForm,
} from './helpers.js';

// ---- A minimal MIME reader (mailparser is not installed): headers, RFC 2047 words, QP / base64 bodies. ----

interface Mail {
  envelopeTo: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

function decodeQ(s: string, underscoreIsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '_' && underscoreIsSpace) bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'latin1'));
  }
  return Buffer.from(bytes);
}

/** `=?UTF-8?Q?H=E1=BB=93_s=C6=A1?= =?UTF-8?B?...?=` → text; adjacent encoded words join without the space. */
function decodeHeader(value: string): string {
  const word = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  let pending: Buffer[] = [];
  const flush = () => {
    out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (const m of joined.matchAll(word)) {
    if (m.index! > last) {
      flush();
      out += joined.slice(last, m.index);
    }
    pending.push(m[2]!.toUpperCase() === 'B' ? Buffer.from(m[3]!, 'base64') : decodeQ(m[3]!, true));
    last = m.index! + m[0].length;
  }
  flush();
  return out + joined.slice(last);
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') return decodeQ(body.replace(/=\r\n/g, ''), false).toString('utf8');
  return Buffer.from(body, 'latin1').toString('utf8');
}

function parseMail(raw: string, envelopeTo: string[]): Mail {
  const { headers, body } = splitHeaders(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const parts: { type: string; text: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const p = splitHeaders(chunk.replace(/^\r\n/, ''));
      parts.push({ type: p.headers.get('content-type') ?? '', text: decodeBody(p.headers, p.body) });
    }
  } else parts.push({ type, text: decodeBody(headers, body) });
  return {
    envelopeTo,
    headers,
    subject: decodeHeader(headers.get('subject') ?? ''),
    text: parts.find((p) => p.type.startsWith('text/plain'))?.text ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.text ?? '',
  };
}

// ---- Receivers: a real SMTP server and an HTTP SMS provider. ----

class MailReceiver {
  readonly mails: Mail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  get running(): boolean {
    return this.server !== null;
  }

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          this.mails.push(parseMail(Buffer.concat(chunks).toString('latin1'), to));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

interface Sms {
  auth: string | undefined;
  body: { to: string; text: string; reference: string };
}

class SmsReceiver {
  readonly delivered: Sms[] = [];
  refused = 0;
  down = false;
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.down) {
        this.refused++;
        res.writeHead(503).end('maintenance');
        return;
      }
      this.delivered.push({
        auth: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end(`{"id":"sms-${this.delivered.length}"}`);
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/sms`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const PUBLIC_URL = 'https://dichvucong.example.vn';
const ONLINE = '1.001193';

/** dd/mm/yyyy in Vietnam time, computed independently of the code under test. */
function vnDate(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

describe('notification templates', () => {
  const ctx = { code: 'H41.50-261201-0001', publicUrl: PUBLIC_URL, applicantName: 'Nguyễn Văn Minh' };
  const events: NotificationEvent[] = [
    { kind: 'submitted' },
    { kind: 'accepted', dueAt: '2026-12-07T16:59:00Z' },
    { kind: 'supplement_requested', items: ['Bản sao sổ đỏ', 'Bản vẽ thiết kế'], reason: 'Thiếu giấy tờ' },
    { kind: 'payment_requested', amountVnd: 1_500_000, reason: 'Lệ phí cấp phép' },
    { kind: 'payment_confirmed' },
    { kind: 'apology', newDueAt: '2026-12-20T02:00:00Z', reason: 'Cần xác minh thực địa' },
    { kind: 'refused', reason: 'Không thuộc thẩm quyền' },
    { kind: 'finished', outcome: 'approved', reason: null },
    { kind: 'finished', outcome: 'rejected', reason: 'Không đủ điều kiện' },
    { kind: 'returned', method: 'post', trackingNumber: 'EE123456789VN' },
    { kind: 'withdrawn' },
    { kind: 'stopped', reason: 'Theo yêu cầu của cơ quan có thẩm quyền' },
  ];

  it.each(events)(
    'renders $kind in Vietnamese then English, with the status link and no name in the SMS',
    (e) => {
      const r = renderNotification(e, ctx);
      const url = `${PUBLIC_URL}/?ma=H41.50-261201-0001`;
      expect(r.subject).toMatch(/^Hồ sơ H41\.50-261201-0001|^Xin lỗi|^Hồ sơ/);
      expect(r.subject).toContain(' / ');
      expect(r.text.startsWith('Kính gửi Nguyễn Văn Minh,')).toBe(true);
      expect(r.text).toContain(`Tra cứu tình trạng hồ sơ: ${url}`);
      expect(r.text).toContain(`Status: ${url}`);
      expect(r.text.indexOf('Tra cứu')).toBeLessThan(r.text.indexOf('Status:')); // Vietnamese first
      expect(r.html).toContain(`<a href="${url}">`);
      expect(r.sms).toContain('H41.50-261201-0001');
      expect(r.sms).toContain(url);
      expect(r.sms).not.toContain('Nguyễn');
      expect(r.sms).not.toContain('Lý do'); // reasons may carry personal details: e-mail only
      expect(r.text.normalize('NFC')).toBe(r.text);
    },
  );

  it('writes dates as dd/mm/yyyy in Vietnam time, amounts in đồng, and lists requested documents', () => {
    expect(renderNotification(events[1]!, ctx).subject).toBe(
      'Hồ sơ H41.50-261201-0001 đã được tiếp nhận, hẹn trả kết quả ngày 07/12/2026 / Application accepted',
    );
    // 16:59 UTC on 7 Dec is 23:59 in Vietnam, still the 7th; 17:00 UTC would be the 8th.
    expect(renderNotification({ kind: 'accepted', dueAt: '2026-12-07T17:00:00Z' }, ctx).sms).toContain(
      '08/12/2026',
    );
    expect(renderNotification(events[3]!, ctx).sms).toContain('1.500.000 ₫');
    const supplement = renderNotification(events[2]!, ctx);
    expect(supplement.text).toContain('  - Bản sao sổ đỏ\n  - Bản vẽ thiết kế');
    expect(supplement.html).toContain('<li>Bản vẽ thiết kế</li>');
    expect(supplement.sms).toContain('cần bổ sung 2 giấy tờ');
    expect(renderNotification(events[5]!, ctx).subject).toContain('20/12/2026');
    const html = renderNotification(
      { kind: 'refused', reason: '<script>alert(1)</script>' },
      { ...ctx, applicantName: 'A & B' },
    ).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('A &amp; B');
  });

  it('normalises Vietnamese mobile numbers to E.164', () => {
    expect(normalizePhone('0912 345 678')).toBe('+84912345678');
    expect(normalizePhone('84912345678')).toBe('+84912345678');
    expect(normalizePhone('+84 912.345.678')).toBe('+84912345678');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('0383 456 789')).toBe('+84383456789');
    // Landlines, foreign numbers and old 11-digit mobiles get no SMS.
    expect(normalizePhone('024 3825 3536')).toBeNull();
    expect(normalizePhone('+1 555 123 4567')).toBeNull();
    expect(normalizePhone('+447911123456')).toBeNull();
    expect(normalizePhone('01691234567')).toBeNull();
  });
});

describe.each(ENGINES)('notifications through the outbox on %s', (engine) => {
  let t: TestApp;
  const smtp = new MailReceiver();
  const sms = new SmsReceiver();
  let reception: Session;
  let citizen: Session;
  let formData: Record<string, string>;
  const applicant = { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912 345 678' };

  beforeAll(async () => {
    await smtp.start();
    await sms.start();
    t = await startTestApp(engine, {
      dossiers: 10,
      env: {
        PUBLIC_URL,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        MAIL_FROM: 'Tỉnh Số <no-reply@tinhso.example.vn>',
        SMS_PROVIDER_URL: sms.url,
        SMS_PROVIDER_TOKEN: 'sms-secret',
      },
    });
    // The citizen's profile has the e-mail; the application gives only a phone number.
    await t.ctx.database.db
      .updateTable('citizens')
      .set({ email: 'minh@example.vn' })
      .where('personal_id', '=', '040090001234')
      .execute();
    reception = await login(t.app, 'tiepnhan.50');
    citizen = await citizenSession(t, '040090001234');
    formData = await validForm(t.app, ONLINE);
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await sms.stop();
  });

  const submit = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: { procedureCode: ONLINE, channel: 'online', competentUnit: 'H41.50', applicant, formData },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { code: string; version: number; state: Record<string, unknown> };
  };
  const act = async (code: string, version: number, command: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/actions`,
      headers: reception.headers,
      payload: { expectedVersion: version, command },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { code: string; version: number; state: { dueAt: string } };
  };
  const rowsOf = async (code: string) => {
    const { id } = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    return t.ctx.database.db
      .selectFrom('outbox')
      .select(['topic', 'dedupe_key', 'status', 'attempts', 'next_attempt_at', 'last_error', 'delivery'])
      .where('ref', '=', `dossier:${id}`)
      .orderBy('id')
      .execute();
  };
  const dossierId = async (code: string) =>
    (
      await t.ctx.database.db
        .selectFrom('dossiers')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  const mailsFor = (code: string) => smtp.mails.filter((m) => m.headers.get('x-tinhso-dossier') === code);
  const smsFor = (code: string) => sms.delivered.filter((m) => m.body.text.includes(code));

  it('e-mails and texts the citizen when an online application is submitted, then accepted', async () => {
    const d = await submit();
    expect(await t.ctx.outbox.drain()).toMatchObject({ sent: 2, retried: 0, dead: 0 });
    let mails = mailsFor(d.code);
    expect(mails).toHaveLength(1);
    const url = `${PUBLIC_URL}/?ma=${d.code}`;
    const submitted = mails[0]!;
    expect(submitted.envelopeTo).toEqual(['minh@example.vn']);
    expect(decodeHeader(submitted.headers.get('from')!)).toBe('Tỉnh Số <no-reply@tinhso.example.vn>');
    expect(submitted.subject).toBe(`Hồ sơ ${d.code} đã được nộp trực tuyến / Application submitted`);
    expect(submitted.text).toContain('Kính gửi Nguyễn Văn Minh,');
    expect(submitted.text).toContain(`Hồ sơ ${d.code} đã được nộp trực tuyến thành công`);
    expect(submitted.text).toContain(`Tra cứu tình trạng hồ sơ: ${url}`);
    expect(submitted.html).toContain(`<a href="${url}">`);
    expect(submitted.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@tinhso\.example\.vn>$/);

    let texts = smsFor(d.code);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.auth).toBe('Bearer sms-secret');
    expect(texts[0]!.body.to).toBe('+84912345678');
    expect(texts[0]!.body.text).toBe(
      `Hồ sơ ${d.code} đã được nộp trực tuyến, đang chờ tiếp nhận. Tra cứu: ${url} / Submitted online.`,
    );
    expect(texts[0]!.body.reference).toMatch(/^notify:[0-9a-f-]{36}:1:sms$/);
    for (const personal of ['Nguyễn', '040090001234', 'minh@example.vn']) {
      expect(texts[0]!.body.text).not.toContain(personal);
    }

    const accepted = await act(d.code, d.version, { type: 'accept' });
    const due = vnDate(accepted.state.dueAt);
    expect(await t.ctx.outbox.drain()).toMatchObject({ sent: 2 });
    mails = mailsFor(d.code);
    expect(mails.map((m) => m.subject)).toEqual([
      `Hồ sơ ${d.code} đã được nộp trực tuyến / Application submitted`,
      `Hồ sơ ${d.code} đã được tiếp nhận, hẹn trả kết quả ngày ${due} / Application accepted`,
    ]);
    expect(mails[1]!.text).toContain(`Ngày hẹn trả kết quả: ${due}.`);
    expect(mails[1]!.text).toContain(`The result is due on ${due}.`);
    texts = smsFor(d.code);
    expect(texts[1]!.body.text).toContain(`hẹn trả kết quả ngày ${due}`);

    // The dossier page lists them, for the citizen and for the officers who see the dossier.
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${d.code}/notifications`,
      headers: { cookie: citizen.cookie },
    });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as Record<string, unknown>[];
    expect(items.map((i) => [i.channel, i.to, i.status])).toEqual([
      ['email', 'minh@example.vn', 'sent'],
      ['sms', '+84912345678', 'sent'],
      ['email', 'minh@example.vn', 'sent'],
      ['sms', '+84912345678', 'sent'],
    ]);
    expect(items[2]!.subject).toBe(mails[1]!.subject);
    expect(Date.parse(items[0]!.sentAt as string)).toBeGreaterThanOrEqual(
      Date.parse(items[0]!.createdAt as string),
    );
    const officer = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${d.code}/notifications`,
      headers: { cookie: reception.cookie },
    });
    expect(officer.json().items).toHaveLength(4);
    const stranger = await citizenSession(t, '040164005678');
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${d.code}/notifications`,
      headers: { cookie: stranger.cookie },
    });
    expect([other.statusCode, errorCode(other)]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/notifications` });
    expect([anonymous.statusCode, errorCode(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toContain('/api/dossiers/{code}/notifications');
  });

  it('sends an online dossier’s messages to the submitting account, not to contact details typed in the form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: {
        procedureCode: ONLINE,
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: {
          name: 'Quý khách vui lòng bấm vào liên kết',
          idNumber: '040090001234',
          phone: '+1 555 123 4567',
          email: 'victim@example.com',
        },
        formData,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const payloads = await t.ctx.database.db
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where('ref', '=', `dossier:${await dossierId(res.json().code)}`)
      .execute();
    expect(payloads.map((p) => p.topic).sort()).toEqual(['notify.email', 'notify.sms']);
    const byTopic = Object.fromEntries(
      payloads.map((p) => [p.topic, p.payload as { to: string; text: string }]),
    );
    expect(byTopic['notify.email']?.to).toBe('minh@example.vn');
    expect(byTopic['notify.sms']?.to).toBe('+84912345678');
    expect(byTopic['notify.email']?.text).toContain('Kính gửi Nguyễn Văn Minh,');
    expect(byTopic['notify.email']?.text).not.toContain('bấm vào liên kết');
    expect(await t.ctx.outbox.drain()).toMatchObject({ sent: 2 }); // leave no pending message to later tests
  });

  it('sends no SMS to a foreign number written at the counter', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: reception.headers,
      payload: {
        procedureCode: ONLINE,
        channel: 'counter',
        competentUnit: 'H41.50',
        applicant: { name: 'Trần Văn Khách', idNumber: '040099998888', phone: '+1 555 123 4567' },
        outcome: { type: 'accept' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await rowsOf(res.json().code)).map((r) => r.topic)).not.toContain('notify.sms');
  });

  it('keeps the messages while the receivers are down and delivers each exactly once when they are back', async () => {
    await smtp.stop();
    sms.down = true;
    onTestFinished(async () => {
      sms.down = false;
      if (!smtp.running) await smtp.start(smtp.port);
    });
    const d = await submit();
    const asked = await act(d.code, d.version, {
      type: 'request_supplement',
      reason: 'Tờ khai thiếu chữ ký',
      items: ['Tờ khai có chữ ký của người yêu cầu'],
    });
    const provided = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${d.code}/actions`,
      headers: citizen.headers,
      payload: { expectedVersion: asked.version, command: { type: 'provide_supplement' } },
    });
    expect(provided.statusCode, provided.body).toBe(200);
    await act(d.code, provided.json().version, { type: 'accept' }); // the supplement itself is not notified
    const now = new Date();
    expect(await t.ctx.outbox.drain({ now })).toMatchObject({ claimed: 6, sent: 0, retried: 6 });
    expect(sms.refused).toBe(3);
    let rows = await rowsOf(d.code);
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(r.status).toBe('pending');
      expect(r.attempts).toBe(1);
      expect(new Date(r.next_attempt_at).getTime()).toBeGreaterThan(now.getTime());
      expect(r.last_error).toMatch(r.topic === EMAIL_TOPIC ? /ECONNREFUSED|connect/i : /HTTP 503/);
    }
    expect((await t.ctx.outbox.drain({ now })).claimed).toBe(0); // nothing due before the retry time

    // Down for a quarter of an hour: several more attempts, nothing lost.
    for (const minutes of [1, 3, 7]) {
      const r = await t.ctx.outbox.drain({ now: new Date(now.getTime() + minutes * 60_000) });
      expect(r.sent).toBe(0);
    }
    await smtp.start(smtp.port);
    sms.down = false;
    expect(await t.ctx.outbox.drain({ now: new Date(now.getTime() + 16 * 60_000) })).toMatchObject({
      claimed: 6,
      sent: 6,
    });
    rows = await rowsOf(d.code);
    expect(rows.every((r) => r.status === 'sent' && r.attempts > 1)).toBe(true);
    expect(mailsFor(d.code).map((m) => m.subject.split(' / ')[1])).toEqual([
      'Application submitted',
      'Documents requested',
      'Application accepted',
    ]);
    expect(mailsFor(d.code)[1]!.text).toContain('  - Tờ khai có chữ ký của người yêu cầu');
    expect(smsFor(d.code)).toHaveLength(3);
    expect((await t.ctx.outbox.drain({ now: new Date(now.getTime() + 3 * 3600_000) })).claimed).toBe(0);
    expect(mailsFor(d.code)).toHaveLength(3);
    expect(smsFor(d.code)).toHaveLength(3);
  });

  it('queues nothing when the dossier change rolls back, and one message per event when it commits', async () => {
    const d = await submit();
    await t.ctx.outbox.drain();
    let fail = true;
    t.ctx.dossiers.onChange(async () => {
      if (fail) throw new Error('a later write of the same transaction failed');
    });
    const c = await t.ctx.database.db
      .selectFrom('citizens')
      .select(['id', 'full_name'])
      .where('personal_id', '=', '040090001234')
      .executeTakeFirstOrThrow();
    const principal: CitizenPrincipal = {
      kind: 'citizen',
      id: c.id,
      name: c.full_name,
      personalId: '040090001234',
      via: 'session',
      csrfToken: 'x',
      sessionId: 'x',
    };
    const withdraw = { type: 'withdraw' as const, reason: 'Tôi nộp nhầm thủ tục' };
    try {
      await expect(t.ctx.dossiers.act(d.code, withdraw, d.version, principal)).rejects.toThrow('later write');
    } finally {
      fail = false;
    }
    expect((await rowsOf(d.code)).map((r) => r.dedupe_key.split(':').slice(2).join(':'))).toEqual([
      '1:email',
      '1:sms',
    ]);
    await t.ctx.dossiers.act(d.code, withdraw, d.version, principal);
    expect((await rowsOf(d.code)).map((r) => r.dedupe_key.split(':').slice(2).join(':'))).toEqual([
      '1:email',
      '1:sms',
      '2:email',
      '2:sms',
    ]);
    await t.ctx.outbox.drain();
    expect(mailsFor(d.code).at(-1)!.subject).toBe(`Hồ sơ ${d.code} đã được rút / Application withdrawn`);
  });

  it('never sends a message twice when two app nodes drain at the same time', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await submit()).code);
    const second = new OutboxWorker(t.ctx.database, { batchSize: 2, concurrency: 2 });
    registerNotificationHandlers(second, t.ctx.config, createNotifier(t.ctx.config));
    const [a, b] = await Promise.all([t.ctx.outbox.drain(), second.drain()]);
    expect(a.sent + b.sent).toBe(10);
    expect(a.sent).toBeGreaterThan(0);
    const ids = codes.flatMap((c) => mailsFor(c).map((m) => m.headers.get('message-id')));
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    const refs = codes.flatMap((c) => smsFor(c).map((m) => m.body.reference));
    expect(refs).toHaveLength(5);
    expect(new Set(refs).size).toBe(5);
  });

  it('in demo mode without providers, records what would be sent as delivered by "log"', async () => {
    const demo = loadConfig({ LOG_LEVEL: 'silent', TINHSO_DEMO: 'true', PUBLIC_URL });
    const notifier = createNotifier(demo);
    expect([notifier.email?.provider, notifier.sms?.provider]).toEqual(['log', 'log']);
    const production = createNotifier(loadConfig({ LOG_LEVEL: 'silent', TINHSO_DEMO: 'false', PUBLIC_URL }));
    expect([production.email, production.sms]).toEqual([null, null]);
    const d = await submit();
    const logWorker = new OutboxWorker(t.ctx.database);
    registerNotificationHandlers(logWorker, demo, notifier);
    expect((await logWorker.drain()).sent).toBe(2);
    const byCode = await rowsOf(d.code);
    expect(byCode).toHaveLength(2);
    expect(
      byCode.every((r) => r.status === 'sent' && (r.delivery as { provider: string }).provider === 'log'),
    ).toBe(true);
    expect(mailsFor(d.code)).toHaveLength(0);
  });
});
