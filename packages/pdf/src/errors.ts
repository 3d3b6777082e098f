import { type DateInput, TIMING_LABELS, type Timing, toDate } from './format.js';

/**
 * An input that cannot make a valid document (an empty applicant name, a missing dossier code, a bad date …).
 * `field` is the path of the offending value in the input object, e.g. `applicant.name`.
 */
export class PdfInputError extends Error {
  readonly code = 'PDF_INPUT_INVALID';
  constructor(
    readonly form: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${form}: ${field} ${problem}`);
    this.name = 'PdfInputError';
  }
}

/** Collects checks for one form; every helper returns the cleaned value. */
export class Check {
  constructor(readonly form: string) {}

  fail(field: string, problem: string): never {
    throw new PdfInputError(this.form, field, problem);
  }

  /** A required text: trimmed, precomposed (NFC), not empty. */
  text(field: string, value: unknown, max = 2000): string {
    if (typeof value !== 'string') this.fail(field, 'is required (a non-empty text)');
    const s = value.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (s.length === 0) this.fail(field, 'must not be empty');
    if (s.length > max) this.fail(field, `is too long (${s.length} characters, at most ${max})`);
    return s;
  }

  /** Like `text`, but keeps line breaks ("\n" chooses where a unit name breaks); blank lines are dropped. */
  lines(field: string, value: unknown, max = 300): string {
    if (typeof value !== 'string') this.fail(field, 'is required (a non-empty text)');
    const s = value
      .normalize('NFC')
      .split(/\r?\n/)
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');
    if (s.length === 0) this.fail(field, 'must not be empty');
    if (s.length > max) this.fail(field, `is too long (${s.length} characters, at most ${max})`);
    return s;
  }

  /** An optional text: `undefined` when absent or blank. */
  optText(field: string, value: unknown, max = 2000): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    return this.text(field, value, max);
  }

  date(field: string, value: unknown): Date {
    if (value === undefined || value === null || value === '') this.fail(field, 'is required (a date)');
    try {
      return toDate(value as DateInput);
    } catch {
      return this.fail(field, `is not a valid date: ${String(value)}`);
    }
  }

  optDate(field: string, value: unknown): Date | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.date(field, value);
  }

  /**
   * A dossier code (Circular 01/2018 → 03/2025, 04/2025): `{agency e-ID}-{YYMMDD}-{sequence}`,
   * e.g. `H41.50-261124-0007` or `G22.12.3-261124-AA0123`.
   */
  dossierCode(field: string, value: unknown): string {
    const s = this.text(field, value, 60);
    if (!/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*-\d{6}-[A-Za-z0-9]{4,}$/.test(s)) {
      this.fail(
        field,
        `is not a dossier code ({agency code}-{YYMMDD}-{sequence}, e.g. H41.50-261124-0007): ${s}`,
      );
    }
    return s;
  }

  url(field: string, value: unknown): string {
    const s = this.text(field, value, 1000);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return this.fail(field, `is not an absolute URL: ${s}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') this.fail(field, `must be an http(s) URL: ${s}`);
    return s;
  }

  /** A number of working days in half-day steps (0, 0.5, 1, …), as procedures state their time limits. */
  halfDays(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value * 2)) {
      throw this.fail(field, `must be a non-negative multiple of 0.5: ${String(value)}`);
    }
    return value;
  }

  nonNegativeInt(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      this.fail(field, `must be a non-negative integer: ${String(value)}`);
    }
    return value;
  }

  /** Early / on time / late, or null when absent (still open). */
  timing(field: string, value: unknown): Timing | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !Object.hasOwn(TIMING_LABELS, value)) {
      this.fail(field, `must be early, on_time or late: ${String(value)}`);
    }
    return value as Timing;
  }

  nonEmptyArray<T>(field: string, value: readonly T[] | undefined | null): readonly T[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(field, 'must list at least one item');
    return value;
  }
}
