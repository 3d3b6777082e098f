import { fontMetrics, glyphOps, layoutText, num, textPath } from './glyph-paths.js';
import type { FormXObject } from './placeholder.js';
import type { Color, PlacedAppearance, Rect } from './types.js';

/**
 * Visible signatures per Decree 30/2020 Annex I, drawn entirely with vector paths (text included):
 * - signer: a blue handwriting-like signature (strokes derived from the signer's name, so each signer gets
 *   their own) with the name under it;
 * - agency: the red round seal (two circles, the unit name around the ring, a star in the middle) blended with
 *   "multiply" over whatever it overlaps, plus black text lines (number/symbol, signing time).
 */

const BLUE: [number, number, number] = [0.07, 0.2, 0.68];
const RED: [number, number, number] = [0.86, 0.08, 0.1];
const MULTIPLY = '/ExtGState << /GS0 << /Type /ExtGState /BM /Multiply /CA 0.92 /ca 0.92 >> >>';

export interface AppearanceContext {
  /** Certificate CN. */
  signerName: string;
  /** Certificate O (unit name for the seal). */
  organization: string | null;
}

export interface BuiltAppearance {
  widget: FormXObject;
  extra: { page?: number; rect: Rect; appearance: FormXObject; contents?: string }[];
}

/** '24/11/2026 10:15:03 +07:00': Vietnam time as written on e-documents (Annex I). */
export function formatVietnamTime(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}:${p(v.getUTCSeconds())} +07:00`;
}

function rgb(color: Color | undefined, fallback: [number, number, number]): string {
  let c = fallback;
  if (typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color))
    c = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16) / 255) as [number, number, number];
  else if (Array.isArray(color)) c = color;
  return c.map(num).join(' ');
}

/** Largest size ≤ `size` at which `text` fits in `width`. */
function fit(text: string, size: number, width: number): number {
  const w = layoutText(text, size).width;
  return w > width ? (size * width) / w : size;
}

/** Centred lines of text inside a w×h box, top-aligned at `top`. */
function textLines(lines: string[], size: number, w: number, top: number): string {
  const { ascent } = fontMetrics(size);
  let out = '';
  lines.forEach((line, i) => {
    const s = fit(line, size, w - 2);
    const width = layoutText(line, s).width;
    out += textPath(line, s, (w - width) / 2, top - ascent * 0.9 - i * size * 1.25);
  });
  return out;
}

function seeded(text: string): () => number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A cursive-looking signature in the box (x, y, w, h): a capital, a run of loops and humps, a flourish. */
function signatureStrokes(name: string, x: number, y: number, w: number, h: number): string {
  const rnd = seeded(name);
  const P = (u: number, v: number) => `${num(x + u * w)} ${num(y + v * h)}`;
  const C = (a: [number, number], b: [number, number], c: [number, number]) =>
    `${P(...a)} ${P(...b)} ${P(...c)} c\n`;
  const base = 0.3 + rnd() * 0.08;
  let path = `${P(0.05, 0.42)} m\n`;
  path += C([0.02, 0.85], [0.2, 1.02], [0.25, 0.86]);
  path += C([0.29, 0.7], [0.13, 0.3], [0.11, 0.06]);
  path += C([0.1, -0.02], [0.17, 0.16], [0.22, base]);
  let u = 0.22;
  const n = 4 + Math.floor(rnd() * 3);
  const dx = 0.5 / n;
  for (let i = 0; i < n; i++) {
    const hgt = 0.22 + rnd() * 0.45;
    if (rnd() < 0.55) {
      path += C([u + dx * 0.7, base + hgt * 0.35], [u + dx * 1.05, base + hgt], [u + dx * 0.55, base + hgt]);
      path += C([u + dx * 0.15, base + hgt], [u + dx * 0.3, base - 0.04], [u + dx, base + 0.02]);
    } else {
      path += C([u + dx * 0.2, base + hgt * 0.9], [u + dx * 0.6, base + hgt * 0.9], [u + dx * 0.75, base]);
      path += C([u + dx * 0.8, base - 0.03], [u + dx * 0.9, base], [u + dx, base + 0.04]);
    }
    u += dx;
  }
  path += C([u + 0.1, base + 0.3], [u + 0.14, base - 0.12], [u + 0.02, base - 0.1]);
  path += C([0.6, 0.02], [0.3, -0.02], [0.08, 0.14]);
  const tick = 0.45 + rnd() * 0.2;
  path += `${P(tick, 0.86)} m ${P(tick + 0.05, 0.93)} l\n`;
  return path;
}

function signerAppearance(a: PlacedAppearance, ctx: AppearanceContext, w: number, h: number): FormXObject {
  const lines = a.lines ?? [];
  const textSize = a.fontSize ?? 10;
  const name = a.showName === false ? [] : [ctx.signerName];
  const nameSize = name.length ? fit(ctx.signerName, Math.min(11, h * 0.14), w * 0.95) : 0;
  const textBlock = nameSize * 1.4 + lines.length * textSize * 1.25;
  const strokesH = Math.max(h - textBlock - 4, h * 0.4);
  const strokesW = Math.min(w * 0.9, strokesH * 2.6);
  let content = `q ${rgb(a.color, BLUE)} RG 1 J 1 j ${num(Math.max(0.8, strokesH / 45))} w\n`;
  content += signatureStrokes(
    ctx.signerName,
    (w - strokesW) / 2,
    h - strokesH - 2,
    strokesW,
    strokesH * 0.95,
  );
  content += 'S Q\nq 0 g\n';
  content += textLines(name, nameSize, w, h - strokesH - 4);
  content += textLines(lines, textSize, w, h - strokesH - 4 - nameSize * 1.4);
  content += 'Q\n';
  return { width: w, height: h, content };
}

function circle(cx: number, cy: number, r: number): string {
  const k = 0.5523 * r;
  return (
    `${num(cx + r)} ${num(cy)} m ${num(cx + r)} ${num(cy + k)} ${num(cx + k)} ${num(cy + r)} ${num(cx)} ${num(cy + r)} c ` +
    `${num(cx - k)} ${num(cy + r)} ${num(cx - r)} ${num(cy + k)} ${num(cx - r)} ${num(cy)} c ` +
    `${num(cx - r)} ${num(cy - k)} ${num(cx - k)} ${num(cy - r)} ${num(cx)} ${num(cy - r)} c ` +
    `${num(cx + k)} ${num(cy - r)} ${num(cx + r)} ${num(cy - k)} ${num(cx + r)} ${num(cy)} c h\n`
  );
}

function star(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 ? r * 0.382 : r;
    const t = Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${num(cx + rr * Math.cos(t))} ${num(cy + rr * Math.sin(t))} ${i ? 'l' : 'm'}`);
  }
  return `${pts.join(' ')} h f\n`;
}

/** The unit name clockwise around the ring, centred on the top, over at most 300°. */
function ringText(text: string, cx: number, cy: number, radius: number, size: number): string {
  const tracking = size * 0.08;
  const measure = (s: number) => layoutText(text, s).width + tracking * (s / size) * [...text].length;
  const maxArc = radius * ((300 * Math.PI) / 180);
  const s = measure(size) > maxArc ? (size * maxArc) / measure(size) : size;
  const run = layoutText(text, s);
  const track = tracking * (s / size);
  const total = run.width + track * run.glyphs.length;
  let out = '';
  run.glyphs.forEach((g, i) => {
    const mid = g.x + i * track + g.advance / 2;
    const theta = Math.PI / 2 + (total / 2 - mid) / radius;
    const phi = theta - Math.PI / 2;
    const [cos, sin] = [Math.cos(phi), Math.sin(phi)];
    const ox = cx + radius * Math.cos(theta) - (g.advance / 2) * cos;
    const oy = cy + radius * Math.sin(theta) - (g.advance / 2) * sin;
    out += glyphOps({ ...g, x: 0, y: 0 }, run.scale, [cos, sin, -sin, cos, ox + g.y * -sin, oy + g.y * cos]);
  });
  return out;
}

function seal(text: string, cx: number, cy: number, r: number, color: string): string {
  let out = `q /GS0 gs ${color} RG ${color} rg\n`;
  out += `${num(r * 0.045)} w ${circle(cx, cy, r * 0.965)}S\n`;
  out += `${num(r * 0.018)} w ${circle(cx, cy, r * 0.66)}S\n`;
  out += ringText(text.toLocaleUpperCase('vi'), cx, cy, r * 0.73, r * 0.17);
  out += star(cx, cy, r * 0.42);
  return `${out}Q\n`;
}

function agencyAppearance(
  a: PlacedAppearance,
  ctx: AppearanceContext,
  w: number,
  h: number,
): BuiltAppearance {
  const lines = a.lines ?? [];
  const size = a.fontSize ?? 10;
  if (a.image === false) {
    const content = `q 0 g\n${textLines(lines, size, w, h - 1)}Q\n`;
    return { widget: { width: w, height: h, content }, extra: [] };
  }
  const inside = a.textRect ? [] : lines;
  const linesH = inside.length ? inside.length * size * 1.25 + 2 : 0;
  const r = Math.max(4, Math.min(w, h - linesH) / 2);
  const unit = a.sealText ?? ctx.organization ?? ctx.signerName;
  let content = seal(unit, w / 2, h - r, r, rgb(a.color, RED));
  if (inside.length) content += `q 0 g\n${textLines(inside, size, w, h - 2 * r - 2)}Q\n`;
  const extra: BuiltAppearance['extra'] = [];
  if (a.textRect && lines.length) {
    const [tw, th] = [Math.abs(a.textRect[2] - a.textRect[0]), Math.abs(a.textRect[3] - a.textRect[1])];
    const top = th - (th - lines.length * size * 1.25) / 2;
    extra.push({
      rect: a.textRect,
      appearance: { width: tw, height: th, content: `q 0 g\n${textLines(lines, size, tw, top)}Q\n` },
      contents: lines.join('; '),
    });
  }
  return { widget: { width: w, height: h, content, resources: MULTIPLY }, extra };
}

/** Text stamps in the same revision (see Appearance.stamps). */
function stampAppearances(a: PlacedAppearance): BuiltAppearance['extra'] {
  return (a.stamps ?? [])
    .filter((st) => st.lines.length > 0)
    .map((st) => {
      const size = st.fontSize ?? a.fontSize ?? 10;
      const [tw, th] = [Math.abs(st.rect[2] - st.rect[0]), Math.abs(st.rect[3] - st.rect[1])];
      const top = th - (th - st.lines.length * size * 1.25) / 2;
      return {
        ...(st.page === undefined ? {} : { page: st.page }),
        rect: st.rect,
        appearance: { width: tw, height: th, content: `q 0 g\n${textLines(st.lines, size, tw, top)}Q\n` },
        contents: st.lines.join('; '),
      };
    });
}

export function buildAppearance(a: PlacedAppearance, ctx: AppearanceContext): BuiltAppearance {
  const w = Math.abs(a.rect[2] - a.rect[0]);
  const h = Math.abs(a.rect[3] - a.rect[1]);
  if (!(w > 1 && h > 1)) throw new Error('appearance rectangle is empty');
  const built =
    a.kind === 'agency'
      ? agencyAppearance(a, ctx, w, h)
      : { widget: signerAppearance(a, ctx, w, h), extra: [] };
  return { ...built, extra: [...built.extra, ...stampAppearances(a)] };
}
