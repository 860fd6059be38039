/**
 * Scatter plots of 2-D points coloured by a categorical label (e.g. latent codes by class).
 *
 * Contract. Each distinct label gets the next palette colour in sorted label order (numbers
 * ascending, then strings); past the palette's length the colours repeat with a different
 * marker shape, so every label stays distinguishable. Unlabelled points are grey and have no
 * legend row. Points are drawn in a fixed pseudo-random order, so no class hides the others
 * just by coming last, and with some transparency when there are many. Non-finite points are
 * skipped. `labelNames` gives legend text: an array indexed by numeric label, or a record.
 */
import type { Canvas, MarkerShape, Point } from './canvas';
import {
  type Frame, type LegendEntry, type LegendPlacement, chartCanvas, drawFrameBack, drawFrameFront, drawLegend, drawNoData, extent,
  frameText, layoutFrame, legendSize, placeLegendInside, seriesClip,
} from './axes';
import { type Color, DEFAULT_PALETTE, parseColor } from './color';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from './line-chart';

/** A scatter point. */
export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly label?: number | string;
}

/** A scatter plot. */
export interface ScatterSpec {
  readonly points: readonly ScatterPoint[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Legend names of labels: `names[label]` for numeric labels, or a record keyed by label. */
  readonly labelNames?: readonly string[] | Readonly<Record<string, string>>;
  /** Canvas size (default 960 x 600). */
  readonly width?: number;
  readonly height?: number;
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** Marker diameter in pixels (default: 7 for few points down to 4 for many). */
  readonly pointSize?: number;
  /** Marker opacity in (0, 1] (default: 0.9 for few points down to 0.55 for many). */
  readonly opacity?: number;
  readonly palette?: readonly Color[];
  /** Default 'auto': inside the plot if it covers no point, else outside on the right. */
  readonly legend?: 'auto' | 'inside' | 'outside' | 'none';
}

const SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'plus', 'cross'];
const UNLABELLED = '#9a9a9a';

/** The distinct labels in display order: numbers ascending, then strings. */
export function sortedLabels(points: readonly ScatterPoint[]): (number | string)[] {
  const set = new Set<number | string>();
  for (const p of points) if (p.label !== undefined) set.add(p.label);
  return [...set].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function nameOf(label: number | string, names: ScatterSpec['labelNames']): string {
  if (names !== undefined) {
    const n = Array.isArray(names) ? (typeof label === 'number' ? (names as readonly string[])[label] : undefined) : (names as Readonly<Record<string, string>>)[String(label)];
    if (n !== undefined) return n;
  }
  return String(label);
}

/** A fixed shuffle of 0..n-1 (xorshift32), the draw order of the points. */
function drawOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/** Renders a scatter plot; see the module comment. */
export function renderScatter(spec: ScatterSpec): Canvas {
  return scatterChart(spec).canvas;
}

/** Renders a scatter plot and returns its frame too (the data-to-pixel maps, the axes). */
export function scatterChart(spec: ScatterSpec): { canvas: Canvas; frame: Frame } {
  const width = Math.round(spec.width ?? DEFAULT_WIDTH), height = Math.round(spec.height ?? DEFAULT_HEIGHT);
  const palette = spec.palette ?? DEFAULT_PALETTE;
  const pts = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const n = pts.length;
  const size = spec.pointSize ?? (n <= 300 ? 7 : n <= 3000 ? 5 : 4);
  const opacity = Math.max(0.05, Math.min(1, spec.opacity ?? (n <= 300 ? 0.9 : n <= 3000 ? 0.75 : 0.55)));
  const labels = sortedLabels(pts);
  const style = new Map<number | string, { color: Color; shape: MarkerShape }>();
  labels.forEach((l, i) => {
    style.set(l, { color: palette[i % palette.length] as Color, shape: SHAPES[Math.floor(i / palette.length) % SHAPES.length] as MarkerShape });
  });

  const frameSpec = {
    width, height,
    ...frameText(spec),
    xData: extent(pts.map((p) => p.x), false),
    yData: extent(pts.map((p) => p.y), false),
    xPad: 0.04,
    yPad: 0.04,
  };
  const entries: LegendEntry[] = labels.map((l) => {
    const s = style.get(l) as { color: Color; shape: MarkerShape };
    return { label: nameOf(l, spec.labelNames), color: s.color, marker: s.shape, markerSize: 9 };
  });
  const mode = spec.legend ?? 'auto';
  const showLegend = entries.length > 0 && mode !== 'none';

  let frame = layoutFrame(frameSpec);
  let placement: LegendPlacement | null = null;
  if (showLegend) {
    const lsize = legendSize(entries, frame.style);
    if (mode !== 'outside') {
      const samples: Point[] = pts.map((p) => [frame.px(p.x), frame.py(p.y)]);
      placement = placeLegendInside(frame, lsize, samples);
      if (placement === null && mode === 'inside') placement = { inside: true, x: frame.plot.x1 - lsize.w - 2 * frame.style.gap, y: frame.plot.y0 + 2 * frame.style.gap };
    }
    if (placement === null) {
      frame = layoutFrame(frameSpec, lsize.w + 2 * frame.style.gap);
      placement = { inside: false, x: width - frame.style.pad - lsize.w, y: frame.plot.y0 };
    }
  }

  const c = chartCanvas(width, height);
  drawFrameBack(c, frame);
  const clip = seriesClip(frame);
  // Points inside the axes are drawn whole, even where they overhang the box.
  c.setClip(clip.x0 - size, clip.y0 - size, clip.x1 + size, clip.y1 + size);
  const alpha = Math.round(255 * opacity);
  const colors = new Map<number | string | undefined, Color>();
  const colorOf = (l: number | string | undefined): Color => {
    let col = colors.get(l);
    if (col === undefined) {
      const base = parseColor(l === undefined ? UNLABELLED : (style.get(l)?.color ?? UNLABELLED));
      col = [base.r, base.g, base.b, alpha];
      colors.set(l, col);
    }
    return col;
  };
  const order = drawOrder(n);
  for (let k = 0; k < n; k++) {
    const p = pts[order[k] as number] as ScatterPoint;
    const X = frame.px(p.x), Y = frame.py(p.y);
    if (!(X >= clip.x0 && X <= clip.x1 && Y >= clip.y0 && Y <= clip.y1)) continue;
    const shape = p.label === undefined ? 'circle' : (style.get(p.label)?.shape ?? 'circle');
    c.marker(shape, X, Y, size, colorOf(p.label));
  }
  c.resetClip();
  if (n === 0) drawNoData(c, frame);
  drawFrameFront(c, frame);
  if (showLegend && placement !== null) drawLegend(c, entries, frame.style, placement.x, placement.y);
  return { canvas: c, frame };
}
