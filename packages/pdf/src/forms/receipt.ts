/** Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip). */
import { Check } from '../errors.js';
import { type DateInput, formatDate, formatTimeLong } from '../format.js';
import {
  area,
  type Doc,
  drawQr,
  drawSigners,
  drawTable,
  ensureSpace,
  finish,
  heightOf,
  MM,
  qrLayout,
  rich,
  SIZE,
  textAt,
} from '../layout/index.js';
import type { Applicant, FormBase, Officer, ProcedureRef } from '../types.js';
import {
  cleanApplicant,
  cleanBase,
  cleanOfficer,
  cleanProcedure,
  field,
  oneLine,
  openForm,
  subtitle,
} from './common.js';

/** One component of the dossier as received (thành phần hồ sơ). */
export interface ReceivedComponent {
  /** e.g. "Tờ khai đăng ký khai tử (theo mẫu)". */
  name: string;
  /** Number of originals (bản chính); default 0. */
  originals?: number;
  /** Number of copies (bản sao); default 0. */
  copies?: number;
  /** e.g. "Đã số hóa", "Bản sao chứng thực". */
  note?: string;
}

export interface ReceiptInput extends FormBase {
  /** Dossier code, e.g. "H41.50-261124-0007". Required. */
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  /** Name of the unit that received the dossier, in the sentence "… đã tiếp nhận hồ sơ của"; defaults to the issuer. */
  receivingUnit?: string;
  components: readonly ReceivedComponent[];
  /** Number of sets (bộ); default 1. */
  sets?: number;
  /** Legal processing time in working days, in half-day steps ("Thời gian giải quyết hồ sơ theo quy định"). */
  processingDays?: number;
  receivedAt: DateInput;
  /** Appointment: when the result is returned. */
  appointmentAt: DateInput;
  /** Where / how the result is returned, e.g. "Bộ phận Một cửa phường Trường Vinh" or "Dịch vụ bưu chính". */
  returnAt?: string;
  /** Register reference (Sổ theo dõi hồ sơ): book and sequence number. */
  register?: { book?: string; entry?: string | number };
  /** Copy label, e.g. "Liên 1: Lưu tại Bộ phận Một cửa". */
  copyLabel?: string;
  /** Public status page of the dossier; encoded in the QR code and printed under it. */
  statusUrl: string;
  /** Person who received the dossier (signs on the right). */
  receiver?: Officer;
  /** Print the applicant's signature block (left). Default true; false for online dossiers. */
  applicantSigns?: boolean;
}

const FORM = 'Mẫu 01 (renderReceipt)';
const TITLE = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả';

export async function renderReceipt(input: ReceiptInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  const base = cleanBase(check, input);
  const code = check.dossierCode('dossierCode', input.dossierCode);
  const applicant = cleanApplicant(check, input.applicant);
  const procedure = cleanProcedure(check, input.procedure);
  const receivedAt = check.date('receivedAt', input.receivedAt);
  const appointmentAt = check.date('appointmentAt', input.appointmentAt);
  if (appointmentAt.getTime() < receivedAt.getTime()) {
    check.fail(
      'appointmentAt',
      `is before receivedAt (${appointmentAt.toISOString()} < ${receivedAt.toISOString()})`,
    );
  }
  const statusUrl = check.url('statusUrl', input.statusUrl);
  const components = check.nonEmptyArray('components', input.components).map((c, i) => ({
    name: check.text(`components[${i}].name`, c?.name, 2000),
    originals:
      c.originals === undefined ? 0 : check.nonNegativeInt(`components[${i}].originals`, c.originals),
    copies: c.copies === undefined ? 0 : check.nonNegativeInt(`components[${i}].copies`, c.copies),
    note: check.optText(`components[${i}].note`, c.note, 300),
  }));
  const sets = input.sets === undefined ? 1 : check.nonNegativeInt('sets', input.sets);
  const processingDays =
    input.processingDays === undefined ? undefined : check.halfDays('processingDays', input.processingDays);
  const receivingUnit = check.optText('receivingUnit', input.receivingUnit, 300) ?? oneLine(base.issuer.name);
  const returnAt = check.optText('returnAt', input.returnAt, 300);
  const copyLabel = check.optText('copyLabel', input.copyLabel, 200);
  const receiver = cleanOfficer(check, input.receiver, 'receiver');

  const doc = openForm(base, { title: TITLE, subject: `Mẫu 01 — ${procedure.name}`, keywords: code });
  subtitle(doc, 'Mã hồ sơ', code);
  if (copyLabel) rich(doc, [{ text: `(${copyLabel})`, style: 'italic' }], { align: 'center', after: 6 });

  // the QR code of the status page floats at the right of the applicant's details
  const qrBottom = drawStatusQr(doc, statusUrl);
  const a = area(doc);
  const narrow = a.width - (qrBottom.width + 2 * MM);
  const w = () => (doc.y < qrBottom.bottom ? narrow : a.width);
  rich(doc, [{ text: `${receivingUnit} đã tiếp nhận hồ sơ của:` }], { after: 2, width: w() });
  field(doc, 'Tên cá nhân, tổ chức', applicant.name, { style: 'bold', width: w() });
  if (applicant.idNumber) field(doc, 'Số định danh cá nhân', applicant.idNumber, { width: w() });
  if (applicant.address) field(doc, 'Địa chỉ', applicant.address, { width: w() });
  const contact = [
    applicant.phone && `Số điện thoại: ${applicant.phone}`,
    applicant.email && `Email: ${applicant.email}`,
  ]
    .filter(Boolean)
    .join('     ');
  if (contact) rich(doc, [{ text: contact }], { after: 2, width: w() });
  field(
    doc,
    'Nội dung yêu cầu giải quyết',
    procedure.code ? `${procedure.name} (mã ${procedure.code})` : procedure.name,
    { style: 'bold', width: w() },
  );
  doc.y = Math.max(doc.y, qrBottom.bottom);

  rich(doc, [{ text: '1. Thành phần hồ sơ nộp gồm:' }], { after: 4 });
  drawTable(doc, {
    columns: [
      { header: 'TT', weight: 7, align: 'center' },
      { header: 'Tên giấy tờ', weight: 55 },
      { header: 'Bản chính', weight: 11, align: 'center' },
      { header: 'Bản sao', weight: 11, align: 'center' },
      { header: 'Ghi chú', weight: 20 },
    ],
    rows: components.map((c, i) => [
      String(i + 1),
      c.name,
      String(c.originals),
      String(c.copies),
      c.note ?? '',
    ]),
  });
  field(doc, '2. Số lượng hồ sơ', `${String(sets).padStart(2, '0')} bộ`);
  if (processingDays !== undefined) {
    field(
      doc,
      '3. Thời gian giải quyết hồ sơ theo quy định là',
      `${String(processingDays).replace('.', ',')} ngày làm việc`,
    );
  }
  let n = processingDays === undefined ? 3 : 4;
  field(doc, `${n++}. Thời gian nhận hồ sơ`, `${formatTimeLong(receivedAt)}, ngày ${formatDate(receivedAt)}`);
  field(
    doc,
    `${n++}. Thời gian trả kết quả giải quyết hồ sơ`,
    `${formatTimeLong(appointmentAt)}, ngày ${formatDate(appointmentAt)}`,
    { style: 'bold' },
  );
  if (returnAt) field(doc, `${n++}. Đăng ký nhận kết quả tại`, returnAt);
  rich(doc, [{ text: `${n++}. Tra cứu tình trạng hồ sơ: quét mã QR ở trên hoặc truy cập` }], { after: 0 });
  rich(doc, [{ text: statusUrl }], { after: 2, indent: 0, x: area(doc).left + 8 * MM });
  if (input.register && (input.register.book !== undefined || input.register.entry !== undefined)) {
    const book = check.optText('register.book', input.register.book, 40) ?? '……';
    const entry =
      input.register.entry === undefined
        ? '……'
        : check.text('register.entry', String(input.register.entry), 40);
    rich(doc, [{ text: `Vào Sổ theo dõi hồ sơ, Quyển số: ${book}, Số thứ tự: ${entry}`, style: 'italic' }], {
      after: 2,
    });
  }
  doc.y += 8;

  const receiverBlock = {
    ...(receiver.capacity ? { capacity: receiver.capacity } : {}),
    title: receiver.title ?? 'Người tiếp nhận hồ sơ',
    note: '(Ký, ghi rõ họ tên)',
    ...(receiver.name ? { name: receiver.name } : {}),
  };
  const blocks =
    input.applicantSigns === false
      ? [receiverBlock]
      : [{ title: 'Người nộp hồ sơ', note: '(Ký, ghi rõ họ tên)', name: applicant.name }, receiverBlock];
  drawSigners(doc, blocks, { signatureHeight: 22 * MM });

  return finish(doc);
}

/**
 * The QR code of the status page at the right edge (symbol aligned with the right margin, quiet zone kept white),
 * with a short caption under it. Returns the bottom of the block and the width taken from the text column.
 */
function drawStatusQr(doc: Doc, url: string): { bottom: number; width: number } {
  const a = area(doc);
  const qr = qrLayout(url, 26 * MM);
  const caption = 'Tra cứu hồ sơ';
  const captionW = qr.symbol + 2 * qr.quiet;
  const captionH = heightOf(doc, caption, captionW, { style: 'italic', size: SIZE.small });
  ensureSpace(doc, qr.outer + captionH);
  const top = doc.y - qr.quiet;
  const x = a.right - qr.symbol - qr.quiet;
  drawQr(doc, qr, x, top);
  textAt(doc, caption, x, top + qr.outer - qr.quiet + 1, captionW, { style: 'italic', size: SIZE.small });
  return { bottom: top + qr.outer - qr.quiet + captionH + 4, width: qr.symbol + qr.quiet };
}
