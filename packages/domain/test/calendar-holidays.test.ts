import { describe, expect, it } from 'vitest';
import {
  type CalendarDay,
  defaultHolidays,
  epochDayOf,
  holidaysForYear,
  isoToEpochDay,
  OFFICIAL_SCHEDULES,
  officialOrDefaultHolidays,
  weekdayOfEpochDay,
} from '../src/calendar/index.js';

const dates = (days: readonly CalendarDay[], kind: CalendarDay['kind']) =>
  days.filter((d) => d.kind === kind).map((d) => d.date);
const weekday = (iso: string) => weekdayOfEpochDay(isoToEpochDay(iso));

describe('defaultHolidays (Labour Code 2019 Art. 112)', () => {
  it("gives Hùng Kings' day 2026 on Sunday 26/04 and a compensatory Monday 27/04", () => {
    const days = defaultHolidays(2026);
    expect(weekday('2026-04-26')).toBe(0);
    expect(days).toContainEqual({ date: '2026-04-26', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương' });
    expect(days).toContainEqual({
      date: '2026-04-27',
      kind: 'compensatory',
      name: 'Giỗ Tổ Hùng Vương — nghỉ bù',
    });
  });

  it('lists the 2026 defaults in order with Vietnamese names', () => {
    expect(defaultHolidays(2026).map((d) => `${d.date} ${d.kind} ${d.name}`)).toEqual([
      '2026-01-01 holiday Tết Dương lịch',
      '2026-02-16 holiday Tết Nguyên đán',
      '2026-02-17 holiday Tết Nguyên đán',
      '2026-02-18 holiday Tết Nguyên đán',
      '2026-02-19 holiday Tết Nguyên đán',
      '2026-02-20 holiday Tết Nguyên đán',
      '2026-04-26 holiday Giỗ Tổ Hùng Vương',
      '2026-04-27 compensatory Giỗ Tổ Hùng Vương — nghỉ bù',
      '2026-04-30 holiday Ngày Chiến thắng',
      '2026-05-01 holiday Ngày Quốc tế Lao động',
      '2026-09-01 holiday Quốc khánh (ngày liền kề)',
      '2026-09-02 holiday Quốc khánh',
    ]);
  });

  it('stacks compensatory days after a Tết that covers a weekend (2024)', () => {
    const days = defaultHolidays(2024);
    expect(dates(days, 'holiday').filter((d) => d.startsWith('2024-02'))).toEqual([
      '2024-02-09',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-02-13',
    ]);
    expect(dates(days, 'compensatory')).toEqual(['2024-02-14', '2024-02-15']);
  });

  it('gives compensatory days for New Year, 30/4–1/5 and 2/9 on weekends (2022, 2023)', () => {
    expect(dates(defaultHolidays(2022), 'compensatory')).toEqual([
      '2022-01-03',
      '2022-04-11',
      '2022-05-02',
      '2022-05-03',
    ]);
    // 2/9/2023 was a Saturday: Friday 1/9 is the adjacent day and Monday 4/9 the compensatory one.
    const y2023 = defaultHolidays(2023);
    expect(dates(y2023, 'holiday')).toContain('2023-09-01');
    expect(dates(y2023, 'compensatory')).toContain('2023-09-04');
  });

  it('adds the National Day adjacent day that joins a weekend, for every weekday of 2/9', () => {
    const expected = [3, 3, 1, 1, 3, 1, 1]; // Sun, Mon, Tue, Wed, Thu, Fri, Sat
    const seen = new Set<number>();
    for (let year = 2020; year <= 2032; year++) {
      const wd = weekdayOfEpochDay(epochDayOf(year, 9, 2));
      seen.add(wd);
      const sept = dates(defaultHolidays(year), 'holiday').filter((d) => d.startsWith(`${year}-09`));
      const adjacent = `${year}-09-0${expected[wd]}`;
      expect(sept.sort()).toEqual([adjacent, `${year}-09-02`].sort());
    }
    expect(seen.size).toBe(7);
  });

  it('has 11 holiday days, sorted and unique, in its own year, for 1975–2100', () => {
    for (let year = 1975; year <= 2100; year++) {
      const days = defaultHolidays(year);
      expect(dates(days, 'holiday')).toHaveLength(11);
      const all = days.map((d) => d.date);
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual(all);
      expect(all.every((d) => d.startsWith(`${year}-`))).toBe(true);
      for (const c of dates(days, 'compensatory')) expect([0, 6]).not.toContain(weekday(c));
    }
  });
});

describe('OFFICIAL_SCHEDULES', () => {
  it('holds 2026 with the New Year swap, the make-up Saturday and Tết 16–20/02', () => {
    const y = OFFICIAL_SCHEDULES[2026]!;
    expect(y).toContainEqual(expect.objectContaining({ date: '2026-01-02', kind: 'swapped' }));
    expect(y).toContainEqual(expect.objectContaining({ date: '2026-01-10', kind: 'makeup_workday' }));
    expect(y).toContainEqual(expect.objectContaining({ date: '2026-08-22', kind: 'makeup_workday' }));
    expect(y).toContainEqual(expect.objectContaining({ date: '2026-08-31', kind: 'swapped' }));
    expect(dates(y, 'holiday').filter((d) => d.startsWith('2026-02'))).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
  });

  it('is sorted, frozen, has no weekend entries and keeps Vietnamese names', () => {
    for (const year of [2024, 2025, 2026]) {
      const y = OFFICIAL_SCHEDULES[year]!;
      expect(Object.isFrozen(y)).toBe(true);
      expect(y.map((d) => d.date)).toEqual([...y.map((d) => d.date)].sort());
      expect(y.every((d) => d.date.startsWith(`${year}-`))).toBe(true);
      expect(dates(y, 'holiday')).toHaveLength(11);
      for (const d of y) {
        const wd = weekday(d.date);
        if (d.kind === 'makeup_workday') expect(wd).toBe(6);
        if (d.kind === 'swapped' || d.kind === 'compensatory') expect([0, 6]).not.toContain(wd);
      }
    }
    expect(OFFICIAL_SCHEDULES[2024]![0]!.name).toBe('Tết Dương lịch');
  });

  it('agrees with the 2026 defaults on every holiday and compensatory day', () => {
    const def = defaultHolidays(2026);
    const off = OFFICIAL_SCHEDULES[2026]!;
    expect(dates(off, 'holiday')).toEqual(dates(def, 'holiday'));
    expect(dates(off, 'compensatory')).toEqual(dates(def, 'compensatory'));
  });

  it('differs from the defaults where the 2024 and 2025 notices moved the Tết days', () => {
    const diff = (year: number) => {
      const def = new Set(dates(defaultHolidays(year), 'holiday'));
      const off = new Set(dates(OFFICIAL_SCHEDULES[year]!, 'holiday'));
      return {
        officialOnly: [...off].filter((d) => !def.has(d)),
        defaultOnly: [...def].filter((d) => !off.has(d)),
      };
    };
    // 2024: the notice took 29 Chạp (8/2) instead of mùng 4 (13/2); compensatory days 13–14/2, not 14–15/2.
    expect(diff(2024)).toEqual({ officialOnly: ['2024-02-08'], defaultOnly: ['2024-02-13'] });
    expect(dates(OFFICIAL_SCHEDULES[2024]!, 'compensatory')).toEqual(['2024-02-13', '2024-02-14']);
    // 2025: Tết days 27–31/1 (28 Chạp – mùng 3) instead of 28/1–1/2; so no compensatory Monday 3/2.
    expect(diff(2025)).toEqual({ officialOnly: ['2025-01-27'], defaultOnly: ['2025-02-01'] });
    expect(dates(defaultHolidays(2025), 'compensatory')).toEqual(['2025-02-03']);
    expect(dates(OFFICIAL_SCHEDULES[2025]!, 'compensatory')).toEqual([]);
    expect(diff(2026)).toEqual({ officialOnly: [], defaultOnly: [] });
  });
});

describe('holidaysForYear', () => {
  it('returns a sorted copy of the official schedule when given one', () => {
    const official = OFFICIAL_SCHEDULES[2025]!;
    const got = holidaysForYear(2025, official);
    expect(got).toEqual(official);
    expect(got).not.toBe(official);
    got[0]!.name = 'changed';
    expect(official[0]!.name).toBe('Tết Dương lịch');
    const shuffled = [...official].reverse();
    expect(holidaysForYear(2025, shuffled).map((d) => d.date)).toEqual(official.map((d) => d.date));
  });

  it('falls back to the defaults', () => {
    expect(holidaysForYear(2027)).toEqual(defaultHolidays(2027));
    expect(officialOrDefaultHolidays(2027)).toEqual(defaultHolidays(2027));
    expect(officialOrDefaultHolidays(2026)).toEqual(OFFICIAL_SCHEDULES[2026]);
  });
});
