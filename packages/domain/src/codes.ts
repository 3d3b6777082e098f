import { parseAgencyCode } from './agency-code.js';
import { DomainError } from './errors.js';

/**
 * Dossier code (mã hồ sơ): `{agency e-ID}-{YYMMDD of receipt}-{daily sequence, ≥ 4 digits}`,
 * Circular 01/2018/TT-VPCP, kept by Circular 03/2025 — e.g. `H15.50.05.13-261008-0975`.
 */
export interface DossierCode {
  code: string;
  agency: string;
  /** Receipt date `YYYY-MM-DD` (Vietnam time). */
  date: string;
  sequence: number;
}

const DOSSIER_CODE = /^([A-Z]\d{2}(?:\.\d{2,3}){0,3})-(\d{2})(\d{2})(\d{2})-(\d{4,7})$/;

export function formatDossierCode(agency: string, isoDate: string, sequence: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m || !Number.isInteger(sequence) || sequence < 1) {
    throw new Error(`formatDossierCode: bad input ${agency} ${isoDate} ${sequence}`);
  }
  const yymmdd = `${m[1]!.slice(2)}${m[2]}${m[3]}`;
  return `${agency}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export function parseDossierCode(input: string): DossierCode {
  const code = input.trim().toUpperCase();
  const m = DOSSIER_CODE.exec(code);
  const bad = () =>
    new DomainError(
      'DOSSIER_CODE_INVALID',
      `Mã hồ sơ "${input}" không đúng định dạng (ví dụ: H41.08-261124-0001).`,
      `Dossier code "${input}" is malformed (e.g. H41.08-261124-0001).`,
      { input },
    );
  if (!m) throw bad();
  const [, agency, yy, mm, dd, seq] = m as unknown as [string, string, string, string, string, string];
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw bad();
  parseAgencyCode(agency);
  return { code, agency, date: `${year}-${mm}-${dd}`, sequence: Number(seq) };
}

/**
 * National procedure code (mã TTHC), `1.000656`; a local variant appends the classic agency code of the
 * publishing province: `1.000656.000.00.00.H29`.
 */
export const PROCEDURE_CODE = /^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$/;

export function isProcedureCode(input: string): boolean {
  return PROCEDURE_CODE.test(input);
}
