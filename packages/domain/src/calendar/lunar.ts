import { epochDayToIso, isoToEpochDay, JDN_OF_EPOCH, parseIsoDate } from './dates.js';

/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.
 *
 * Method (Hồ Ngọc Đức's description of the traditional rules, with formulas from J. Meeus, "Astronomical
 * Formulae for Calculators"):
 * - a lunar month starts on the local civil day that contains the new moon;
 * - month 11 is the month that contains the winter solstice (sun longitude 270°);
 * - when 13 new moons separate two months 11, the first month after month 11 that contains no major solar
 *   term (no multiple of 30° of sun longitude reached at the start of the next month) is the leap month and
 *   takes the number of the month before it.
 *
 * Day numbers here are Julian day numbers (JDN, integer). Results are verified for 1900–2100; the formulas
 * lose accuracy far outside that range. `timeZone` (hours east of UTC) defaults to 7; other values exist only
 * to compare with the Chinese calendar (UTC+8) in tests.
 */

/** Time zone of the Vietnamese calendar, hours east of UTC. */
export const VIETNAM_TIME_ZONE = 7;

/** A date of the lunar calendar. `year` is the lunar year whose month 1 starts at that year's Tết. */
export interface LunarDate {
  day: number;
  month: number;
  year: number;
  leapMonth: boolean;
}

/** Input of `lunarToSolar`; `leapMonth` defaults to false. */
export interface LunarDateInput {
  day: number;
  month: number;
  year: number;
  leapMonth?: boolean;
}

const SYNODIC_MONTH = 29.530588853;
/** Julian date of the mean new moon numbered k = 0 (January 1900), used to number lunations. */
const LUNATION_ZERO_JD = 2415021.076998695;
const RAD = Math.PI / 180;

/** Periodic terms of the true new moon: [coefficient (days), multiple of M, of M', of F]. */
const NEW_MOON_TERMS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0021, 2, 0, 0],
  [-0.4068, 0, 1, 0],
  [0.0161, 0, 2, 0],
  [-0.0004, 0, 3, 0],
  [0.0104, 0, 0, 2],
  [-0.0051, 1, 1, 0],
  [-0.0074, 1, -1, 0],
  [0.0004, 1, 0, 2],
  [-0.0004, -1, 0, 2],
  [-0.0006, 0, 1, 2],
  [0.001, 0, -1, 2],
  [0.0005, 1, 2, 0],
];

/** Julian date (UT) of the true new moon of lunation k (k = 0 near 1900-01-01). */
function newMoonJd(k: number): number {
  const t = k / 1236.85; // Julian centuries since 1900-01-00.5
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * RAD);
  const m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * RAD; // sun's mean anomaly
  const mp = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * RAD; // moon's mean anomaly
  const f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * RAD; // moon's argument of latitude
  let correction = (0.1734 - 0.000393 * t) * Math.sin(m);
  for (const [c, a, b, d] of NEW_MOON_TERMS) correction += c * Math.sin(a * m + b * mp + d * f);
  // ΔT (TT − UT) in days, polynomial fits valid around 1800–2200 and before.
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + correction - deltaT;
}

/** Sun's apparent geometric longitude (radians, 0 ≤ λ < 2π) at Julian date `jd`. */
function sunLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525; // Julian centuries since J2000.0
  const t2 = t * t;
  const m = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * RAD; // mean anomaly
  const l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2; // mean longitude, degrees
  const center =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(m) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * m) +
    0.00029 * Math.sin(3 * m);
  const l = (l0 + center) * RAD;
  return l - 2 * Math.PI * Math.floor(l / (2 * Math.PI));
}

/** JDN of the local civil day that contains the new moon of lunation k. */
function newMoonDay(k: number, tz: number): number {
  return Math.floor(newMoonJd(k) + 0.5 + tz / 24);
}

/** Which 30° sector (0–11) the sun is in at local midnight starting day `jdn`; 9 = past the winter solstice. */
function sunSector(jdn: number, tz: number): number {
  return Math.floor((sunLongitude(jdn - 0.5 - tz / 24) / Math.PI) * 6);
}

/** JDN of the first day of lunar month 11 (the month containing the winter solstice) of Gregorian year y. */
function month11Start(y: number, tz: number): number {
  const dec31 = isoToEpochDay(`${String(y).padStart(4, '0')}-12-31`) + JDN_OF_EPOCH;
  const k = Math.floor((dec31 - 2415021) / SYNODIC_MONTH);
  const nm = newMoonDay(k, tz);
  return sunSector(nm, tz) >= 9 ? newMoonDay(k - 1, tz) : nm;
}

interface LunarMonth {
  /** JDN of day 1. */
  start: number;
  /** JDN of the day after the last day. */
  end: number;
  month: number;
  leap: boolean;
  /** Months since month 11 of the span, not counting the leap month (0 = month 11, 2 = month 1, …). */
  index: number;
}

/** The months from month 11 of Gregorian year y (inclusive) to month 11 of y + 1 (exclusive). */
interface Span {
  year: number;
  start: number;
  months: LunarMonth[];
}

const spanCache = new Map<number, Map<number, Span>>();

function span(y: number, tz: number): Span {
  let byYear = spanCache.get(tz);
  if (!byYear) {
    byYear = new Map();
    spanCache.set(tz, byYear);
  }
  const cached = byYear.get(y);
  if (cached) return cached;

  const a = month11Start(y, tz);
  const b = month11Start(y + 1, tz);
  const k = Math.floor((a - LUNATION_ZERO_JD) / SYNODIC_MONTH + 0.5);
  const count = b - a > 365 ? 13 : 12;
  const starts: number[] = [];
  for (let i = 0; i < count; i++) starts.push(i === 0 ? a : newMoonDay(k + i, tz));
  starts.push(b);
  let leapAt = -1;
  if (count === 13) {
    // First month (after month 11) whose start and the next month's start lie in the same 30° sector.
    leapAt = count;
    for (let i = 1; i < count; i++) {
      if (sunSector(starts[i]!, tz) === sunSector(starts[i + 1]!, tz)) {
        leapAt = i;
        break;
      }
    }
  }
  const months: LunarMonth[] = [];
  for (let i = 0; i < count; i++) {
    const index = leapAt >= 0 && i >= leapAt ? i - 1 : i;
    months.push({
      start: starts[i]!,
      end: starts[i + 1]!,
      month: ((10 + index) % 12) + 1,
      leap: i === leapAt,
      index,
    });
  }
  const result: Span = { year: y, start: a, months };
  byYear.set(y, result);
  return result;
}

function checkTimeZone(tz: number): void {
  if (!Number.isFinite(tz) || tz < -12 || tz > 14) throw new RangeError(`Invalid time zone ${tz}`);
}

/** Converts a Gregorian date `YYYY-MM-DD` to the Vietnamese lunar date (UTC+7 unless `timeZone` is given). */
export function solarToLunar(isoDate: string, timeZone: number = VIETNAM_TIME_ZONE): LunarDate {
  checkTimeZone(timeZone);
  const { year } = parseIsoDate(isoDate);
  const jdn = isoToEpochDay(isoDate) + JDN_OF_EPOCH;
  let s = span(year, timeZone);
  if (jdn < s.start) s = span(year - 1, timeZone);
  let found = s.months[0]!;
  for (const m of s.months) {
    if (m.start > jdn) break;
    found = m;
  }
  return {
    day: jdn - found.start + 1,
    month: found.month,
    year: found.index < 2 ? s.year : s.year + 1,
    leapMonth: found.leap,
  };
}

function findMonth(month: number, year: number, leap: boolean, tz: number): LunarMonth | undefined {
  // Months 11 and 12 of lunar year Y start in Gregorian year Y; months 1–10 belong to the span of Y − 1.
  const s = month >= 11 ? span(year, tz) : span(year - 1, tz);
  const index = month >= 11 ? month - 11 : month + 1;
  return s.months.find((m) => m.index === index && m.leap === leap);
}

/** Converts a lunar date to the Gregorian `YYYY-MM-DD`; throws Error for a date that does not exist. */
export function lunarToSolar(l: LunarDateInput, timeZone: number = VIETNAM_TIME_ZONE): string {
  checkTimeZone(timeZone);
  const { day, month, year } = l;
  const leap = l.leapMonth ?? false;
  if (![day, month, year].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || day > 30) {
    throw new Error(`Invalid lunar date ${day}/${month}/${year}`);
  }
  const m = findMonth(month, year, leap, timeZone);
  if (!m) throw new Error(`Lunar year ${year} has no leap month ${month}`);
  if (day > m.end - m.start) {
    throw new Error(`Lunar month ${month}${leap ? ' (leap)' : ''}/${year} has only ${m.end - m.start} days`);
  }
  return epochDayToIso(m.start + day - 1 - JDN_OF_EPOCH);
}

/** Tết Nguyên đán (day 1 of month 1) of lunar year `year`, as `YYYY-MM-DD`. */
export function tetDate(year: number, timeZone: number = VIETNAM_TIME_ZONE): string {
  return lunarToSolar({ day: 1, month: 1, year }, timeZone);
}

/** The leap month of lunar year `year` (1–12), or null when the year has 12 months. */
export function lunarLeapMonth(year: number, timeZone: number = VIETNAM_TIME_ZONE): number | null {
  checkTimeZone(timeZone);
  for (let month = 1; month <= 12; month++) {
    if (findMonth(month, year, true, timeZone)) return month;
  }
  return null;
}

/** Number of days (29 or 30) of a lunar month; throws Error when the (leap) month does not exist. */
export function lunarMonthLength(
  year: number,
  month: number,
  leapMonth = false,
  timeZone: number = VIETNAM_TIME_ZONE,
): number {
  checkTimeZone(timeZone);
  const m = findMonth(month, year, leapMonth, timeZone);
  if (!m) throw new Error(`Lunar year ${year} has no ${leapMonth ? 'leap ' : ''}month ${month}`);
  return m.end - m.start;
}
