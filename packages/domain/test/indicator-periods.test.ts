import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.js';
import { halfStarts, parsePeriod, previousPeriod, splitPeriod } from '../src/indicators/periods.js';

describe('reporting periods', () => {
  it('parses calendar periods', () => {
    expect(parsePeriod('2026-02')).toMatchObject({ kind: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(parsePeriod('2024-02')).toMatchObject({ to: '2024-02-29' });
    expect(parsePeriod('2026-q4')).toMatchObject({
      kind: 'quarter',
      key: '2026-Q4',
      from: '2026-10-01',
      to: '2026-12-31',
    });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    expect(parsePeriod('2026-03-05..2026-04-20')).toMatchObject({
      kind: 'custom',
      from: '2026-03-05',
      to: '2026-04-20',
    });
  });

  it('parses the reporting periods of Decree 09/2019 (15th → 14th)', () => {
    expect(parsePeriod('2026-01', 'report_month')).toMatchObject({ from: '2025-12-15', to: '2026-01-14' });
    expect(parsePeriod('2026-11', 'report_month')).toMatchObject({ from: '2026-10-15', to: '2026-11-14' });
    expect(parsePeriod('2026-Q1', 'report_quarter')).toMatchObject({ from: '2025-12-15', to: '2026-03-14' });
    expect(parsePeriod('2026-Q4', 'report_quarter')).toMatchObject({ from: '2026-09-15', to: '2026-12-14' });
    expect(parsePeriod('2026-H1', 'report_half')).toMatchObject({ from: '2025-12-15', to: '2026-06-14' });
    expect(parsePeriod('2026-H2', 'report_half')).toMatchObject({ from: '2026-06-15', to: '2026-12-14' });
    expect(parsePeriod('2026', 'report_year')).toMatchObject({ from: '2025-12-15', to: '2026-12-14' });
  });

  it('refuses impossible periods with a validation error', () => {
    for (const bad of [
      '2026-13',
      '2026-Q5',
      '1999',
      '2026-02-30..2026-03-01',
      '2026-03-02..2026-03-01',
      'x',
      '2015-01-01..2026-01-01',
    ]) {
      expect(() => parsePeriod(bad), bad).toThrow(DomainError);
    }
    expect(() => parsePeriod('2026-H1', 'month')).toThrow(DomainError);
  });

  it('gives the previous period of the same kind', () => {
    expect(previousPeriod(parsePeriod('2026-01')).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-01', 'report_month'))).toMatchObject({
      from: '2025-11-15',
      to: '2025-12-14',
    });
    expect(previousPeriod(parsePeriod('2026-H1', 'report_half'))).toMatchObject({
      from: '2025-06-15',
      to: '2025-12-14',
    });
    expect(previousPeriod(parsePeriod('2026-03-11..2026-03-20'))).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-10',
    });
  });

  it('splits a range into whole half-months and partial edges that cover it exactly once', () => {
    expect(splitPeriod('2026-01-01', '2026-12-31')).toEqual({
      halves: { first: '2026-01-01', last: '2026-12-15' },
      edges: [],
    });
    expect(splitPeriod('2025-12-15', '2026-12-14')).toEqual({
      halves: { first: '2025-12-15', last: '2026-12-01' },
      edges: [],
    });
    expect(splitPeriod('2026-03-05', '2026-04-20')).toEqual({
      halves: { first: '2026-03-15', last: '2026-04-01' },
      edges: [
        { from: '2026-03-05', to: '2026-03-14' },
        { from: '2026-04-15', to: '2026-04-20' },
      ],
    });
    expect(splitPeriod('2026-03-05', '2026-03-20')).toEqual({
      halves: null,
      edges: [{ from: '2026-03-05', to: '2026-03-20' }],
    });
    expect(splitPeriod('2026-02-15', '2026-02-28')).toEqual({
      halves: { first: '2026-02-15', last: '2026-02-15' },
      edges: [],
    });
    // Every day of many random ranges is covered exactly once.
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);
    for (let i = 0; i < 300; i++) {
      const a = (i * 37) % 700;
      const b = a + ((i * 13) % 120);
      const { halves, edges } = splitPeriod(day(a), day(b));
      const covered: string[] = [];
      if (halves) {
        for (const h of halfStarts(halves.first, halves.last)) {
          for (
            let d = h;
            d.slice(0, 7) === h.slice(0, 7) && (h.endsWith('01') ? d < `${h.slice(0, 8)}15` : true);
          ) {
            covered.push(d);
            const next = new Date(`${d}T00:00:00Z`);
            next.setUTCDate(next.getUTCDate() + 1);
            d = next.toISOString().slice(0, 10);
          }
        }
      }
      for (const e of edges)
        for (let n = Date.parse(e.from); n <= Date.parse(e.to); n += 86_400_000)
          covered.push(new Date(n).toISOString().slice(0, 10));
      const expected: string[] = [];
      for (let n = a; n <= b; n++) expected.push(day(n));
      expect(covered.sort()).toEqual(expected);
    }
  });
});
