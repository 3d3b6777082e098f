/**
 * Reporting periods for the indicators (domain.md §5): calendar month, quarter and year, the reporting periods of
 * Decree 09/2019/NĐ-CP that run from the 15th to the 14th (month, quarter, half-year, year: 15/12 of the previous
 * year → 14/12), and custom ranges. Dates are Vietnam calendar dates, YYYY-MM-DD, both ends inclusive.
 *
 * Aggregates are kept per half-month (1st–14th, 15th–end): every calendar and reporting period is a whole number of
 * halves; `splitPeriod` says which halves a range covers entirely and which partial days remain at its edges.
 */
import { DomainError } from '../errors.js';

export type PeriodKind =
  | 'month'
  | 'quarter'
  | 'year'
  | 'report_month'
  | 'report_quarter'
  | 'report_half'
  | 'report_year'
  | 'custom';

export interface Period {
  kind: PeriodKind;
  /** The key it was asked with: 2026-11, 2026-Q4, 2026, 2026-H1, or `from..to` for custom ranges. */
  key: string;
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function ymd(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.toISOString().slice(0, 10);
}
function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
export function addDays(date: string, n: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= lastDay(y, mo) && y >= 2000 && y <= 2100;
}

function invalid(key: string): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `Kỳ báo cáo không hợp lệ: ${key}. Dùng 2026-11, 2026-Q4, 2026, kỳ báo cáo (ngày 15 đến ngày 14) hoặc từ ngày…đến ngày.`,
    `Invalid period: ${key}. Use 2026-11, 2026-Q4, 2026, a reporting period (15th to 14th) or a from..to range.`,
    { period: key },
  );
}

/** The largest custom range accepted (a little over 5 years). */
export const MAX_PERIOD_DAYS = 1900;

/**
 * Parses a period. `kind` defaults to the shape of the key: `2026-11` month, `2026-Q4` quarter, `2026` year,
 * `2026-01-01..2026-03-31` custom. The reporting kinds take the same keys: report_month `2026-11` is
 * 15/10/2026–14/11/2026; report_quarter `2026-Q1` is 15/12/2025–14/03/2026; report_half `2026-H1` is
 * 15/12/2025–14/06/2026 and `2026-H2` 15/06–14/12/2026; report_year `2026` is 15/12/2025–14/12/2026.
 */
export function parsePeriod(key: string, kind?: PeriodKind): Period {
  const k = key.trim();
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(k);
  if (range) {
    const [from, to] = [range[1]!, range[2]!];
    if (!isDate(from) || !isDate(to) || from > to) throw invalid(key);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days > MAX_PERIOD_DAYS) throw invalid(key);
    return { kind: 'custom', key: k, from, to };
  }
  const year = /^(\d{4})$/.exec(k);
  const month = /^(\d{4})-(\d{2})$/.exec(k);
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(k);
  const half = /^(\d{4})-H([12])$/i.exec(k);
  const y = Number((year ?? month ?? quarter ?? half)?.[1]);
  if (!(y >= 2000 && y <= 2100)) throw invalid(key);
  const reporting = kind?.startsWith('report_') ?? false;
  if (year && (kind === undefined || kind === 'year' || kind === 'report_year')) {
    return reporting
      ? { kind: 'report_year', key: k, from: ymd(y - 1, 12, 15), to: ymd(y, 12, 14) }
      : { kind: 'year', key: k, from: ymd(y, 1, 1), to: ymd(y, 12, 31) };
  }
  if (month && (kind === undefined || kind === 'month' || kind === 'report_month')) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) throw invalid(key);
    return reporting
      ? { kind: 'report_month', key: k, from: ymd(y, m - 1, 15), to: ymd(y, m, 14) }
      : { kind: 'month', key: k, from: ymd(y, m, 1), to: ymd(y, m, lastDay(y, m)) };
  }
  if (quarter && (kind === undefined || kind === 'quarter' || kind === 'report_quarter')) {
    const q = Number(quarter[2]);
    const first = 3 * q - 2;
    return reporting
      ? {
          kind: 'report_quarter',
          key: k.toUpperCase(),
          from: ymd(y, first - 1, 15),
          to: ymd(y, first + 2, 14),
        }
      : {
          kind: 'quarter',
          key: k.toUpperCase(),
          from: ymd(y, first, 1),
          to: ymd(y, first + 2, lastDay(y, first + 2)),
        };
  }
  if (half && (kind === undefined || kind === 'report_half')) {
    return Number(half[2]) === 1
      ? { kind: 'report_half', key: k.toUpperCase(), from: ymd(y - 1, 12, 15), to: ymd(y, 6, 14) }
      : { kind: 'report_half', key: k.toUpperCase(), from: ymd(y, 6, 15), to: ymd(y, 12, 14) };
  }
  throw invalid(key);
}

/** The period before: the previous month, quarter, half or year of the same kind; a custom range of equal length. */
export function previousPeriod(p: Period): Period {
  switch (p.kind) {
    case 'year':
    case 'report_year':
      return parsePeriod(String(Number(p.key) - 1), p.kind);
    case 'month':
    case 'report_month': {
      const [y, m] = p.key.split('-').map(Number) as [number, number];
      const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
      return parsePeriod(prev, p.kind);
    }
    case 'quarter':
    case 'report_quarter': {
      const [y, q] = [Number(p.key.slice(0, 4)), Number(p.key.slice(-1))];
      return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`, p.kind);
    }
    case 'report_half': {
      const [y, h] = [Number(p.key.slice(0, 4)), Number(p.key.slice(-1))];
      return parsePeriod(h === 1 ? `${y - 1}-H2` : `${y}-H1`, p.kind);
    }
    default: {
      const days = (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 + 1;
      const to = addDays(p.from, -1);
      const from = addDays(to, -(days - 1));
      return { kind: 'custom', key: `${from}..${to}`, from, to };
    }
  }
}

/** The first day of the half-month `date` falls in (the 1st or the 15th). */
export function halfStart(date: string): string {
  const d = Number(date.slice(8, 10));
  return `${date.slice(0, 8)}${d < 15 ? '01' : '15'}`;
}
/** The last day of the half-month that starts on `start`. */
export function halfEnd(start: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  return d === 1 ? ymd(y, m, 14) : ymd(y, m, lastDay(y, m));
}
function nextHalf(start: string): string {
  return addDays(halfEnd(start), 1);
}

export interface PeriodSplit {
  /** First and last start of the half-months entirely inside the range; null when there is none. */
  halves: { first: string; last: string } | null;
  /** Day ranges (inclusive) at the edges that do not fill a half-month. */
  edges: { from: string; to: string }[];
}

/** Splits [from, to] into whole half-months and partial edges (at most two). */
export function splitPeriod(from: string, to: string): PeriodSplit {
  const first = halfStart(from) === from ? from : nextHalf(halfStart(from));
  let last = halfStart(to);
  if (halfEnd(last) !== to) last = halfStart(addDays(last, -1));
  const edges: { from: string; to: string }[] = [];
  if (first > last) {
    return { halves: null, edges: [{ from, to }] };
  }
  if (first > from) edges.push({ from, to: addDays(first, -1) });
  const afterLast = nextHalf(last);
  if (afterLast <= to) edges.push({ from: afterLast, to });
  return { halves: { first, last }, edges };
}

/** The half-month starts from `from` to `to` (for trend series). */
export function halfStarts(from: string, to: string): string[] {
  const out: string[] = [];
  for (let h = halfStart(from); h <= to; h = nextHalf(h)) out.push(h);
  return out;
}
