/** Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal, with reasons). */
import { Check } from '../errors.js';
import { type DateInput, formatDate } from '../format.js';
import { drawSigners, finish, MM, para } from '../layout/index.js';
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
  uniqueTexts,
} from './common.js';

export interface RefusalInput extends FormBase {
  /** Dossier code when the dossier has one (online submissions). */
  dossierCode?: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  /** Unit that examined the dossier; defaults to the issuer. */
  receivingUnit?: string;
  /** When the dossier was submitted. */
  submittedAt?: DateInput;
  /** Why the dossier is not accepted (wrong authority, not eligible …); at least one. */
  reasons: readonly string[];
  /** The officer who signs (default title "NGƯỜI TIẾP NHẬN HỒ SƠ"). */
  officer?: Officer;
}

const FORM = 'Mẫu 03 (renderRefusal)';
const TITLE = 'Phiếu từ chối tiếp nhận giải quyết hồ sơ';

export async function renderRefusal(input: RefusalInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  const base = cleanBase(check, input);
  const code =
    input.dossierCode === undefined || input.dossierCode === ''
      ? undefined
      : check.dossierCode('dossierCode', input.dossierCode);
  const applicant = cleanApplicant(check, input.applicant);
  const procedure = cleanProcedure(check, input.procedure);
  const submittedAt =
    input.submittedAt === undefined ? undefined : check.date('submittedAt', input.submittedAt);
  const reasons = uniqueTexts(check, 'reasons', input.reasons, 2000);
  const receivingUnit = check.optText('receivingUnit', input.receivingUnit, 300) ?? oneLine(base.issuer.name);
  const officer = cleanOfficer(check, input.officer, 'officer');

  const doc = openForm(base, {
    title: TITLE,
    subject: `Mẫu 03 — ${procedure.name}`,
    ...(code ? { keywords: code } : {}),
  });
  if (code) subtitle(doc, 'Mã hồ sơ', code);
  else doc.y += 6;

  para(
    doc,
    submittedAt
      ? `Ngày ${formatDate(submittedAt)}, ${receivingUnit} tiếp nhận hồ sơ của:`
      : `${receivingUnit} tiếp nhận hồ sơ của:`,
    { after: 2, align: 'left' },
  );
  field(doc, 'Tên cá nhân, tổ chức', applicant.name, { style: 'bold' });
  if (applicant.address) field(doc, 'Địa chỉ', applicant.address);
  field(doc, 'Nội dung yêu cầu giải quyết', procedure.name, { style: 'bold' });
  doc.y += 4;
  para(
    doc,
    `Qua nghiên cứu, xem xét hồ sơ, ${receivingUnit} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    { after: 2 },
  );
  for (const r of reasons) para(doc, `- ${r}`, { x: doc.page.margins.left + 8 * MM, after: 2 });
  doc.y += 4;
  para(doc, 'Xin thông báo cho ông/bà được biết và thực hiện./.', { after: 14 });
  drawSigners(doc, [
    {
      ...(officer.capacity ? { capacity: officer.capacity } : {}),
      title: officer.title ?? 'Người tiếp nhận hồ sơ',
      note: '(Ký, ghi rõ họ tên)',
      ...(officer.name ? { name: officer.name } : {}),
    },
  ]);
  return finish(doc);
}
