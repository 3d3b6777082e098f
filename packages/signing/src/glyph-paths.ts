import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * Text as vector outlines: glyphs of Tinos (metric-compatible with Times New Roman, full Vietnamese coverage)
 * laid out by fontkit and written as PDF path operators. Appearance streams then need no embedded font, which
 * keeps the incremental update of a signature small and free of font-subsetting problems.
 */

const FONT_MODULE = '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf';
let font: fontkit.Font | undefined;
const outlineCache = new Map<number, string>();

function tinos(): fontkit.Font {
  if (!font) {
    let path: string;
    try {
      path = createRequire(import.meta.url).resolve(FONT_MODULE);
    } catch {
      throw new Error(
        `Font ${FONT_MODULE} not found: install @expo-google-fonts/tinos (a dependency of @tinhso/pdf)`,
      );
    }
    const opened = fontkit.openSync(path);
    font = 'fonts' in opened ? opened.fonts[0]! : opened;
  }
  return font;
}

/** Formats a number for a content stream: at most 3 decimals, never exponent notation. */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

/** The outline of one glyph in font units, as path construction operators (m l c h). */
function outline(glyph: fontkit.Glyph): string {
  const cached = outlineCache.get(glyph.id);
  if (cached !== undefined) return cached;
  const ops: string[] = [];
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (const { command, args: a } of glyph.path.commands) {
    if (command === 'moveTo') {
      [cx, cy] = [a[0]!, a[1]!];
      [sx, sy] = [cx, cy];
      ops.push(`${num(cx)} ${num(cy)} m`);
    } else if (command === 'lineTo') {
      [cx, cy] = [a[0]!, a[1]!];
      ops.push(`${num(cx)} ${num(cy)} l`);
    } else if (command === 'quadraticCurveTo') {
      // Quadratic → cubic: control points at 2/3 of the way towards the quadratic control point.
      const [qx, qy, x, y] = a as [number, number, number, number];
      const c1x = cx + (2 / 3) * (qx - cx);
      const c1y = cy + (2 / 3) * (qy - cy);
      const c2x = x + (2 / 3) * (qx - x);
      const c2y = y + (2 / 3) * (qy - y);
      ops.push(`${num(c1x)} ${num(c1y)} ${num(c2x)} ${num(c2y)} ${num(x)} ${num(y)} c`);
      [cx, cy] = [x, y];
    } else if (command === 'bezierCurveTo') {
      ops.push(`${a.map(num).join(' ')} c`);
      [cx, cy] = [a[4]!, a[5]!];
    } else if (command === 'closePath') {
      ops.push('h');
      [cx, cy] = [sx, sy];
    }
  }
  const text = ops.join(' ');
  outlineCache.set(glyph.id, text);
  return text;
}

export interface PlacedGlyph {
  /** Path operators in font units. */
  path: string;
  /** Origin of the glyph relative to the start of the run, in points. */
  x: number;
  y: number;
  /** Advance in points. */
  advance: number;
}

export interface TextRun {
  glyphs: PlacedGlyph[];
  /** Total advance width in points. */
  width: number;
  size: number;
  /** Font units → points. */
  scale: number;
}

/** Shapes `text` (NFC-normalised, so Vietnamese letters use their precomposed glyphs) at `size` points. */
export function layoutText(text: string, size: number): TextRun {
  const f = tinos();
  const scale = size / f.unitsPerEm;
  const run = f.layout(text.normalize('NFC'));
  const glyphs: PlacedGlyph[] = [];
  let pen = 0;
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i] ?? { xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 };
    glyphs.push({
      path: outline(glyph),
      x: (pen + pos.xOffset) * scale,
      y: pos.yOffset * scale,
      advance: pos.xAdvance * scale,
    });
    pen += pos.xAdvance;
  });
  return { glyphs, width: pen * scale, size, scale };
}

/** Width in points of `text` at `size`. */
export function textWidth(text: string, size: number): number {
  return layoutText(text, size).width;
}

/** Font ascent/descent in points at `size` (descent is negative). */
export function fontMetrics(size: number): { ascent: number; descent: number } {
  const f = tinos();
  return { ascent: (f.ascent * size) / f.unitsPerEm, descent: (f.descent * size) / f.unitsPerEm };
}

/**
 * Fills one glyph under the transformation [a b c d e f] (applied to points), e.g. a rotation for text
 * around a seal. The current non-stroking colour is used.
 */
export function glyphOps(
  glyph: PlacedGlyph,
  scale: number,
  m: [number, number, number, number, number, number],
) {
  if (!glyph.path) return '';
  const [a, b, c, d, e, f] = m;
  return `q ${[a * scale, b * scale, c * scale, d * scale, e, f].map(num).join(' ')} cm ${glyph.path} f Q\n`;
}

/** Content-stream operators that fill `text` with its baseline starting at (x, y). */
export function textPath(text: string, size: number, x: number, y: number): string {
  const run = layoutText(text, size);
  return run.glyphs.map((g) => glyphOps(g, run.scale, [1, 0, 0, 1, x + g.x, y + g.y])).join('');
}
