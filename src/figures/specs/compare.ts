/**
 * `vae compare`'s figure (compare.svg / compare.png): the validation ELBO and the training bound
 * (each model's own objective: ELBO, or IWAE-K) against the epoch, one colour per model.
 *
 * Contract of `compareSpec`. Models keep their order (and the palette's colours in it). A model
 * whose curve in a panel overlaps an earlier model's (same epochs, values within 1.5% of the
 * panel's y range: it would hide it) is drawn dashed over it, and the subtitle names the pair,
 * so no curve is hidden without a word. Points are marked when no model has more than 30 epochs. The validation
 * panel is left out when no model has validation values; returns null when no model has epochs.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../../metrics/records';
import { DASHES, PALETTE, panelSize, type PanelSize } from '../theme';
import { finite, frame, overlapNotes, overlaps, type XySeries } from './common';

export interface CompareCurve {
  readonly model: string;
  readonly history: readonly Pick<EpochRecord, 'epoch' | 'trainElbo' | 'validElbo'>[];
}

export interface CompareInput {
  readonly curves: readonly CompareCurve[];
  readonly title?: string;
  readonly size?: PanelSize;
}

type PanelKey = 'valid' | 'train';

const TITLES: Readonly<Record<PanelKey, string>> = {
  valid: 'validation ELBO (nats per example)',
  train: "training bound (each model's objective: ELBO or IWAE-K)",
};

export function compareSpec(input: CompareInput): TopLevelSpec | null {
  if (input.curves.every((c) => c.history.length === 0)) return null;
  const size = panelSize(input.size);
  const models = input.curves.map((c) => c.model);
  const few = Math.max(...input.curves.map((c) => c.history.length)) <= 30;
  const pick: Readonly<Record<PanelKey, (r: CompareCurve['history'][number]) => number | null>> = { valid: (r) => r.validElbo, train: (r) => r.trainElbo };
  const keys = (['valid', 'train'] as const).filter((k) => input.curves.some((c) => c.history.some((r) => finite(pick[k](r)) !== null)));
  const notes: string[] = [];
  const rows: { panel: PanelKey; model: string; epoch: number; y: number | null; dashed: string }[] = [];
  for (const k of keys) {
    const series: XySeries[] = input.curves.map((c) => ({ name: c.model, points: c.history.map((r) => [r.epoch, finite(pick[k](r))] as const) }));
    const same = overlaps(series);
    notes.push(...overlapNotes(same, 'epoch', k === 'valid' ? 'validation' : 'training'));
    for (const s of series) for (const [epoch, y] of s.points) rows.push({ panel: k, model: s.name, epoch, y, dashed: same.has(s.name) ? 'dashed' : 'solid' });
  }
  const color = { field: 'model', type: 'nominal', title: null, scale: { domain: models, range: models.map((_, i) => PALETTE[i % PALETTE.length]) }, legend: { orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', symbolSize: 300, columns: Math.min(models.length, 4) } };
  const strokeDash = { field: 'dashed', type: 'nominal', legend: null, scale: { domain: ['solid', 'dashed'], range: [DASHES[0], DASHES[1]] } };
  const epochs = rows.map((r) => r.epoch);
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs);
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi], nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  const panels = keys.map((k) => ({
    title: TITLES[k],
    width: size.width,
    height: size.height,
    transform: [{ filter: `datum.panel === '${k}'` }],
    mark: { type: 'line', invalid: 'break-paths-show-domains', point: few ? { filled: true, size: 30 } : false },
    encoding: { x, y: { field: 'y', type: 'quantitative', title: null, scale: { zero: false, nice: true } }, color, strokeDash, detail: { field: 'model' } },
  }));
  return {
    ...frame(input.title ?? 'training curves', notes),
    data: { values: rows },
    hconcat: panels,
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
