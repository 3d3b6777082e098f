import type { DossierEvent } from '@tinhso/domain';
import { formatDate, formatMoney } from '@tinhso/pdf/format';
import { escapeHtml } from '../http/html.js';

/** The dossier events a citizen is told about (status changes that concern them). */
export type NotificationEvent =
  | { kind: 'submitted' }
  | { kind: 'accepted'; dueAt: string }
  | { kind: 'supplement_requested'; items: string[]; reason: string | null }
  | { kind: 'payment_requested'; amountVnd: number; reason: string | null }
  | { kind: 'payment_confirmed' }
  | { kind: 'apology'; newDueAt: string; reason: string | null }
  | { kind: 'refused'; reason: string | null }
  | { kind: 'finished'; outcome: 'approved' | 'rejected'; reason: string | null }
  | { kind: 'returned'; method: 'counter' | 'post' | 'online'; trackingNumber: string | null }
  | { kind: 'withdrawn' }
  | { kind: 'stopped'; reason: string | null };
export type NotificationKind = NotificationEvent['kind'];

/**
 * The notification an event gives rise to, or null (internal steps: forward, assign, comment, send back,
 * a supplement the citizen provided, a submission registered at the counter).
 */
export function notificationOf(e: DossierEvent, channel: string): NotificationEvent | null {
  const d = e.data;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (e.type) {
    case 'submit':
      return channel === 'online' ? { kind: 'submitted' } : null;
    case 'accept':
      return str(d['dueAt']) ? { kind: 'accepted', dueAt: str(d['dueAt'])! } : null;
    case 'request_supplement':
      return {
        kind: 'supplement_requested',
        items: Array.isArray(d['items']) ? d['items'].map(String) : [],
        reason: e.reason,
      };
    case 'request_payment':
      return { kind: 'payment_requested', amountVnd: Number(d['amountVnd']), reason: e.reason };
    case 'confirm_payment':
      return { kind: 'payment_confirmed' };
    case 'apologize':
      return str(d['newDueAt']) ? { kind: 'apology', newDueAt: str(d['newDueAt'])!, reason: e.reason } : null;
    case 'refuse':
      return { kind: 'refused', reason: e.reason };
    case 'finish':
      return {
        kind: 'finished',
        outcome: d['outcome'] === 'rejected' ? 'rejected' : 'approved',
        reason: e.reason,
      };
    case 'return_result': {
      const m = d['method'];
      return {
        kind: 'returned',
        method: m === 'post' || m === 'online' ? m : 'counter',
        trackingNumber: str(d['trackingNumber']),
      };
    }
    case 'withdraw':
      return { kind: 'withdrawn' };
    case 'stop':
      return { kind: 'stopped', reason: e.reason };
    default:
      return null;
  }
}

export interface TemplateContext {
  code: string;
  publicUrl: string;
  /** For the e-mail greeting only (never in an SMS). */
  applicantName?: string | null;
  procedureName?: string | null;
}

export interface RenderedNotification {
  /** E-mail subject (also the title shown in the dossier's list of notifications). */
  subject: string;
  text: string;
  html: string;
  /** SMS text: the dossier code, the status link and public facts (dates, amount) — no personal data. */
  sms: string;
}

/** `${publicUrl}/?ma={code}` — the public status page of a dossier. */
export function statusUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/?ma=${encodeURIComponent(code)}`;
}

interface Parts {
  subjectVi: string;
  subjectEn: string;
  /** Paragraphs of the e-mail, Vietnamese. */
  vi: string[];
  /** Bulleted list under the first Vietnamese paragraph (requested documents). */
  list?: string[];
  en: string[];
  smsVi: string;
  smsEn: string;
}

const RETURN_VI = {
  counter: 'tại Bộ phận Tiếp nhận và Trả kết quả',
  post: 'qua dịch vụ bưu chính',
  online: 'trực tuyến (tải về từ Cổng dịch vụ công)',
} as const;
const RETURN_EN = { counter: 'at the one-stop desk', post: 'by post', online: 'online' } as const;

function parts(e: NotificationEvent, code: string): Parts {
  const because = (r: string | null) => (r ? ` Lý do: ${r}` : '');
  const becauseEn = (r: string | null) => (r ? ` Reason: ${r}` : '');
  const dot = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  switch (e.kind) {
    case 'submitted':
      return {
        subjectVi: `Hồ sơ ${code} đã được nộp trực tuyến`,
        subjectEn: 'Application submitted',
        vi: [
          `Hồ sơ ${code} đã được nộp trực tuyến thành công và đang chờ cơ quan tiếp nhận kiểm tra.`,
          'Bạn sẽ nhận được thông báo khi hồ sơ được tiếp nhận, kèm ngày hẹn trả kết quả.',
        ],
        en: [
          `Your online application ${code} was submitted and is waiting to be checked by the receiving office.`,
        ],
        smsVi: `Hồ sơ ${code} đã được nộp trực tuyến, đang chờ tiếp nhận.`,
        smsEn: 'Submitted online.',
      };
    case 'accepted': {
      const date = formatDate(e.dueAt);
      return {
        subjectVi: `Hồ sơ ${code} đã được tiếp nhận, hẹn trả kết quả ngày ${date}`,
        subjectEn: 'Application accepted',
        vi: [`Hồ sơ ${code} đã được tiếp nhận.`, `Ngày hẹn trả kết quả: ${date}.`],
        en: [`Application ${code} was accepted. The result is due on ${date}.`],
        smsVi: `Hồ sơ ${code} đã được tiếp nhận, hẹn trả kết quả ngày ${date}.`,
        smsEn: `Accepted, result due ${date}.`,
      };
    }
    case 'supplement_requested':
      return {
        subjectVi: `Hồ sơ ${code}: cần bổ sung giấy tờ`,
        subjectEn: 'Documents requested',
        vi: [
          `Cơ quan giải quyết đề nghị bổ sung các giấy tờ sau cho hồ sơ ${code}:`,
          ...(e.reason ? [dot(`Lý do: ${e.reason}`)] : []),
          'Thời hạn giải quyết tạm dừng cho đến khi bạn nộp bổ sung.',
        ],
        list: e.items,
        en: [
          `The office asks for the documents listed above for application ${code}.${becauseEn(e.reason)}`,
          'The time limit is paused until you supply them.',
        ],
        smsVi: `Hồ sơ ${code} cần bổ sung ${e.items.length} giấy tờ. Xem chi tiết và nộp bổ sung tại đường dẫn.`,
        smsEn: 'Documents requested.',
      };
    case 'payment_requested': {
      const amount = formatMoney(e.amountVnd);
      return {
        subjectVi: `Hồ sơ ${code}: đề nghị nộp phí, lệ phí ${amount}`,
        subjectEn: 'Payment requested',
        vi: [
          `Hồ sơ ${code} cần thực hiện nghĩa vụ tài chính: ${amount}.${because(e.reason)}`,
          'Bạn có thể thanh toán trực tuyến trên trang hồ sơ; thời hạn giải quyết tạm dừng cho đến khi thanh toán.',
        ],
        en: [`Application ${code}: please pay ${amount}. You can pay online on the application page.`],
        smsVi: `Hồ sơ ${code} cần nộp phí, lệ phí ${amount}.`,
        smsEn: `Please pay ${amount}.`,
      };
    }
    case 'payment_confirmed':
      return {
        subjectVi: `Hồ sơ ${code}: đã nhận thanh toán`,
        subjectEn: 'Payment received',
        vi: [`Đã xác nhận thanh toán cho hồ sơ ${code}. Hồ sơ tiếp tục được giải quyết.`],
        en: [`Payment received for application ${code}; processing continues.`],
        smsVi: `Hồ sơ ${code}: đã nhận thanh toán, hồ sơ tiếp tục được giải quyết.`,
        smsEn: 'Payment received.',
      };
    case 'apology': {
      const date = formatDate(e.newDueAt);
      return {
        subjectVi: `Hồ sơ ${code}: xin lỗi và hẹn lại ngày trả kết quả ${date}`,
        subjectEn: 'Apology, new result date',
        vi: [
          `Cơ quan giải quyết thành thật xin lỗi vì hồ sơ ${code} chưa được giải quyết đúng hẹn.${because(e.reason)}`,
          `Ngày hẹn trả kết quả mới: ${date}.`,
        ],
        en: [`We apologise: application ${code} is delayed. New result date: ${date}.`],
        smsVi: `Xin lỗi: hồ sơ ${code} chậm so với hẹn. Ngày hẹn trả kết quả mới: ${date}.`,
        smsEn: `Delayed, new date ${date}.`,
      };
    }
    case 'refused':
      return {
        subjectVi: `Hồ sơ ${code} không được tiếp nhận`,
        subjectEn: 'Application not accepted',
        vi: [dot(`Hồ sơ ${code} không được tiếp nhận.${because(e.reason)}`)],
        en: [`Application ${code} was not accepted.${becauseEn(e.reason)}`],
        smsVi: `Hồ sơ ${code} không được tiếp nhận. Xem lý do tại đường dẫn.`,
        smsEn: 'Not accepted.',
      };
    case 'finished':
      return e.outcome === 'approved'
        ? {
            subjectVi: `Hồ sơ ${code} đã có kết quả`,
            subjectEn: 'Result ready',
            vi: [
              `Hồ sơ ${code} đã được giải quyết xong; kết quả sẵn sàng để trả theo hình thức bạn đã chọn.`,
            ],
            en: [`Application ${code} has been processed; the result is ready.`],
            smsVi: `Hồ sơ ${code} đã có kết quả.`,
            smsEn: 'Result ready.',
          }
        : {
            subjectVi: `Hồ sơ ${code} đã giải quyết xong: không chấp thuận`,
            subjectEn: 'Application refused',
            vi: [
              `Hồ sơ ${code} đã được xem xét; cơ quan không chấp thuận và có văn bản trả lời nêu rõ lý do.${because(e.reason)}`,
            ],
            en: [`Application ${code} was examined and refused; the written answer gives the reasons.`],
            smsVi: `Hồ sơ ${code} đã giải quyết xong: không chấp thuận. Xem văn bản trả lời tại đường dẫn.`,
            smsEn: 'Refused.',
          };
    case 'returned': {
      const tracking = e.trackingNumber ? ` (mã vận đơn ${e.trackingNumber})` : '';
      const trackingEn = e.trackingNumber ? ` (tracking number ${e.trackingNumber})` : '';
      return {
        subjectVi: `Hồ sơ ${code} đã trả kết quả`,
        subjectEn: 'Result delivered',
        vi: [`Kết quả hồ sơ ${code} đã được trả ${RETURN_VI[e.method]}${tracking}.`],
        en: [`The result of application ${code} was delivered ${RETURN_EN[e.method]}${trackingEn}.`],
        smsVi: `Hồ sơ ${code} đã trả kết quả ${RETURN_VI[e.method]}${tracking}.`,
        smsEn: 'Result delivered.',
      };
    }
    case 'withdrawn':
      return {
        subjectVi: `Hồ sơ ${code} đã được rút`,
        subjectEn: 'Application withdrawn',
        vi: [`Hồ sơ ${code} đã được rút theo yêu cầu; cơ quan dừng giải quyết hồ sơ.`],
        en: [`Application ${code} was withdrawn at your request.`],
        smsVi: `Hồ sơ ${code} đã được rút theo yêu cầu.`,
        smsEn: 'Withdrawn.',
      };
    case 'stopped':
      return {
        subjectVi: `Hồ sơ ${code} bị dừng xử lý`,
        subjectEn: 'Processing stopped',
        vi: [dot(`Hồ sơ ${code} đã bị dừng xử lý.${because(e.reason)}`)],
        en: [`Processing of application ${code} was stopped.${becauseEn(e.reason)}`],
        smsVi: `Hồ sơ ${code} bị dừng xử lý. Xem lý do tại đường dẫn.`,
        smsEn: 'Processing stopped.',
      };
  }
}

const FOOTER_VI = 'Thư này được gửi tự động từ hệ thống Tỉnh Số, vui lòng không trả lời.';
const FOOTER_EN = 'This is an automated message from Tỉnh Số; please do not reply.';

/** Subject, plain text, HTML and SMS of one notification: Vietnamese first, then English. */
export function renderNotification(e: NotificationEvent, ctx: TemplateContext): RenderedNotification {
  const p = parts(e, ctx.code);
  const url = statusUrl(ctx.publicUrl, ctx.code);
  const greeting = ctx.applicantName ? `Kính gửi ${ctx.applicantName},` : 'Kính gửi Quý ông/bà,';
  const procedure = ctx.procedureName ? `Thủ tục: ${ctx.procedureName}` : null;
  const list = p.list?.map((i) => `  - ${i}`) ?? [];
  const [firstVi, ...restVi] = p.vi;
  const text = [
    greeting,
    '',
    firstVi,
    ...list,
    ...restVi,
    ...(procedure ? ['', procedure] : []),
    '',
    `Tra cứu tình trạng hồ sơ: ${url}`,
    '',
    '—',
    ...p.en,
    `Status: ${url}`,
    '',
    `${FOOTER_VI} / ${FOOTER_EN}`,
    '',
  ].join('\n');
  const para = (s: string, lang?: string) => `<p${lang ? ` lang="${lang}"` : ''}>${escapeHtml(s)}</p>`;
  const link = `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
  const html = [
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">',
    para(greeting),
    para(firstVi ?? ''),
    list.length ? `<ul>${p.list!.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '',
    ...restVi.map((s) => para(s)),
    procedure ? para(procedure) : '',
    `<p>Tra cứu tình trạng hồ sơ: ${link}</p>`,
    '<hr>',
    ...p.en.map((s) => para(s, 'en')),
    `<p lang="en">Status: ${link}</p>`,
    `<p style="color:#666;font-size:13px">${escapeHtml(FOOTER_VI)}<br><span lang="en">${escapeHtml(FOOTER_EN)}</span></p>`,
    '</body></html>',
  ].join('\n');
  return {
    subject: `${p.subjectVi} / ${p.subjectEn}`,
    text,
    html,
    sms: `${p.smsVi} Tra cứu: ${url} / ${p.smsEn}`,
  };
}
