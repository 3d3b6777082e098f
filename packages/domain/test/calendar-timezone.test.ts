import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultHolidays,
  officialOrDefaultHolidays,
  solarToLunar,
  tetDate,
  toVietnamIso,
  WorkingCalendar,
} from '../src/calendar/index.js';

/**
 * Results must not depend on the process time zone. Node applies a change of process.env.TZ at once, so each
 * zone is checked in the same process; instants are built from explicit offsets and compared as epoch ms.
 */
const ZONES: [zone: string, offsetJan: number][] = [
  ['UTC', 0],
  ['America/New_York', 300],
  ['Asia/Ho_Chi_Minh', -420],
  ['Pacific/Kiritimati', -840],
  ['Pacific/Pago_Pago', 660],
];
const original = process.env.TZ;

afterAll(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

function compute(): string[] {
  const cal = new WorkingCalendar({ daysForYear: officialOrDefaultHolidays });
  const iso = (s: string, n: number) => toVietnamIso(cal.addWorkingDays(new Date(s), n));
  return [
    iso('2026-04-24T09:00:00+07:00', 1),
    iso('2026-02-13T10:00:00+07:00', 1),
    iso('2026-01-09T16:00:00+07:00', 0.5),
    iso('2026-04-11T21:00:00+07:00', 1),
    // 23:30 UTC on Friday 24/04 is already Saturday 06:30 in Vietnam.
    iso('2026-04-24T23:30:00Z', 1),
    String(cal.addWorkingDays(new Date(Date.UTC(2025, 0, 24, 7)), 2).getTime()),
    // 2025-12-31 20:00 in New York = 1/1 08:00 in Vietnam (holiday); then 2/1 swapped, weekend, Monday 2.5 h.
    String(
      cal.workingDaysBetween(new Date('2025-12-31T20:00:00-05:00'), new Date('2026-01-05T10:00:00+07:00')),
    ),
    // 07:59 UTC = 14:59 in Vietnam: before the 15:00 cut-off.
    toVietnamIso(cal.paperTransferDeadline(new Date('2026-04-13T07:59:00Z'))),
    cal.isWorkingDay('2026-01-10') ? 'working' : 'off',
    tetDate(2030),
    JSON.stringify(solarToLunar('2023-03-22')),
    defaultHolidays(2026)
      .map((d) => d.date)
      .join(','),
  ];
}

describe('independence from the process time zone', () => {
  it.each(ZONES)('gives the same results under TZ=%s', (zone, offsetJan) => {
    process.env.TZ = zone;
    expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(offsetJan);
    expect(compute()).toEqual([
      '2026-04-28T09:00:00+07:00',
      '2026-02-23T10:00:00+07:00',
      '2026-01-10T10:30:00+07:00',
      '2026-04-13T17:00:00+07:00',
      '2026-04-28T17:00:00+07:00',
      String(Date.parse('2025-02-04T14:00:00+07:00')),
      '0.3125',
      '2026-04-13T17:00:00+07:00',
      'working',
      '2030-02-02',
      JSON.stringify({ day: 1, month: 2, year: 2023, leapMonth: true }),
      '2026-01-01,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-04-26,2026-04-27,2026-04-30,2026-05-01,2026-09-01,2026-09-02',
    ]);
  });
});
