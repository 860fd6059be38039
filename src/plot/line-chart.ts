/**
 * Line charts: one or more (x, y) series on linear or log axes.
 *
 * Contract. Points with a non-finite coordinate (or a coordinate ≤ 0 on a log axis) are skipped
 * and break the line there, so a NaN in a curve shows as a gap; a point with no drawable
 * neighbour on either side is drawn as a dot so it never vanishes. Series may have different
 * lengths and need not be sorted (they are drawn in the given order). The axes cover every
 * drawable point unless `xRange` / `yRange` fix them (what falls outside is clipped); a single
 * point or a constant series gets a padded range. Colours default to the palette in series
 * order. The legend (shown when two or more series have names, or when `legend` asks for it)
 * sits inside the plot where it covers no line, else outside on the right.
 */
import type { Canvas, MarkerShape, Point } from './canvas';
import {
  type Frame, type LegendEntry, type LegendPlacement, chartCanvas, drawFrameBack, drawFrameFront, drawLegend, drawNoData,
  extent, frameText, layoutFrame, legendSize, placeLegendInside, samplePolyline, seriesClip,
} from './axes';
import { type Color, paletteColor } from './color';

/** One line of a chart. */
export interface Series {
  /** Legend text; an empty name keeps the series out of the legend. */
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Default: the palette colour of the series' index. */
  readonly color?: Color;
  /** Dashed line (true = the standard 8-on 5-off pattern scaled by the width). */
  readonly dashed?: boolean | readonly number[];
  /** Draw a marker at every point (true = circle). */
  readonly marker?: boolean | MarkerShape;
  /** Line width in pixels (default 2); 0 draws markers only. */
  readonly lineWidth?: number;
}

/** A line chart. */
export interface LineChartSpec {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly series: readonly Series[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** Canvas size in pixels (default 960 x 600). */
  readonly width?: number;
  readonly height?: number;
  /** Fixed axis ranges (data units); default: fitted to the data with nice ticks. */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** 'auto' (default): shown for 2+ named series, inside if it fits without covering data. */
  readonly legend?: 'auto' | 'inside' | 'outside' | 'none';
  readonly palette?: readonly Color[];
}

export const DEFAULT_WIDTH = 960;
export const DEFAULT_HEIGHT = 600;

interface Resolved {
  readonly name: string;
  readonly color: Color;
  readonly width: number;
  readonly dash: readonly number[] | undefined;
  readonly marker: MarkerShape | undefined;
  readonly points: readonly (readonly [number, number])[];
}

function resolveSeries(spec: LineChartSpec): Resolved[] {
  return spec.series.map((s, i) => {
    const width = Math.max(0, s.lineWidth ?? 2);
    const dash = s.dashed === true ? [4 * width + 2, 2.5 * width + 2] : Array.isArray(s.dashed) ? (s.dashed as readonly number[]) : undefined;
    const marker = s.marker === true ? 'circle' : s.marker === false || s.marker === undefined ? undefined : s.marker;
    return { name: s.name, color: s.color ?? paletteColor(i, spec.palette), width, dash, marker, points: s.points };
  });
}

/** The drawable runs of a series in canvas coordinates (broken at skipped points). */
function runs(f: Frame, points: readonly (readonly [number, number])[]): Point[][] {
  const out: Point[][] = [];
  let cur: Point[] = [];
  for (const [x, y] of points) {
    const X = f.px(x), Y = f.py(y);
    if (Number.isFinite(X) && Number.isFinite(Y)) {
      cur.push([X, Y]);
    } else if (cur.length > 0) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function legendEntries(series: readonly Resolved[]): LegendEntry[] {
  return series
    .filter((s) => s.name !== '')
    .map((s) => ({
      label: s.name,
      color: s.color,
      ...(s.width > 0 ? { line: { width: s.width, ...(s.dash ? { dash: s.dash } : {}) } } : {}),
      ...(s.marker ? { marker: s.marker, markerSize: markerSize(s) } : s.width === 0 ? { marker: 'circle' as const, markerSize: 6 } : {}),
    }));
}

const markerSize = (s: Resolved): number => Math.max(6, 2 * s.width + 4);

/** Renders a line chart; see the module comment. */
export function renderLineChart(spec: LineChartSpec): Canvas {
  return lineChart(spec).canvas;
}

/** Renders a line chart and returns its frame too (the data-to-pixel maps, the axes). */
export function lineChart(spec: LineChartSpec): { canvas: Canvas; frame: Frame } {
  const width = Math.round(spec.width ?? DEFAULT_WIDTH), height = Math.round(spec.height ?? DEFAULT_HEIGHT);
  const series = resolveSeries(spec);
  const logX = spec.logX ?? false, logY = spec.logY ?? false;
  // Only points drawable on both axes count towards the extents.
  const ok = (x: number, y: number): boolean => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
  const drawable = series.flatMap((s) => s.points.filter(([x, y]) => ok(x, y)));
  const frameSpec = {
    width, height,
    ...frameText(spec),
    logX, logY,
    xData: extent(drawable.map((p) => p[0]), logX),
    yData: extent(drawable.map((p) => p[1]), logY),
    // Keeps curves off the box; log axes snap out to decades, which leaves room already.
    yPad: logY ? 0 : 0.03,
  };

  const entries = legendEntries(series);
  const mode = spec.legend ?? 'auto';
  const showLegend = entries.length > 0 && (mode === 'inside' || mode === 'outside' || (mode === 'auto' && entries.length >= 2));

  let frame = layoutFrame(frameSpec);
  let placement: LegendPlacement | null = null;
  if (showLegend) {
    const size = legendSize(entries, frame.style);
    if (mode !== 'outside') {
      const samples: Point[] = [];
      for (const s of series) for (const r of runs(frame, s.points)) samplePolyline(r, samples);
      placement = placeLegendInside(frame, size, samples);
      if (placement === null && mode === 'inside') placement = { inside: true, x: frame.plot.x1 - size.w - 2 * frame.style.gap, y: frame.plot.y0 + 2 * frame.style.gap };
    }
    if (placement === null) {
      const reserve = size.w + 2 * frame.style.gap;
      frame = layoutFrame(frameSpec, reserve);
      placement = { inside: false, x: width - frame.style.pad - size.w, y: frame.plot.y0 };
    }
  }

  const c = chartCanvas(width, height);
  drawFrameBack(c, frame);
  const clip = seriesClip(frame);
  const inClip = ([x, y]: Point): boolean => x >= clip.x0 && x <= clip.x1 && y >= clip.y0 && y <= clip.y1;
  for (const s of series) {
    for (const r of runs(frame, s.points)) {
      c.setClip(clip.x0, clip.y0, clip.x1, clip.y1);
      if (s.width > 0 && r.length >= 2) c.polyline(r, { color: s.color, width: s.width, ...(s.dash ? { dash: s.dash } : {}) });
      // Markers of points inside the axes are drawn whole, even where they overhang the box.
      const shape = s.marker ?? (r.length === 1 || s.width === 0 ? 'circle' : undefined);
      if (shape === undefined) continue;
      const size = s.marker ? markerSize(s) : Math.max(5, 2 * s.width + 3);
      c.setClip(clip.x0 - size, clip.y0 - size, clip.x1 + size, clip.y1 + size);
      for (const p of r) if (inClip(p)) c.marker(shape, p[0], p[1], size, s.color);
    }
  }
  c.resetClip();
  if (drawable.length === 0) drawNoData(c, frame);
  drawFrameFront(c, frame);
  if (showLegend && placement !== null) drawLegend(c, entries, frame.style, placement.x, placement.y);
  return { canvas: c, frame };
}
