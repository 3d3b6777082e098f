import { describe, expect, it } from 'vitest';
import {
  formatDossierCode,
  isProcedureCode,
  isWithinAgency,
  parseAgencyCode,
  parseDossierCode,
  toClassicAgencyCode,
} from '../src/index.js';

describe('agency e-ID codes (QCVN 102)', () => {
  it('reads the classic right-to-left form', () => {
    expect(parseAgencyCode('000.00.08.H41')).toEqual({ canonical: 'H41.08', parts: ['H41', '08'], level: 2 });
    expect(parseAgencyCode('000.00.00.H56')).toEqual({ canonical: 'H56', parts: ['H56'], level: 1 });
    expect(parseAgencyCode('013.05.50.H15')).toEqual({
      canonical: 'H15.50.05.013',
      parts: ['H15', '50', '05', '013'],
      level: 4,
    });
  });

  it('reads the left-to-right form and keeps it as canonical', () => {
    expect(parseAgencyCode('H41.08').canonical).toBe('H41.08');
    expect(parseAgencyCode('h15.50.05.13').parts).toEqual(['H15', '50', '05', '13']);
    expect(parseAgencyCode('H55.242').level).toBe(2);
    expect(parseAgencyCode('G22').canonical).toBe('G22');
  });

  it('gives the same canonical code for both forms of the same unit', () => {
    expect(parseAgencyCode('000.00.01.H27').canonical).toBe(parseAgencyCode('H27.01').canonical);
  });

  it('writes the classic form back when it fits its widths', () => {
    expect(toClassicAgencyCode(parseAgencyCode('H41.08'))).toBe('000.00.08.H41');
    expect(toClassicAgencyCode(parseAgencyCode('H55.242'))).toBeNull();
  });

  it.each([
    '',
    'H4',
    'X.00.08.H41',
    '000.08.00.H41',
    'H41.00',
    '41.08',
    'H41..08',
    'H41.08.',
    '000.00.08.H411',
  ])('rejects malformed code %j with AGENCY_CODE_INVALID', (bad) => {
    expect(() => parseAgencyCode(bad)).toThrowError(expect.objectContaining({ code: 'AGENCY_CODE_INVALID' }));
  });

  it('knows the hierarchy', () => {
    expect(isWithinAgency(parseAgencyCode('H41.08.02'), parseAgencyCode('H41'))).toBe(true);
    expect(isWithinAgency(parseAgencyCode('H41.08'), parseAgencyCode('H41.08'))).toBe(true);
    expect(isWithinAgency(parseAgencyCode('H41.081'), parseAgencyCode('H41.08'))).toBe(false);
  });
});

describe('dossier codes', () => {
  it('formats {agency}-{YYMMDD}-{sequence of at least 4 digits}', () => {
    expect(formatDossierCode('H41.50', '2026-11-24', 7)).toBe('H41.50-261124-0007');
    expect(formatDossierCode('H41.50', '2026-11-24', 12345)).toBe('H41.50-261124-12345');
  });

  it('parses real-world codes', () => {
    expect(parseDossierCode('H15.50.05.13-261008-0975')).toEqual({
      code: 'H15.50.05.13-261008-0975',
      agency: 'H15.50.05.13',
      date: '2026-10-08',
      sequence: 975,
    });
  });

  it.each([
    'H41.50-261324-0001',
    'H41.50-260230-0001',
    'H41.50-261124-001',
    'H41.50-261124',
    'x',
    'H41.50-261124-0001; DROP',
  ])('rejects %j with DOSSIER_CODE_INVALID', (bad) => {
    expect(() => parseDossierCode(bad)).toThrowError(
      expect.objectContaining({ code: 'DOSSIER_CODE_INVALID' }),
    );
  });
});

describe('procedure codes', () => {
  it('accepts national codes and local variants with the agency suffix', () => {
    expect(isProcedureCode('1.000656')).toBe(true);
    expect(isProcedureCode('1.000656.000.00.00.H29')).toBe(true);
    expect(isProcedureCode('2.000815.000.00.00.H55')).toBe(true);
    expect(isProcedureCode('1.00065')).toBe(false);
    expect(isProcedureCode('1.000656.H29')).toBe(false);
  });
});
