/**
 * The heading: issuing unit and national motto, the number and place-and-date line, the title.
 */
import { upperVi } from '../format.js';
import { font, LINE_GAP, nfc, SIZE } from './document.js';
import { area, type Box, type Doc, hline, MM } from './geometry.js';
import { balanceLines, lineHeight, para, textAt, widthOf } from './text.js';

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
