/**
 * Proleptic Gregorian date arithmetic on "epoch days" (days since 1970-01-01), with no Date objects and no
 * time zone: a calendar date is just three integers. Algorithms: H. Hinnant, "chrono-compatible low-level
 * date algorithms" (days_from_civil / civil_from_days).
 */

/** A calendar date (no time, no zone). `month` is 1–12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Julian day number of 1970-01-01 (the JDN is the number of the day that starts at noon UT). */
export const JDN_OF_EPOCH = 2440588;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses a strict `YYYY-MM-DD` string; throws RangeError when malformed or not a real date. */
export function parseIsoDate(iso: string): CivilDate {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`Invalid ISO date "${iso}" (expected YYYY-MM-DD)`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`Invalid ISO date "${iso}" (no such day)`);
  }
  return { year, month, day };
}

/** Days since 1970-01-01 of a Gregorian date (negative before 1970). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The Gregorian date of an epoch day. */
export function civilOfEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Epoch day of a strict `YYYY-MM-DD` string. */
export function isoToEpochDay(iso: string): number {
  const { year, month, day } = parseIsoDate(iso);
  return epochDayOf(year, month, day);
}

/** `YYYY-MM-DD` of an epoch day (years 0–9999). */
export function epochDayToIso(epochDay: number): string {
  const { year, month, day } = civilOfEpochDay(epochDay);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Day of the week of an epoch day: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** Two-digit zero padding. */
export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
