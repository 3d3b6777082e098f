/**
 * Bordered tables that break across pages with their header rows repeated.
 */
import type { FontStyle } from '../fonts.js';
import { SIZE } from './document.js';
import { area, type Doc, ensureSpace } from './geometry.js';
import { heightOf, type Segment, textAt } from './text.js';

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
