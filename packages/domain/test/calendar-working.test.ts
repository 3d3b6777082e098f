import { describe, expect, it } from 'vitest';
import {
  type CalendarDay,
  DEFAULT_WORKING_HOURS,
  officialOrDefaultHolidays,
  toVietnamIso,
  vietnamInstant,
  WorkingCalendar,
} from '../src/calendar/index.js';

const cal = new WorkingCalendar({ daysForYear: officialOrDefaultHolidays });
const at = (iso: string) => new Date(iso);
const add = (iso: string, n: number) => toVietnamIso(cal.addWorkingDays(at(iso), n));

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const START_2024 = Date.parse('2024-01-01T00:00:00+07:00');
const END_2026 = Date.parse('2027-01-01T00:00:00+07:00');

/** A random instant inside working hours of a working day of 2024–2026 (minute-aligned or not). */
function randomWorkingInstant(rand: () => number, aligned = false): Date {
  for (;;) {
    const day = new Date(
      START_2024 + Math.floor(rand() * ((END_2026 - START_2024) / 86_400_000)) * 86_400_000,
    );
    const iso = toVietnamIso(day).slice(0, 10);
    if (!cal.isWorkingDay(iso)) continue;
    const [start, end] = DEFAULT_WORKING_HOURS.sessions[rand() < 0.5 ? 0 : 1]!;
    const s = vietnamInstant(iso, start).getTime();
    const e = vietnamInstant(iso, end).getTime();
    const t = s + Math.floor(rand() * (e - s));
    return new Date(aligned ? t - (t % MIN) : t);
  }
}

/** Slow reference: is the minute starting at t working time? (own rules, not the class's tables) */
const offDays = new Set<string>();
const makeupDays = new Set<string>();
for (const y of [2023, 2024, 2025, 2026, 2027]) {
  for (const d of officialOrDefaultHolidays(y))
    (d.kind === 'makeup_workday' ? makeupDays : offDays).add(d.date);
}
function workingMinute(t: number): boolean {
  const local = new Date(t + 7 * 3_600_000);
  const iso = local.toISOString().slice(0, 10);
  const wd = local.getUTCDay();
  const working = makeupDays.has(iso) || (wd !== 0 && wd !== 6 && !offDays.has(iso));
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return working && ((m >= 450 && m < 690) || (m >= 780 && m < 1020));
}
function slowAdd(from: number, days: number): number {
  let rem = days * 480;
  let t = from;
  while (rem > 0) {
    if (workingMinute(t)) rem--;
    t += MIN;
  }
  return t;
}

describe('WorkingCalendar.isWorkingDay', () => {
  it('follows weekends, holidays, swaps and make-up Saturdays', () => {
    expect(cal.isWorkingDay('2026-04-22')).toBe(true); // Wednesday
    expect(cal.isWorkingDay('2026-04-25')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-04-27')).toBe(false); // compensatory Monday
    expect(cal.isWorkingDay('2026-01-02')).toBe(false); // swapped Friday
    expect(cal.isWorkingDay('2026-01-10')).toBe(true); // make-up Saturday
    expect(cal.isWorkingDay('2026-08-22')).toBe(true);
    expect(cal.isWorkingDay('2026-08-31')).toBe(false);
    expect(cal.isWorkingDay('2025-04-26')).toBe(true);
    expect(cal.isWorkingDay('2025-05-02')).toBe(false);
    expect(cal.isWorkingDay('2024-02-08')).toBe(false);
    expect(cal.isWorkingDay('2027-02-05')).toBe(false); // default Tết 2027: 5–9/2
  });

  it("honours a neighbouring year's entry for a swap across New Year", () => {
    const c = new WorkingCalendar({
      daysForYear: (y) =>
        y === 2019
          ? [
              { date: '2018-12-31', kind: 'swapped', name: 'Hoán đổi' },
              { date: '2019-01-05', kind: 'makeup_workday', name: 'Làm bù' },
            ]
          : [],
    });
    expect(c.isWorkingDay('2018-12-31')).toBe(false);
    expect(c.isWorkingDay('2019-01-05')).toBe(true);
  });
});

describe('WorkingCalendar.addWorkingDays', () => {
  it('skips the weekend and the Hùng Kings compensatory Monday (2026)', () => {
    expect(add('2026-04-24T09:00:00+07:00', 1)).toBe('2026-04-28T09:00:00+07:00');
  });

  it('skips the official Tết 2026 break 14–22/02', () => {
    expect(add('2026-02-13T10:00:00+07:00', 1)).toBe('2026-02-23T10:00:00+07:00');
  });

  it('counts the make-up Saturday 10/01/2026: 1 h on Friday + 3 h on Saturday', () => {
    // 16:00–17:00 Friday, then 07:30 + 3 h = 10:30 on Saturday.
    expect(add('2026-01-09T16:00:00+07:00', 0.5)).toBe('2026-01-10T10:30:00+07:00');
    expect(add('2026-01-09T15:30:00+07:00', 0.5)).toBe('2026-01-10T10:00:00+07:00');
  });

  it('starts counting on Monday 07:30 when received on a Saturday night', () => {
    const sat = at('2026-04-11T21:00:00+07:00');
    expect(toVietnamIso(cal.nextWorkingMoment(sat))).toBe('2026-04-13T07:30:00+07:00');
    expect(add('2026-04-11T21:00:00+07:00', 1)).toBe('2026-04-13T17:00:00+07:00');
    expect(add('2026-04-11T21:00:00+07:00', 0.5)).toBe('2026-04-13T11:30:00+07:00');
  });

  it('ends at a session end, not at the next session start', () => {
    expect(add('2026-04-13T07:30:00+07:00', 1)).toBe('2026-04-13T17:00:00+07:00');
    expect(add('2026-04-13T13:00:00+07:00', 0.5)).toBe('2026-04-13T17:00:00+07:00');
    expect(add('2026-04-13T09:00:00+07:00', 0.5)).toBe('2026-04-13T14:30:00+07:00');
    expect(add('2026-04-13T17:00:00+07:00', 1)).toBe('2026-04-14T17:00:00+07:00');
    expect(add('2026-04-13T12:00:00+07:00', 0.5)).toBe('2026-04-13T17:00:00+07:00');
  });

  it('crosses the official Tết 2025 break 25/01–02/02', () => {
    expect(add('2025-01-24T14:00:00+07:00', 2)).toBe('2025-02-04T14:00:00+07:00');
    expect(add('2025-01-24T14:00:00+07:00', 0.5)).toBe('2025-02-03T08:30:00+07:00');
  });

  it('crosses a year boundary and long periods', () => {
    expect(add('2025-12-31T16:00:00+07:00', 1)).toBe('2026-01-05T16:00:00+07:00'); // 1/1 holiday, 2/1 swapped
    expect(add('2026-04-01T08:00:00+07:00', 60)).toBe(
      toVietnamIso(new Date(slowAdd(at('2026-04-01T08:00:00+07:00').getTime(), 60))),
    );
  });

  it('returns from unchanged for 0 and rejects bad input', () => {
    const x = at('2026-04-25T03:00:00+07:00');
    expect(cal.addWorkingDays(x, 0).getTime()).toBe(x.getTime());
    for (const bad of [-1, 0.3, 1.25, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingDays(x, bad)).toThrow(RangeError);
    }
    for (const bad of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingTime(x, bad)).toThrow(RangeError);
      expect(() => cal.subtractWorkingDays(x, bad)).toThrow(RangeError);
    }
    expect(() => cal.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('adds any fraction of a working day with addWorkingTime', () => {
    const x = at('2026-04-13T09:00:00+07:00');
    expect(toVietnamIso(cal.addWorkingTime(x, 1.3))).toBe('2026-04-14T11:24:00+07:00');
    expect(toVietnamIso(cal.addWorkingTime(x, 0.5))).toBe(toVietnamIso(cal.addWorkingDays(x, 0.5)));
    expect(cal.addWorkingTime(x, 0).getTime()).toBe(x.getTime());
    const rand = rng(5);
    for (let i = 0; i < 2000; i++) {
      const y = randomWorkingInstant(rand);
      const f = Math.round(rand() * 30 * 10_000) / 10_000;
      const due = cal.addWorkingTime(y, f);
      expect(cal.workingDaysBetween(y, due)).toBeCloseTo(f, 7);
      expect(cal.subtractWorkingDays(due, f).getTime()).toBe(y.getTime());
    }
  });

  it('agrees with a minute-by-minute reference on random instants', () => {
    const rand = rng(42);
    for (let i = 0; i < 300; i++) {
      const from = START_2024 + Math.floor(rand() * ((END_2026 - START_2024) / MIN)) * MIN;
      const n = (1 + Math.floor(rand() * 8)) / 2;
      expect(cal.addWorkingDays(new Date(from), n).getTime()).toBe(slowAdd(from, n));
    }
  });
});

describe('workingDaysBetween and subtractWorkingDays', () => {
  it('inverts addWorkingDays for instants inside working hours', () => {
    const rand = rng(7);
    for (let i = 0; i < 5000; i++) {
      const x = randomWorkingInstant(rand);
      const n = (1 + Math.floor(rand() * 120)) / 2;
      const due = cal.addWorkingDays(x, n);
      expect(cal.workingDaysBetween(x, due)).toBe(n);
      expect(cal.workingDaysBetween(due, x)).toBe(-n);
      expect(cal.subtractWorkingDays(due, n).getTime()).toBe(x.getTime());
    }
  });

  it('keeps workingDaysBetween(x, addWorkingDays(x, n)) === n for any instant', () => {
    const rand = rng(11);
    for (let i = 0; i < 5000; i++) {
      const x = new Date(START_2024 + Math.floor(rand() * (END_2026 - START_2024)));
      const n = Math.floor(rand() * 121) / 2;
      expect(cal.workingDaysBetween(x, cal.addWorkingDays(x, n))).toBe(n);
    }
  });

  it('measures fractions and ignores time outside working hours', () => {
    const between = (a: string, b: string) => cal.workingDaysBetween(at(a), at(b));
    expect(between('2026-04-13T07:30:00+07:00', '2026-04-13T11:30:00+07:00')).toBe(0.5);
    expect(between('2026-04-13T11:30:00+07:00', '2026-04-13T13:00:00+07:00')).toBe(0);
    expect(between('2026-04-25T08:00:00+07:00', '2026-04-26T16:00:00+07:00')).toBe(0);
    expect(between('2026-04-24T17:00:00+07:00', '2026-04-28T07:30:00+07:00')).toBe(0);
    expect(between('2026-04-24T16:00:00+07:00', '2026-04-28T08:30:00+07:00')).toBe(0.25);
    expect(between('2026-04-13T09:00:00+07:00', '2026-04-13T09:00:00+07:00')).toBe(0);
    expect(between('2024-01-01T00:00:00+07:00', '2025-01-01T00:00:00+07:00')).toBe(251);
  });

  it('subtracts to the latest start that still meets the due date', () => {
    const sub = (iso: string, n: number) => toVietnamIso(cal.subtractWorkingDays(at(iso), n));
    expect(sub('2026-04-28T09:00:00+07:00', 1)).toBe('2026-04-24T09:00:00+07:00');
    expect(sub('2026-04-13T17:00:00+07:00', 1)).toBe('2026-04-13T07:30:00+07:00');
    expect(sub('2026-04-13T13:00:00+07:00', 0.5)).toBe('2026-04-13T07:30:00+07:00');
    expect(sub('2026-04-13T09:00:00+07:00', 0.5)).toBe('2026-04-10T14:30:00+07:00');
    expect(sub('2026-04-25T10:00:00+07:00', 0.5)).toBe('2026-04-24T13:00:00+07:00');
    expect(sub('2026-02-23T10:00:00+07:00', 1)).toBe('2026-02-13T10:00:00+07:00');
  });
});

describe('nextWorkingMoment and paperTransferDeadline', () => {
  it('moves only outside working hours', () => {
    const next = (iso: string) => toVietnamIso(cal.nextWorkingMoment(at(iso)));
    expect(next('2026-04-13T09:15:00+07:00')).toBe('2026-04-13T09:15:00+07:00');
    expect(next('2026-04-13T07:30:00+07:00')).toBe('2026-04-13T07:30:00+07:00');
    expect(next('2026-04-13T06:00:00+07:00')).toBe('2026-04-13T07:30:00+07:00');
    expect(next('2026-04-13T11:30:00+07:00')).toBe('2026-04-13T13:00:00+07:00');
    expect(next('2026-04-13T17:00:00+07:00')).toBe('2026-04-14T07:30:00+07:00');
    expect(next('2026-04-24T18:00:00+07:00')).toBe('2026-04-28T07:30:00+07:00');
  });

  it('applies the 15:00 cut-off of Decree 61 Art. 19', () => {
    const paper = (iso: string, cutoff?: string) => toVietnamIso(cal.paperTransferDeadline(at(iso), cutoff));
    expect(paper('2026-04-13T10:00:00+07:00')).toBe('2026-04-13T17:00:00+07:00');
    expect(paper('2026-04-13T12:00:00+07:00')).toBe('2026-04-13T17:00:00+07:00');
    expect(paper('2026-04-13T14:59:59+07:00')).toBe('2026-04-13T17:00:00+07:00');
    expect(paper('2026-04-13T15:00:00+07:00')).toBe('2026-04-14T07:30:00+07:00');
    expect(paper('2026-04-24T15:30:00+07:00')).toBe('2026-04-28T07:30:00+07:00');
    expect(paper('2026-04-25T09:00:00+07:00')).toBe('2026-04-28T07:30:00+07:00');
    expect(paper('2026-04-13T06:45:00+07:00')).toBe('2026-04-13T07:30:00+07:00');
    expect(paper('2026-04-13T15:30:00+07:00', '16:00')).toBe('2026-04-13T17:00:00+07:00');
    expect(paper('2026-01-10T09:00:00+07:00')).toBe('2026-01-10T17:00:00+07:00');
    expect(() => paper('2026-04-13T10:00:00+07:00', '3pm')).toThrow(RangeError);
  });
});

describe('WorkingHours and formatting', () => {
  it('supports other office hours', () => {
    const half = new WorkingCalendar({ daysForYear: () => [], hours: { sessions: [['08:00', '12:00']] } });
    expect(half.minutesPerDay).toBe(240);
    expect(toVietnamIso(half.addWorkingDays(at('2026-04-13T08:00:00+07:00'), 1))).toBe(
      '2026-04-13T12:00:00+07:00',
    );
    expect(toVietnamIso(half.addWorkingDays(at('2026-04-13T10:00:00+07:00'), 1))).toBe(
      '2026-04-14T10:00:00+07:00',
    );
    expect(cal.minutesPerDay).toBe(480);
    const bad: [string, string][][] = [
      [],
      [['12:00', '08:00']],
      [
        ['08:00', '12:00'],
        ['11:00', '13:00'],
      ],
      [['8:00', '12:00']],
    ];
    for (const sessions of bad) {
      expect(() => new WorkingCalendar({ daysForYear: () => [], hours: { sessions } })).toThrow(RangeError);
    }
  });

  it('formats instants in Vietnam time', () => {
    expect(toVietnamIso(new Date(Date.UTC(2026, 3, 28, 3, 30)))).toBe('2026-04-28T10:30:00+07:00');
    expect(toVietnamIso(new Date('2026-04-27T17:30:00Z'))).toBe('2026-04-28T00:30:00+07:00');
    expect(toVietnamIso(new Date('2026-04-27T17:30:00.042Z'))).toBe('2026-04-28T00:30:00.042+07:00');
    expect(vietnamInstant('2026-04-24', '09:00').toISOString()).toBe('2026-04-24T02:00:00.000Z');
  });

  it('uses the schedule callback lazily, once per year', () => {
    const calls: number[] = [];
    const c = new WorkingCalendar({
      daysForYear: (y): readonly CalendarDay[] => {
        calls.push(y);
        return officialOrDefaultHolidays(y);
      },
    });
    expect(calls).toEqual([]);
    c.addWorkingDays(at('2026-06-01T09:00:00+07:00'), 5);
    c.addWorkingDays(at('2026-06-02T09:00:00+07:00'), 5);
    expect([...calls].sort()).toEqual([2025, 2026, 2027]);
  });
});
