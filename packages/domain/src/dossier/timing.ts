import { VIETNAM_UTC_OFFSET_MS } from '../calendar/vietnam-time.js';
import type { Timing } from './types.js';

/** Operations on working time that the dossier rules need (implemented by calendar/WorkingCalendar). */
export interface DeadlineClock {
  /** `from` plus `days` working days of working time (`days` ≥ 0, any fraction). */
  addWorkingDays(from: Date, days: number): Date;
  /** Working time between two instants, in working days (negative when `to` is before `from`). */
  workingDaysBetween(from: Date, to: Date): number;
  /** The instant `days` working days of working time before `due`. */
  subtractWorkingDays(due: Date, days: number): Date;
  /** When a paper dossier received at `receivedAt` must reach the competent agency (the 15:00 rule). */
  paperTransferDeadline?(receivedAt: Date): Date;
  /** The close of the working day `from` falls in (the next working day's, outside working hours). */
  endOfWorkingDay?(from: Date): Date;
}

/**
 * When a workflow step of `days` working days that starts at `from` is due. A step of 0 days ("in the day", e.g.
 * the reception of a birth registration) is due at the close of the working day it starts in.
 */
export function stepDue(clock: DeadlineClock, from: Date, days: number): Date {
  return days === 0 && clock.endOfWorkingDay ? clock.endOfWorkingDay(from) : clock.addWorkingDays(from, days);
}

/** The calendar date (YYYY-MM-DD) of an instant in Vietnam (UTC+7). */
export function vietnamDate(iso: string | Date): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(ms + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Early, on time or late, as the registers count it: finished on an earlier day than the due day is early;
 * on the due day and not after the due time is on time; after the due time is late.
 */
export function timingOf(doneAt: string, dueAt: string): Timing {
  if (Date.parse(doneAt) > Date.parse(dueAt)) return 'late';
  return vietnamDate(doneAt) < vietnamDate(dueAt) ? 'early' : 'on_time';
}

/** Traffic light for an open deadline: red when past due, amber within one working day of it, else green. */
export function deadlineLight(now: Date, dueAt: string, clock: DeadlineClock): 'green' | 'amber' | 'red' {
  const due = new Date(dueAt);
  if (now.getTime() > due.getTime()) return 'red';
  return now.getTime() >= clock.subtractWorkingDays(due, 1).getTime() ? 'amber' : 'green';
}
