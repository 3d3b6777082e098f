/**
 * QR codes drawn as vector squares.
 */
import QRCode from 'qrcode';
import { type Box, type Doc, MM } from './geometry.js';

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
