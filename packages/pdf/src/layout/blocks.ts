/**
 * Signer blocks, the closing (signer and "Nơi nhận:") and the recipients list.
 */
import { upperVi } from '../format.js';
import { SIZE } from './document.js';
import { area, type Box, type Doc, ensureSpace, MM } from './geometry.js';
import { headerColumns } from './header.js';
import { heightOf, lineHeight, textAt } from './text.js';

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
