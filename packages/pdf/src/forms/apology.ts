/** Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả (apology, reason, new date). */
import { Check } from '../errors.js';
import { type DateInput, formatDate, formatTimeLong } from '../format.js';
import { centredRich, drawClosing, finish, para, rich } from '../layout/index.js';
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

export interface ApologyInput extends FormBase {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  /** Agency processing the dossier, as named in the text ("Ủy ban nhân dân phường Trường Vinh"); defaults to the issuer. */
  agency?: string;
  receivedAt: DateInput;
  /** The appointment printed on the receipt (Mẫu 01) or the previous apology. */
  previousDueAt: DateInput;
  /** The new appointment; must be later than `previousDueAt`. */
  newDueAt: DateInput;
  reason: string;
  /** Head of the agency (default title "THỦ TRƯỞNG CƠ QUAN"; e.g. capacity "KT. CHỦ TỊCH", title "PHÓ CHỦ TỊCH"). */
  signer?: Officer;
  /** "Nơi nhận" list, e.g. ["Như trên", "Lưu: VT"]. */
  recipients?: readonly string[];
}

const FORM = 'Mẫu 04 (renderApology)';
const TITLE = 'Phiếu xin lỗi và hẹn lại ngày trả kết quả';

export async function renderApology(input: ApologyInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  const base = cleanBase(check, input);
  const code = check.dossierCode('dossierCode', input.dossierCode);
  const applicant = cleanApplicant(check, input.applicant);
  const procedure = cleanProcedure(check, input.procedure);
  const receivedAt = check.date('receivedAt', input.receivedAt);
  const previousDueAt = check.date('previousDueAt', input.previousDueAt);
  const newDueAt = check.date('newDueAt', input.newDueAt);
  if (newDueAt.getTime() <= previousDueAt.getTime()) {
    check.fail(
      'newDueAt',
      `must be later than previousDueAt (${formatDate(newDueAt)} ≤ ${formatDate(previousDueAt)})`,
    );
  }
  const reason = check.text('reason', input.reason);
  const agency = check.optText('agency', input.agency, 300) ?? oneLine(base.issuer.name);
  const signer = cleanOfficer(check, input.signer, 'signer');
  const recipients = (input.recipients ?? [])
    .map((r, i) => check.optText(`recipients[${i}]`, r, 300))
    .filter((r): r is string => !!r);

  const doc = openForm(base, { title: TITLE, subject: `Mẫu 04 — ${procedure.name}`, keywords: code });
  subtitle(doc, 'Mã hồ sơ', code);
  centredRich(doc, [{ text: 'Kính gửi: ' }, { text: `${applicant.name}.`, style: 'bold' }], { after: 8 });

  para(doc, `Ngày ${formatDate(receivedAt)}, ${agency} tiếp nhận giải quyết hồ sơ của ông/bà.`, { after: 2 });
  field(doc, 'Nội dung yêu cầu giải quyết', procedure.name, { style: 'bold' });
  field(
    doc,
    'Thời gian hẹn trả kết quả',
    `${formatTimeLong(previousDueAt)}, ngày ${formatDate(previousDueAt)}`,
  );
  para(
    doc,
    `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
    { after: 2 },
  );
  field(doc, 'Lý do', reason);
  rich(
    doc,
    [
      {
        text: `Sự chậm trễ này đã gây phiền hà cho ông/bà. ${agency} xin lỗi ông/bà và sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào `,
      },
      { text: `${formatTimeLong(newDueAt)}, ngày ${formatDate(newDueAt)}`, style: 'bold' },
      { text: '.' },
    ],
    { after: 2 },
  );
  para(doc, 'Mong nhận được sự thông cảm của ông/bà./.', { after: 14 });

  const signerBlock = {
    ...(signer.capacity ? { capacity: signer.capacity } : {}),
    title: signer.title ?? 'Thủ trưởng cơ quan',
    note: '(Ký, ghi rõ họ tên, đóng dấu)',
    ...(signer.name ? { name: signer.name } : {}),
  };
  drawClosing(doc, signerBlock, recipients);
  return finish(doc);
}
