import type { WorkingCalendar } from '../calendar/index.js';
import type { DeadlineClock } from './timing.js';

/** The dossier rules' clock on a working calendar (fractional working days allowed, e.g. a 1.3-day pause). */
export function workingClock(cal: WorkingCalendar): DeadlineClock {
  return {
    addWorkingDays: (from, days) => cal.addWorkingTime(from, days),
    workingDaysBetween: (from, to) => cal.workingDaysBetween(from, to),
    subtractWorkingDays: (due, days) => cal.subtractWorkingDays(due, days),
  };
}
