/**
 * The chart frame shared by line charts and scatter plots: layout (margins from the sizes of
 * the title, axis labels and tick labels), axes with non-overlapping nice ticks, grid, the axis
 * box, and the legend (placed inside the plot where it covers no data, else outside on the
 * right).
 *
 * Contract. `layoutFrame` picks the tick density from the plot size and thins the x ticks until
 * neighbouring labels are at least a gap apart. The data-to-pixel maps put the domain's ends on
 * the centre of the axis-box lines: `px(xAxis.min)` is the centre of the left box column and
 * `px(xAxis.max)` of the right one, likewise for y (upwards). Values ≤ 0 on a log axis map to
 * NaN. Drawing is split in two so series can go between: `drawFrameBack` (background, grid),
 * then series clipped to `seriesClip`, then `drawFrameFront` (box, ticks, labels, title).
 */
import { Canvas, type MarkerShape, type Point, measureText } from './canvas';
import { type Color, THEME } from './color';
import { type Axis, axisFraction, linearAxis, logAxis } from './ticks';

/** What the frame needs to know about a chart. */
export interface FrameSpec {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** Finite data extents (positive only, on log axes); non-finite = no data. */
  readonly xData: readonly [number, number];
  readonly yData: readonly [number, number];
  /** Margins added to each end of the data extents, as fractions of their span (default 0). */
  readonly xPad?: number;
  readonly yPad?: number;
}

/** The labels and fixed ranges of a chart spec that were given (optional fields stay absent). */
export function frameText(spec: Pick<FrameSpec, 'title' | 'xLabel' | 'yLabel' | 'xRange' | 'yRange'>): Pick<FrameSpec, 'title' | 'xLabel' | 'yLabel' | 'xRange' | 'yRange'> {
  return {
    ...(spec.title !== undefined ? { title: spec.title } : {}),
    ...(spec.xLabel !== undefined ? { xLabel: spec.xLabel } : {}),
    ...(spec.yLabel !== undefined ? { yLabel: spec.yLabel } : {}),
    ...(spec.xRange !== undefined ? { xRange: spec.xRange } : {}),
    ...(spec.yRange !== undefined ? { yRange: spec.yRange } : {}),
  };
}

/** The plot rectangle: pixels [x0, x1) x [y0, y1) inside the axis box. */
export interface PlotRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A laid-out frame. */
export interface Frame {
  readonly spec: FrameSpec;
  readonly style: FrameStyle;
  readonly plot: PlotRect;
  readonly xAxis: Axis;
  readonly yAxis: Axis;
  /** Data x to canvas x (continuous). */
  px(v: number): number;
  /** Data y to canvas y (continuous, upwards). */
  py(v: number): number;
}

/** Sizes of the frame's text and furniture, derived from the canvas size. */
export interface FrameStyle {
  readonly scale: number;
  readonly pad: number;
  readonly tickLen: number;
  readonly gap: number;
}

/** Text scale 2 on canvases of ordinary size, 1 on small ones. */
export function frameStyle(width: number, height: number): FrameStyle {
  const scale = width >= 520 && height >= 300 ? 2 : 1;
  return { scale, pad: 6 * scale + 2, tickLen: 2 + 2 * scale, gap: 3 * scale + 1 };
}

/** `text` shortened with "..." to fit `maxWidth` pixels at `scale`; the scale drops to 1 first. */
export function fitText(text: string, maxWidth: number, scale: number, bold = false): { text: string; scale: number } {
  for (const s of scale > 1 ? [scale, 1] : [scale]) {
    if (measureText(text, { scale: s, bold }).width <= maxWidth) return { text, scale: s };
  }
  let t = text;
  while (t.length > 1 && measureText(t + '...', { scale: 1, bold }).width > maxWidth) t = t.slice(0, -1);
  return { text: t + '...', scale: 1 };
}

/** Widens [lo, hi] by `pad` of its span at each end (in log10 space on log axes). */
function padExtent(lo: number, hi: number, log: boolean, pad: number): [number, number] {
  if (!(pad > 0) || !Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [lo, hi];
  if (log) {
    const a = Math.log10(lo), b = Math.log10(hi), d = (b - a) * pad;
    return [10 ** (a - d), 10 ** (b + d)];
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

function makeAxis(data: readonly [number, number], log: boolean, pad: number, range: readonly [number, number] | undefined, maxTicks: number): Axis {
  const [lo, hi] = padExtent(data[0], data[1], log, pad);
  const opts = range !== undefined ? { maxTicks, range } : { maxTicks };
  return log ? logAxis(lo, hi, opts) : linearAxis(lo, hi, opts);
}

/**
 * Lays out a frame on a `spec.width` x `spec.height` canvas, leaving `reserveRight` pixels
 * free on the right (for an outside legend).
 */
export function layoutFrame(spec: FrameSpec, reserveRight = 0): Frame {
  const style = frameStyle(spec.width, spec.height);
  const { scale, pad, tickLen, gap } = style;
  const tickH = measureText('0', { scale }).capHeight;
  const textH = measureText('Ag', { scale }).height;
  const titleH = spec.title ? measureText(spec.title, { scale, bold: true }).height : 0;
  const top = pad + (spec.title ? titleH + 2 * gap : tickH / 2 + gap);
  const bottom = spec.height - (pad + tickLen + gap + tickH + (spec.xLabel ? 2 * gap + textH : 0));
  const y0 = Math.round(top), y1 = Math.max(y0 + 10, Math.round(bottom));
  const plotH = y1 - y0;

  const yTicks = Math.max(2, Math.min(10, Math.floor(plotH / (tickH * 3.2)) + 1));
  const yAxis = makeAxis(spec.yData, spec.logY ?? false, spec.yPad ?? 0, spec.yRange, yTicks);
  const yLabelW = Math.max(0, ...yAxis.ticks.map((t) => measureText(t.label, { scale }).width));
  const left = pad + (spec.yLabel ? textH + 2 * gap : 0) + yLabelW + tickLen + gap;
  let x0 = Math.round(left);

  let xAxis = makeAxis(spec.xData, spec.logX ?? false, spec.xPad ?? 0, spec.xRange, 2);
  let x1 = spec.width - pad - reserveRight;
  for (let maxTicks = 12; maxTicks >= 2; maxTicks--) {
    const axis = makeAxis(spec.xData, spec.logX ?? false, spec.xPad ?? 0, spec.xRange, maxTicks);
    const widths = axis.ticks.map((t) => measureText(t.label, { scale }).width);
    // The end labels are centred on the ends of the axis: keep them on the canvas.
    const lastW = widths[widths.length - 1] ?? 0, firstW = widths[0] ?? 0;
    const right = spec.width - reserveRight - Math.max(pad, Math.ceil(lastW / 2) + gap);
    const leftEdge = Math.max(Math.round(left), Math.ceil(firstW / 2) + gap);
    const plotW = right - leftEdge;
    const pos = axis.ticks.map((t) => axisFraction(axis, t.value) * plotW);
    let ok = true;
    for (let i = 1; i < pos.length; i++) {
      const need = ((widths[i - 1] as number) + (widths[i] as number)) / 2 + 3 * gap;
      if ((pos[i] as number) - (pos[i - 1] as number) < need) ok = false;
    }
    xAxis = axis;
    x0 = leftEdge;
    x1 = Math.round(right);
    if (ok) break;
  }
  x1 = Math.max(x0 + 10, x1);
  const plot = { x0, y0, x1, y1 };
  const px = (v: number): number => x0 - 0.5 + axisFraction(xAxis, v) * (x1 - x0 + 1);
  const py = (v: number): number => y1 + 0.5 - axisFraction(yAxis, v) * (y1 - y0 + 1);
  return { spec, style, plot, xAxis, yAxis, px, py };
}

/** The clip rectangle for series: the plot plus the axis-box lines. */
export function seriesClip(f: Frame): PlotRect {
  return { x0: f.plot.x0 - 1, y0: f.plot.y0 - 1, x1: f.plot.x1 + 1, y1: f.plot.y1 + 1 };
}

const inDomain = (axis: Axis, v: number): boolean => {
  const lo = Math.min(axis.min, axis.max), hi = Math.max(axis.min, axis.max);
  const eps = (axis.log ? hi : hi - lo) * 1e-9;
  return v >= lo - eps && v <= hi + eps;
};

/** Background and grid lines. */
export function drawFrameBack(c: Canvas, f: Frame): void {
  const { x0, y0, x1, y1 } = f.plot;
  c.fillRect(x0, y0, x1 - x0, y1 - y0, THEME.background);
  for (const v of f.xAxis.minor) if (inDomain(f.xAxis, v)) c.fillRect(Math.floor(f.px(v)), y0, 1, y1 - y0, THEME.minorGrid);
  for (const v of f.yAxis.minor) if (inDomain(f.yAxis, v)) c.fillRect(x0, Math.floor(f.py(v)), x1 - x0, 1, THEME.minorGrid);
  for (const t of f.xAxis.ticks) if (inDomain(f.xAxis, t.value)) c.fillRect(Math.floor(f.px(t.value)), y0, 1, y1 - y0, THEME.grid);
  for (const t of f.yAxis.ticks) if (inDomain(f.yAxis, t.value)) c.fillRect(x0, Math.floor(f.py(t.value)), x1 - x0, 1, THEME.grid);
}

/** Axis box, ticks, tick labels, axis labels and title. */
export function drawFrameFront(c: Canvas, f: Frame): void {
  const { x0, y0, x1, y1 } = f.plot;
  const { scale, tickLen, gap, pad } = f.style;
  c.strokeRect(x0 - 1, y0 - 1, x1 - x0 + 2, y1 - y0 + 2, THEME.axis);
  const minorLen = Math.max(2, Math.round(tickLen / 2));
  for (const v of f.xAxis.minor) if (inDomain(f.xAxis, v)) c.fillRect(Math.floor(f.px(v)), y1 + 1, 1, minorLen, THEME.axis);
  for (const v of f.yAxis.minor) if (inDomain(f.yAxis, v)) c.fillRect(x0 - 1 - minorLen, Math.floor(f.py(v)), minorLen, 1, THEME.axis);
  for (const t of f.xAxis.ticks) {
    if (!inDomain(f.xAxis, t.value)) continue;
    const x = Math.floor(f.px(t.value));
    c.fillRect(x, y1 + 1, 1, tickLen, THEME.axis);
    c.text(t.label, x + 0.5, y1 + 1 + tickLen + gap, { scale, align: 'center', baseline: 'top', color: THEME.text });
  }
  for (const t of f.yAxis.ticks) {
    if (!inDomain(f.yAxis, t.value)) continue;
    const y = Math.floor(f.py(t.value));
    c.fillRect(x0 - 1 - tickLen, y, tickLen, 1, THEME.axis);
    c.text(t.label, x0 - 1 - tickLen - gap, y + 0.5, { scale, align: 'right', baseline: 'middle', color: THEME.text });
  }
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  if (f.spec.xLabel) {
    const t = fitText(f.spec.xLabel, f.spec.width - 2 * pad, scale);
    c.text(t.text, cx, f.spec.height - pad, { scale: t.scale, align: 'center', baseline: 'bottom', color: THEME.text });
  }
  if (f.spec.yLabel) {
    const t = fitText(f.spec.yLabel, f.spec.height - 2 * pad, scale);
    c.text(t.text, pad, cy, { scale: t.scale, rotate: 90, align: 'left', baseline: 'middle', color: THEME.text });
  }
  if (f.spec.title) {
    const t = fitText(f.spec.title, f.spec.width - 2 * pad, scale, true);
    const w = measureText(t.text, { scale: t.scale, bold: true }).width;
    const x = Math.max(pad + w / 2, Math.min(f.spec.width - pad - w / 2, cx));
    c.text(t.text, x, pad, { scale: t.scale, bold: true, align: 'center', baseline: 'top', color: THEME.text });
  }
}

/** A "no data" note in the middle of the plot. */
export function drawNoData(c: Canvas, f: Frame): void {
  const { x0, y0, x1, y1 } = f.plot;
  c.text('no data', (x0 + x1) / 2, (y0 + y1) / 2, { scale: f.style.scale, align: 'center', baseline: 'middle', color: THEME.mutedText });
}

/** One legend row. */
export interface LegendEntry {
  readonly label: string;
  readonly color: Color;
  /** Draw a line sample (with this width and dash); otherwise only the marker. */
  readonly line?: { readonly width: number; readonly dash?: readonly number[] };
  readonly marker?: MarkerShape;
  readonly markerSize?: number;
}

/** Size of the legend box. */
export function legendSize(entries: readonly LegendEntry[], style: FrameStyle): { w: number; h: number; row: number } {
  const { scale, gap } = style;
  const row = measureText('Ag', { scale }).capHeight + 3 * gap;
  const sample = entries.some((e) => e.line) ? 14 * scale + 4 : 6 * scale + 2;
  const textW = Math.max(0, ...entries.map((e) => measureText(e.label, { scale }).width));
  return { w: Math.ceil(2 * gap + sample + 2 * gap + textW + 2 * gap), h: Math.ceil(entries.length * row + 2 * gap - gap), row };
}

/** Draws the legend box with its top-left corner at (x, y). */
export function drawLegend(c: Canvas, entries: readonly LegendEntry[], style: FrameStyle, x: number, y: number): void {
  const { w, h, row } = legendSize(entries, style);
  const { scale, gap } = style;
  c.fillRect(x, y, w, h, THEME.legendBackground);
  c.strokeRect(x, y, w, h, THEME.legendBorder);
  const sample = entries.some((e) => e.line) ? 14 * scale + 4 : 6 * scale + 2;
  entries.forEach((e, i) => {
    const cy = y + gap + i * row + row / 2 - gap / 2;
    const sx = x + 2 * gap;
    if (e.line) c.line(sx, cy, sx + sample, cy, { color: e.color, width: e.line.width, ...(e.line.dash ? { dash: e.line.dash } : {}) });
    if (e.marker) c.marker(e.marker, sx + sample / 2, cy, e.markerSize ?? 3 * scale + 3, e.color);
    c.text(e.label, sx + sample + 2 * gap, Math.floor(cy) + 0.5, { scale, baseline: 'middle', color: THEME.text });
  });
}

/** Where the legend goes: inside at the candidate spot covering no data, else outside. */
export interface LegendPlacement {
  readonly inside: boolean;
  readonly x: number;
  readonly y: number;
}

/**
 * Picks an inside corner (or edge middle) of the plot whose legend box covers none of
 * `samples` (canvas points on the data); returns null when every candidate covers some.
 */
export function placeLegendInside(f: Frame, size: { w: number; h: number }, samples: readonly Point[]): LegendPlacement | null {
  const { x0, y0, x1, y1 } = f.plot;
  const m = 2 * f.style.gap;
  if (size.w + 2 * m > x1 - x0 || size.h + 2 * m > y1 - y0) return null;
  const L = x0 + m, R = x1 - m - size.w, T = y0 + m, B = y1 - m - size.h;
  const Cx = Math.round((x0 + x1 - size.w) / 2), Cy = Math.round((y0 + y1 - size.h) / 2);
  const candidates: [number, number][] = [[R, T], [L, T], [R, B], [L, B], [Cx, T], [Cx, B], [R, Cy], [L, Cy]];
  const margin = f.style.gap + 2;
  for (const [x, y] of candidates) {
    const hit = samples.some(([sx, sy]) => sx >= x - margin && sx <= x + size.w + margin && sy >= y - margin && sy <= y + size.h + margin);
    if (!hit) return { inside: true, x, y };
  }
  return null;
}

/** Points every ~2 px along a polyline (canvas coordinates), for legend placement. */
export function samplePolyline(points: readonly Point[], out: Point[]): void {
  for (let i = 0; i < points.length; i++) {
    const [ax, ay] = points[i] as Point;
    out.push([ax, ay]);
    const next = points[i + 1];
    if (next === undefined) break;
    const steps = Math.min(2000, Math.floor(Math.hypot(next[0] - ax, next[1] - ay) / 2));
    for (let k = 1; k < steps; k++) out.push([ax + ((next[0] - ax) * k) / steps, ay + ((next[1] - ay) * k) / steps]);
  }
}

/** Finite extent of `values` (positive only when `log`); [NaN, NaN] when none. */
export function extent(values: Iterable<number>, log: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Creates the canvas of a chart with the standard background. */
export function chartCanvas(width: number, height: number): Canvas {
  return new Canvas(width, height, THEME.background);
}
