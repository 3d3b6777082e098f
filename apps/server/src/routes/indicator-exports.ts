/**
 * Exports of the indicator dashboard (issue 6 item 4): the same figures as GET /api/indicators for a unit and a
 * period, as an XLSX workbook (sheets "Chỉ số", "Bộ chỉ số 766", "Đơn vị", "Thủ tục") and as an A4 landscape PDF
 * (the KPI table, the 766 table and the child units). Same access rule as the dashboard: heads, leaders and
 * administrators of the unit or above it.
 */
import { type Period, UNIT_LEVEL_LABELS, type UnitLevel } from '@tinhso/domain';
import { formatDate, formatInteger, formatTime, renderTableReport } from '@tinhso/pdf';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer } from '../auth/principal.js';
import { attachmentDisposition, XLSX_MIME } from '../documents/registers-xlsx.js';
import { errors } from '../http/schemas.js';
import type { IndicatorService } from '../services/indicators.js';
import { PeriodQuery, periodOf } from './indicators.js';

type Summary = Awaited<ReturnType<IndicatorService['summary']>>;

export const REPORT_TITLE = 'BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP';

/** 2026-01-05 → 05/01/2026 (a calendar date, no time zone involved). */
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
export const periodText = (p: Period) => `${dmy(p.from)} – ${dmy(p.to)}`;
/** 0.956 → "95,6 %"; null → "—". */
export const pctText = (x: number | null) =>
  x === null ? '—' : `${(x * 100).toFixed(1).replace('.', ',')} %`;
const decText = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits).replace('.', ','));
const levelText = (l: string) => UNIT_LEVEL_LABELS[l as UnitLevel]?.vi ?? l;

interface Kpi {
  label: string;
  count: number | null;
  share?: number | null;
  how?: string;
}

/** The dashboard's figures as labelled rows (counts and shares). */
export function kpis(s: Summary): Kpi[] {
  const c = s.counts;
  return [
    { label: 'Hồ sơ tiếp nhận trong kỳ', count: c.received },
    { label: 'Tiếp nhận trực tuyến', count: c.online, share: s.shares.online, how: 'trực tuyến ÷ tiếp nhận' },
    { label: 'Tiếp nhận trực tiếp', count: c.counter },
    { label: 'Tiếp nhận qua bưu chính', count: c.post },
    { label: 'Đã giải quyết', count: c.resolved },
    { label: 'Giải quyết trước hạn', count: c.early },
    { label: 'Giải quyết đúng hạn', count: c.onTime },
    { label: 'Giải quyết quá hạn', count: c.late },
    {
      label: 'Giải quyết trước hạn và đúng hạn',
      count: c.early + c.onTime,
      share: s.shares.onTime,
      how: '(trước hạn + đúng hạn) ÷ đã giải quyết',
    },
    { label: 'Đang giải quyết, còn trong hạn', count: c.inProgressWithinDeadline },
    { label: 'Đang giải quyết, đã quá hạn', count: c.inProgressOverdue },
    { label: 'Dừng giải quyết, rút hồ sơ', count: c.cancelled },
    { label: 'Hồ sơ có số hóa', count: c.digitized, share: s.shares.digitized, how: 'số hóa ÷ tiếp nhận' },
    {
      label: 'Hồ sơ tái sử dụng dữ liệu số',
      count: c.reusedData,
      share: s.shares.reused,
      how: 'tái sử dụng ÷ tiếp nhận',
    },
    {
      label: 'Hồ sơ có kết quả điện tử',
      count: c.electronicResult,
      share: s.shares.electronicResult,
      how: 'kết quả điện tử ÷ tiếp nhận',
    },
    { label: 'Hồ sơ có thu phí, lệ phí', count: c.feeCharging },
    {
      label: 'Thanh toán trực tuyến',
      count: c.paidOnline,
      share: s.shares.paidOnline,
      how: 'thanh toán trực tuyến ÷ có thu phí, lệ phí',
    },
    { label: 'Lượt đánh giá', count: c.rated },
    { label: 'Rất hài lòng', count: c.verySatisfied },
    { label: 'Hài lòng', count: c.satisfied },
    { label: 'Không hài lòng', count: c.unsatisfied },
    {
      label: 'Hài lòng (rất hài lòng + hài lòng)',
      count: c.verySatisfied + c.satisfied,
      share: s.shares.satisfied,
      how: '(rất hài lòng + hài lòng) ÷ lượt đánh giá',
    },
  ];
}

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

export function indicatorsToPdf(s: Summary, generatedAt: Date): Promise<Buffer> {
  const int = (n: number | null) => (n === null ? '—' : formatInteger(n));
  return renderTableReport({
    title: REPORT_TITLE,
    author: s.unit.name,
    now: generatedAt,
    facts: [
      { label: 'Đơn vị', value: `${s.unit.name} (${s.unit.code})` },
      { label: 'Kỳ', value: periodText(s.period) },
      {
        label: 'Lập lúc',
        value: `${formatTime(generatedAt)} ngày ${formatDate(generatedAt)} (giờ Việt Nam)`,
      },
      {
        label: 'Điểm Bộ chỉ số 766',
        value: `${decText(s.score.total)} / ${s.score.max} điểm của các chỉ tiêu đã có (thang chính thức ${s.score.officialMax})`,
      },
    ],
    sections: [
      {
        heading: '1. Chỉ số phục vụ',
        columns: [
          { header: 'STT', weight: 4, align: 'center' },
          { header: 'Chỉ số', weight: 34 },
          { header: 'Số lượng', weight: 10, align: 'right' },
          { header: 'Tỷ lệ', weight: 9, align: 'right' },
          { header: 'Cách tính', weight: 30 },
        ],
        rows: [
          ...kpis(s).map((k, i) => [
            String(i + 1),
            k.label,
            int(k.count),
            k.share === undefined ? '' : pctText(k.share),
            k.how ?? '',
          ]),
          [
            String(kpis(s).length + 1),
            'Số ngày làm việc bình quân từ tiếp nhận đến giải quyết',
            decText(s.shares.meanWorkDays, 1),
            '',
            'tổng số ngày làm việc ÷ số hồ sơ đã giải quyết',
          ],
        ],
      },
      {
        heading: '2. Bộ chỉ số 766 (Quyết định 766/QĐ-TTg)',
        columns: [
          { header: 'Nhóm', weight: 22 },
          { header: 'Chỉ tiêu', weight: 35 },
          { header: 'Tử số', weight: 7, align: 'right' },
          { header: 'Mẫu số', weight: 7, align: 'right' },
          { header: 'Tỷ lệ', weight: 8, align: 'right' },
          { header: 'Điểm', weight: 7, align: 'right' },
          { header: 'Tối đa', weight: 7, align: 'right' },
          { header: 'Bị mất', weight: 7, align: 'right' },
          { header: 'Phiên bản', weight: 7, align: 'center' },
        ],
        rows: [
          ...s.score.groups.flatMap((g) =>
            g.items.map((i) => [
              `${g.code} — ${g.label}`,
              i.label,
              int(i.numerator),
              int(i.denominator),
              pctText(i.share),
              decText(i.points),
              decText(i.max),
              decText(i.lost),
              String(i.version),
            ]),
          ),
          [
            'Tổng cộng',
            `Tổng điểm (thang chính thức ${s.score.officialMax})`,
            '',
            '',
            '',
            decText(s.score.total),
            decText(s.score.max),
            decText(s.score.max - s.score.total),
            '',
          ],
        ],
      },
      {
        heading: '3. Các đơn vị trực thuộc',
        empty: '(Đơn vị không có đơn vị trực thuộc.)',
        columns: [
          { header: 'Mã', weight: 8 },
          { header: 'Tên đơn vị', weight: 30 },
          { header: 'Tiếp nhận', weight: 8, align: 'right' },
          { header: 'Trực tuyến', weight: 8, align: 'right' },
          { header: 'Đã giải quyết', weight: 8, align: 'right' },
          { header: 'Đúng hạn', weight: 8, align: 'right' },
          { header: 'Quá hạn', weight: 7, align: 'right' },
          { header: 'Đang quá hạn', weight: 7, align: 'right' },
          { header: 'Hài lòng', weight: 8, align: 'right' },
          { header: 'Điểm 766', weight: 8, align: 'right' },
        ],
        rows: s.children.map((c) => [
          c.unit.code,
          c.unit.name,
          int(c.counts.received),
          pctText(c.shares.online),
          int(c.counts.resolved),
          pctText(c.shares.onTime),
          int(c.counts.late),
          int(c.counts.inProgressOverdue),
          pctText(c.shares.satisfied),
          decText(c.score.total),
        ]),
        note: 'Trực tuyến, đúng hạn, hài lòng: tỷ lệ (%). Số liệu theo hồ sơ tiếp nhận trong kỳ.',
      },
    ],
  });
}

export async function indicatorExportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { units } = app.ctx;
  const indicators: IndicatorService = app.ctx.indicators;

  /** As GET /api/indicators: the unit asked for (default: the highest one watched), checked against the roles. */
  function watchedUnit(req: Parameters<typeof requireOfficer>[0], unit: string | undefined): string {
    const officer = requireOfficer(req);
    const code = unit ? units.get(unit).code : indicators.defaultUnit(officer.roles);
    indicators.assertMayView(officer.roles, code ?? '');
    return code!;
  }

  const Query = PeriodQuery.extend({ unit: z.string().trim().min(1).max(40).optional() });
  const send = (reply: FastifyReply, type: string, name: string, file: Buffer) =>
    reply
      .header('content-type', type)
      .header('content-disposition', attachmentDisposition(name))
      .header('cache-control', 'private, no-store')
      .send(file);
  const fileName = (s: Summary, ext: string) => `chi-so-phuc-vu-${s.unit.code}-${s.period.key}.${ext}`;

  r.get(
    '/api/indicators/export.xlsx',
    {
      schema: {
        tags: ['indicators'],
        summary:
          'Chỉ số phục vụ và Bộ chỉ số 766 của một đơn vị, bảng tính XLSX / the dashboard as an XLSX workbook',
        querystring: Query,
        produces: [XLSX_MIME],
        response: { 200: z.any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const s = await indicators.summary(watchedUnit(req, req.query.unit), periodOf(req.query));
      return send(reply, XLSX_MIME, fileName(s, 'xlsx'), await indicatorsToXlsx(s, new Date()));
    },
  );

  r.get(
    '/api/indicators/export.pdf',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Báo cáo chỉ số phục vụ của một đơn vị, PDF A4 ngang / the dashboard as an A4 landscape PDF',
        querystring: Query,
        produces: ['application/pdf'],
        response: { 200: z.any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const s = await indicators.summary(watchedUnit(req, req.query.unit), periodOf(req.query));
      return send(reply, 'application/pdf', fileName(s, 'pdf'), await indicatorsToPdf(s, new Date()));
    },
  );
}
