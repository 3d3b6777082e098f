import { civilOfEpochDay, epochDayOf, isoToEpochDay, weekdayOfEpochDay } from './dates.js';
import type { CalendarDay } from './holidays.js';
import { checkDate, DAY_MS, MINUTE_MS, parseClock, VIETNAM_UTC_OFFSET_MS } from './vietnam-time.js';

/** How many consecutive years without a single working day we tolerate before giving up. */
const MAX_EMPTY_YEARS = 400;

/** Daily working sessions in Vietnam time, 'HH:MM' each, ascending and not overlapping. */
export interface WorkingHours {
  sessions: ReadonlyArray<readonly [start: string, end: string]>;
}

/** Office hours of public bodies: 07:30–11:30 and 13:00–17:00 (8 h = 1 working day, 4 h = half a day). */
export const DEFAULT_WORKING_HOURS: WorkingHours = Object.freeze({
  sessions: Object.freeze([
    Object.freeze(['07:30', '11:30'] as const),
    Object.freeze(['13:00', '17:00'] as const),
  ]),
});

/** Options of a WorkingCalendar: the yearly schedule (usually officialOrDefaultHolidays) and office hours. */
export interface WorkingCalendarOptions {
  daysForYear: (year: number) => readonly CalendarDay[];
  hours?: WorkingHours;
}

function checkHalfDays(days: number): void {
  if (!Number.isFinite(days) || days < 0 || !Number.isInteger(days * 2)) {
    throw new RangeError(`Working days must be a finite multiple of 0.5 that is ≥ 0, got ${days}`);
  }
}

function checkFraction(days: number): void {
  if (!Number.isFinite(days) || days < 0)
    throw new RangeError(`Working days must be finite and ≥ 0, got ${days}`);
}

/** Working days of one Gregorian year, precomputed. */
interface YearTable {
  year: number;
  /** Epoch day of 1 January. */
  first: number;
  /** Epoch day after 31 December. */
  end: number;
  /** rank[i] = number of working days in [first, first + i); length = days in year + 1. */
  rank: Int32Array;
  /** Epoch days of the working days, ascending. */
  list: Int32Array;
}

/**
 * Working-day clock over a yearly schedule of holidays, swaps and make-up Saturdays, in Vietnam time (UTC+7,
 * never the process time zone). Durations are working time: N working days = N × (working minutes of a day);
 * time outside the sessions of working days does not count. Year tables are built lazily and cached.
 */
export class WorkingCalendar {
  /** The office hours in use. */
  readonly hours: WorkingHours;
  /** Working minutes in one working day (480 with the default hours). */
  readonly minutesPerDay: number;
  private readonly daysForYear: (year: number) => readonly CalendarDay[];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Working ms elapsed before each session. */
  private readonly before: number[] = [];
  private readonly dayMs: number;
  private readonly years = new Map<number, YearTable>();
  private last: YearTable | undefined;

  constructor(opts: WorkingCalendarOptions) {
    if (typeof opts?.daysForYear !== 'function') throw new TypeError('daysForYear must be a function');
    this.daysForYear = opts.daysForYear;
    this.hours = opts.hours ?? DEFAULT_WORKING_HOURS;
    let total = 0;
    let previousEnd = -1;
    for (const [start, end] of this.hours.sessions) {
      const s = parseClock(start) * MINUTE_MS;
      const e = parseClock(end) * MINUTE_MS;
      if (s >= e || s < previousEnd) throw new RangeError(`Invalid working session ${start}–${end}`);
      this.starts.push(s);
      this.ends.push(e);
      this.before.push(total);
      total += e - s;
      previousEnd = e;
    }
    if (total === 0) throw new RangeError('Working hours need at least one session');
    this.dayMs = total;
    this.minutesPerDay = total / MINUTE_MS;
  }

  /** True for Monday–Friday not off (holiday, compensatory, swapped), and for a make-up working day. */
  isWorkingDay(isoDate: string): boolean {
    return this.isWorking(isoToEpochDay(isoDate));
  }

  /** Adds N working days (N ≥ 0, multiple of 0.5) of working time to `from`. */
  addWorkingDays(from: Date, days: number): Date {
    checkHalfDays(days);
    return this.add(checkDate(from), days);
  }

  /**
   * Like addWorkingDays but for any fraction of a working day (N ≥ 0, rounded to the millisecond), e.g. to
   * extend a due date by the working time a dossier was paused.
   */
  addWorkingTime(from: Date, days: number): Date {
    checkFraction(days);
    return this.add(checkDate(from), days);
  }

  private add(t: number, days: number): Date {
    const amount = Math.round(days * this.dayMs);
    if (amount === 0) return new Date(t);
    const [d0, m] = this.position(t);
    const p = m + amount;
    const k = Math.ceil(p / this.dayMs) - 1; // end on the k-th working day after d0 …
    const r = p - k * this.dayMs; // … after r ∈ (0, dayMs] of its working time: a session end, not the next start
    return this.instant(k === 0 ? d0 : this.shift(d0, k), this.clockEndingAt(r));
  }

  /** Working time between two instants in working days (fraction, negative if to < from). */
  workingDaysBetween(from: Date, to: Date): number {
    const a = checkDate(from);
    const b = checkDate(to);
    if (b < a) {
      const v = this.workingDaysBetween(to, from);
      return v === 0 ? 0 : -v;
    }
    const [da, ta] = this.split(a);
    const [db, tb] = this.split(b);
    const ma = this.isWorking(da) ? this.elapsed(ta) : 0;
    const mb = this.isWorking(db) ? this.elapsed(tb) : 0;
    return (this.count(da, db) * this.dayMs + mb - ma) / this.dayMs;
  }

  /**
   * The instant N working days of working time before `due`: the latest start that still meets `due`. N ≥ 0;
   * any fraction is accepted (rounded to the millisecond), so it also inverts addWorkingTime.
   */
  subtractWorkingDays(due: Date, days: number): Date {
    checkFraction(days);
    const t = checkDate(due);
    const amount = Math.round(days * this.dayMs);
    if (amount === 0) return new Date(t);
    const [d0, m] = this.position(t);
    const q = m - amount;
    const j = Math.floor(q / this.dayMs); // start on the (−j)-th working day before d0 …
    const r = q - j * this.dayMs; // … after r ∈ [0, dayMs) of its working time: a session start, not an end
    return this.instant(j === 0 ? d0 : this.shift(d0, j), this.clockStartingAt(r));
  }

  /** `from` if it is inside working hours of a working day, else the start of the next working session. */
  nextWorkingMoment(from: Date): Date {
    const t = checkDate(from);
    const [day, tod] = this.split(t);
    if (this.isWorking(day)) {
      for (let i = 0; i < this.starts.length; i++) {
        if (tod >= this.ends[i]!) continue;
        return tod >= this.starts[i]! ? new Date(t) : this.instant(day, this.starts[i]!);
      }
    }
    return this.instant(this.firstWorkingFrom(day + 1), this.starts[0]!);
  }

  /** The close of the working day that `from` falls in (or of the next working day, outside working hours). */
  endOfWorkingDay(from: Date): Date {
    const [day] = this.split(this.nextWorkingMoment(from).getTime());
    return this.instant(day, this.ends[this.ends.length - 1]!);
  }

  /**
   * Paper transfer rule (Decree 61/2018 Art. 19): received on a working day from its first session start until
   * before the cut-off (lunch break included) → end of that working day; at/after the cut-off, on a rest day or
   * after closing → start of the next working day; before opening on a working day → start of that day.
   */
  paperTransferDeadline(receivedAt: Date, cutoff = '15:00'): Date {
    const t = checkDate(receivedAt);
    const c = parseClock(cutoff) * MINUTE_MS;
    const [day, tod] = this.split(t);
    const open = this.starts[0]!;
    const close = this.ends[this.ends.length - 1]!;
    if (this.isWorking(day)) {
      if (tod < open) return this.instant(day, open);
      if (tod < c && tod < close) return this.instant(day, close);
    }
    return this.instant(this.firstWorkingFrom(day + 1), open);
  }

  /** Epoch day and ms since Vietnam midnight of an instant. */
  private split(t: number): [day: number, tod: number] {
    const local = t + VIETNAM_UTC_OFFSET_MS;
    const day = Math.floor(local / DAY_MS);
    return [day, local - day * DAY_MS];
  }

  private instant(day: number, tod: number): Date {
    return new Date(day * DAY_MS + tod - VIETNAM_UTC_OFFSET_MS);
  }

  /** A working day and the working ms already elapsed in it that represent instant t on the working-time axis. */
  private position(t: number): [day: number, elapsed: number] {
    const [day, tod] = this.split(t);
    return this.isWorking(day) ? [day, this.elapsed(tod)] : [this.firstWorkingFrom(day), 0];
  }

  /** Working ms elapsed in a working day at time of day `tod`. */
  private elapsed(tod: number): number {
    for (let i = 0; i < this.starts.length; i++) {
      if (tod < this.starts[i]!) return this.before[i]!;
      if (tod < this.ends[i]!) return this.before[i]! + tod - this.starts[i]!;
    }
    return this.dayMs;
  }

  /** Time of day at which r ∈ (0, dayMs] working ms have elapsed (a boundary maps to the session end). */
  private clockEndingAt(r: number): number {
    for (let i = 0; i < this.starts.length; i++) {
      if (r <= this.before[i]! + this.ends[i]! - this.starts[i]!)
        return this.starts[i]! + r - this.before[i]!;
    }
    return this.ends[this.ends.length - 1]!;
  }

  /** Time of day at which r ∈ [0, dayMs) working ms have elapsed (a boundary maps to the session start). */
  private clockStartingAt(r: number): number {
    for (let i = 0; i < this.starts.length; i++) {
      if (r < this.before[i]! + this.ends[i]! - this.starts[i]!) return this.starts[i]! + r - this.before[i]!;
    }
    return this.starts[0]!;
  }

  private isWorking(day: number): boolean {
    const t = this.tableFor(day);
    const i = day - t.first;
    return t.rank[i + 1]! > t.rank[i]!;
  }

  /** The first working day ≥ day. */
  private firstWorkingFrom(day: number): number {
    let t = this.tableFor(day);
    let idx = t.rank[day - t.first]!;
    for (let guard = 0; idx >= t.list.length; guard++) {
      if (guard > MAX_EMPTY_YEARS) throw new RangeError('No working day found');
      t = this.tableOfYear(t.year + 1);
      idx = 0;
    }
    return t.list[idx]!;
  }

  /** The working day k working days after (k > 0) or before (k < 0) the working day `day`. */
  private shift(day: number, k: number): number {
    let t = this.tableFor(day);
    let idx = t.rank[day - t.first]! + k;
    for (let guard = 0; idx >= t.list.length || idx < 0; guard++) {
      if (guard > MAX_EMPTY_YEARS + Math.abs(k)) throw new RangeError('No working day found');
      if (idx < 0) {
        t = this.tableOfYear(t.year - 1);
        idx += t.list.length;
      } else {
        idx -= t.list.length;
        t = this.tableOfYear(t.year + 1);
      }
    }
    return t.list[idx]!;
  }

  /** Number of working days in [a, b), a ≤ b. */
  private count(a: number, b: number): number {
    const ta = this.tableFor(a);
    if (b < ta.end) return ta.rank[b - ta.first]! - ta.rank[a - ta.first]!;
    let n = ta.list.length - ta.rank[a - ta.first]!;
    let t = this.tableOfYear(ta.year + 1);
    while (b >= t.end) {
      n += t.list.length;
      t = this.tableOfYear(t.year + 1);
    }
    return n + t.rank[b - t.first]!;
  }

  private tableFor(day: number): YearTable {
    const last = this.last;
    if (last && day >= last.first && day < last.end) return last;
    const t = this.tableOfYear(civilOfEpochDay(day).year);
    this.last = t;
    return t;
  }

  private tableOfYear(year: number): YearTable {
    const cached = this.years.get(year);
    if (cached) return cached;
    const first = epochDayOf(year, 1, 1);
    const end = epochDayOf(year + 1, 1, 1);
    const off = new Set<number>();
    const makeup = new Set<number>();
    // Neighbouring years' schedules may hold days of this year (a swap across New Year).
    for (const y of [year - 1, year, year + 1]) {
      for (const entry of this.daysForYear(y)) {
        const d = isoToEpochDay(entry.date);
        if (d < first || d >= end) continue;
        if (entry.kind === 'makeup_workday') makeup.add(d);
        else off.add(d);
      }
    }
    const rank = new Int32Array(end - first + 1);
    const list: number[] = [];
    for (let d = first; d < end; d++) {
      const wd = weekdayOfEpochDay(d);
      const working = makeup.has(d) || (wd !== 0 && wd !== 6 && !off.has(d));
      if (working) list.push(d);
      rank[d - first + 1] = list.length;
    }
    const table: YearTable = { year, first, end, rank, list: Int32Array.from(list) };
    this.years.set(year, table);
    return table;
  }
}
