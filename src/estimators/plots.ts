/**
 * The sweep figures, on log-log axes (ASCII labels: the plot font has no other glyphs).
 *  - K sweep: SNR of the guide's and of the model's parameters against K, one line per estimator,
 *    with dashed slopes K^-1/2 and K^+1/2 (Rainforth et al. 2018) through the first estimator's
 *    first point.
 *  - N sweep: total variance of the averaged estimate against N, one line per estimator, with a
 *    dashed 1/N slope through each line's first point (the lecture's simulation).
 */
import { renderPanels, writeCanvasPng, type LineChartSpec, type Series } from '../plot/index';
import type { Row } from './report';

type Pt = readonly [number, number];

function slope(points: readonly Pt[], power: number, xs: readonly number[]): Pt[] {
  const p0 = points.find(([, y]) => Number.isFinite(y) && y > 0);
  if (!p0) return [];
  return xs.map((x) => [x, p0[1] * (x / p0[0]) ** power] as const);
}

function byEstimator(rows: readonly Row[], pick: (r: Row) => boolean, x: (r: Row) => number, y: (r: Row) => number | null): Map<string, Pt[]> {
  const out = new Map<string, Pt[]>();
  for (const r of rows) {
    if (!pick(r)) continue;
    const name = r.estimator.replace(/^iwae:\d+/, 'iwae:K');
    const v = y(r);
    out.set(name, [...(out.get(name) ?? []), [x(r), v === null ? NaN : v] as const]);
  }
  return out;
}

/**
 * SNR against K for the guide's and the model's parameters. A dotted line marks the SNR that
 * noise alone gives a component with E[g_j] = 0: E|ḡ_j|/s_j ≈ sqrt(2/π)/√S.
 */
export function snrVsKChart(rows: readonly Row[], title: string): LineChartSpec[] {
  const ks = [...new Set(rows.map((r) => r.k!))].sort((a, b) => a - b);
  const draws = rows[0]?.draws ?? 1;
  const floor = Math.sqrt(2 / Math.PI / draws);
  const panels: LineChartSpec[] = [];
  for (const side of ['guide', 'model'] as const) {
    const lines = byEstimator(rows, (r) => r.kind === 'side' && r.group === side, (r) => r.k!, (r) => r.snr);
    if (lines.size === 0) continue;
    const series: Series[] = [...lines].map(([name, points]) => ({ name, points, marker: true }));
    const first = [...lines.values()][0]!;
    // Unnamed (out of the legend, which then fits inside): the title says what they are.
    series.push({ name: '', points: slope(first, side === 'guide' ? -0.5 : 0.5, ks), dashed: true, lineWidth: 1, color: '#888888' });
    series.push({ name: '', points: ks.map((k) => [k, floor] as const), dashed: [2, 4], lineWidth: 1, color: '#bbbbbb' });
    panels.push({ title: `${title}: ${side} parameters`, xLabel: `K   (dashed K^${side === 'guide' ? '-' : '+'}1/2, dotted noise floor)`, yLabel: 'SNR (mean over components)', series, logX: true, logY: true, legend: 'auto' });
  }
  return panels;
}

/** Total variance of the N-sample average against N. */
export function varianceVsNChart(rows: readonly Row[], title: string): LineChartSpec[] {
  const ns = [...new Set(rows.map((r) => r.n!))].sort((a, b) => a - b);
  const lines = byEstimator(rows, (r) => r.kind === 'all', (r) => r.n!, (r) => r.variance);
  const series: Series[] = [];
  for (const [name, points] of lines) {
    series.push({ name, points, marker: true });
    series.push({ name: '', points: slope(points, -1, ns), dashed: true, lineWidth: 1, color: '#888888' });
  }
  return [{ title, xLabel: 'N   (dashed: slope 1/N)', yLabel: 'variance of the estimate (trace)', series, logX: true, logY: true, legend: 'auto' }];
}

export function writeChart(path: string, panels: readonly LineChartSpec[], opts: { width?: number; height?: number } = {}): void {
  const canvas = renderPanels(panels, { columns: panels.length, width: opts.width ?? 640 * panels.length, height: opts.height ?? 420 });
  writeCanvasPng(path, canvas);
}
