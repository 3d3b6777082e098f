import { epochDayOf, epochDayToIso, isoToEpochDay, weekdayOfEpochDay } from './dates.js';
import { lunarToSolar, tetDate } from './lunar.js';

/**
 * Kinds of special days in a year's schedule:
 * - `holiday`: a public holiday of Labour Code 45/2019/QH14 Art. 112;
 * - `compensatory`: a day off because a holiday fell on a weekly rest day (Art. 111(3));
 * - `swapped`: a working day made a day off, worked back on a `makeup_workday`;
 * - `makeup_workday`: a Saturday (or other rest day) that is a working day.
 */
export type CalendarDayKind = 'holiday' | 'compensatory' | 'swapped' | 'makeup_workday';

/** One special day of a year's schedule; `name` is Vietnamese. */
export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

/** Vietnamese names of the Art. 112 holidays. */
export const HOLIDAY_NAMES = {
  newYear: 'Tết Dương lịch',
  tet: 'Tết Nguyên đán',
  hungKings: 'Giỗ Tổ Hùng Vương',
  victory: 'Ngày Chiến thắng',
  labour: 'Ngày Quốc tế Lao động',
  national: 'Quốc khánh',
  nationalAdjacent: 'Quốc khánh (ngày liền kề)',
} as const;

/** Suffix of the name of a compensatory day: `Giỗ Tổ Hùng Vương — nghỉ bù`. */
export const COMPENSATORY_SUFFIX = ' — nghỉ bù';

/**
 * The day added to National Day (2/9) by default, indexed by the weekday of 2/9 (0 = Sunday), chosen to join
 * a weekend: Mon→3/9 (break Sat–Tue), Tue→1/9 (Sat–Tue), Wed→1/9 (Tue–Wed; neither side joins a weekend),
 * Thu→3/9 (Thu–Sun), Fri→1/9 (Thu–Sun), Sat→1/9 (Fri–Mon with the compensatory Monday 4/9), Sun→3/9 (Sat–Tue
 * with the compensatory Tuesday 4/9). The Prime Minister fixes the real day each year; this is only the seed.
 */
export const NATIONAL_DAY_ADJACENT_BY_WEEKDAY: readonly [1 | 3, 1 | 3, 1 | 3, 1 | 3, 1 | 3, 1 | 3, 1 | 3] = [
  3, 3, 1, 1, 3, 1, 1,
];

/**
 * Default holidays of Gregorian year `year` under Labour Code 45/2019 Art. 112, with lunar dates from the
 * UTC+7 calendar: 1/1; Tết = last day of the lunar year + days 1–4 of month 1; Hùng Kings 10/3 lunar; 30/4;
 * 1/5; 2/9 plus one adjacent day (see NATIONAL_DAY_ADJACENT_BY_WEEKDAY). Each holiday on a Saturday or Sunday
 * gives a `compensatory` day on the next day that is neither a weekend nor a holiday nor already a
 * compensatory day (Art. 111(3)). Sorted by date.
 */
export function defaultHolidays(year: number): CalendarDay[] {
  if (!Number.isInteger(year)) throw new RangeError(`Invalid year ${year}`);
  const holidays = new Map<number, string>();
  const add = (day: number, name: string) => {
    if (!holidays.has(day)) holidays.set(day, name);
  };
  add(epochDayOf(year, 1, 1), HOLIDAY_NAMES.newYear);
  const tet = isoToEpochDay(tetDate(year));
  for (let d = tet - 1; d <= tet + 3; d++) add(d, HOLIDAY_NAMES.tet);
  add(isoToEpochDay(lunarToSolar({ day: 10, month: 3, year })), HOLIDAY_NAMES.hungKings);
  add(epochDayOf(year, 4, 30), HOLIDAY_NAMES.victory);
  add(epochDayOf(year, 5, 1), HOLIDAY_NAMES.labour);
  const national = epochDayOf(year, 9, 2);
  add(national, HOLIDAY_NAMES.national);
  const adjacent = NATIONAL_DAY_ADJACENT_BY_WEEKDAY[weekdayOfEpochDay(national)]!;
  add(epochDayOf(year, 9, adjacent), HOLIDAY_NAMES.nationalAdjacent);

  const days = [...holidays.keys()].sort((a, b) => a - b);
  const taken = new Set(days);
  const result: CalendarDay[] = days.map((d) => ({
    date: epochDayToIso(d),
    kind: 'holiday',
    name: holidays.get(d)!,
  }));
  for (const d of days) {
    const wd = weekdayOfEpochDay(d);
    if (wd !== 0 && wd !== 6) continue;
    let c = d + 1;
    while (taken.has(c) || weekdayOfEpochDay(c) === 0 || weekdayOfEpochDay(c) === 6) c++;
    taken.add(c);
    result.push({
      date: epochDayToIso(c),
      kind: 'compensatory',
      name: holidays.get(d)! + COMPENSATORY_SUFFIX,
    });
  }
  return result.sort(compareCalendarDays);
}

/** Orders calendar days by date (then by kind, for a stable order). */
export function compareCalendarDays(a: CalendarDay, b: CalendarDay): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/**
 * The schedule of Gregorian year `year`: a copy of the official schedule when one is given (the yearly notice,
 * e.g. OFFICIAL_SCHEDULES[year] or an admin-edited table), else defaultHolidays(year). Sorted by date.
 */
export function holidaysForYear(year: number, official?: readonly CalendarDay[]): CalendarDay[] {
  if (official) return official.map((d) => ({ ...d })).sort(compareCalendarDays);
  return defaultHolidays(year);
}
