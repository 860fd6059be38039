/**
 * Captions around an image grid (grid.ts): a title, labels of rows (left) and columns (top or
 * bottom), and axis titles, laid out around the grid bitmap in an SVG that embeds it. Node
 * renders that SVG to PNG with resvg (node/grid-figure.ts); a browser can show it as is.
 * Browser-safe.
 *
 * Contract of `captionLayout` / `captionedGridSvg`.
 *  - One SVG unit is one grid pixel; the grid sits at integer offsets (gridX, gridY), drawn with
 *    `image-rendering: optimizeSpeed` (pixelated), so a PNG rendered at zoom 1 holds the grid's
 *    pixels unchanged.
 *  - Row labels are right-aligned left of their row, centred on it; column labels are centred on
 *    their column. When column labels are wider than a column, only every k-th is shown (the
 *    first and the k-th after it), so none overlap. Null labels are left blank.
 *  - Text sizes follow the cell size: 10 to 14 pixels for labels. `measure` gives text widths
 *    (Node passes the shipped font's metrics; the default guesses 0.6 em per character).
 *  - Text is XML-escaped.
 */
import { FONT } from './theme';

export interface GridCaptions {
  readonly title?: string;
  readonly subtitle?: string;
  /** Labels left of the rows (one per row; null leaves a row unlabelled). */
  readonly rowLabels?: readonly (string | null)[];
  /** A title for the row labels, written vertically left of them (e.g. 'z[1]'). */
  readonly rowTitle?: string;
  /** Labels of the columns (one per column). */
  readonly colLabels?: readonly (string | null)[];
  /** A title for the column labels (e.g. 'interpolation parameter t', or 'z[0]'). */
  readonly colTitle?: string;
  /** Where the column labels go: over the grid (default) or under it, like an x axis. */
  readonly colLabelsAt?: 'top' | 'bottom';
}

/** The geometry of the grid inside a captioned figure. */
export interface GridGeometry {
  readonly width: number;
  readonly height: number;
  readonly rows: number;
  readonly cols: number;
  readonly cell: { readonly width: number; readonly height: number; readonly pad: number };
}

export type Measure = (text: string, size: number) => number;

const estimate: Measure = (text, size) => 0.6 * size * [...text].length;

export interface CaptionLayout {
  readonly width: number;
  readonly height: number;
  readonly gridX: number;
  readonly gridY: number;
  readonly fontSize: number;
  /** Column labels shown: every `colEvery`-th. */
  readonly colEvery: number;
  readonly texts: readonly { x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' | 'end'; color: string; rotate?: boolean }[];
}

const MARGIN = 10;
const GAP = 6;

export function captionLayout(g: GridGeometry, c: GridCaptions, measure: Measure = estimate): CaptionLayout {
  const size = Math.max(10, Math.min(14, Math.round(g.cell.height * 0.22)));
  const titleSize = size + 3;
  const rowLabels = c.rowLabels ?? [];
  const colLabels = c.colLabels ?? [];
  const rowW = Math.ceil(Math.max(0, ...rowLabels.map((l) => (l ? measure(l, size) : 0))));
  const step = g.cell.width + g.cell.pad;
  const widest = Math.max(0, ...colLabels.map((l) => (l ? measure(l, size) : 0)));
  const colEvery = colLabels.length === 0 ? 1 : Math.max(1, Math.ceil((widest + 4) / step));
  const left = MARGIN + (c.rowTitle ? size + GAP : 0) + (rowW > 0 ? rowW + GAP : 0);
  const titleH = (c.title ? titleSize + 6 : 0) + (c.subtitle ? size + 5 : 0);
  const colH = colLabels.length > 0 ? size + GAP : 0;
  const colTitleH = c.colTitle ? size + GAP : 0;
  const atTop = (c.colLabelsAt ?? 'top') === 'top';
  const top = MARGIN + titleH + (atTop ? colTitleH + colH : 0);
  const bottom = MARGIN + (atTop ? 0 : colH + colTitleH);
  const titleW = Math.max(c.title ? measure(c.title, titleSize) : 0, c.subtitle ? measure(c.subtitle, size) : 0);
  const gridX = Math.round(left);
  const gridY = Math.round(top);
  const width = Math.ceil(Math.max(gridX + g.width + MARGIN, MARGIN + titleW + MARGIN));
  const height = Math.ceil(gridY + g.height + bottom);
  const texts: CaptionLayout['texts'][number][] = [];
  let y = MARGIN;
  if (c.title) {
    y += titleSize;
    texts.push({ x: MARGIN, y, text: c.title, size: titleSize, anchor: 'start', color: '#000000' });
    y += 6;
  }
  if (c.subtitle) {
    y += size;
    texts.push({ x: MARGIN, y, text: c.subtitle, size, anchor: 'start', color: '#555555' });
    y += 5;
  }
  const colCentre = (j: number) => gridX + g.cell.pad + j * step + g.cell.width / 2;
  const rowCentre = (i: number) => gridY + g.cell.pad + i * (g.cell.height + g.cell.pad) + g.cell.height / 2;
  const colBase = atTop ? gridY - GAP : gridY + g.height + GAP + size * 0.8;
  colLabels.forEach((l, j) => {
    if (l && j % colEvery === 0) texts.push({ x: colCentre(j), y: colBase, text: l, size, anchor: 'middle', color: '#333333' });
  });
  if (c.colTitle) {
    const ty = atTop ? colBase - (colH > 0 ? size + GAP : 0) : colBase + (colH > 0 ? size + GAP : 0);
    texts.push({ x: gridX + g.width / 2, y: ty, text: c.colTitle, size, anchor: 'middle', color: '#222222' });
  }
  rowLabels.forEach((l, i) => {
    if (l) texts.push({ x: gridX - GAP, y: rowCentre(i) + size * 0.35, text: l, size, anchor: 'end', color: '#333333' });
  });
  if (c.rowTitle) texts.push({ x: MARGIN + size * 0.8, y: gridY + g.height / 2, text: c.rowTitle, size, anchor: 'middle', color: '#222222', rotate: true });
  return { width, height, gridX, gridY, fontSize: size, colEvery, texts };
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => String(Math.round(v * 100) / 100);

/** The captioned figure as SVG text; `href` is the grid bitmap as a URL (e.g. a PNG data URL). */
export function captionedGridSvg(g: GridGeometry, c: GridCaptions, href: string, measure?: Measure): string {
  const L = captionLayout(g, c, measure);
  const texts = L.texts.map((t) => {
    const rot = t.rotate ? ` transform="rotate(-90 ${num(t.x)} ${num(t.y)})"` : '';
    return `<text x="${num(t.x)}" y="${num(t.y)}" font-size="${t.size}" text-anchor="${t.anchor}" fill="${t.color}"${rot}>${escape(t.text)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}">`,
    `<rect width="${L.width}" height="${L.height}" fill="white"/>`,
    `<image x="${L.gridX}" y="${L.gridY}" width="${g.width}" height="${g.height}" image-rendering="optimizeSpeed" style="image-rendering: pixelated" preserveAspectRatio="none" xlink:href="${escape(href)}"/>`,
    `<g font-family="${escape(FONT)}">`,
    ...texts,
    '</g>',
    '</svg>',
  ].join('\n');
}
