/**
 * A landscape A4 report made of a title, a few "label: value" lines and titled tables (the indicator dashboard
 * export, issue 6 item 4). Tables break across pages with their header repeated; page numbers from page 2.
 */
import { Check } from '../errors.js';
import type { DateInput } from '../format.js';
import {
  type Column,
  createDocument,
  drawTable,
  drawTitle,
  ensureSpace,
  finish,
  lineHeight,
  para,
  rich,
  SIZE,
} from '../layout/index.js';

export interface TableReportSection {
  /** Heading printed above the table, e.g. "1. Chỉ số phục vụ". */
  heading: string;
  columns: readonly Column[];
  rows: readonly (readonly string[])[];
  /** Printed in italics under the heading when there are no rows. */
  empty?: string;
  /** A short note under the table. */
  note?: string;
}

export interface TableReportInput {
  /** Printed in capitals, bold, centred. */
  title: string;
  /** Author in the PDF metadata (the unit). */
  author: string;
  /** "label: value" lines under the title (unit, period, generated at). */
  facts: readonly { label: string; value: string }[];
  sections: readonly TableReportSection[];
  /** Rendering instant (PDF creation date). */
  now?: DateInput;
}

const FORM = 'renderTableReport';

export async function renderTableReport(input: TableReportInput): Promise<Buffer> {
  const check = new Check(FORM);
  if (!input || typeof input !== 'object') check.fail('input', 'is required');
  const title = check.text('title', input.title, 300);
  const author = check.text('author', input.author, 300);
  const now = input.now === undefined ? new Date() : check.date('now', input.now);
  if (!Array.isArray(input.facts)) check.fail('facts', 'must be a list');
  if (!Array.isArray(input.sections)) check.fail('sections', 'must be a list');
  const facts = input.facts.map((f, i) => ({
    label: check.text(`facts[${i}].label`, f.label, 100),
    value: check.text(`facts[${i}].value`, f.value, 500),
  }));
  const sections = input.sections.map((s, i) => {
    if (!Array.isArray(s.columns) || s.columns.length === 0) check.fail(`sections[${i}].columns`, 'is empty');
    if (!Array.isArray(s.rows)) check.fail(`sections[${i}].rows`, 'must be a list');
    return {
      heading: check.text(`sections[${i}].heading`, s.heading, 300),
      columns: s.columns,
      rows: s.rows.map((r) => s.columns.map((_, c) => String(r[c] ?? '').normalize('NFC'))),
      empty: check.optText(`sections[${i}].empty`, s.empty, 300),
      note: check.optText(`sections[${i}].note`, s.note, 1000),
    };
  });

  const doc = createDocument(
    { title, author, subject: title, now },
    { layout: 'landscape', margins: { top: 15, bottom: 15, left: 20, right: 15 } },
  );
  drawTitle(doc, title, { after: 6 });
  for (const f of facts)
    rich(doc, [{ text: `${f.label}: ` }, { text: f.value, style: 'bold' }], { after: 1 });
  doc.y += 6;
  for (const s of sections) {
    // keep a heading with the start of its table
    ensureSpace(doc, lineHeight(doc, 'bold', SIZE.body) * 4);
    para(doc, s.heading, { style: 'bold', size: SIZE.body, align: 'left', after: 3 });
    if (s.rows.length === 0) {
      para(doc, s.empty ?? '(Không có số liệu.)', {
        style: 'italic',
        size: SIZE.table,
        align: 'left',
        after: 8,
      });
      continue;
    }
    drawTable(doc, {
      columns: s.columns,
      rows: s.rows,
      size: SIZE.small,
      headerSize: SIZE.small,
      padding: 2.5,
    });
    if (s.note) para(doc, s.note, { style: 'italic', size: SIZE.small, align: 'left', after: 8 });
    else doc.y += 4;
  }
  return finish(doc);
}
