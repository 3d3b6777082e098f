/**
 * A small, defensive PDF object reader: enough to find the catalog, the page tree, form fields and signature
 * dictionaries of PDFs with classic cross-reference tables (pdfkit output and most signed files), and to
 * splice changed dictionaries into an incremental update. Every value keeps its byte span in the file.
 */

export class PdfParseError extends Error {
  override name = 'PdfParseError';
}

interface Span {
  start: number;
  end: number;
}
export type PdfValue = Span &
  (
    | { kind: 'number'; value: number }
    | { kind: 'name'; value: string }
    | { kind: 'string'; bytes: Buffer; hex: boolean }
    | { kind: 'bool'; value: boolean }
    | { kind: 'null' }
    | { kind: 'ref'; num: number; gen: number }
    | { kind: 'array'; items: PdfValue[] }
    | { kind: 'dict'; entries: Map<string, PdfEntry> }
  );
export interface PdfEntry {
  keyStart: number;
  value: PdfValue;
}
export type PdfDict = Extract<PdfValue, { kind: 'dict' }>;
export type PdfRef = Extract<PdfValue, { kind: 'ref' }>;

const MAX_DEPTH = 64;
const isWhite = (c: number | undefined) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelim = (c: number | undefined) =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x2f ||
  c === 0x25;
const isRegular = (c: number | undefined) => c !== undefined && !isWhite(c) && !isDelim(c);
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

export function skipWhite(buf: Buffer, pos: number): number {
  let p = pos;
  while (p < buf.length) {
    const c = buf[p];
    if (isWhite(c)) p++;
    else if (c === 0x25) while (p < buf.length && buf[p] !== 0x0a && buf[p] !== 0x0d) p++;
    else break;
  }
  return p;
}

function readToken(buf: Buffer, pos: number): { text: string; end: number } {
  let p = pos;
  while (isRegular(buf[p])) p++;
  return { text: buf.toString('latin1', pos, p), end: p };
}

/** Parses one direct value (resolving `n g R` references into ref values) starting at `pos`. */
export function parseValue(buf: Buffer, pos: number, depth = 0): PdfValue {
  if (depth > MAX_DEPTH) throw new PdfParseError('objects nested too deeply');
  const start = skipWhite(buf, pos);
  if (start >= buf.length) throw new PdfParseError('unexpected end of file');
  const c = buf[start];
  if (c === 0x2f) {
    const tok = readToken(buf, start + 1);
    const value = tok.text.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
    return { kind: 'name', value, start, end: tok.end };
  }
  if (c === 0x3c && buf[start + 1] === 0x3c) return parseDict(buf, start, depth);
  if (c === 0x3c) {
    const close = buf.indexOf(0x3e, start);
    if (close < 0) throw new PdfParseError('unterminated hex string');
    const hex = buf.toString('latin1', start + 1, close).replace(/[\s\0]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new PdfParseError('invalid hex string');
    const bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    return { kind: 'string', bytes, hex: true, start, end: close + 1 };
  }
  if (c === 0x28) return parseLiteralString(buf, start);
  if (c === 0x5b) {
    const items: PdfValue[] = [];
    let p = start + 1;
    for (;;) {
      p = skipWhite(buf, p);
      if (p >= buf.length) throw new PdfParseError('unterminated array');
      if (buf[p] === 0x5d) return { kind: 'array', items, start, end: p + 1 };
      const item = parseValue(buf, p, depth + 1);
      items.push(item);
      p = item.end;
    }
  }
  if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
    const tok = readToken(buf, start);
    const value = Number(tok.text);
    if (!Number.isFinite(value)) throw new PdfParseError(`invalid number "${tok.text.slice(0, 20)}"`);
    const ref = /^\d+$/.test(tok.text) ? tryRef(buf, tok.end) : null;
    return ref
      ? { kind: 'ref', num: value, gen: ref.gen, start, end: ref.end }
      : { kind: 'number', value, start, end: tok.end };
  }
  const tok = readToken(buf, start);
  if (tok.text === 'true' || tok.text === 'false')
    return { kind: 'bool', value: tok.text === 'true', start, end: tok.end };
  if (tok.text === 'null') return { kind: 'null', start, end: tok.end };
  throw new PdfParseError(
    `unexpected token "${tok.text.slice(0, 20) || String.fromCharCode(c ?? 0)}" at ${start}`,
  );
}

function tryRef(buf: Buffer, pos: number): { gen: number; end: number } | null {
  const p = skipWhite(buf, pos);
  if (p === pos || !isDigit(buf[p])) return null;
  const gen = readToken(buf, p);
  if (!/^\d+$/.test(gen.text)) return null;
  const q = skipWhite(buf, gen.end);
  if (q === gen.end || buf[q] !== 0x52 || isRegular(buf[q + 1])) return null;
  return { gen: Number(gen.text), end: q + 1 };
}

function parseDict(buf: Buffer, start: number, depth: number): PdfDict {
  const entries = new Map<string, PdfEntry>();
  let p = start + 2;
  for (;;) {
    p = skipWhite(buf, p);
    if (p >= buf.length) throw new PdfParseError('unterminated dictionary');
    if (buf[p] === 0x3e && buf[p + 1] === 0x3e) return { kind: 'dict', entries, start, end: p + 2 };
    const key = parseValue(buf, p, depth + 1);
    if (key.kind !== 'name') throw new PdfParseError(`dictionary key expected at ${p}`);
    const value = parseValue(buf, key.end, depth + 1);
    entries.set(key.value, { keyStart: key.start, value });
    p = value.end;
  }
}

const ESCAPES: Record<number, number> = { 110: 0x0a, 114: 0x0d, 116: 0x09, 98: 0x08, 102: 0x0c };
function parseLiteralString(buf: Buffer, start: number): PdfValue {
  const out: number[] = [];
  let depth = 1;
  let p = start + 1;
  while (p < buf.length) {
    const c = buf[p++] as number;
    if (c === 0x5c) {
      const n = buf[p++];
      if (n === undefined) break;
      if (ESCAPES[n] !== undefined) out.push(ESCAPES[n]);
      else if (n >= 0x30 && n <= 0x37) {
        let oct = n - 0x30;
        for (let i = 0; i < 2 && (buf[p] ?? 0) >= 0x30 && (buf[p] ?? 0) <= 0x37; i++)
          oct = oct * 8 + (buf[p++]! - 0x30);
        out.push(oct & 0xff);
      } else if (n === 0x0d) {
        if (buf[p] === 0x0a) p++;
      } else if (n !== 0x0a) out.push(n);
    } else if (c === 0x28) {
      depth++;
      out.push(c);
    } else if (c === 0x29) {
      if (--depth === 0) return { kind: 'string', bytes: Buffer.from(out), hex: false, start, end: p };
      out.push(c);
    } else out.push(c);
  }
  throw new PdfParseError('unterminated string');
}

/** Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding ≈ Latin-1). */
export function decodeTextString(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1');
}

/**
 * Returns the bytes of a dictionary with entries replaced, added (value string) or removed (null).
 * Unchanged entries are copied verbatim.
 */
export function spliceDict(buf: Buffer, dict: PdfDict, changes: Record<string, string | null>): string {
  const edits: { from: number; to: number; text: string }[] = [];
  const additions: string[] = [];
  for (const [key, text] of Object.entries(changes)) {
    const entry = dict.entries.get(key);
    if (entry)
      edits.push({ from: entry.keyStart, to: entry.value.end, text: text === null ? '' : `/${key} ${text}` });
    else if (text !== null) additions.push(`/${key} ${text}`);
  }
  edits.push({
    from: dict.end - 2,
    to: dict.end - 2,
    text: additions.length ? ` ${additions.join(' ')} ` : '',
  });
  edits.sort((a, b) => a.from - b.from);
  let out = '';
  let pos = dict.start;
  for (const e of edits) {
    out += buf.toString('latin1', pos, e.from) + e.text;
    pos = e.to;
  }
  return out + buf.toString('latin1', pos, dict.end);
}
