/** Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ (control sheet: the hand-overs of a dossier). */
import { Check } from '../errors.js';
import { type DateInput, formatDate, formatTime, TIMING_LABELS, type Timing } from '../format.js';
import { type Cell, drawTable, finish, rich, SIZE } from '../layout/index.js';
import type { Applicant, FormBase, ProcedureRef } from '../types.js';
import { cleanApplicant, cleanBase, cleanProcedure, field, openForm, subtitle } from './common.js';

/** One side of a hand-over. */
export interface Party {
  /** Unit name, e.g. "Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch". */
  unit: string;
  /** Person, e.g. "Trần Văn Đức"; absent when the dossier went to a unit without an assignee. */
  person?: string | null;
}

/** One row of the control sheet: the dossier passes from `from` to `to` at `at`, for the step `step`. */
export interface HandOver {
  /** Step name, e.g. "Thẩm định hồ sơ". */
  step: string;
  from: Party;
  to: Party;
  /** Hand-over time. */
  at: DateInput;
  /** Due date of the step taken over. */
  dueAt?: DateInput | null;
  /** Result of the step: early / on time / late; null while in progress. */
  timing?: Timing | null;
  note?: string | null;
}

export interface ControlSheetInput extends FormBase {
  dossierCode: string;
  /** Number of the receipt (Mẫu 01) the sheet goes with. */
  receiptNumber?: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  /** Agency in charge (cơ quan chủ trì giải quyết). */
  leadAgency: string;
  /** Coordinating agencies (cơ quan phối hợp), for inter-agency procedures. */
  coordinatingAgencies?: readonly string[];
  receivedAt: DateInput;
  dueAt: DateInput;
  handOvers: readonly HandOver[];
}

/** The fields of a step record (`@tinhso/domain` StepRecord) this package needs. */
export interface StepLike {
  name: string;
  unit: string;
  assignee: string | null;
  startedAt: string;
  dueAt: string;
  completedAt: string | null;
  timing: Timing | null;
}

/**
 * Builds the hand-over rows from the step log of a dossier: step i is handed from the holder of step i−1 (the
 * one-stop unit for the first step) to its own unit and assignee at its start; its due date and result are the
 * step's. When the last step is finished, a final row returns the dossier to the one-stop unit.
 * `unitName` and `personName` resolve codes and ids to printable names.
 */
export function handOversFromSteps(
  steps: readonly StepLike[],
  o: {
    reception: Party;
    unitName: (code: string) => string;
    personName: (id: string) => string;
    /** Name of the closing row; default "Trả kết quả cho Bộ phận Một cửa". */
    returnStep?: string;
  },
): HandOver[] {
  const rows: HandOver[] = [];
  let holder: Party = o.reception;
  for (const s of steps) {
    const to: Party = { unit: o.unitName(s.unit), person: s.assignee ? o.personName(s.assignee) : null };
    rows.push({ step: s.name, from: holder, to, at: s.startedAt, dueAt: s.dueAt, timing: s.timing });
    holder = to;
  }
  const last = steps.at(-1);
  if (last?.completedAt) {
    rows.push({
      step: o.returnStep ?? 'Trả kết quả cho Bộ phận Một cửa',
      from: holder,
      to: o.reception,
      at: last.completedAt,
    });
  }
  return rows;
}

const FORM = 'Mẫu 05 (renderControlSheet)';
const TITLE = 'Phiếu kiểm soát quá trình giải quyết hồ sơ';

export async function renderControlSheet(input: ControlSheetInput): Promise<Buffer> {
  const check: Check = new Check(FORM);
  const base = cleanBase(check, input);
  const code = check.dossierCode('dossierCode', input.dossierCode);
  const receiptNumber = check.optText('receiptNumber', input.receiptNumber, 60);
  const applicant = cleanApplicant(check, input.applicant);
  const procedure = cleanProcedure(check, input.procedure);
  const leadAgency = check.text('leadAgency', input.leadAgency, 300);
  const coordinating = (input.coordinatingAgencies ?? [])
    .map((c, i) => check.optText(`coordinatingAgencies[${i}]`, c, 300))
    .filter((c): c is string => !!c);
  const receivedAt = check.date('receivedAt', input.receivedAt);
  const dueAt = check.date('dueAt', input.dueAt);
  if (!Array.isArray(input.handOvers)) check.fail('handOvers', 'must be a list (possibly empty)');
  const rows = input.handOvers.map((h, i) => {
    const f = `handOvers[${i}]`;
    const party = (p: Party | undefined, name: string) => {
      if (!p || typeof p !== 'object') check.fail(`${f}.${name}`, 'is required');
      return {
        unit: check.text(`${f}.${name}.unit`, p.unit, 300),
        person: check.optText(`${f}.${name}.person`, p.person, 200),
      };
    };
    const timing = check.timing(`${f}.timing`, h.timing);
    return {
      step: check.text(`${f}.step`, h.step, 300),
      from: party(h.from, 'from'),
      to: party(h.to, 'to'),
      at: check.date(`${f}.at`, h.at),
      dueAt: check.optDate(`${f}.dueAt`, h.dueAt),
      timing,
      note: check.optText(`${f}.note`, h.note, 500),
    };
  });

  const doc = openForm(base, { title: TITLE, subject: `Mẫu 05 — ${procedure.name}`, keywords: code });
  subtitle(doc, 'Mã hồ sơ', code);
  if (receiptNumber) {
    rich(
      doc,
      [{ text: `(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: ${receiptNumber})`, style: 'italic' }],
      {
        align: 'center',
        after: 6,
      },
    );
  }
  field(doc, 'Hồ sơ của', applicant.name, { style: 'bold' });
  field(doc, 'Nội dung yêu cầu giải quyết', procedure.name);
  field(doc, 'Cơ quan (bộ phận) giải quyết hồ sơ', leadAgency);
  if (coordinating.length) field(doc, 'Cơ quan phối hợp giải quyết hồ sơ', coordinating.join('; '));
  field(
    doc,
    'Ngày nhận hồ sơ',
    `${formatTime(receivedAt)} ngày ${formatDate(receivedAt)}; hạn trả kết quả: ${formatTime(dueAt)} ngày ${formatDate(dueAt)}`,
    { after: 8 },
  );

  const party = (p: { unit: string; person: string | undefined }): Cell => [
    { text: p.unit },
    ...(p.person ? [{ text: p.person, style: 'italic' as const }] : []),
  ];
  const when = (d: Date): Cell => [{ text: formatDate(d) }, { text: formatTime(d) }];
  drawTable(doc, {
    columns: [
      { header: 'TT', weight: 5, align: 'center' },
      { header: 'Bước xử lý', weight: 17 },
      { header: 'Bên giao (đơn vị, người giao)', weight: 20 },
      { header: 'Bên nhận (đơn vị, người nhận)', weight: 20 },
      { header: 'Thời gian giao, nhận', weight: 12, align: 'center' },
      { header: 'Hạn xử lý', weight: 12, align: 'center' },
      { header: 'Kết quả (trước hạn / đúng hạn / quá hạn)', weight: 14, align: 'center' },
    ],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.note ? [{ text: r.step }, { text: r.note, style: 'italic' as const }] : r.step,
      party(r.from),
      party(r.to),
      when(r.at),
      r.dueAt ? when(r.dueAt) : '',
      r.timing ? TIMING_LABELS[r.timing] : r.dueAt ? 'Đang xử lý' : '',
    ]),
    size: SIZE.small + 0.5,
    headerSize: SIZE.small + 0.5,
  });
  if (rows.length === 0) rich(doc, [{ text: '(Chưa có bước chuyển giao nào.)', style: 'italic' }]);
  return finish(doc);
}
