/**
 * The training curves of a run (curves.svg / curves.png): the training bound and the validation
 * ELBO in one panel, the KL in the other, from the records of metrics.jsonl.
 *
 * Contract of `curvesSpec`.
 *  - A short run (fewer than SHORT_RUN_EPOCHS epoch lines, and step lines present) is drawn per
 *    step: the training values of every step line, the validation values at the step each epoch
 *    ended.
 *  - A longer run is drawn per epoch: the epoch means as lines with points, over a light
 *    underlay of the step lines placed at their fractional epoch (`epoch` = step / steps per
 *    epoch), so the spread within an epoch stays visible.
 *  - Runs written before step lines existed (epoch lines only) are drawn per epoch.
 *  - Non-finite values are gaps. When an initial transient spans more than three times the range
 *    of the rest, the y axis shows the rest and the subtitle says so.
 *  - Returns null when the records hold nothing to draw.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord, MetricsRecord, StepRecord } from '../../metrics/records';
import { PALETTE, panelSize, type PanelSize } from '../theme';
import { finite, frame, robustDomain } from './common';

/** Runs with fewer epoch lines than this (and step lines) are drawn per step. */
export const SHORT_RUN_EPOCHS = 5;

export interface CurvesInput {
  readonly records: readonly MetricsRecord[];
  /** What the figure is of, e.g. the program's file name. */
  readonly title?: string;
  /** The training bound's name: 'ELBO' (default) or e.g. 'IWAE-5'. */
  readonly bound?: string;
  /** Plot-area size of each of the two panels. */
  readonly size?: PanelSize;
}

const SERIES = { steps: 'train, per step', train: 'train, epoch mean', valid: 'valid' } as const;
const LIGHT_BLUE = '#a6c3e0';
const DASH: Readonly<Record<string, number[]>> = { [SERIES.steps]: [1, 0], [SERIES.train]: [1, 0], [SERIES.valid]: [6, 3] };

interface Row {
  readonly panel: 'bound' | 'kl';
  readonly series: string;
  readonly x: number;
  readonly y: number | null;
}

/** 'per step' or 'per epoch', with the reason, for a run's records. */
export function curvesMode(records: readonly MetricsRecord[]): 'step' | 'epoch' {
  const steps = records.filter((r) => r.kind === 'step').length;
  const epochs = records.filter((r) => r.kind === 'epoch').length;
  return steps > 0 && epochs < SHORT_RUN_EPOCHS ? 'step' : 'epoch';
}

function rows(steps: readonly StepRecord[], epochs: readonly EpochRecord[], mode: 'step' | 'epoch'): Row[] {
  const out: Row[] = [];
  const add = (panel: Row['panel'], series: string, x: number, y: number | null) => out.push({ panel, series, x, y: finite(y) });
  for (const s of steps) {
    add('bound', SERIES.steps, mode === 'step' ? s.step : s.epoch, s.elbo);
    add('kl', SERIES.steps, mode === 'step' ? s.step : s.epoch, s.kl);
  }
  for (const e of epochs) {
    const x = mode === 'step' ? e.step : e.epoch;
    if (mode === 'epoch') {
      add('bound', SERIES.train, x, e.trainElbo);
      add('kl', SERIES.train, x, e.kl);
    }
    if (e.validElbo !== null) add('bound', SERIES.valid, x, e.validElbo);
    if (e.validKl !== null) add('kl', SERIES.valid, x, e.validKl);
  }
  return out;
}

function panel(data: readonly Row[], which: Row['panel'], mode: 'step' | 'epoch', title: string, xTitle: string, size: { width: number; height: number }, xDomain: [number, number] | undefined): { spec: object; clipped: boolean } {
  const mine = data.filter((r) => r.panel === which);
  const ordered = [...mine].sort((a, b) => a.x - b.x).map((r) => r.y);
  const { domain, clipped } = robustDomain(ordered);
  const series = [...new Set(mine.map((r) => r.series))];
  const domainOrder = Object.values(SERIES).filter((s) => series.includes(s));
  // Per step, the step lines are the curve (full colour); per epoch, they are the light underlay.
  const colors: Record<string, string> = { [SERIES.steps]: mode === 'step' ? PALETTE[0] : LIGHT_BLUE, [SERIES.train]: PALETTE[0], [SERIES.valid]: PALETTE[1] };
  const legend = { orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 300 };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: domainOrder, range: domainOrder.map((s) => colors[s]) }, legend };
  const strokeDash = { field: 'series', type: 'nominal', title: null, scale: { domain: domainOrder, range: domainOrder.map((s) => DASH[s]) }, legend };
  const x = { field: 'x', type: 'quantitative', title: xTitle, ...(xDomain ? { scale: { domain: xDomain, nice: false } } : {}) };
  const y = { field: 'y', type: 'quantitative', title: null, scale: { zero: false, nice: true, ...(domain ? { domain } : {}) } };
  const few = mine.filter((r) => r.series !== SERIES.steps).length <= 60;
  const layers: object[] = [];
  if (series.includes(SERIES.steps)) {
    layers.push({
      transform: [{ filter: `datum.panel === '${which}' && datum.series === '${SERIES.steps}'` }],
      mark: { type: 'line', strokeWidth: mode === 'step' ? 1.5 : 1, clip: true, invalid: 'break-paths-show-domains' },
      encoding: { x, y, color, strokeDash },
    });
  }
  for (const s of [SERIES.train, SERIES.valid]) {
    if (!series.includes(s)) continue;
    layers.push({
      transform: [{ filter: `datum.panel === '${which}' && datum.series === '${s}'` }],
      mark: { type: 'line', clip: true, invalid: 'break-paths-show-domains', point: few ? { filled: true, size: 30 } : false },
      encoding: { x, y, color, strokeDash },
    });
  }
  return { spec: { title, width: size.width, height: size.height, layer: layers }, clipped };
}

/** The training-curves figure of a run; see the module comment. */
export function curvesSpec(input: CurvesInput): TopLevelSpec | null {
  const steps = input.records.filter((r): r is StepRecord => r.kind === 'step');
  const epochs = input.records.filter((r): r is EpochRecord => r.kind === 'epoch');
  if (steps.length === 0 && epochs.length === 0) return null;
  const mode = curvesMode(input.records);
  const data = rows(steps, epochs, mode);
  const size = panelSize(input.size);
  const xs = data.map((r) => r.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  // A single x (one epoch line): a unit-wide axis around it instead of a degenerate one.
  const xDomain: [number, number] | undefined = lo === hi ? [lo - 0.5, hi + 0.5] : mode === 'epoch' ? [Math.min(0, lo), hi] : undefined;
  const bound = input.bound ?? 'ELBO';
  const xTitle = mode === 'step' ? 'step' : 'epoch';
  const left = panel(data, 'bound', mode, bound === 'ELBO' ? 'ELBO (nats per example)' : `bound (nats per example): train ${bound}, valid ELBO`, xTitle, size, xDomain);
  const right = panel(data, 'kl', mode, 'KL(q(z|x) ‖ p(z)) (nats per example)', xTitle, size, xDomain);
  const every = steps.length > 0 ? Math.max(...steps.map((s) => s.steps)) : 1;
  const subtitle = [
    mode === 'step'
      ? `per step: ${steps.length} step ${steps.length === 1 ? 'line' : 'lines'}${every > 1 ? ` (each the mean of ${every} steps)` : ''}${epochs.length > 0 ? `, validation at the end of each epoch` : ''}`
      : steps.length > 0
        ? `per epoch (epoch means), over the per-step values in light blue`
        : 'per epoch',
    ...(left.clipped || right.clipped ? ['the first steps are off the y scale (an initial transient)'] : []),
  ];
  return {
    ...frame(`${input.title ? `${input.title}: ` : ''}training curves`, subtitle),
    data: { values: data.map((r) => ({ ...r })) },
    hconcat: [left.spec, right.spec],
    resolve: { scale: { color: 'shared', y: 'independent' } },
  } as TopLevelSpec;
}
