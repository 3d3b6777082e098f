import type { PdfDict } from './pdf-objects.js';
import { parseIndirectObject } from './pdf-reader.js';

/**
 * Finding objects by scanning for `n g obj` headers instead of trusting the cross-reference table, so that
 * signatures of damaged, truncated or hand-edited files can still be reported (used by the verifier).
 */

/** Parses a PDF date string D:YYYYMMDDHHmmSSOHH'mm' (missing parts default per ISO 32000). */
export function parsePdfDate(text: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(
    text.trim(),
  );
  if (!m) return null;
  const [y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m.slice(1, 7).map((v) => v);
  const sign = m[7] === '-' ? -1 : 1;
  const offset = m[7] && m[7].toUpperCase() !== 'Z' ? sign * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) : 0;
  const t =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

export interface ScannedObject {
  num: number;
  offset: number;
  dict: PdfDict;
}

/** Objects (latest definition per number) found by scanning headers, so broken cross-references still work. */
export function scan(buf: Buffer, text: string) {
  const headers: { num: number; offset: number }[] = [];
  for (const m of text.matchAll(/(?<!\d)(\d{1,10})\s{1,8}(\d{1,5})\s{1,8}obj\b/g))
    headers.push({ num: Number(m[1]), offset: m.index });
  const latest = new Map<number, number>();
  for (const h of headers) latest.set(h.num, h.offset);
  const cache = new Map<number, ScannedObject | null>();
  const at = (offset: number): ScannedObject | null => {
    if (!cache.has(offset)) {
      try {
        const o = parseIndirectObject(buf, offset);
        cache.set(offset, o.value.kind === 'dict' ? { num: o.num, offset, dict: o.value } : null);
      } catch {
        cache.set(offset, null);
      }
    }
    return cache.get(offset) ?? null;
  };
  /** The object whose header precedes `pos`. */
  const enclosing = (pos: number) => {
    let lo = 0;
    let hi = headers.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (headers[mid]!.offset < pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : at(headers[found]!.offset);
  };
  const byNum = (num: number) => {
    const off = latest.get(num);
    return off === undefined ? null : at(off);
  };
  return { enclosing, byNum };
}
