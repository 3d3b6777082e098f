/**
 * The open data set: one row per agency × procedure and a total row per agency, as JSON or as CSV (RFC 4180, UTF-8
 * with a byte-order mark), with its columns named in English and Vietnamese.
 */
import type { Period } from '@tinhso/domain';
import { z } from 'zod';
import type { Unit } from '../../services/units.js';
import { type AgencyFigures, PeriodView } from './schemas.js';

/** The columns of the open data set, in order: machine name, Vietnamese and English headings. */
export const OPEN_DATA_COLUMNS = [
  ['agency_code', 'Mã cơ quan', 'Agency code'],
  ['agency_name', 'Tên cơ quan', 'Agency name'],
  ['agency_level', 'Cấp (province/department/commune)', 'Level (province/department/commune)'],
  [
    'row_type',
    'Loại dòng (procedure: một thủ tục; total: tổng của cơ quan)',
    'Row type (procedure or total)',
  ],
  ['procedure_code', 'Mã thủ tục', 'Procedure code'],
  ['procedure_name', 'Tên thủ tục', 'Procedure name'],
  ['period_from', 'Từ ngày (YYYY-MM-DD)', 'Period from (YYYY-MM-DD)'],
  ['period_to', 'Đến ngày (YYYY-MM-DD)', 'Period to (YYYY-MM-DD)'],
  ['received', 'Số hồ sơ tiếp nhận trong kỳ', 'Dossiers received in the period'],
  ['decided', 'Số hồ sơ đã giải quyết trong kỳ', 'Dossiers decided in the period'],
  ['on_time', 'Giải quyết trước hạn và đúng hạn', 'Decided early or on time'],
  ['late', 'Giải quyết quá hạn', 'Decided late'],
  ['online', 'Số hồ sơ tiếp nhận trực tuyến', 'Dossiers received online'],
  [
    'median_work_days',
    'Trung vị số ngày làm việc từ tiếp nhận đến giải quyết (dòng tổng: để trống)',
    'Median working days from reception to decision (blank on total rows)',
  ],
] as const;
type ColumnName = (typeof OPEN_DATA_COLUMNS)[number][0];
type OpenDataRow = Record<ColumnName, string | number | null>;

const OpenDataRowSchema = z.object(
  Object.fromEntries(
    OPEN_DATA_COLUMNS.map(([name]) => [name, z.union([z.string(), z.number(), z.null()])]),
  ) as Record<ColumnName, z.ZodUnion<[z.ZodString, z.ZodNumber, z.ZodNull]>>,
);

export const OpenData = z.object({
  title: z.string(),
  publisher: z.string(),
  period: PeriodView,
  generatedAt: z.string(),
  notes: z.array(z.string()),
  columns: z.array(z.object({ name: z.string(), vi: z.string(), en: z.string() })),
  rows: z.array(OpenDataRowSchema),
});

export const OPEN_DATA_NOTES = [
  'received, online: hồ sơ tiếp nhận trong kỳ / dossiers received in the period.',
  'decided, on_time, late, median_work_days: hồ sơ có kết quả giải quyết trong kỳ / dossiers decided in the period.',
  'Dòng total của một cơ quan gồm mọi đơn vị trực thuộc; dòng của tỉnh gồm toàn tỉnh / ' +
    'a total row covers the agency and every unit below it; the province covers the whole province.',
  'Chỉ số liệu tổng hợp, không có dữ liệu cá nhân / aggregates only, no personal data.',
];

/** One field of RFC 4180 CSV: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  // A text cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV in UTF-8 with a byte-order mark (Excel reads Vietnamese correctly), CRLF line ends, a header row. */
export function toCsv(rows: readonly OpenDataRow[]): Buffer {
  const lines = [
    OPEN_DATA_COLUMNS.map(([name]) => name).join(','),
    ...rows.map((r) => OPEN_DATA_COLUMNS.map(([name]) => csvField(r[name])).join(',')),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** One row per agency × procedure, then the agency's total row; the agencies' figures one after the other. */
export async function openDataRows(
  list: Unit[],
  period: Period,
  figures: (u: Unit, period: Period) => Promise<AgencyFigures>,
): Promise<OpenDataRow[]> {
  const rows: OpenDataRow[] = [];
  for (const u of list) {
    const f = await figures(u, period);
    const base = {
      agency_code: u.code,
      agency_name: u.name,
      agency_level: u.level,
      period_from: period.from,
      period_to: period.to,
    };
    for (const p of [...f.procedures].sort((a, b) => a.code.localeCompare(b.code))) {
      rows.push({
        ...base,
        row_type: 'procedure',
        procedure_code: p.code,
        procedure_name: p.name,
        received: p.received,
        decided: p.decided,
        on_time: p.onTime,
        late: p.late,
        online: p.online,
        median_work_days: p.medianWorkDays,
      });
    }
    const sum = (k: 'decided' | 'onTime' | 'late') => f.procedures.reduce((a, p) => a + p[k], 0);
    rows.push({
      ...base,
      row_type: 'total',
      procedure_code: '',
      procedure_name: 'Tổng cộng',
      received: f.counts.received,
      decided: sum('decided'),
      on_time: sum('onTime'),
      late: sum('late'),
      online: f.counts.online,
      median_work_days: null,
    });
  }
  return rows;
}
