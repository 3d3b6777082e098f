import { describe, expect, it } from 'vitest';
import {
  epochDayToIso,
  isoToEpochDay,
  lunarLeapMonth,
  lunarMonthLength,
  lunarToSolar,
  solarToLunar,
  tetDate,
} from '../src/calendar/index.js';

const TET: Record<number, string> = {
  1968: '1968-01-29',
  1985: '1985-01-21',
  2007: '2007-02-17',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-02',
  2053: '2053-02-18',
};

const HUNG_KINGS: Record<number, string> = {
  2009: '2009-04-04',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
  2027: '2027-04-16',
  2028: '2028-04-04',
  2029: '2029-04-23',
  2030: '2030-04-12',
};

describe('lunar calendar (UTC+7)', () => {
  it.each(Object.entries(TET))('Tết %s is %s', (year, iso) => {
    expect(tetDate(Number(year))).toBe(iso);
    expect(solarToLunar(iso)).toEqual({ day: 1, month: 1, year: Number(year), leapMonth: false });
  });

  it.each(Object.entries(HUNG_KINGS))("Hùng Kings' day (10/3) %s is %s", (year, iso) => {
    expect(lunarToSolar({ day: 10, month: 3, year: Number(year) })).toBe(iso);
    expect(solarToLunar(iso)).toEqual({ day: 10, month: 3, year: Number(year), leapMonth: false });
  });

  it('differs from the Chinese calendar (UTC+8) exactly where domain.md says, 1968–2100', () => {
    const tet: number[] = [];
    const hung: number[] = [];
    for (let y = 1968; y <= 2100; y++) {
      if (tetDate(y) !== tetDate(y, 8)) tet.push(y);
      if (lunarToSolar({ day: 10, month: 3, year: y }) !== lunarToSolar({ day: 10, month: 3, year: y }, 8)) {
        hung.push(y);
      }
    }
    expect(tet).toEqual([1968, 1969, 1985, 2007, 2030, 2053]);
    expect(hung).toEqual([1975, 2009, 2037, 2038, 2085, 2086, 2095, 2100]);
    expect(tetDate(2007, 8)).toBe('2007-02-18');
    expect(tetDate(1985, 8)).toBe('1985-02-20');
  });

  it('matches the lunar dates noted in the official 2024–2026 schedules', () => {
    expect(solarToLunar('2024-02-09')).toEqual({ day: 30, month: 12, year: 2023, leapMonth: false });
    expect(solarToLunar('2025-01-28')).toEqual({ day: 29, month: 12, year: 2024, leapMonth: false });
    expect(solarToLunar('2026-02-16')).toEqual({ day: 29, month: 12, year: 2025, leapMonth: false });
    expect(solarToLunar('2026-02-14')).toEqual({ day: 27, month: 12, year: 2025, leapMonth: false });
    expect(solarToLunar('2026-02-22')).toEqual({ day: 6, month: 1, year: 2026, leapMonth: false });
  });

  it('handles leap months (2023 leap 2nd month, 2020 leap 4th month)', () => {
    expect(lunarLeapMonth(2023)).toBe(2);
    expect(solarToLunar('2023-02-20')).toEqual({ day: 1, month: 2, year: 2023, leapMonth: false });
    expect(solarToLunar('2023-03-22')).toEqual({ day: 1, month: 2, year: 2023, leapMonth: true });
    expect(solarToLunar('2023-04-20')).toEqual({ day: 1, month: 3, year: 2023, leapMonth: false });
    expect(lunarToSolar({ day: 1, month: 2, year: 2023, leapMonth: true })).toBe('2023-03-22');
    expect(lunarLeapMonth(2020)).toBe(4);
    expect(lunarToSolar({ day: 1, month: 4, year: 2020, leapMonth: true })).toBe('2020-05-23');
    expect(lunarToSolar({ day: 1, month: 4, year: 2020 })).toBe('2020-04-23');
    expect(solarToLunar('2020-05-23')).toEqual({ day: 1, month: 4, year: 2020, leapMonth: true });
    expect(lunarLeapMonth(2024)).toBeNull();
    expect(lunarLeapMonth(2025)).toBe(6);
  });

  it('puts the 2033 leap month after month 11 and keeps it in lunar year 2033', () => {
    expect(lunarLeapMonth(2033)).toBe(11);
    const start = lunarToSolar({ day: 1, month: 11, year: 2033, leapMonth: true });
    expect(start).toBe('2033-12-22');
    expect(solarToLunar(start)).toEqual({ day: 1, month: 11, year: 2033, leapMonth: true });
    expect(tetDate(2034)).toBe('2034-02-19');
  });

  it('rejects impossible lunar dates and malformed solar dates', () => {
    expect(() => lunarToSolar({ day: 1, month: 3, year: 2023, leapMonth: true })).toThrow(Error);
    expect(() => lunarToSolar({ day: 0, month: 1, year: 2026 })).toThrow(Error);
    expect(() => lunarToSolar({ day: 1, month: 13, year: 2026 })).toThrow(Error);
    expect(() => lunarToSolar({ day: 1.5, month: 1, year: 2026 })).toThrow(Error);
    // Month 12 of Ất Tỵ (2025) has 29 days: 30/12 does not exist.
    expect(lunarMonthLength(2025, 12)).toBe(29);
    expect(() => lunarToSolar({ day: 30, month: 12, year: 2025 })).toThrow(/only 29 days/);
    expect(() => solarToLunar('2026-02-30')).toThrow(RangeError);
    expect(() => solarToLunar('2026-2-3')).toThrow(RangeError);
  });

  it('round-trips every day of 1900–2100 and counts days consistently', () => {
    let prev = solarToLunar('1899-12-31');
    const first = isoToEpochDay('1900-01-01');
    const last = isoToEpochDay('2100-12-31');
    for (let d = first; d <= last; d++) {
      const iso = epochDayToIso(d);
      const l = solarToLunar(iso);
      if (lunarToSolar(l) !== iso) throw new Error(`round trip failed at ${iso}`);
      const sameMonth = l.day === prev.day + 1 && l.month === prev.month && l.leapMonth === prev.leapMonth;
      const newMonth = l.day === 1 && (prev.day === 29 || prev.day === 30);
      if (!(sameMonth || newMonth)) throw new Error(`discontinuity at ${iso}`);
      prev = l;
    }
  });

  it('has lunar years of 353–355 or 383–385 days, with a leap month exactly in the long ones', () => {
    for (let y = 1900; y <= 2100; y++) {
      const length = isoToEpochDay(tetDate(y + 1)) - isoToEpochDay(tetDate(y));
      const leap = lunarLeapMonth(y);
      if (leap === null) expect([353, 354, 355]).toContain(length);
      else expect([383, 384, 385]).toContain(length);
    }
  });
});
