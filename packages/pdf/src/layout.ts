/**
 * Shared layout of the printed documents (Decree 30/2020/NĐ-CP Annex I; the one-stop forms of Circular 01/2018/TT-VPCP
 * as carried by Decree 118/2025 and Circular 03/2025): A4 pages, the issuing unit at top left and the national motto
 * at top right, the number and place-and-date line, the title, signer blocks, tables that break across pages with
 * their header repeated, QR codes drawn as vector squares, page numbers at the top from page 2.
 *
 * Coordinates inside this module are pdfkit's (origin top-left, points). `toPdfRect` converts a box to PDF user space
 * (origin bottom-left), which is what a signing library needs to place a signature appearance.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { FONT, type FontStyle, freshFontSources } from './fonts.js';
import { upperVi } from './format.js';

export type Doc = PDFKit.PDFDocument;

/** Points per millimetre. */
export const MM = 72 / 25.4;

/** A box in PDF user space: points, origin at the bottom-left corner of the page. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box on one page (`page` is 0-based). */
export interface PlacedRect {
  page: number;
  rect: Rect;
}

/** A box in pdfkit coordinates (origin top-left), before conversion. */
export interface Box {
  x: number;
  top: number;
  width: number;
  height: number;
}

export interface DocumentMeta {
  title: string;
  /** The issuing unit. */
  author: string;
  subject?: string;
  keywords?: string;
  /** Creation date; fixed → byte-identical output for identical input. */
  now: Date;
}

export interface PageSetup {
  layout?: 'portrait' | 'landscape';
  /** Margins in millimetres. Default: Decree 30 — top 20, bottom 20, left 30, right 15. */
  margins?: { top: number; bottom: number; left: number; right: number };
}

/** Font sizes (pt), within the ranges of Decree 30/2020 Annex I. */
export const SIZE = {
  parent: 12.5,
  unit: 12.5,
  motto: 12.5,
  mottoSub: 13,
  number: 13,
  placeDate: 13,
  title: 14,
  body: 13,
  signer: 13,
  note: 12,
  recipientsLabel: 12,
  recipients: 11,
  table: 11,
  small: 10,
} as const;

export const LINE_GAP = 2;

const TEXT_COLOR = '#000000';

/** A new A4 document with the Tinos faces registered and the metadata set. Pages are buffered (page numbers). */
export function createDocument(meta: DocumentMeta, setup: PageSetup = {}): Doc {
  const m = setup.margins ?? { top: 20, bottom: 20, left: 30, right: 15 };
  const doc = new PDFDocument({
    size: 'A4',
    layout: setup.layout ?? 'portrait',
    margins: { top: m.top * MM, bottom: m.bottom * MM, left: m.left * MM, right: m.right * MM },
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: '1.7',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: nfc(meta.title),
      Author: nfc(meta.author).replace(/\s+/g, ' '),
      ...(meta.subject ? { Subject: nfc(meta.subject) } : {}),
      ...(meta.keywords ? { Keywords: nfc(meta.keywords) } : {}),
      Creator: 'Tỉnh Số',
      Producer: 'Tỉnh Số',
      CreationDate: meta.now,
      ModDate: meta.now,
    },
  });
  const fonts = freshFontSources();
  for (const style of Object.keys(FONT) as FontStyle[]) doc.registerFont(FONT[style], fonts[style]);
  doc.font(FONT.regular).fontSize(SIZE.body).fillColor(TEXT_COLOR).strokeColor(TEXT_COLOR);
  return doc;
}

/** Ends the document and collects the bytes. Call after every page is drawn. */
export function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    addPageNumbers(doc);
    doc.end();
  });
}

export const nfc = (s: string) => s.normalize('NFC');

export function font(doc: Doc, style: FontStyle, size: number): Doc {
  return doc.font(FONT[style]).fontSize(size);
}

/** Geometry of the current page's content area. */
export function area(doc: Doc) {
  const p = doc.page;
  return {
    left: p.margins.left,
    right: p.width - p.margins.right,
    top: p.margins.top,
    bottom: p.height - p.margins.bottom,
    width: p.width - p.margins.left - p.margins.right,
    pageWidth: p.width,
    pageHeight: p.height,
  };
}

/** Starts a new page when fewer than `height` points remain; returns true when it did. */
export function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height > area(doc).bottom) {
    doc.addPage();
    doc.y = area(doc).top;
    return true;
  }
  return false;
}

export function currentPage(doc: Doc): number {
  const r = doc.bufferedPageRange();
  return r.start + r.count - 1;
}

/** Converts a pdfkit box (origin top-left) to PDF user space (origin bottom-left) on the current page. */
export function toPdfRect(doc: Doc, b: Box): Rect {
  const r = (n: number) => Math.round(n * 100) / 100;
  return { x: r(b.x), y: r(doc.page.height - b.top - b.height), width: r(b.width), height: r(b.height) };
}

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

export function hline(doc: Doc, x1: number, x2: number, y: number, width = 0.6): void {
  doc.save().lineWidth(width).moveTo(x1, y).lineTo(x2, y).stroke().restore();
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

// ---------------------------------------------------------------- header

export interface HeaderSpec {
  /** Governing body, regular capitals (may contain "\n" to choose the line break). */
  parent?: string;
  /** Issuing unit, bold capitals. */
  unit: string;
  /** The number line, drawn by `drawNumber`. */
  number?: NumberSpec;
  /** Place-and-date line (italic), e.g. "Vinh, ngày 24 tháng 11 năm 2026". */
  placeDate?: string;
}

export interface NumberSpec {
  /** The number, or null/empty to leave a blank for the clerk. */
  value?: string | null;
  /** Symbol after the slash, e.g. "QĐ-UBND"; none for a bare number. */
  symbol?: string;
}

export interface HeaderResult {
  /** The slot where the number is (or will be) printed. */
  numberBox: Box | null;
  placeDateBox: Box | null;
}

/** Column split of the header: the unit on the left, the motto on the right. */
export function headerColumns(doc: Doc) {
  const a = area(doc);
  const gap = 4 * MM;
  const leftWidth = Math.min(a.width * 0.42, 86 * MM);
  const rightX = a.left + leftWidth + gap;
  return { leftX: a.left, leftWidth, rightX, rightWidth: a.right - rightX };
}

const BLANK_NUMBER_WIDTH = 16 * MM;

/**
 * The heading of every document: unit (top left) with a short rule under it, the motto (top right) underlined,
 * then the number line (left) and the place-and-date line (right). Leaves `doc.y` under the heading.
 */
export function drawHeader(doc: Doc, spec: HeaderSpec): HeaderResult {
  const { leftX, leftWidth, rightX, rightWidth } = headerColumns(doc);
  const top = area(doc).top;

  // left: governing body (regular) and unit (bold), centred in the left column
  let yl = top;
  if (spec.parent) {
    const parent = balanceLines(doc, upperVi(spec.parent), 'regular', SIZE.parent, leftWidth);
    yl += textAt(doc, parent, leftX, yl, leftWidth, { size: SIZE.parent });
  }
  const unitText = balanceLines(doc, upperVi(spec.unit), 'bold', SIZE.unit, leftWidth);
  yl += textAt(doc, unitText, leftX, yl, leftWidth, { style: 'bold', size: SIZE.unit });
  const lastUnitLine = unitText.split('\n').at(-1) ?? unitText;
  const unitLineWidth = Math.min(widthOf(doc, lastUnitLine, 'bold', SIZE.unit), leftWidth);
  const ruleL = Math.max(unitLineWidth * 0.4, 18 * MM);
  const cl = leftX + leftWidth / 2;
  hline(doc, cl - ruleL / 2, cl + ruleL / 2, yl + 2.5);
  yl += 7;

  // right: motto
  let yr = top;
  yr += textAt(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, yr, rightWidth, {
    style: 'bold',
    size: SIZE.motto,
  });
  const sub = 'Độc lập - Tự do - Hạnh phúc';
  yr += textAt(doc, sub, rightX, yr, rightWidth, { style: 'bold', size: SIZE.mottoSub });
  const subW = widthOf(doc, sub, 'bold', SIZE.mottoSub);
  const cr = rightX + rightWidth / 2;
  hline(doc, cr - subW / 2, cr + subW / 2, yr + 0.5);
  yr += 6;

  let y = Math.max(yl, yr) + 4;
  let numberBox: Box | null = null;
  let placeDateBox: Box | null = null;
  const rowHeight = lineHeight(doc, 'regular', SIZE.number) + LINE_GAP;
  if (spec.number) numberBox = drawNumber(doc, spec.number, leftX, y, leftWidth);
  if (spec.placeDate) {
    const h = textAt(doc, spec.placeDate, rightX, y, rightWidth, { style: 'italic', size: SIZE.placeDate });
    const w = Math.min(widthOf(doc, spec.placeDate, 'italic', SIZE.placeDate), rightWidth);
    placeDateBox = { x: rightX + (rightWidth - w) / 2, top: y, width: w, height: h };
    y += Math.max(h, rowHeight);
  } else if (spec.number) {
    y += rowHeight;
  }
  doc.x = area(doc).left;
  doc.y = y + 10;
  return { numberBox, placeDateBox };
}

/** "Số: 15/QĐ-UBND", or "Số:        /QĐ-UBND" when the number is left blank; centred in the column. */
function drawNumber(doc: Doc, n: NumberSpec, x: number, top: number, width: number): Box {
  const size = SIZE.number;
  const prefix = 'Số: ';
  const value = n.value?.trim() ? n.value.trim() : null;
  const suffix = n.symbol ? `/${n.symbol}` : '';
  const pw = widthOf(doc, prefix, 'regular', size);
  const vw = value ? widthOf(doc, value, 'regular', size) : BLANK_NUMBER_WIDTH;
  const sw = suffix ? widthOf(doc, suffix, 'regular', size) : 0;
  const total = pw + vw + sw;
  const x0 = x + Math.max(0, (width - total) / 2);
  const y0 = doc.y;
  font(doc, 'regular', size);
  doc.text(prefix, x0, top, { lineBreak: false });
  if (value) doc.text(nfc(value), x0 + pw, top, { lineBreak: false });
  if (suffix) doc.text(nfc(suffix), x0 + pw + vw, top, { lineBreak: false });
  doc.y = y0;
  doc.x = area(doc).left;
  return { x: x0 + pw, top, width: vw, height: lineHeight(doc, 'regular', size) };
}

/** Centred bold title in capitals, optional lines under it (e.g. "Mã hồ sơ: …"), and spacing. */
export function drawTitle(doc: Doc, title: string, o: { size?: number; after?: number } = {}): void {
  const a = area(doc);
  para(doc, upperVi(title), {
    style: 'bold',
    size: o.size ?? SIZE.title,
    align: 'center',
    after: o.after ?? 4,
  });
  doc.x = a.left;
}

/** A short centred rule under a title block (Decree 30: under the summary of a decision). */
export function shortRule(doc: Doc, widthPt = 40 * MM): void {
  const a = area(doc);
  const c = a.left + a.width / 2;
  hline(doc, c - widthPt / 2, c + widthPt / 2, doc.y + 1);
  doc.y += 10;
}

// ---------------------------------------------------------------- signer blocks

export interface SignerBlock {
  /** Capacity line(s) above the title, e.g. "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH". */
  capacity?: string;
  /** Title, e.g. "NGƯỜI TIẾP NHẬN HỒ SƠ", "CHỦ TỊCH" (printed in bold capitals). */
  title: string;
  /** Italic line under the title, e.g. "(Ký, ghi rõ họ tên)". */
  note?: string;
  /** Full name (bold); blank to leave it for handwriting. */
  name?: string;
}

export interface SignerLayout {
  /** Top of the block (the level of the capacity / title line). */
  top: number;
  /** Where the signature appearance goes (between the title and the name). */
  signature: Box;
  /** Bottom of the block. */
  bottom: number;
}

/**
 * Signer blocks side by side: one block sits in the right column (under the motto), two blocks take the left and
 * right columns. Starts at `doc.y`, never split across pages.
 */
export function drawSigners(
  doc: Doc,
  blocks: readonly SignerBlock[],
  o: { signatureHeight?: number; signatureWidth?: number; minHeight?: number } = {},
): SignerLayout[] {
  const sigH = o.signatureHeight ?? 26 * MM;
  const cols = headerColumns(doc);
  const columns =
    blocks.length === 1
      ? [{ x: cols.rightX, width: cols.rightWidth }]
      : [
          { x: cols.leftX, width: cols.leftWidth },
          { x: cols.rightX, width: cols.rightWidth },
        ];
  const heightFor = (b: SignerBlock, width: number) =>
    (b.capacity ? heightOf(doc, upperVi(b.capacity), width, { style: 'bold', size: SIZE.signer }) : 0) +
    heightOf(doc, upperVi(b.title), width, { style: 'bold', size: SIZE.signer }) +
    (b.note ? heightOf(doc, b.note, width, { style: 'italic', size: SIZE.note }) : 0) +
    sigH +
    lineHeight(doc, 'bold', SIZE.signer);
  const total = Math.max(...blocks.map((b, i) => heightFor(b, columns[i]?.width ?? cols.rightWidth)));
  ensureSpace(doc, Math.max(total, o.minHeight ?? 0) + 6);
  const top = doc.y;
  const out: SignerLayout[] = [];
  blocks.forEach((b, i) => {
    const col = columns[i] ?? columns[columns.length - 1]!;
    let y = top;
    if (b.capacity) {
      y += textAt(doc, upperVi(b.capacity), col.x, y, col.width, { style: 'bold', size: SIZE.signer });
    }
    y += textAt(doc, upperVi(b.title), col.x, y, col.width, { style: 'bold', size: SIZE.signer });
    if (b.note) y += textAt(doc, b.note, col.x, y, col.width, { style: 'italic', size: SIZE.note });
    const sigW = Math.min(o.signatureWidth ?? 56 * MM, col.width);
    const signature = { x: col.x + (col.width - sigW) / 2, top: y, width: sigW, height: sigH };
    y += sigH;
    if (b.name) y += textAt(doc, b.name, col.x, y, col.width, { style: 'bold', size: SIZE.signer });
    else y += lineHeight(doc, 'bold', SIZE.signer);
    out.push({ top, signature, bottom: y });
  });
  doc.x = area(doc).left;
  doc.y = Math.max(...out.map((s) => s.bottom)) + 8;
  return out;
}

/**
 * The end of a document: the signer block at the right and, when given, "Nơi nhận:" with its list at the left,
 * both starting at the same level and kept together on one page.
 */
export function drawClosing(
  doc: Doc,
  signer: SignerBlock,
  recipients: readonly string[],
  o: { signatureHeight?: number; signatureWidth?: number } = {},
): SignerLayout {
  const rh = recipients.length > 0 ? recipientsHeight(doc, recipients) : 0;
  const [layout] = drawSigners(doc, [signer], { ...o, minHeight: rh });
  if (!layout) throw new Error('no signer block drawn');
  if (recipients.length > 0) {
    const bottom = drawRecipients(doc, recipients, layout.top);
    doc.y = Math.max(doc.y, bottom + 8);
  }
  return layout;
}

/** "Nơi nhận:" and its list at the left, starting at `top` (the level of the signer's title). Returns the bottom. */
export function drawRecipients(doc: Doc, recipients: readonly string[], top: number): number {
  const { leftX, leftWidth } = headerColumns(doc);
  let y = top;
  y += textAt(doc, 'Nơi nhận:', leftX, y, leftWidth, {
    style: 'boldItalic',
    size: SIZE.recipientsLabel,
    align: 'left',
  });
  recipients.forEach((r, i) => {
    const line = `- ${r.replace(/[;.]+$/, '')}${i === recipients.length - 1 ? '.' : ';'}`;
    y += textAt(doc, line, leftX, y, leftWidth, { size: SIZE.recipients, align: 'left', lineGap: 0.5 });
  });
  return y;
}

export function recipientsHeight(doc: Doc, recipients: readonly string[]): number {
  const { leftWidth } = headerColumns(doc);
  return (
    heightOf(doc, 'Nơi nhận:', leftWidth, { style: 'boldItalic', size: SIZE.recipientsLabel }) +
    recipients.reduce(
      (h, r) => h + heightOf(doc, `- ${r};`, leftWidth, { size: SIZE.recipients, lineGap: 0.5 }),
      0,
    )
  );
}

// ---------------------------------------------------------------- tables

export type CellLine = Segment;
export type Cell = string | readonly CellLine[];

export interface Column {
  header: string;
  /** Relative width. */
  weight: number;
  align?: 'left' | 'center' | 'right';
}

/** A header cell spanning several columns above their own headers (e.g. "Ngày, tháng, năm"). */
export interface HeaderGroup {
  label: string;
  from: number;
  span: number;
}

export interface TableSpec {
  columns: readonly Column[];
  groups?: readonly HeaderGroup[];
  rows: readonly (readonly Cell[])[];
  size?: number;
  headerSize?: number;
  padding?: number;
  /** Left edge and width; default: the content area. */
  x?: number;
  width?: number;
}

const cellLines = (c: Cell): readonly CellLine[] => (typeof c === 'string' ? [{ text: c }] : c);

/**
 * Draws a bordered table from `doc.y`. A row never splits; when it does not fit, the page breaks and the header
 * rows are drawn again. Leaves `doc.y` under the table.
 */
export function drawTable(doc: Doc, spec: TableSpec): void {
  const a = area(doc);
  const x0 = spec.x ?? a.left;
  const width = spec.width ?? a.right - x0;
  const size = spec.size ?? SIZE.table;
  const headerSize = spec.headerSize ?? size;
  const pad = spec.padding ?? 3;
  const totalWeight = spec.columns.reduce((s, c) => s + c.weight, 0);
  const widths = spec.columns.map((c) => (c.weight / totalWeight) * width);
  const xs = widths.map((_, i) => x0 + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const groups = spec.groups ?? [];
  const grouped = new Set<number>();
  for (const g of groups) for (let i = g.from; i < g.from + g.span; i++) grouped.add(i);

  const cellHeight = (c: Cell, w: number, sz: number, defaultStyle: FontStyle) =>
    cellLines(c).reduce(
      (h, l) =>
        h +
        heightOf(doc, l.text || ' ', w - 2 * pad, { style: l.style ?? defaultStyle, size: sz, lineGap: 0.5 }),
      0,
    ) +
    2 * pad;

  const colHeaderH = Math.max(
    ...spec.columns.map((c, i) =>
      grouped.has(i) ? cellHeight(c.header, widths[i]!, headerSize, 'bold') : 0,
    ),
    0,
  );
  const groupH = Math.max(
    ...groups.map((g) => {
      const w = widths.slice(g.from, g.from + g.span).reduce((s, v) => s + v, 0);
      return cellHeight(g.label, w, headerSize, 'bold');
    }),
    0,
  );
  const ungroupedH = Math.max(
    ...spec.columns.map((c, i) =>
      grouped.has(i) ? 0 : cellHeight(c.header, widths[i]!, headerSize, 'bold'),
    ),
  );
  const headerH = groups.length ? Math.max(groupH + colHeaderH, ungroupedH) : ungroupedH;
  const colHeaderTopOffset = groups.length ? headerH - colHeaderH : 0;

  const drawCell = (
    c: Cell,
    x: number,
    top: number,
    w: number,
    h: number,
    o: {
      size: number;
      style: FontStyle;
      align: 'left' | 'center' | 'right';
      vcenter: boolean;
      fill?: string;
    },
  ) => {
    if (o.fill) doc.save().rect(x, top, w, h).fill(o.fill).restore();
    doc.save().lineWidth(0.5).rect(x, top, w, h).stroke().restore();
    const lines = cellLines(c);
    const contentH = cellHeight(c, w, o.size, o.style) - 2 * pad;
    let y = o.vcenter ? top + (h - contentH) / 2 : top + pad;
    for (const l of lines) {
      y += textAt(doc, l.text, x + pad, y, w - 2 * pad, {
        style: l.style ?? o.style,
        size: o.size,
        align: o.align,
        lineGap: 0.5,
      });
    }
  };

  const drawHeaderRow = (top: number) => {
    const hs = {
      size: headerSize,
      style: 'bold' as const,
      align: 'center' as const,
      vcenter: true,
      fill: '#eeeeee',
    };
    for (const g of groups) {
      const w = widths.slice(g.from, g.from + g.span).reduce((s, v) => s + v, 0);
      drawCell(g.label, xs[g.from]!, top, w, headerH - colHeaderH, hs);
    }
    spec.columns.forEach((c, i) => {
      if (grouped.has(i)) drawCell(c.header, xs[i]!, top + colHeaderTopOffset, widths[i]!, colHeaderH, hs);
      else drawCell(c.header, xs[i]!, top, widths[i]!, headerH, hs);
    });
    return top + headerH;
  };

  const rowHeights = spec.rows.map((r) =>
    Math.max(...spec.columns.map((_, i) => cellHeight(r[i] ?? '', widths[i]!, size, 'regular'))),
  );
  ensureSpace(doc, headerH + (rowHeights[0] ?? 0));
  let y = drawHeaderRow(doc.y);
  spec.rows.forEach((r, ri) => {
    const h = rowHeights[ri]!;
    if (y + h > area(doc).bottom) {
      doc.addPage();
      y = drawHeaderRow(area(doc).top);
    }
    spec.columns.forEach((c, i) => {
      drawCell(r[i] ?? '', xs[i]!, y, widths[i]!, h, {
        size,
        style: 'regular',
        align: c.align ?? 'left',
        vcenter: false,
      });
    });
    y += h;
  });
  doc.x = a.left;
  doc.y = y + 8;
}

/** Dashed outline of a box on a page (draft previews of the reserved boxes). */
export function outline(doc: Doc, page: number, b: Box): void {
  doc.switchToPage(page);
  doc.save().lineWidth(0.5).dash(3, { space: 2 }).strokeColor('#1f5fbf');
  doc.rect(b.x, b.top, b.width, b.height).stroke();
  doc.undash().restore();
}

// ---------------------------------------------------------------- QR codes

export interface QrLayout {
  modules: QRCode.BitMatrix;
  /** Module size (pt). */
  module: number;
  /** Quiet zone on each side (pt), 4 modules. */
  quiet: number;
  /** Side of the symbol without the quiet zone (pt). */
  symbol: number;
  /** Side with the quiet zone (pt). */
  outer: number;
}

/** Lays out a QR code whose symbol is at least `minSymbol` points wide (error correction M). */
export function qrLayout(text: string, minSymbol = 25 * MM): QrLayout {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const n = modules.size;
  const module = minSymbol / n;
  return { modules, module, quiet: 4 * module, symbol: n * module, outer: (n + 8) * module };
}

/**
 * Draws a QR code as vector squares (runs of dark modules merged per row) with its quiet zone, the outer box's
 * top-left corner at (x, top). The quiet zone is left white: nothing else may be drawn there.
 */
export function drawQr(doc: Doc, qr: QrLayout, x: number, top: number): Box {
  const n = qr.modules.size;
  const m = qr.module;
  const ox = x + qr.quiet;
  const oy = top + qr.quiet;
  // a hair of overlap between neighbouring rows avoids anti-aliasing seams in raster renderings
  const overlap = m * 0.04;
  doc.save();
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(ox + start * m, oy + r * m, (c - start) * m, m + (r < n - 1 ? overlap : 0));
    }
  }
  doc.fill('#000000');
  doc.restore();
  return { x, top, width: qr.outer, height: qr.outer };
}

// ---------------------------------------------------------------- page numbers

/** Decree 30 Annex I: page numbers in Arabic numerals, centred in the top margin, from page 2. */
function addPageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  if (range.count < 2) return;
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const p = doc.page;
    const size = SIZE.body;
    font(doc, 'regular', size);
    const label = String(i - range.start + 1);
    const w = doc.widthOfString(label);
    const top = Math.max(4, p.margins.top / 2 - size / 2);
    const saved = p.margins.bottom;
    p.margins.bottom = 0;
    doc.text(label, (p.width - w) / 2, top, { lineBreak: false });
    p.margins.bottom = saved;
  }
}
