/**
 * Several charts on one canvas, in a grid.
 *
 * Contract. `renderPanels` renders every spec at the panel size (`width / columns` by
 * `height / rows`, the specs' own width and height being ignored) and tiles them row by row,
 * left to right, under an optional overall title. `tileCanvases` does the tiling for canvases
 * already rendered (of any sizes: each grid cell is as large as the largest canvas of its row
 * and column).
 */
import { Canvas, measureText } from './canvas';
import { THEME } from './color';
import { type LineChartSpec, renderLineChart } from './line-chart';

/** Options of `renderPanels`. */
export interface PanelOptions {
  /** Panels per row (default: all in one row). */
  readonly columns?: number;
  /** Size of the whole canvas (default 720 per column by 500 per row, plus the title). */
  readonly width?: number;
  readonly height?: number;
  /** A title over all panels. */
  readonly title?: string;
}

/** Options of `tileCanvases`. */
export interface TileOptions {
  readonly columns?: number;
  /** Pixels between cells (default 0). */
  readonly gap?: number;
  readonly title?: string;
}

const TITLE_SCALE = 2;

function titleBand(title: string | undefined): number {
  return title ? measureText(title, { scale: TITLE_SCALE, bold: true }).height + 20 : 0;
}

/** Tiles rendered canvases into a grid; see the module comment. */
export function tileCanvases(canvases: readonly Canvas[], opts: TileOptions = {}): Canvas {
  const n = Math.max(1, canvases.length);
  const cols = Math.max(1, Math.min(n, Math.floor(opts.columns ?? n)));
  const rows = Math.ceil(n / cols);
  const gap = Math.max(0, Math.round(opts.gap ?? 0));
  const colW = Array.from({ length: cols }, (_, j) => Math.max(1, ...canvases.filter((_, i) => i % cols === j).map((c) => c.width)));
  const rowH = Array.from({ length: rows }, (_, r) => Math.max(1, ...canvases.slice(r * cols, r * cols + cols).map((c) => c.height)));
  const band = titleBand(opts.title);
  const W = colW.reduce((a, b) => a + b, 0) + gap * (cols - 1);
  const H = band + rowH.reduce((a, b) => a + b, 0) + gap * (rows - 1);
  const out = new Canvas(W, H, THEME.background);
  if (opts.title) out.text(opts.title, W / 2, 12, { scale: TITLE_SCALE, bold: true, align: 'center', color: THEME.text });
  let y = band;
  for (let r = 0; r < rows; r++) {
    let x = 0;
    for (let j = 0; j < cols; j++) {
      const c = canvases[r * cols + j];
      if (c !== undefined) out.blit(c, x, y);
      x += (colW[j] as number) + gap;
    }
    y += (rowH[r] as number) + gap;
  }
  return out;
}

/** Renders line charts side by side (then in further rows); see the module comment. */
export function renderPanels(panels: readonly LineChartSpec[], opts: PanelOptions = {}): Canvas {
  const n = Math.max(1, panels.length);
  const cols = Math.max(1, Math.min(n, Math.floor(opts.columns ?? n)));
  const rows = Math.ceil(n / cols);
  const band = titleBand(opts.title);
  const W = Math.round(opts.width ?? 720 * cols);
  const H = Math.round(opts.height ?? 500 * rows + band);
  const pw = Math.max(1, Math.floor(W / cols)), ph = Math.max(1, Math.floor((H - band) / rows));
  const canvases = panels.map((p) => renderLineChart({ ...p, width: pw, height: ph }));
  const tiled = tileCanvases(canvases, { columns: cols, ...(opts.title !== undefined ? { title: opts.title } : {}) });
  if (tiled.width === W && tiled.height === H) return tiled;
  // Rounding left a few pixels over: centre the grid on a canvas of exactly the asked size.
  const out = new Canvas(W, H, THEME.background);
  out.blit(tiled, Math.floor((W - tiled.width) / 2), 0);
  return out;
}
