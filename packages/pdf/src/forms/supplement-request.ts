/** Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (every missing item listed once). */
import { Check } from '../errors.js';
import { type DateInput, formatDate } from '../format.js';
import { drawSigners, finish, MM, para, rich } from '../layout/index.js';
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

export interface SupplementRequestInput extends FormBase {
  /** Dossier code when the dossier already has one (online submissions, supplements during processing). */
  dossierCode?: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  /** Unit that received the dossier, in "… đã tiếp nhận hồ sơ của"; defaults to the issuer. */
  receivingUnit?: string;
  /** When the dossier was received or submitted. */
  receivedAt?: DateInput;
  /**
   * What must be supplemented or corrected, each item once ("hướng dẫn đầy đủ, một lần"). Duplicates (ignoring
   * case and trailing punctuation) are dropped; at least one item is required.
   */
  items: readonly string[];
  /** Why the dossier is incomplete or invalid. */
  reason?: string;
  /** Whom to contact for guidance. */
  contact?: { name?: string; phone?: string };
  /** The officer who gives the guidance (signs as "NGƯỜI HƯỚNG DẪN"). */
  officer?: Officer;
}

const FORM = 'Mẫu 02 (renderSupplementRequest)';
const TITLE = 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ';

export async function renderSupplementRequest(input: SupplementRequestInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  const base = cleanBase(check, input);
  const code =
    input.dossierCode === undefined || input.dossierCode === ''
      ? undefined
      : check.dossierCode('dossierCode', input.dossierCode);
  const applicant = cleanApplicant(check, input.applicant);
  const procedure = cleanProcedure(check, input.procedure);
  const receivedAt = input.receivedAt === undefined ? undefined : check.date('receivedAt', input.receivedAt);
  const items = uniqueTexts(check, 'items', input.items);
  const reason = check.optText('reason', input.reason);
  const receivingUnit = check.optText('receivingUnit', input.receivingUnit, 300) ?? oneLine(base.issuer.name);
  const contactName = check.optText('contact.name', input.contact?.name, 200);
  const contactPhone = check.optText('contact.phone', input.contact?.phone, 40);
  const officer = cleanOfficer(check, input.officer, 'officer');

  const doc = openForm(base, {
    title: TITLE,
    subject: `Mẫu 02 — ${procedure.name}`,
    ...(code ? { keywords: code } : {}),
  });
  if (code) subtitle(doc, 'Mã hồ sơ', code);
  else doc.y += 6;

  para(
    doc,
    receivedAt
      ? `Ngày ${formatDate(receivedAt)}, ${receivingUnit} đã tiếp nhận hồ sơ của:`
      : `${receivingUnit} tiếp nhận hồ sơ của:`,
    { after: 2, align: 'left' },
  );
  field(doc, 'Tên cá nhân, tổ chức', applicant.name, { style: 'bold' });
  if (applicant.address) field(doc, 'Địa chỉ', applicant.address);
  const contact = [
    applicant.phone && `Số điện thoại: ${applicant.phone}`,
    applicant.email && `Email: ${applicant.email}`,
  ]
    .filter(Boolean)
    .join('     ');
  if (contact) rich(doc, [{ text: contact }], { after: 2 });
  field(doc, 'Nội dung yêu cầu giải quyết', procedure.name, { style: 'bold' });
  doc.y += 4;
  para(doc, 'Yêu cầu ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { after: 2 });
  items.forEach((item, i) => {
    para(doc, `${i + 1}. ${item}`, { x: doc.page.margins.left + 8 * MM, after: 2 });
  });
  if (reason) {
    doc.y += 2;
    field(doc, 'Lý do', reason);
  }
  doc.y += 4;
  const who = [contactName, contactPhone && `số điện thoại ${contactPhone}`].filter(Boolean).join(', ');
  para(
    doc,
    `Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với ${who || receivingUnit} để được hướng dẫn./.`,
    { after: 14 },
  );
  drawSigners(doc, [
    {
      ...(officer.capacity ? { capacity: officer.capacity } : {}),
      title: officer.title ?? 'Người hướng dẫn',
      note: '(Ký, ghi rõ họ tên)',
      ...(officer.name ? { name: officer.name } : {}),
    },
  ]);
  return finish(doc);
}
