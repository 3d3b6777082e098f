import { type PdfDict, PdfParseError, type PdfValue, parseValue, skipWhite } from './pdf-objects.js';

/** Cross-reference tables and random access to the objects of the newest revision of a PDF. */

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** Offset of the `n g obj` header. */
  offset: number;
}

/** Parses `n g obj <value>` at `offset`. */
export function parseIndirectObject(buf: Buffer, offset: number): IndirectObject {
  const m = /^(\d+)\s+(\d+)\s+obj\b/.exec(buf.toString('latin1', offset, Math.min(buf.length, offset + 40)));
  if (!m) throw new PdfParseError(`no object header at offset ${offset}`);
  const value = parseValue(buf, offset + m[0].length);
  return { num: Number(m[1]), gen: Number(m[2]), value, offset };
}

export interface XrefInfo {
  /** Object number → {offset, gen}, newest revision wins. */
  offsets: Map<number, { offset: number; gen: number }>;
  /** The newest trailer. */
  trailer: PdfDict;
  /** Offset of the newest cross-reference section (value of the last `startxref`). */
  startxref: number;
}

/** Reads the chain of classic cross-reference tables from the last `startxref` back through /Prev. */
export function readXref(buf: Buffer): XrefInfo {
  const tailStart = Math.max(0, buf.length - 1024);
  const tail = buf.toString('latin1', tailStart);
  const sx = tail.lastIndexOf('startxref');
  const m = sx >= 0 ? /^startxref\s+(\d+)/.exec(tail.slice(sx)) : null;
  if (!m) throw new PdfParseError('no startxref near the end of the file (truncated?)');
  const startxref = Number(m[1]);
  const offsets = new Map<number, { offset: number; gen: number }>();
  let trailer: PdfDict | undefined;
  const seen = new Set<number>();
  let at: number | undefined = startxref;
  while (at !== undefined) {
    if (seen.has(at) || seen.size > 10_000) throw new PdfParseError('cross-reference chain loops');
    seen.add(at);
    if (at >= buf.length)
      throw new PdfParseError(`cross-reference offset ${at} is beyond the end of the file`);
    const section = readXrefSection(buf, at);
    for (const [num, entry] of section.entries) if (!offsets.has(num)) offsets.set(num, entry);
    trailer ??= section.trailer;
    const prev = section.trailer.entries.get('Prev')?.value;
    at = prev?.kind === 'number' ? prev.value : undefined;
  }
  if (!trailer) throw new PdfParseError('no trailer');
  return { offsets, trailer, startxref };
}

function readXrefSection(buf: Buffer, at: number) {
  const p0 = skipWhite(buf, at);
  if (buf.toString('latin1', p0, p0 + 4) !== 'xref') {
    if (/^\d+\s+\d+\s+obj/.test(buf.toString('latin1', p0, p0 + 30)))
      throw new PdfParseError('cross-reference streams (PDF 1.5 compressed files) are not supported yet');
    throw new PdfParseError(`no cross-reference table at offset ${at}`);
  }
  const entries = new Map<number, { offset: number; gen: number }>();
  let p = p0 + 4;
  for (;;) {
    p = skipWhite(buf, p);
    const head = /^(\d+)\s+(\d+)/.exec(buf.toString('latin1', p, p + 40));
    if (!head) break;
    const first = Number(head[1]);
    const count = Number(head[2]);
    if (count > buf.length / 18) throw new PdfParseError('cross-reference subsection larger than the file');
    p += head[0].length;
    for (let i = 0; i < count; i++) {
      p = skipWhite(buf, p);
      const e = /^(\d{1,10})\s+(\d{1,5})\s+([nf])/.exec(buf.toString('latin1', p, p + 24));
      if (!e) throw new PdfParseError(`malformed cross-reference entry at ${p}`);
      p += e[0].length;
      if (e[3] === 'n') entries.set(first + i, { offset: Number(e[1]), gen: Number(e[2]) });
    }
  }
  if (buf.toString('latin1', p, p + 7) !== 'trailer')
    throw new PdfParseError(`no trailer after xref at ${at}`);
  const trailer = parseValue(buf, p + 7);
  if (trailer.kind !== 'dict') throw new PdfParseError('trailer is not a dictionary');
  return { entries, trailer };
}

/** Random access to the objects of the newest revision. */
export class PdfReader {
  readonly xref: XrefInfo;
  constructor(readonly buf: Buffer) {
    this.xref = readXref(buf);
  }
  get trailer(): PdfDict {
    return this.xref.trailer;
  }
  object(num: number): IndirectObject {
    const entry = this.xref.offsets.get(num);
    if (!entry) throw new PdfParseError(`object ${num} is not in the cross-reference table`);
    const obj = parseIndirectObject(this.buf, entry.offset);
    if (obj.num !== num)
      throw new PdfParseError(`cross-reference entry for object ${num} points at object ${obj.num}`);
    return obj;
  }
  /** Follows a reference (or returns the direct value). */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    let v = value;
    for (let i = 0; v?.kind === 'ref' && i < 32; i++) v = this.object(v.num).value;
    return v;
  }
  get(dict: PdfDict | undefined, key: string): PdfValue | undefined {
    return this.resolve(dict?.entries.get(key)?.value);
  }
  dict(value: PdfValue | undefined, what: string): PdfDict {
    const v = this.resolve(value);
    if (v?.kind !== 'dict') throw new PdfParseError(`${what} is not a dictionary`);
    return v;
  }
  /** Maximum object number + 1 over the trailer /Size and the table. */
  get size(): number {
    const size = this.trailer.entries.get('Size')?.value;
    let max = size?.kind === 'number' ? size.value : 0;
    for (const num of this.xref.offsets.keys()) if (num + 1 > max) max = num + 1;
    return max;
  }
}
