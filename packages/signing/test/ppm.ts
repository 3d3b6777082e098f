import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from './helpers.js';

/** A page rendered by pdftoppm as raw RGB (PPM), to check ink colours inside rectangles. */
export interface Raster {
  width: number;
  height: number;
  dpi: number;
  pixel(x: number, y: number): [number, number, number];
}

export function rasterize(file: string, page = 1, dpi = 50): Raster {
  const prefix = join(tempDir('ppm'), 'page');
  const r = run('pdftoppm', [
    '-r',
    String(dpi),
    '-singlefile',
    '-f',
    String(page),
    '-l',
    String(page),
    file,
    prefix,
  ]);
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.out}`);
  const buf = readFileSync(`${prefix}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(buf.toString('latin1', 0, 40));
  if (!header) throw new Error('unexpected PPM header');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const offset = header[0].length;
  return {
    width,
    height,
    dpi,
    pixel(x, y) {
      const i = offset + (y * width + x) * 3;
      return [buf[i]!, buf[i + 1]!, buf[i + 2]!];
    },
  };
}

export type Ink = 'red' | 'blue' | 'dark';
const isInk = (ink: Ink, [r, g, b]: [number, number, number]) =>
  ink === 'red'
    ? r > 150 && g < 110 && b < 110
    : ink === 'blue'
      ? b > 120 && r < 90 && g < 120
      : r < 90 && g < 90 && b < 90;

/** Number of pixels of an ink inside a rectangle given in PDF points (origin bottom-left, A4 height 842). */
export function countInk(
  raster: Raster,
  ink: Ink,
  rect: [number, number, number, number],
  pageHeight = 842,
): number {
  const k = raster.dpi / 72;
  const [x1, y1, x2, y2] = rect;
  let n = 0;
  for (let y = Math.floor((pageHeight - y2) * k); y < Math.ceil((pageHeight - y1) * k); y++)
    for (let x = Math.floor(x1 * k); x < Math.ceil(x2 * k); x++)
      if (x >= 0 && y >= 0 && x < raster.width && y < raster.height && isInk(ink, raster.pixel(x, y))) n++;
  return n;
}
