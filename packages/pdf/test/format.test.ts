import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDocumentNumber,
  formatLongDate,
  formatMoney,
  formatPlaceDate,
  formatTime,
  formatTimeLong,
  upperVi,
  vietnamTime,
} from '../src/index.js';

const savedTz = process.env['TZ'];
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('dates and times in Vietnam (UTC+7), whatever the process time zone', () => {
  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
    it(`gives the Vietnamese calendar day and time with TZ=${tz}`, () => {
      process.env['TZ'] = tz;
      // 17:30 UTC on 23/11 is 00:30 on 24/11 in Vietnam
      const d = new Date('2026-11-23T17:30:00Z');
      expect(formatDate(d)).toBe('24/11/2026');
      expect(formatTime(d)).toBe('00:30');
      expect(formatDateTime(d)).toBe('00:30 ngày 24/11/2026');
      expect(formatLongDate(d)).toBe('ngày 24 tháng 11 năm 2026');
      expect(vietnamTime(d)).toEqual({ year: 2026, month: 11, day: 24, hour: 0, minute: 30, second: 0 });
    });
  }

  it('accepts ISO strings with any offset', () => {
    expect(formatDate('2026-12-31T23:59:00+07:00')).toBe('31/12/2026');
    expect(formatDate('2026-12-31T17:00:00Z')).toBe('01/01/2027');
    expect(formatTime('2026-11-24T08:05:00+07:00')).toBe('08:05');
    expect(formatTimeLong('2026-11-24T16:00:00+07:00')).toBe('16 giờ 00 phút');
  });

  it('pads days below 10 and the months 1 and 2 only (Decree 30 Annex I)', () => {
    expect(formatLongDate('2026-02-05T10:00:00+07:00')).toBe('ngày 05 tháng 02 năm 2026');
    expect(formatLongDate('2026-01-15T10:00:00+07:00')).toBe('ngày 15 tháng 01 năm 2026');
    expect(formatLongDate('2026-03-05T10:00:00+07:00')).toBe('ngày 05 tháng 3 năm 2026');
    expect(formatLongDate('2026-11-24T10:00:00+07:00')).toBe('ngày 24 tháng 11 năm 2026');
    expect(formatPlaceDate('Vinh', '2026-11-24T10:00:00+07:00')).toBe('Vinh, ngày 24 tháng 11 năm 2026');
  });

  it('rejects an invalid date instead of printing NaN', () => {
    expect(() => formatDate('not a date')).toThrow(/Invalid date/);
    expect(() => formatDate(new Date(Number.NaN))).toThrow(/Invalid date/);
  });
});

describe('money and numbers', () => {
  it('groups đồng with dots and appends ₫', () => {
    expect(formatMoney(1_500_000)).toBe('1.500.000 ₫');
    expect(formatMoney(0)).toBe('0 ₫');
    expect(formatMoney(999)).toBe('999 ₫');
    expect(formatMoney(1000)).toBe('1.000 ₫');
    expect(formatMoney(-25_000)).toBe('-25.000 ₫');
    expect(formatMoney(1_234_567_890_123n)).toBe('1.234.567.890.123 ₫');
    expect(formatMoney(1499.6)).toBe('1.500 ₫');
    expect(() => formatMoney(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('gives document numbers below 10 a leading zero', () => {
    expect(formatDocumentNumber(5)).toBe('05');
    expect(formatDocumentNumber('15')).toBe('15');
    expect(formatDocumentNumber('123')).toBe('123');
  });

  it('upper-cases Vietnamese in precomposed form', () => {
    expect(upperVi('Ủy ban nhân dân phường Trường Vinh')).toBe('ỦY BAN NHÂN DÂN PHƯỜNG TRƯỜNG VINH');
    // decomposed input (u + combining hook, ư + combining grave) comes out precomposed
    expect(upperVi('u\u0309y ban Trươ\u0300ng')).toBe('ỦY BAN TRƯỜNG');
  });
});
