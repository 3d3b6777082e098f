import type { Check } from '../errors.js';
import { formatPlaceDate } from '../format.js';
import {
  centredRich,
  createDocument,
  type Doc,
  drawHeader,
  drawTitle,
  type PageSetup,
  rich,
} from '../layout/index.js';
import type { Applicant, FormBase, Issuer, Officer, ProcedureRef } from '../types.js';

/** A multi-line name on one line (for sentences and metadata). */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ');

export interface CleanBase {
  issuer: Issuer;
  number: string | undefined;
  now: Date;
  issuedAt: Date;
}

export function cleanIssuer(check: Check, issuer: Issuer | undefined, field = 'issuer'): Issuer {
  if (!issuer || typeof issuer !== 'object') check.fail(field, 'is required');
  const parent =
    issuer.parent === undefined || issuer.parent.trim() === ''
      ? undefined
      : check.lines(`${field}.parent`, issuer.parent);
  return {
    ...(parent ? { parent } : {}),
    name: check.lines(`${field}.name`, issuer.name),
    place: check.text(`${field}.place`, issuer.place, 100),
  };
}

export function cleanBase(check: Check, input: FormBase): CleanBase {
  if (!input || typeof input !== 'object') check.fail('input', 'is required');
  const now = input.now === undefined ? new Date() : check.date('now', input.now);
  return {
    issuer: cleanIssuer(check, input.issuer),
    number: check.optText('number', input.number, 60),
    now,
    issuedAt: input.issuedAt === undefined ? now : check.date('issuedAt', input.issuedAt),
  };
}

export function cleanApplicant(check: Check, a: Applicant | undefined, field = 'applicant'): Applicant {
  if (!a || typeof a !== 'object') check.fail(field, 'is required');
  const out: Applicant = { name: check.text(`${field}.name`, a.name, 200) };
  const address = check.optText(`${field}.address`, a.address, 500);
  const phone = check.optText(`${field}.phone`, a.phone, 40);
  const email = check.optText(`${field}.email`, a.email, 200);
  const idNumber = check.optText(`${field}.idNumber`, a.idNumber, 40);
  if (address) out.address = address;
  if (phone) out.phone = phone;
  if (email) out.email = email;
  if (idNumber) out.idNumber = idNumber;
  return out;
}

export function cleanProcedure(check: Check, p: ProcedureRef | undefined, field = 'procedure'): ProcedureRef {
  if (!p || typeof p !== 'object') check.fail(field, 'is required');
  const code = check.optText(`${field}.code`, p.code, 40);
  return { name: check.text(`${field}.name`, p.name, 1000), ...(code ? { code } : {}) };
}

export function cleanOfficer(check: Check, o: Officer | undefined, field: string): Officer {
  if (o === undefined || o === null) return {};
  const name = check.optText(`${field}.name`, o.name, 200);
  const title = check.optText(`${field}.title`, o.title, 200);
  const capacity = check.optText(`${field}.capacity`, o.capacity, 200);
  return { ...(name ? { name } : {}), ...(title ? { title } : {}), ...(capacity ? { capacity } : {}) };
}

/** Cleans a list of texts: trimmed, precomposed, blank entries dropped, duplicates (ignoring case) listed once. */
export function uniqueTexts(
  check: Check,
  field: string,
  items: readonly string[] | undefined,
  max = 1000,
): string[] {
  const list = check.nonEmptyArray(field, items);
  const seen = new Set<string>();
  const out: string[] = [];
  list.forEach((raw, i) => {
    const s = check.optText(`${field}[${i}]`, raw, max);
    if (!s) return;
    const key = s.toLocaleLowerCase('vi-VN').replace(/[.;,\s]+$/, '');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  });
  if (out.length === 0) check.fail(field, 'must list at least one non-blank item');
  return out;
}

/** Opens the document and draws the heading of a one-stop form (unit, motto, number, place and date, title). */
export function openForm(
  base: CleanBase,
  meta: { title: string; subject: string; keywords?: string },
  setup: PageSetup = {},
): Doc {
  const doc = createDocument(
    {
      title: meta.title,
      author: base.issuer.name,
      subject: meta.subject,
      ...(meta.keywords ? { keywords: meta.keywords } : {}),
      now: base.now,
    },
    setup,
  );
  drawHeader(doc, {
    ...(base.issuer.parent ? { parent: base.issuer.parent } : {}),
    unit: base.issuer.name,
    number: { value: base.number ?? '…………' },
    placeDate: formatPlaceDate(base.issuer.place, base.issuedAt),
  });
  drawTitle(doc, meta.title);
  return doc;
}

/** "Label: value", the value in bold when asked; `width` narrows the line (text beside a QR code). */
export function field(
  doc: Doc,
  label: string,
  value: string,
  o: { style?: 'regular' | 'bold'; width?: number; after?: number } = {},
): void {
  rich(doc, [{ text: `${label}: ` }, { text: value, style: o.style ?? 'regular' }], {
    after: o.after ?? 2,
    ...(o.width ? { width: o.width } : {}),
  });
}

/** A centred line under the title, e.g. "Mã hồ sơ: H41.50-261124-0007". */
export function subtitle(doc: Doc, label: string, value: string): void {
  centredRich(doc, [{ text: `${label}: ` }, { text: value, style: 'bold' }], { after: 8 });
}
