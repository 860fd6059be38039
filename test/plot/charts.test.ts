import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { placeLegendInside } from '../../src/plot/axes';
import type { Canvas } from '../../src/plot/canvas';
import { measureText } from '../../src/plot/canvas';
import { TABLEAU10, parseColor } from '../../src/plot/color';
import { encodePng, lineChart, renderLineChart, renderPanels, renderScatter, scatterChart, tileCanvases } from '../../src/plot/index';

type Rgb = readonly [number, number, number];

const rgb = (hex: string): Rgb => {
  const c = parseColor(hex);
  return [c.r, c.g, c.b];
};
const dist = (a: Rgb, b: Rgb): number => Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

/** The smallest colour distance to `want` among the pixels within `r` of (x, y). */
function nearest(c: Canvas, x: number, y: number, want: Rgb, r = 2): number {
  let best = Infinity;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const X = Math.floor(x) + dx, Y = Math.floor(y) + dy;
      if (X < 0 || Y < 0 || X >= c.width || Y >= c.height) continue;
      const [pr, pg, pb] = c.getPixel(X, Y);
      best = Math.min(best, dist([pr, pg, pb], want));
    }
  }
  return best;
}

const RED = '#d62728';

describe('renderLineChart', () => {
  it('produces a PNG of the requested size', () => {
    const c = renderLineChart({ width: 640, height: 400, series: [{ name: 'a', points: [[0, 1], [1, 2]] }] });
    const png = PNG.sync.read(encodePng(c));
    expect([png.width, png.height]).toEqual([640, 400]);
    const d = renderLineChart({ series: [] });
    expect([d.width, d.height]).toEqual([960, 600]);
  });

  it('puts the series colour where the points map', () => {
    const points: [number, number][] = Array.from({ length: 21 }, (_, i) => [i, (i - 10) ** 2]);
    const { canvas, frame } = lineChart({ title: 'parabola', xLabel: 'x', yLabel: 'y', series: [{ name: 'p', points, color: RED }] });
    for (const [x, y] of [points[10], points[5], points[15], points[3]] as [number, number][]) {
      expect(nearest(canvas, frame.px(x), frame.py(y), rgb(RED))).toBeLessThan(40);
    }
    // Far from the curve (top middle of the plot) there is no series colour.
    expect(nearest(canvas, frame.px(10), frame.py(90), rgb(RED), 3)).toBeGreaterThan(100);
    // The axes cover the data.
    expect(frame.xAxis.min).toBeLessThanOrEqual(0);
    expect(frame.xAxis.max).toBeGreaterThanOrEqual(20);
    expect(frame.yAxis.min).toBeLessThanOrEqual(0);
    expect(frame.yAxis.max).toBeGreaterThanOrEqual(100);
  });

  it('maps log axes by decades and labels them with powers of ten', () => {
    const pts: [number, number][] = [1, 10, 100, 1000, 10000].map((k) => [k, 1 / k]);
    const { canvas, frame } = lineChart({ logX: true, logY: true, series: [{ name: 'inv', points: pts, color: RED }] });
    expect(frame.xAxis.ticks.map((t) => t.value)).toEqual([1, 10, 100, 1000, 10000]);
    const [a, b, c] = [frame.px(1), frame.px(10), frame.px(100)];
    expect(b - a).toBeCloseTo(c - b, 6);
    expect(nearest(canvas, frame.px(100), frame.py(0.01), rgb(RED))).toBeLessThan(40);
  });

  it('skips NaN, infinite and non-positive (log) points, leaving gaps', () => {
    const points: [number, number][] = [[0, 0], [1, 1], [2, NaN], [3, Infinity], [4, 4], [5, 5], [NaN, 3]];
    const { canvas, frame } = lineChart({ series: [{ name: 's', points, color: RED }] });
    expect(Number.isFinite(frame.yAxis.max)).toBe(true);
    expect(nearest(canvas, frame.px(0.5), frame.py(0.5), rgb(RED))).toBeLessThan(40);
    expect(nearest(canvas, frame.px(4.5), frame.py(4.5), rgb(RED))).toBeLessThan(40);
    // No segment across the gap between x = 1 and x = 4.
    expect(nearest(canvas, frame.px(2.5), frame.py(2.5), rgb(RED), 3)).toBeGreaterThan(100);
    const log = lineChart({ logY: true, series: [{ name: 's', points: [[0, -1], [1, 0], [2, 10], [3, 100]] }] });
    expect(log.frame.yAxis.min).toBeGreaterThan(0);
    expect(() => renderLineChart({ series: [{ name: 'nan', points: [[NaN, NaN]] }, { name: 'inf', points: [[Infinity, 1]] }] })).not.toThrow();
  });

  it('draws a lone point as a dot and pads a constant series', () => {
    const { canvas, frame } = lineChart({ series: [{ name: 'one', points: [[3, 7]], color: RED }] });
    expect(frame.xAxis.min).toBeLessThan(3);
    expect(frame.xAxis.max).toBeGreaterThan(3);
    expect(frame.yAxis.min).toBeLessThan(7);
    expect(frame.yAxis.max).toBeGreaterThan(7);
    expect(nearest(canvas, frame.px(3), frame.py(7), rgb(RED), 1)).toBeLessThan(40);
    const flat = lineChart({ series: [{ name: 'c', points: [[0, 5], [10, 5]] }] }).frame;
    expect(flat.yAxis.min).toBeLessThan(5);
    expect(flat.yAxis.max).toBeGreaterThan(5);
  });

  it('draws series of different lengths, dashed and with markers', () => {
    const blue = TABLEAU10[0] as string, orange = TABLEAU10[1] as string;
    const train: [number, number][] = Array.from({ length: 50 }, (_, i) => [i + 1, -100 + i]);
    const valid: [number, number][] = [10, 20, 30, 40, 50].map((e) => [e, -110 + e]);
    const { canvas, frame } = lineChart({ series: [{ name: 'train', points: train }, { name: 'valid', points: valid, dashed: true, marker: true }] });
    expect(nearest(canvas, frame.px(25), frame.py(-76), rgb(blue))).toBeLessThan(40);
    expect(nearest(canvas, frame.px(30), frame.py(-80), rgb(orange))).toBeLessThan(40);
  });

  it('honours fixed ranges and clips what falls outside', () => {
    const { canvas, frame } = lineChart({ xRange: [0, 10], yRange: [0, 1], series: [{ name: 's', points: [[0, 0], [20, 2]], color: RED }] });
    expect([frame.xAxis.min, frame.xAxis.max, frame.yAxis.min, frame.yAxis.max]).toEqual([0, 10, 0, 1]);
    // Nothing red right of the axis box.
    for (let y = 0; y < canvas.height; y++) {
      for (let x = frame.plot.x1 + 2; x < canvas.width; x++) {
        const [r, g, b] = canvas.getPixel(x, y);
        expect(dist([r, g, b], rgb(RED))).toBeGreaterThan(60);
      }
    }
  });

  it('spaces x tick labels so they never overlap', () => {
    for (const width of [300, 480, 960]) {
      const { frame } = lineChart({ width, height: 300, series: [{ name: 's', points: [[123456, 0], [987654, 1]] }] });
      const ticks = frame.xAxis.ticks;
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      const scale = frame.style.scale;
      for (let i = 1; i < ticks.length; i++) {
        const a = ticks[i - 1]!, b = ticks[i]!;
        const need = (measureText(a.label, { scale }).width + measureText(b.label, { scale }).width) / 2;
        expect(frame.px(b.value) - frame.px(a.value)).toBeGreaterThan(need);
      }
    }
  });
});

describe('legend placement', () => {
  it('avoids the data, and gives up when every spot is covered', () => {
    const { frame } = lineChart({ series: [{ name: 's', points: [[0, 0], [1, 1]] }] });
    const size = { w: 100, h: 50 };
    const { x0, y0, x1, y1 } = frame.plot;
    const topRight: [number, number][] = [[x1 - 20, y0 + 20]];
    const p = placeLegendInside(frame, size, topRight);
    expect(p).not.toBeNull();
    expect(p!.x).toBeLessThan((x0 + x1) / 2);
    const everywhere: [number, number][] = [];
    for (let x = x0; x < x1; x += 10) for (let y = y0; y < y1; y += 10) everywhere.push([x, y]);
    expect(placeLegendInside(frame, size, everywhere)).toBeNull();
  });
});

describe('renderScatter', () => {
  it('gives 10 labels 10 distinct colours, in the legend and on the points', () => {
    const points = Array.from({ length: 10 }, (_, k) => ({ x: k % 5, y: Math.floor(k / 5), label: k }));
    const { canvas, frame } = scatterChart({ points, pointSize: 12, opacity: 1, labelNames: points.map((_, k) => `digit ${k}`) });
    const seen = points.map((p) => {
      const [r, g, b] = canvas.getPixel(Math.floor(frame.px(p.x)), Math.floor(frame.py(p.y)));
      return `${r},${g},${b}`;
    });
    expect(new Set(seen).size).toBe(10);
    seen.forEach((s, k) => expect(s).toBe(rgb(TABLEAU10[k] as string).join(',')));
  });

  it('handles string labels, unlabelled and non-finite points, and more labels than colours', () => {
    const points = [{ x: 0, y: 0 }, { x: 1, y: 1, label: 'b' }, { x: NaN, y: 2, label: 'a' }, { x: 2, y: Infinity }];
    expect(() => renderScatter({ points })).not.toThrow();
    const many = Array.from({ length: 240 }, (_, i) => ({ x: Math.cos(i), y: Math.sin(i) * i, label: i % 12 }));
    const c = renderScatter({ points: many, title: 'twelve', width: 500, height: 320 });
    expect([c.width, c.height]).toEqual([500, 320]);
    expect(() => renderScatter({ points: [] })).not.toThrow();
  });
});

describe('panels', () => {
  it('puts charts side by side at the requested size', () => {
    const spec = { series: [{ name: 'a', points: [[0, 0], [1, 1]] as [number, number][] }] };
    const c = renderPanels([spec, spec], { columns: 2, width: 1200, height: 450, title: 'both' });
    expect([c.width, c.height]).toEqual([1200, 450]);
    const d = renderPanels([spec, spec, spec], { columns: 2 });
    expect([d.width, d.height]).toEqual([1440, 1000]);
    const t = tileCanvases([renderLineChart({ ...spec, width: 100, height: 80 }), renderLineChart({ ...spec, width: 120, height: 60 })], { columns: 1, gap: 5 });
    expect([t.width, t.height]).toEqual([120, 145]);
  });
});
