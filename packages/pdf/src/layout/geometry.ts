/**
 * Page geometry and coordinates: the document type, millimetres, boxes, the content area, page breaks,
 * rules and outlines, and `toPdfRect` (pdfkit's top-left origin to PDF user space, bottom-left origin).
 */

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

export function hline(doc: Doc, x1: number, x2: number, y: number, width = 0.6): void {
  doc.save().lineWidth(width).moveTo(x1, y).lineTo(x2, y).stroke().restore();
}

/** Dashed outline of a box on a page (draft previews of the reserved boxes). */
export function outline(doc: Doc, page: number, b: Box): void {
  doc.switchToPage(page);
  doc.save().lineWidth(0.5).dash(3, { space: 2 }).strokeColor('#1f5fbf');
  doc.rect(b.x, b.top, b.width, b.height).stroke();
  doc.undash().restore();
}
