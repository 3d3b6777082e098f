import { foldVietnamese } from '@tinhso/domain';
import {
  type ControlSheetInput,
  type DateInput,
  formatDate,
  formatTime,
  type RegisterInput,
  TIMING_LABELS,
} from '@tinhso/pdf';
import ExcelJS from 'exceljs';
import { encodeRfc5987 } from '../services/files/index.js';

/**
 * The one-stop registers as XLSX workbooks (issue 4 §5): Mẫu 06 (sổ theo dõi hồ sơ) and Mẫu 05 (phiếu kiểm soát
 * quá trình giải quyết hồ sơ), from the same data as the PDFs (`unitRegisterInput`, `controlSheetInput` in
 * forms.ts). Dates are written as text "dd/mm/yyyy HH:mm" in Vietnam time, so the sheet reads the same whatever the
 * time zone of the computer that opens it.
 */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const when = (d: DateInput | null | undefined): string => (d ? `${formatDate(d)} ${formatTime(d)}` : '');

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

interface Column {
  header: string;
  width: number;
  center?: boolean;
}

function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tỉnh Số';
  wb.created = new Date();
  return wb;
}

interface Line {
  text: string;
  bold?: boolean;
  italic?: boolean;
  size?: number;
}

/**
 * Title rows (merged across the table), `reserve` rows left to the caller, a blank row, then the header row (frozen,
 * with a filter); returns the header row number.
 */
function heading(ws: ExcelJS.Worksheet, columns: Column[], lines: Line[], reserve = 0) {
  const last = columns.length;
  lines.forEach((line, i) => {
    const row = i + 1;
    ws.mergeCells(row, 1, row, last);
    const cell = ws.getCell(row, 1);
    cell.value = line.text;
    cell.font = { name: 'Times New Roman', size: line.size ?? 12, bold: !!line.bold, italic: !!line.italic };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  const headerRow = lines.length + reserve + 2; // one blank row between the title and the table
  const h = ws.getRow(headerRow);
  columns.forEach((c, i) => {
    const cell = h.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: 'Times New Roman', size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    ws.getColumn(i + 1).width = c.width;
  });
  h.height = 45;
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }];
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: last } };
  return headerRow;
}

function body(ws: ExcelJS.Worksheet, columns: Column[], rows: (string | number)[][]) {
  for (const values of rows) {
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.font = { name: 'Times New Roman', size: 11 };
      cell.alignment = {
        vertical: 'top',
        wrapText: true,
        horizontal: columns[col - 1]?.center ? 'center' : 'left',
      };
      cell.border = BORDER;
    });
  }
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const REGISTER_COLUMNS: Column[] = [
  { header: 'STT', width: 6, center: true },
  { header: 'Mã hồ sơ', width: 22 },
  { header: 'Tên thủ tục hành chính', width: 50 },
  { header: 'Tên cá nhân, tổ chức', width: 26 },
  { header: 'Ngày nhận hồ sơ', width: 17, center: true },
  { header: 'Hẹn trả kết quả', width: 17, center: true },
  { header: 'Ngày chuyển hồ sơ đến cơ quan giải quyết', width: 17, center: true },
  { header: 'Ngày có kết quả giải quyết', width: 17, center: true },
  { header: 'Ngày trả kết quả', width: 17, center: true },
  { header: 'Trước hạn / Đúng hạn / Quá hạn', width: 14, center: true },
  { header: 'Ghi chú', width: 22 },
];

/** Mẫu 06 — Sổ theo dõi hồ sơ, one row per dossier. */
export async function registerToXlsx(input: RegisterInput): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('Mẫu 06', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const lines = [
    ...(input.issuer.parent
      ? [{ text: input.issuer.parent.replace(/\n/g, ' ').toLocaleUpperCase('vi') }]
      : []),
    { text: input.issuer.name.replace(/\n/g, ' ').toLocaleUpperCase('vi'), bold: true },
    { text: 'SỔ THEO DÕI HỒ SƠ', bold: true, size: 14 },
    ...(input.subtitle ? [{ text: input.subtitle, bold: true }] : []),
    ...(input.period
      ? [
          {
            text: `(Từ ngày ${formatDate(input.period.from)} đến ngày ${formatDate(input.period.to)})`,
            italic: true,
          },
        ]
      : []),
  ];
  const headerRow = heading(ws, REGISTER_COLUMNS, lines);
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  body(
    ws,
    REGISTER_COLUMNS,
    input.rows.map((r, i) => [
      i + 1,
      r.dossierCode,
      r.procedure,
      r.applicantContact ? `${r.applicant}\n${r.applicantContact}` : r.applicant,
      when(r.receivedAt),
      when(r.dueAt),
      when(r.transferredAt),
      when(r.finishedAt),
      when(r.returnedAt),
      r.timing ? TIMING_LABELS[r.timing] : '',
      r.note ?? '',
    ]),
  );
  if (input.rows.length === 0) {
    const row = ws.addRow(['', '(Không có hồ sơ trong khoảng thời gian này.)']);
    row.getCell(2).font = { name: 'Times New Roman', size: 11, italic: true };
  }
  return toBuffer(wb);
}

export const CONTROL_SHEET_COLUMNS: Column[] = [
  { header: 'TT', width: 6, center: true },
  { header: 'Bước xử lý', width: 30 },
  { header: 'Bên giao (đơn vị, người giao)', width: 38 },
  { header: 'Bên nhận (đơn vị, người nhận)', width: 38 },
  { header: 'Thời gian giao, nhận', width: 18, center: true },
  { header: 'Hạn xử lý', width: 18, center: true },
  { header: 'Kết quả (trước hạn / đúng hạn / quá hạn)', width: 16, center: true },
];

/** Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ: the dossier's particulars, then one row per hand-over. */
export async function controlSheetToXlsx(input: ControlSheetInput): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('Mẫu 05', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const party = (p: { unit: string; person?: string | null }) =>
    p.person ? `${p.unit}\n${p.person}` : p.unit;
  const coordinating = (input.coordinatingAgencies ?? []).filter((x) => x.trim());
  const lines = [
    ...(input.issuer.parent
      ? [{ text: input.issuer.parent.replace(/\n/g, ' ').toLocaleUpperCase('vi') }]
      : []),
    { text: input.issuer.name.replace(/\n/g, ' ').toLocaleUpperCase('vi'), bold: true },
    { text: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', bold: true, size: 14 },
    { text: `Mã hồ sơ: ${input.dossierCode}`, bold: true },
    ...(input.receiptNumber
      ? [
          {
            text: `(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: ${input.receiptNumber})`,
            italic: true,
          },
        ]
      : []),
  ];
  // The particulars sit between the title and the table, label in column B, value merged over C…G.
  const fields: [string, string][] = [
    ['Hồ sơ của', input.applicant.name],
    ['Nội dung yêu cầu giải quyết', input.procedure.name],
    ['Cơ quan (bộ phận) giải quyết hồ sơ', input.leadAgency],
    ...(coordinating.length
      ? [['Cơ quan phối hợp giải quyết hồ sơ', coordinating.join('; ')] as [string, string]]
      : []),
    ['Ngày nhận hồ sơ', when(input.receivedAt)],
    ['Hạn trả kết quả', when(input.dueAt)],
  ];
  const titleRows = lines.length;
  const tableHeader = heading(ws, CONTROL_SHEET_COLUMNS, lines, fields.length + 1);
  fields.forEach(([label, value], i) => {
    const row = titleRows + 2 + i; // a blank row after the title
    ws.mergeCells(row, 1, row, 2);
    ws.mergeCells(row, 3, row, CONTROL_SHEET_COLUMNS.length);
    const l = ws.getCell(row, 1);
    l.value = `${label}:`;
    l.font = { name: 'Times New Roman', size: 12 };
    l.alignment = { horizontal: 'left', vertical: 'top' };
    const v = ws.getCell(row, 3);
    v.value = value;
    v.font = { name: 'Times New Roman', size: 12, bold: i === 0 };
    v.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
  });
  ws.pageSetup.printTitlesRow = `${tableHeader}:${tableHeader}`;
  body(
    ws,
    CONTROL_SHEET_COLUMNS,
    input.handOvers.map((h, i) => [
      i + 1,
      h.note ? `${h.step}\n${h.note}` : h.step,
      party(h.from),
      party(h.to),
      when(h.at),
      when(h.dueAt),
      h.timing ? TIMING_LABELS[h.timing] : h.dueAt ? 'Đang xử lý' : '',
    ]),
  );
  if (input.handOvers.length === 0) {
    const row = ws.addRow(['', '(Chưa có bước chuyển giao nào.)']);
    row.getCell(2).font = { name: 'Times New Roman', size: 11, italic: true };
  }
  return toBuffer(wb);
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` for a download with a Vietnamese name. */
export function attachmentDisposition(name: string): string {
  const ascii = foldVietnamese(name).replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
