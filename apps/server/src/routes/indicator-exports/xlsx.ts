/**
 * The indicator dashboard as an XLSX workbook: sheets "Chỉ số" (the KPI rows), "Bộ chỉ số 766", "Đơn vị" (the child
 * units) and "Thủ tục" (the procedures).
 */
import { UNIT_LEVEL_LABELS, type UnitLevel } from '@tinhso/domain';
import { formatDate, formatTime } from '@tinhso/pdf';
import ExcelJS from 'exceljs';
import { kpis, periodText, REPORT_TITLE, type Summary } from './report.js';

const levelText = (l: string) => UNIT_LEVEL_LABELS[l as UnitLevel]?.vi ?? l;

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'Times New Roman';
const PCT = '0.0%';
const INT = '#,##0';
const DEC = '0.00';

interface XColumn {
  header: string;
  width: number;
  fmt?: string;
  center?: boolean;
}
type XValue = string | number | null;

/** A sheet in the house style of registers-xlsx.ts: title lines, a frozen header row with a filter, bordered body. */
function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  lines: string[],
  columns: XColumn[],
  rows: { values: XValue[]; bold?: boolean }[],
) {
  const ws = wb.addWorksheet(name, {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  lines.forEach((text, i) => {
    ws.mergeCells(i + 1, 1, i + 1, columns.length);
    const cell = ws.getCell(i + 1, 1);
    cell.value = text;
    cell.font = { name: FONT, size: i === 0 ? 14 : 12, bold: i === 0 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  const headerRow = lines.length + 2;
  const h = ws.getRow(headerRow);
  columns.forEach((c, i) => {
    const cell = h.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    ws.getColumn(i + 1).width = c.width;
  });
  h.height = 36;
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }];
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } };
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  for (const r of rows) {
    const row = ws.addRow(r.values.map((v) => (v === null ? '' : v)));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.font = { name: FONT, size: 11, bold: !!r.bold };
      cell.border = BORDER;
      const numeric = typeof r.values[i] === 'number';
      cell.alignment = {
        vertical: 'top',
        wrapText: true,
        horizontal: c.center ? 'center' : numeric ? 'right' : 'left',
      };
      const v = r.values[i];
      // an integer format on a fraction (mean working days, points) would hide the decimals
      if (numeric && c.fmt) cell.numFmt = c.fmt === INT && !Number.isInteger(v) ? DEC : c.fmt;
    });
  }
  return ws;
}

export async function indicatorsToXlsx(s: Summary, generatedAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tỉnh Số';
  wb.created = generatedAt;
  const lines = [
    REPORT_TITLE,
    `Đơn vị: ${s.unit.name} (${s.unit.code})`,
    `Kỳ: ${periodText(s.period)}`,
    `Lập lúc: ${formatTime(generatedAt)} ngày ${formatDate(generatedAt)} (giờ Việt Nam)`,
  ];
  sheet(
    wb,
    'Chỉ số',
    lines,
    [
      { header: 'STT', width: 6, center: true },
      { header: 'Chỉ số', width: 44 },
      { header: 'Số lượng', width: 14, fmt: INT },
      { header: 'Tỷ lệ', width: 12, fmt: PCT },
      { header: 'Cách tính', width: 44 },
    ],
    [
      ...kpis(s).map((k, i) => ({
        values: [i + 1, k.label, k.count, k.share ?? null, k.how ?? ''] as XValue[],
      })),
      {
        values: [
          kpis(s).length + 1,
          'Số ngày làm việc bình quân từ tiếp nhận đến giải quyết',
          s.shares.meanWorkDays,
          null,
          'tổng số ngày làm việc ÷ số hồ sơ đã giải quyết',
        ],
      },
      {
        values: [
          kpis(s).length + 2,
          `Điểm Bộ chỉ số 766 (tối đa ${s.score.max} điểm của các chỉ tiêu đã có; thang chính thức ${s.score.officialMax})`,
          s.score.total,
          s.score.max > 0 ? s.score.total / s.score.max : null,
          'tổng điểm ÷ điểm tối đa của các chỉ tiêu đã có',
        ],
        bold: true,
      },
    ],
  );

  const scoreRows = s.score.groups.flatMap((g) => [
    ...g.items.map((i) => ({
      values: [
        `${g.code} — ${g.label}`,
        i.id,
        i.label,
        i.numerator,
        i.denominator,
        i.share,
        i.points,
        i.max,
        i.lost,
        i.version,
      ] as XValue[],
    })),
    {
      values: [
        `${g.code} — ${g.label}`,
        '',
        `Cộng nhóm (tối đa chính thức ${g.officialMax})`,
        null,
        null,
        null,
        g.points,
        g.max,
        g.max - g.points,
        null,
      ] as XValue[],
      bold: true,
    },
  ]);
  sheet(
    wb,
    'Bộ chỉ số 766',
    lines,
    [
      { header: 'Nhóm', width: 28 },
      { header: 'Mã chỉ tiêu', width: 22 },
      { header: 'Chỉ tiêu', width: 56 },
      { header: 'Tử số', width: 11, fmt: INT },
      { header: 'Mẫu số', width: 11, fmt: INT },
      { header: 'Tỷ lệ', width: 10, fmt: PCT },
      { header: 'Điểm', width: 9, fmt: DEC },
      { header: 'Điểm tối đa', width: 9, fmt: DEC },
      { header: 'Điểm bị mất', width: 9, fmt: DEC },
      { header: 'Phiên bản công thức', width: 11, center: true },
    ],
    [
      ...scoreRows,
      {
        values: [
          'Tổng cộng',
          '',
          `Tổng điểm (thang chính thức ${s.score.officialMax})`,
          null,
          null,
          null,
          s.score.total,
          s.score.max,
          s.score.max - s.score.total,
          null,
        ],
        bold: true,
      },
    ],
  );

  sheet(
    wb,
    'Đơn vị',
    lines,
    [
      { header: 'Mã đơn vị', width: 14 },
      { header: 'Tên đơn vị', width: 44 },
      { header: 'Cấp', width: 20 },
      { header: 'Tiếp nhận', width: 11, fmt: INT },
      { header: 'Trực tuyến', width: 11, fmt: INT },
      { header: 'Tỷ lệ trực tuyến', width: 11, fmt: PCT },
      { header: 'Đã giải quyết', width: 11, fmt: INT },
      { header: 'Quá hạn', width: 10, fmt: INT },
      { header: 'Tỷ lệ đúng hạn', width: 11, fmt: PCT },
      { header: 'Đang giải quyết quá hạn', width: 12, fmt: INT },
      { header: 'Tỷ lệ hài lòng', width: 11, fmt: PCT },
      { header: 'Điểm 766', width: 10, fmt: DEC },
    ],
    s.children.map((c) => ({
      values: [
        c.unit.code,
        c.unit.name,
        levelText(c.unit.level),
        c.counts.received,
        c.counts.online,
        c.shares.online,
        c.counts.resolved,
        c.counts.late,
        c.shares.onTime,
        c.counts.inProgressOverdue,
        c.shares.satisfied,
        c.score.total,
      ],
    })),
  );

  sheet(
    wb,
    'Thủ tục',
    lines,
    [
      { header: 'Mã thủ tục', width: 14 },
      { header: 'Tên thủ tục', width: 60 },
      { header: 'Tiếp nhận', width: 11, fmt: INT },
      { header: 'Trực tuyến', width: 11, fmt: INT },
      { header: 'Đã giải quyết', width: 11, fmt: INT },
      { header: 'Quá hạn', width: 10, fmt: INT },
      { header: 'Đang giải quyết quá hạn', width: 12, fmt: INT },
      { header: 'Tỷ lệ đúng hạn', width: 11, fmt: PCT },
    ],
    s.byProcedure.map((p) => ({
      values: [p.code, p.name, p.received, p.online, p.resolved, p.late, p.overdue, p.onTimeShare],
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
