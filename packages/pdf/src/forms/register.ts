/** Mẫu 06 — Sổ theo dõi hồ sơ (register: one row per dossier, landscape, header row repeated on every page). */
import { Check } from '../errors.js';
import {
  type DateInput,
  formatDate,
  formatPlaceDate,
  formatTime,
  TIMING_LABELS,
  type Timing,
} from '../format.js';
import {
  type Cell,
  centredRich,
  createDocument,
  drawHeader,
  drawTable,
  drawTitle,
  finish,
  SIZE,
} from '../layout/index.js';
import type { Issuer } from '../types.js';
import { cleanIssuer, oneLine } from './common.js';

export interface RegisterRow {
  dossierCode: string;
  /** Procedure name. */
  procedure: string;
  /** Applicant name. */
  applicant: string;
  /** Address or phone, printed under the name. */
  applicantContact?: string;
  receivedAt: DateInput;
  /** Appointment (hẹn trả kết quả). */
  dueAt: DateInput;
  /** Transferred to the competent agency. */
  transferredAt?: DateInput | null;
  /** Result available (có kết quả giải quyết). */
  finishedAt?: DateInput | null;
  /** Result returned to the applicant. */
  returnedAt?: DateInput | null;
  /** Early / on time / late; blank while open. */
  timing?: Timing | null;
  note?: string | null;
}

export interface RegisterInput {
  issuer: Issuer;
  /** Subtitle under the title, e.g. "Lĩnh vực Hộ tịch". */
  subtitle?: string;
  /** Period covered, printed "Từ ngày … đến ngày …". */
  period?: { from: DateInput; to: DateInput };
  rows: readonly RegisterRow[];
  /** Date of the place-and-date line; defaults to `now`. */
  issuedAt?: DateInput;
  /** Rendering instant (PDF creation date); fix it for byte-identical output. */
  now?: DateInput;
}

const FORM = 'Mẫu 06 (renderRegister)';
const TITLE = 'Sổ theo dõi hồ sơ';

export async function renderRegister(input: RegisterInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  if (!input || typeof input !== 'object') check.fail('input', 'is required');
  const issuer = cleanIssuer(check, input.issuer);
  const now = input.now === undefined ? new Date() : check.date('now', input.now);
  const issuedAt = input.issuedAt === undefined ? now : check.date('issuedAt', input.issuedAt);
  const subtitle = check.optText('subtitle', input.subtitle, 300);
  const period = input.period
    ? { from: check.date('period.from', input.period.from), to: check.date('period.to', input.period.to) }
    : undefined;
  if (!Array.isArray(input.rows)) check.fail('rows', 'must be a list (possibly empty)');
  const rows = input.rows.map((r, i) => {
    const f = `rows[${i}]`;
    const timing = check.timing(`${f}.timing`, r.timing);
    return {
      code: check.dossierCode(`${f}.dossierCode`, r.dossierCode),
      procedure: check.text(`${f}.procedure`, r.procedure, 1000),
      applicant: check.text(`${f}.applicant`, r.applicant, 200),
      contact: check.optText(`${f}.applicantContact`, r.applicantContact, 500),
      receivedAt: check.date(`${f}.receivedAt`, r.receivedAt),
      dueAt: check.date(`${f}.dueAt`, r.dueAt),
      transferredAt: check.optDate(`${f}.transferredAt`, r.transferredAt),
      finishedAt: check.optDate(`${f}.finishedAt`, r.finishedAt),
      returnedAt: check.optDate(`${f}.returnedAt`, r.returnedAt),
      timing,
      note: check.optText(`${f}.note`, r.note, 500),
    };
  });

  const doc = createDocument(
    { title: TITLE, author: issuer.name, subject: `Mẫu 06 — ${oneLine(issuer.name)}`, now },
    { layout: 'landscape', margins: { top: 15, bottom: 15, left: 20, right: 15 } },
  );
  drawHeader(doc, {
    ...(issuer.parent ? { parent: issuer.parent } : {}),
    unit: issuer.name,
    placeDate: formatPlaceDate(issuer.place, issuedAt),
  });
  drawTitle(doc, TITLE, { after: 2 });
  if (subtitle) centredRich(doc, [{ text: subtitle, style: 'bold' }], { after: 2 });
  if (period) {
    centredRich(
      doc,
      [{ text: `(Từ ngày ${formatDate(period.from)} đến ngày ${formatDate(period.to)})`, style: 'italic' }],
      {
        after: 6,
      },
    );
  }
  const when = (d: Date | undefined): Cell => (d ? [{ text: formatDate(d) }, { text: formatTime(d) }] : '');
  drawTable(doc, {
    columns: [
      { header: 'STT', weight: 4, align: 'center' },
      { header: 'Mã hồ sơ', weight: 13 },
      { header: 'Tên thủ tục hành chính', weight: 19 },
      { header: 'Tên cá nhân, tổ chức', weight: 14 },
      { header: 'Nhận hồ sơ', weight: 7.5, align: 'center' },
      { header: 'Hẹn trả kết quả', weight: 7.5, align: 'center' },
      { header: 'Chuyển hồ sơ đến cơ quan giải quyết', weight: 7.5, align: 'center' },
      { header: 'Có kết quả giải quyết', weight: 7.5, align: 'center' },
      { header: 'Trả kết quả', weight: 7.5, align: 'center' },
      { header: 'Trước hạn / Đúng hạn / Quá hạn', weight: 7.5, align: 'center' },
      { header: 'Ghi chú', weight: 10 },
    ],
    groups: [{ label: 'Ngày, tháng, năm', from: 4, span: 5 }],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.code,
      r.procedure,
      r.contact ? [{ text: r.applicant }, { text: r.contact, style: 'italic' as const }] : r.applicant,
      when(r.receivedAt),
      when(r.dueAt),
      when(r.transferredAt),
      when(r.finishedAt),
      when(r.returnedAt),
      r.timing ? TIMING_LABELS[r.timing] : '',
      r.note ?? '',
    ]),
    size: SIZE.small,
    headerSize: SIZE.small,
    padding: 2.5,
  });
  return finish(doc);
}
