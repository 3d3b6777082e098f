/**
 * Formatting for printed documents. Every date and time is shown in Vietnam time (UTC+7, no daylight saving),
 * computed with a fixed offset: the process time zone never matters.
 */

/** An instant: a `Date` or an ISO 8601 string with an offset (`2026-11-24T08:30:00+07:00`, `…Z`). */
export type DateInput = Date | string;

const VN_OFFSET_MS = 7 * 3600_000;

/** Wall-clock fields of an instant in Vietnam (UTC+7). */
export interface VietnamTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Parses a `DateInput`; throws on an invalid date so a bad input never prints "NaN/NaN/NaN". */
export function toDate(value: DateInput, what = 'date'): Date {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`Invalid ${what}: ${String(value)}`);
  }
  return d;
}

export function vietnamTime(value: DateInput): VietnamTime {
  const v = new Date(toDate(value).getTime() + VN_OFFSET_MS);
  return {
    year: v.getUTCFullYear(),
    month: v.getUTCMonth() + 1,
    day: v.getUTCDate(),
    hour: v.getUTCHours(),
    minute: v.getUTCMinutes(),
    second: v.getUTCSeconds(),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `24/11/2026` (dd/mm/yyyy, Vietnam time). */
export function formatDate(value: DateInput): string {
  const t = vietnamTime(value);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
}

/** `08:05` (HH:mm, 24-hour, Vietnam time). */
export function formatTime(value: DateInput): string {
  const t = vietnamTime(value);
  return `${pad2(t.hour)}:${pad2(t.minute)}`;
}

/** `08:05 ngày 24/11/2026`. */
export function formatDateTime(value: DateInput): string {
  return `${formatTime(value)} ngày ${formatDate(value)}`;
}

/** `08 giờ 05 phút` — the spelled-out time used on the one-stop slips. */
export function formatTimeLong(value: DateInput): string {
  const t = vietnamTime(value);
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút`;
}

/**
 * `ngày 24 tháng 11 năm 2026`. Decree 30/2020 Annex I: days below 10 and the months 1 and 2 take a leading zero
 * (`ngày 05 tháng 02 năm 2026`, but `ngày 05 tháng 3 năm 2026`).
 */
export function formatLongDate(value: DateInput): string {
  const t = vietnamTime(value);
  const month = t.month <= 2 ? pad2(t.month) : String(t.month);
  return `ngày ${pad2(t.day)} tháng ${month} năm ${t.year}`;
}

/** The place-and-date line of a document: `Vinh, ngày 24 tháng 11 năm 2026`. */
export function formatPlaceDate(place: string, value: DateInput): string {
  return `${place}, ${formatLongDate(value)}`;
}

/** Digits grouped by dots: `1.500.000`. */
export function formatInteger(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RangeError(`Not a finite number: ${value}`);
  const n = typeof value === 'bigint' ? value : BigInt(Math.round(value));
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return negative ? `-${grouped}` : grouped;
}

/** `1.500.000 ₫` (đồng have no minor unit: fractions are rounded). */
export function formatMoney(value: number | bigint): string {
  return `${formatInteger(value)} ₫`;
}

/**
 * The number of a document as printed after "Số:" — Decree 30/2020 Annex I: numbers below 10 take a leading zero
 * (`5` → `05`). Non-numeric values are kept as given.
 */
export function formatDocumentNumber(value: string | number): string {
  const s = String(value).trim();
  return /^\d$/.test(s) ? `0${s}` : s;
}

/** Early / on time / late (Mẫu 05, Mẫu 06). */
export type Timing = 'early' | 'on_time' | 'late';

export const TIMING_LABELS: Record<Timing, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

/** Upper case with the Vietnamese rules (đ → Đ, ư → Ư …), in precomposed form. */
export function upperVi(text: string): string {
  return text.normalize('NFC').toLocaleUpperCase('vi-VN');
}
