/**
 * Text helpers: paragraphs, mixed-face lines, positioned text, measurements and balanced line breaks.
 */
import type { FontStyle } from '../fonts.js';
import { font, LINE_GAP, nfc, SIZE } from './document.js';
import { area, type Doc, ensureSpace } from './geometry.js';

export interface TextOpts {
  style?: FontStyle;
  size?: number;
  align?: 'left' | 'center' | 'right' | 'justify';
  x?: number;
  width?: number;
  indent?: number;
  /** Extra space after the paragraph (pt). */
  after?: number;
  lineGap?: number;
}

/** A paragraph in the flow at `doc.y` (breaks across pages on its own). */
export function para(doc: Doc, text: string, o: TextOpts = {}): void {
  const a = area(doc);
  font(doc, o.style ?? 'regular', o.size ?? SIZE.body);
  doc.text(nfc(text), o.x ?? a.left, doc.y, {
    width: o.width ?? a.right - (o.x ?? a.left),
    align: o.align ?? 'justify',
    lineGap: o.lineGap ?? LINE_GAP,
    indent: o.indent ?? 0,
  });
  doc.y += o.after ?? 3;
}

export interface Segment {
  text: string;
  style?: FontStyle;
}

/** One paragraph mixing faces ("Label: **value**"), in the flow. */
export function rich(doc: Doc, segments: readonly Segment[], o: TextOpts = {}): void {
  const a = area(doc);
  const parts = segments.filter((s) => s.text.length > 0);
  const x = o.x ?? a.left;
  const width = o.width ?? a.right - x;
  parts.forEach((s, i) => {
    font(doc, s.style ?? 'regular', o.size ?? SIZE.body);
    const opts = {
      width,
      align: o.align ?? 'left',
      lineGap: o.lineGap ?? LINE_GAP,
      indent: o.indent ?? 0,
      continued: i < parts.length - 1,
    };
    if (i === 0) doc.text(nfc(s.text), x, doc.y, opts);
    else doc.text(nfc(s.text), opts);
  });
  doc.x = a.left;
  doc.y += o.after ?? 3;
}

/** Text at a fixed position that never moves the flow (`doc.y` is restored). Returns the height used. */
export function textAt(
  doc: Doc,
  text: string,
  x: number,
  top: number,
  width: number,
  o: TextOpts = {},
): number {
  const y0 = doc.y;
  font(doc, o.style ?? 'regular', o.size ?? SIZE.body);
  const opts = { width, align: o.align ?? 'center', lineGap: o.lineGap ?? LINE_GAP } as const;
  // positioned text never triggers pdfkit's automatic page break: the caller has checked the space
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  // explicit line breaks are drawn line by line: pdfkit counts the "\n" in the width of a centred line
  let h = 0;
  for (const line of nfc(text).split('\n')) {
    const lh = doc.heightOfString(line || ' ', opts);
    doc.text(line, x, top + h, opts);
    h += lh;
  }
  doc.page.margins.bottom = bottom;
  doc.y = y0;
  doc.x = area(doc).left;
  return h;
}

export function heightOf(doc: Doc, text: string, width: number, o: TextOpts = {}): number {
  font(doc, o.style ?? 'regular', o.size ?? SIZE.body);
  return doc.heightOfString(nfc(text), { width, lineGap: o.lineGap ?? LINE_GAP, indent: o.indent ?? 0 });
}

export function widthOf(doc: Doc, text: string, style: FontStyle, size: number): number {
  font(doc, style, size);
  return doc.widthOfString(nfc(text));
}

/** Height of one line of text in a given size (ascender to descender plus the font's line gap). */
export function lineHeight(doc: Doc, style: FontStyle, size: number): number {
  font(doc, style, size);
  return doc.currentLineHeight(true);
}

/**
 * Breaks a short text (a unit name, a title) into balanced lines that fit `width`: the widest line is as short
 * as possible ("ỦY BAN NHÂN DÂN / PHƯỜNG TRƯỜNG VINH" rather than "ỦY BAN NHÂN DÂN PHƯỜNG / TRƯỜNG VINH").
 * Explicit "\n" breaks are kept; each part is balanced on its own.
 */
export function balanceLines(doc: Doc, text: string, style: FontStyle, size: number, width: number): string {
  return text
    .split('\n')
    .map((part) => balancePart(doc, part.trim(), style, size, width))
    .join('\n');
}

function balancePart(doc: Doc, text: string, style: FontStyle, size: number, width: number): string {
  if (widthOf(doc, text, style, size) <= width) return text;
  const words = text.split(/\s+/);
  const n = words.length;
  if (n > 40) return text;
  const w = (i: number, j: number) => widthOf(doc, words.slice(i, j).join(' '), style, size);
  for (let k = 2; k <= n; k++) {
    // best[j][i]: smallest possible widest line when words[0..i) are set in j lines
    const best: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
    const from: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
    best[0]![0] = 0;
    for (let j = 1; j <= k; j++) {
      for (let i = 1; i <= n; i++) {
        for (let p = j - 1; p < i; p++) {
          const v = Math.max(best[j - 1]![p]!, w(p, i));
          if (v < best[j]![i]!) {
            best[j]![i] = v;
            from[j]![i] = p;
          }
        }
      }
    }
    if (best[k]![n]! <= width) {
      const lines: string[] = [];
      let i = n;
      for (let j = k; j >= 1; j--) {
        const p = from[j]![i]!;
        lines.unshift(words.slice(p, i).join(' '));
        i = p;
      }
      return lines.join('\n');
    }
  }
  return text;
}

/** One centred line mixing faces ("Mã hồ sơ: **H41.50-261124-0007**"); falls back to a paragraph when too long. */
export function centredRich(
  doc: Doc,
  segments: readonly Segment[],
  o: { size?: number; after?: number } = {},
): void {
  const a = area(doc);
  const size = o.size ?? SIZE.body;
  const widths = segments.map((s) => widthOf(doc, s.text, s.style ?? 'regular', size));
  const total = widths.reduce((x, y) => x + y, 0);
  if (total > a.width) {
    rich(doc, segments, { align: 'center', size, after: o.after ?? 3 });
    return;
  }
  ensureSpace(doc, lineHeight(doc, 'regular', size));
  let x = a.left + (a.width - total) / 2;
  const top = doc.y;
  segments.forEach((s, i) => {
    font(doc, s.style ?? 'regular', size);
    doc.text(nfc(s.text), x, top, { lineBreak: false });
    x += widths[i]!;
  });
  doc.x = a.left;
  doc.y = top + lineHeight(doc, 'regular', size) + LINE_GAP + (o.after ?? 3);
}
