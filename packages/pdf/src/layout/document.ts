/**
 * Document creation (A4, Tinos faces, metadata), font sizes, finishing (page numbers) and the byte collection.
 */
import PDFDocument from 'pdfkit';
import { FONT, type FontStyle, freshFontSources } from '../fonts.js';
import { type Doc, MM } from './geometry.js';

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
