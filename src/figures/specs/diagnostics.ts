/**
 * The optimization diagnostics of a run (diagnostics.svg / diagnostics.png), from the step lines
 * of metrics.jsonl: the loss, the gradient norm (log scale), β, the learning rate and the
 * throughput, each against the step, in small multiples.
 *
 * Contract of `diagnosticsSpec`. Noisy series (loss, gradient norm, throughput) are drawn raw
 * and light, with a trailing moving average over about 2% of the lines (at least 5) on top when
 * there are more than 50 lines. Non-finite values are gaps (a divergence shows where it
 * started); gradient norms that were not computed (null) are skipped. When lines average several
 * steps (`vae train --log-every N`) the subtitle says so. Returns null without step lines.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricsRecord, StepRecord } from '../../metrics/records';
import { PALETTE, panelSize, type PanelSize } from '../theme';
import { finite, frame, logTicks, robustDomain } from './common';

export interface DiagnosticsInput {
  readonly records: readonly MetricsRecord[];
  readonly title?: string;
  /** Plot-area size of each panel. */
  readonly size?: PanelSize;
}

interface Metric {
  readonly field: keyof StepRecord;
  readonly title: string;
  readonly color: string;
  readonly noisy: boolean;
  readonly log?: boolean;
  readonly zero?: boolean;
}

const METRICS: readonly Metric[] = [
  { field: 'loss', title: 'loss (the minimized objective)', color: PALETTE[0], noisy: true },
  { field: 'gradNorm', title: 'gradient norm ‖∇ loss‖₂', color: PALETTE[2], noisy: true, log: true },
  { field: 'beta', title: 'KL weight β', color: PALETTE[4], noisy: false, zero: true },
  { field: 'lr', title: 'learning rate', color: PALETTE[6], noisy: false, zero: true },
  { field: 'examplesPerSec', title: 'throughput (examples/s)', color: PALETTE[8], noisy: true, zero: true },
];

/** The moving-average window for n lines. */
export function smoothingWindow(n: number): number {
  return Math.max(5, Math.round(n / 50));
}

function panel(m: Metric, steps: readonly StepRecord[], size: { width: number; height: number }): { spec: object; clipped: boolean } {
  const values = steps.map((s) => finite(s[m.field] as number));
  const positive = values.filter((v): v is number => v !== null && v > 0);
  const log = m.log === true && positive.length > 0;
  const { domain, clipped } = m.noisy && !log ? robustDomain(values) : { domain: null, clipped: false };
  const field = m.field as string;
  const x = { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false, zero: false } };
  const top = Math.max(0, ...values.filter((v): v is number => v !== null));
  // Zero-based panels of a constant (β, the learning rate) leave room above the line.
  const zeroDomain = m.zero === true && !domain && top > 0 ? { domain: [0, 1.1 * top] } : {};
  const logScale = log ? { type: 'log', domain: [Math.min(...positive), Math.max(...positive)], nice: false, padding: 4 } : { zero: m.zero === true, nice: true };
  const axis = log ? { axis: { values: logTicks(Math.min(...positive), Math.max(...positive)), format: '~g' } } : {};
  const y = { field, type: 'quantitative', title: null, scale: { ...logScale, ...(domain ? { domain } : zeroDomain) }, ...axis };
  const filter = log ? [{ filter: `isValid(datum.${field}) && datum.${field} > 0` }] : [];
  const smooth = m.noisy && steps.length > 50;
  const w = smoothingWindow(steps.length);
  const layers: object[] = [
    {
      transform: filter,
      mark: { type: 'line', color: m.color, strokeWidth: 1, opacity: smooth ? 0.35 : 1, clip: true, invalid: 'break-paths-show-domains', ...(steps.length <= 30 ? { point: { filled: true, size: 24, color: m.color } } : {}) },
      encoding: { x, y },
    },
  ];
  if (smooth) {
    layers.push({
      transform: [...filter, { window: [{ op: 'mean', field, as: `${field}Mean` }], frame: [-(w - 1), 0], sort: [{ field: 'step' }] }],
      mark: { type: 'line', color: m.color, strokeWidth: 1.8, clip: true },
      encoding: { x, y: { ...y, field: `${field}Mean` } },
    });
  }
  return { spec: { title: m.title, width: size.width, height: size.height, layer: layers }, clipped };
}

/** The diagnostics figure of a run; see the module comment. */
export function diagnosticsSpec(input: DiagnosticsInput): TopLevelSpec | null {
  const steps = input.records.filter((r): r is StepRecord => r.kind === 'step');
  if (steps.length === 0) return null;
  const size = panelSize(input.size);
  const panels = METRICS.map((m) => panel(m, steps, size));
  const every = Math.max(...steps.map((s) => s.steps));
  const smooth = steps.length > 50;
  const subtitle = [
    `${steps.length} step ${steps.length === 1 ? 'line' : 'lines'}${every > 1 ? `, each the mean of up to ${every} steps (the gradient norm: the last step's)` : ', one per step'}${smooth ? `; dark lines: moving average over ${smoothingWindow(steps.length)} lines` : ''}`,
    ...(panels.some((p) => p.clipped) ? ['the first steps are off the y scale (an initial transient)'] : []),
  ];
  return {
    ...frame(`${input.title ? `${input.title}: ` : ''}optimization diagnostics`, subtitle),
    data: { values: steps.map((s) => ({ step: s.step, loss: finite(s.loss), gradNorm: finite(s.gradNorm), beta: finite(s.beta), lr: finite(s.lr), examplesPerSec: finite(s.examplesPerSec) })) },
    concat: panels.map((p) => p.spec),
    columns: 3,
    resolve: { scale: { y: 'independent', x: 'independent' } },
  } as TopLevelSpec;
}
