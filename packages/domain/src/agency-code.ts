import { DomainError } from './errors.js';

/**
 * Agency electronic identifiers (mã định danh điện tử cơ quan), QCVN 102:2016/BTTTT and Decision 20/2020/QĐ-TTg.
 *
 * Two written forms exist:
 * - classic, read right to left: `LLL.KK.JJ.Xnn` — `000.00.08.H41` is unit 08 under province H41;
 * - newer, read left to right from the top level: `H41.08`, `H15.50.05.13`, `H55.242`.
 *
 * The canonical form stored everywhere (and used as the prefix of dossier codes) is the left-to-right one.
 * `parts[0]` is level 1 (`Hnn` province, `Gnn` central body, …), then levels 2, 3, 4.
 */
export interface AgencyCode {
  /** Canonical left-to-right code, e.g. `H41.08`. */
  canonical: string;
  /** Level parts from the top: `['H41', '08']`. */
  parts: string[];
  /** Level of the unit: 1 for `H41`, 2 for `H41.08`, … */
  level: number;
}

const CLASSIC = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/;
const LEFT_TO_RIGHT = /^([A-Z]\d{2})((?:\.\d{2,3}){0,3})$/;

function invalid(input: string): DomainError {
  return new DomainError(
    'AGENCY_CODE_INVALID',
    `Mã định danh cơ quan "${input}" không đúng định dạng (ví dụ: 000.00.08.H41 hoặc H41.08).`,
    `Agency code "${input}" is malformed (e.g. 000.00.08.H41 or H41.08).`,
    { input },
  );
}

/** Parses either form; throws AGENCY_CODE_INVALID. */
export function parseAgencyCode(input: string): AgencyCode {
  const code = input.trim().toUpperCase();
  const classic = CLASSIC.exec(code);
  if (classic) {
    const [, l4, l3, l2, l1] = classic as unknown as [string, string, string, string, string];
    const lower = [l2, l3, l4];
    const parts = [l1];
    let ended = false;
    for (const p of lower) {
      const zero = /^0+$/.test(p);
      if (zero) ended = true;
      else if (ended)
        throw invalid(input); // a lower level cannot exist under an absent one
      else parts.push(p);
    }
    return { canonical: parts.join('.'), parts, level: parts.length };
  }
  const ltr = LEFT_TO_RIGHT.exec(code);
  if (ltr) {
    const parts = code.split('.');
    if (parts.slice(1).some((p) => /^0+$/.test(p))) throw invalid(input);
    return { canonical: code, parts, level: parts.length };
  }
  throw invalid(input);
}

/** `true` when the string is an agency code in either form. */
export function isAgencyCode(input: string): boolean {
  try {
    parseAgencyCode(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * The classic right-to-left form, when the parts fit its fixed widths (2, 2 and 3 digits); otherwise null.
 * `H41.08` → `000.00.08.H41`.
 */
export function toClassicAgencyCode(code: AgencyCode): string | null {
  const [l1, l2 = '00', l3 = '00', l4 = '000'] = code.parts;
  if (l2.length !== 2 || l3.length !== 2 || l4.length !== 3) return null;
  return `${l4}.${l3}.${l2}.${l1}`;
}

/** `true` when `child` is `parent` or lies below it in the code hierarchy. */
export function isWithinAgency(child: AgencyCode, parent: AgencyCode): boolean {
  return child.canonical === parent.canonical || child.canonical.startsWith(`${parent.canonical}.`);
}
