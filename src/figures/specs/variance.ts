/**
 * `vae estimators --sweep N`'s figure: the total variance of the average of N single-sample
 * gradient estimates against N, log-log, one line per estimator, each with a dashed reference of
 * slope N⁻¹ through its first point (independent draws: Var[mean of N] = Var[one] / N).
 *
 * Contract of `varianceSpec`. The x ticks are exactly the swept N values. Estimators whose lines
 * overlap (within 1.5% of the axis at every N) are drawn dashed and named in the subtitle. Returns null when no variance is positive.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DASHES, PALETTE, panelSize, type PanelSize } from '../theme';
import { frame, logTicks, overlapNotes, overlaps, sup, type XySeries } from './common';

export interface VariancePoint {
  readonly estimator: string;
  readonly n: number;
  /** Trace of the covariance of the averaged estimate. */
  readonly variance: number | null;
}

export interface VarianceInput {
  readonly points: readonly VariancePoint[];
  readonly title?: string;
  readonly size?: PanelSize;
}

export function varianceSpec(input: VarianceInput): TopLevelSpec | null {
  const ok = input.points.filter((p) => p.variance !== null && Number.isFinite(p.variance) && p.variance > 0 && p.n > 0);
  if (ok.length === 0) return null;
  const size = panelSize(input.size ?? { width: 460, height: 300 });
  const ns = [...new Set(ok.map((p) => p.n))].sort((a, b) => a - b);
  const estimators = [...new Set(ok.map((p) => p.estimator))];
  const series: XySeries[] = estimators.map((e) => ({ name: e, points: ok.filter((p) => p.estimator === e).sort((a, b) => a.n - b.n).map((p) => [p.n, p.variance] as const) }));
  const slope = `∝ N${sup('-1')}`;
  const rows: Record<string, unknown>[] = [];
  for (const s of series) {
    for (const [n, v] of s.points) rows.push({ estimator: s.name, n, variance: v, kind: 'measured', dashed: 'solid' });
    const [n0, v0] = s.points[0]!;
    for (const n of ns) rows.push({ estimator: s.name, n, variance: v0! * (n0 / n), kind: slope, dashed: 'solid' });
  }
  const vs = rows.map((r) => r['variance'] as number);
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const same = overlaps(series, { log: true, span: Math.log(hi / lo) });
  for (const r of rows) if (r['kind'] === 'measured' && same.has(r['estimator'] as string)) r['dashed'] = 'dashed';
  const x = { field: 'n', type: 'quantitative', title: 'N (estimates averaged)', scale: { type: 'log', domain: [ns[0], ns[ns.length - 1]], nice: false, padding: 12 }, axis: { values: ns, format: '~g' } };
  const y = { field: 'variance', type: 'quantitative', title: 'variance of the estimate (trace)', scale: { type: 'log', domain: [lo, hi], nice: false, padding: 10 }, axis: { values: logTicks(lo, hi), format: '~g' } };
  const color = { field: 'estimator', type: 'nominal', title: 'estimator', scale: { domain: estimators, range: estimators.map((_, i) => PALETTE[i % PALETTE.length]) }, legend: { symbolType: 'stroke', symbolSize: 300, symbolOpacity: 1 } };
  return {
    ...frame(input.title ?? 'variance of a mean of N estimates', [`dashed: slope N${sup('-1')} through each estimator's first point`, ...overlapNotes(same, 'N')]),
    data: { values: rows },
    width: size.width,
    height: size.height,
    layer: [
      {
        transform: [{ filter: `datum.kind === '${slope}'` }],
        mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1, opacity: 0.7 },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: "datum.kind === 'measured'" }],
        mark: { type: 'line', point: { filled: true, size: 36 } },
        encoding: { x, y, color, strokeDash: { field: 'dashed', type: 'nominal', legend: null, scale: { domain: ['solid', 'dashed'], range: [DASHES[0], DASHES[1]] } } },
      },
    ],
  } as TopLevelSpec;
}
