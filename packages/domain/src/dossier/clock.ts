import type { WorkingCalendar } from '../calendar/index.js';
import type { DeadlineClock } from './timing.js';

/**
 * The dossier rules' clock on a working calendar (fractional working days allowed, e.g. a 1.3-day pause), with the
 * paper-transfer cut-off of the province (Decree 61/2018 Art. 19: '15:00').
 */
export function workingClock(cal: WorkingCalendar, paperCutoff = '15:00'): DeadlineClock {
  return {
    paperTransferDeadline: (receivedAt) => cal.paperTransferDeadline(receivedAt, paperCutoff),
    endOfWorkingDay: (from) => cal.endOfWorkingDay(from),
    addWorkingDays: (from, days) => cal.addWorkingTime(from, days),
    workingDaysBetween: (from, to) => cal.workingDaysBetween(from, to),
    subtractWorkingDays: (due, days) => cal.subtractWorkingDays(due, days),
  };
}
