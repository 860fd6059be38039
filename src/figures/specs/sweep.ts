/**
 * `vae sweep`'s figure (sweep.svg / sweep.png): one row per cell, each seed's value as a small
 * dot, the mean over seeds as a bar end with ± one standard error as a rule. One panel per
 * metric (held-out log p(x) or ELBO, and accuracy when the models classify). Cells keep their
 * order. Returns null when no cell has a finished run. Browser-safe: data in, spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PALETTE, panelSize, type PanelSize } from '../theme';
import { frame } from './common';

export interface SweepPoint {
  readonly cell: string;
  readonly metric: string;
  readonly seed: number;
  readonly value: number;
}

export interface SweepSummaryPoint {
  readonly cell: string;
  readonly metric: string;
  readonly mean: number;
  /** Standard error over seeds (0 with one seed). */
  readonly se: number;
  readonly n: number;
}

export interface SweepInput {
  readonly cells: readonly string[];
  readonly metrics: readonly string[];
  readonly points: readonly SweepPoint[];
  readonly summary: readonly SweepSummaryPoint[];
  readonly title?: string;
  readonly size?: PanelSize;
}

export function sweepSpec(input: SweepInput): TopLevelSpec | null {
  if (input.points.length === 0) return null;
  const size = panelSize(input.size);
  const height = Math.max(60, Math.min(size.height * 2, 22 * input.cells.length + 20));
  const y = { field: 'cell', type: 'nominal', title: null, sort: input.cells, axis: { labelLimit: 260 } };
  const panels = input.metrics.map((metric, i) => ({
    title: metric,
    width: size.width,
    height,
    layer: [
      {
        data: { values: input.summary.filter((s) => s.metric === metric).map((s) => ({ ...s, lo: s.mean - s.se, hi: s.mean + s.se })) },
        mark: { type: 'rule', strokeWidth: 2, color: PALETTE[i % PALETTE.length] },
        encoding: { y, x: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false, nice: true } }, x2: { field: 'hi' } },
      },
      {
        data: { values: input.summary.filter((s) => s.metric === metric) },
        mark: { type: 'tick', thickness: 2, size: 14, color: PALETTE[i % PALETTE.length] },
        encoding: { y, x: { field: 'mean', type: 'quantitative' } },
      },
      {
        data: { values: input.points.filter((p) => p.metric === metric) },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.55, color: '#333333' },
        encoding: { y, x: { field: 'value', type: 'quantitative' } },
      },
    ],
  }));
  return {
    ...frame(input.title ?? 'sweep', ['mean over seeds (tick) ± one standard error (bar); dots: single seeds']),
    hconcat: panels,
  } as TopLevelSpec;
}
