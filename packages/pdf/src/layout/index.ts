/**
 * Shared layout of the printed documents (Decree 30/2020/NĐ-CP Annex I; the one-stop forms of Circular 01/2018/TT-VPCP
 * as carried by Decree 118/2025 and Circular 03/2025): A4 pages, the issuing unit at top left and the national motto
 * at top right, the number and place-and-date line, the title, signer blocks, tables that break across pages with
 * their header repeated, QR codes drawn as vector squares, page numbers at the top from page 2.
 *
 * Coordinates inside this module are pdfkit's (origin top-left, points). `toPdfRect` converts a box to PDF user space
 * (origin bottom-left), which is what a signing library needs to place a signature appearance.
 */

export {
  drawClosing,
  drawRecipients,
  drawSigners,
  recipientsHeight,
  type SignerBlock,
  type SignerLayout,
} from './blocks.js';
export {
  createDocument,
  type DocumentMeta,
  finish,
  font,
  LINE_GAP,
  nfc,
  type PageSetup,
  SIZE,
} from './document.js';
export {
  area,
  type Box,
  currentPage,
  type Doc,
  ensureSpace,
  hline,
  MM,
  outline,
  type PlacedRect,
  type Rect,
  toPdfRect,
} from './geometry.js';
export {
  drawHeader,
  drawTitle,
  type HeaderResult,
  type HeaderSpec,
  headerColumns,
  type NumberSpec,
  shortRule,
} from './header.js';
export { drawQr, type QrLayout, qrLayout } from './qr.js';
export {
  type Cell,
  type CellLine,
  type Column,
  drawTable,
  type HeaderGroup,
  type TableSpec,
} from './table.js';
export {
  balanceLines,
  centredRich,
  heightOf,
  lineHeight,
  para,
  rich,
  type Segment,
  type TextOpts,
  textAt,
  widthOf,
} from './text.js';
