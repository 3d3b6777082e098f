/**
 * Calendar module: Vietnamese lunar calendar (UTC+7), public holidays (Labour Code 2019 defaults and the
 * official yearly schedules) and the working-day clock used for dossier deadlines. Pure, no I/O.
 */
export {
  type CivilDate,
  civilOfEpochDay,
  daysInMonth,
  epochDayOf,
  epochDayToIso,
  isoToEpochDay,
  parseIsoDate,
  weekdayOfEpochDay,
} from './dates.js';
export {
  type CalendarDay,
  type CalendarDayKind,
  COMPENSATORY_SUFFIX,
  compareCalendarDays,
  defaultHolidays,
  HOLIDAY_NAMES,
  holidaysForYear,
  NATIONAL_DAY_ADJACENT_BY_WEEKDAY,
} from './holidays.js';
export {
  type LunarDate,
  type LunarDateInput,
  lunarLeapMonth,
  lunarMonthLength,
  lunarToSolar,
  solarToLunar,
  tetDate,
  VIETNAM_TIME_ZONE,
} from './lunar.js';
export { OFFICIAL_SCHEDULES, officialOrDefaultHolidays } from './official-schedules.js';
export { parseClock, toVietnamIso, VIETNAM_UTC_OFFSET_MS, vietnamInstant } from './vietnam-time.js';
export {
  DEFAULT_WORKING_HOURS,
  WorkingCalendar,
  type WorkingCalendarOptions,
  type WorkingHours,
} from './working-calendar.js';
