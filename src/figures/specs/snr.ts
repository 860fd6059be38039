/**
 * `vae estimators --sweep K`'s figure: the signal-to-noise ratio of the gradient estimate
 * against the IWAE's K, for the guide's and for the model's parameters (Rainforth et al. 2018,
 * "Tighter variational bounds are not necessarily better"), log-log.
 *
 * Contract of `snrSpec`.
 *  - Two panels (guide, model) share one x scale whose ticks are exactly the swept K values, and
 *    one y scale, so both are read the same way.
 *  - Each estimator is a line with points. A dashed gray reference of slope K⁻¹ᐟ² (guide) or
 *    K¹ᐟ² (model) runs through the first estimator's first point (labelled at the middle of the K
 *    range), and a dotted gray line marks
 *    the SNR that noise alone gives a component with E[g] = 0, E|ḡ|/s ≈ √(2/π)/√S for S draws;
 *    both are labelled on the chart.
 *  - An estimator whose line overlaps an earlier one's in a panel (within 1.5% of the axis at
 *    every K, e.g. DReG's and the plain IWAE gradient of the model's parameters, which are the
 *    same estimator) is drawn dashed over it, and the subtitle says so.
 *  - Returns null when there is no finite positive SNR to draw.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DASHES, LIGHT_GRAY, PALETTE, REFERENCE_GRAY, panelSize, type PanelSize } from '../theme';
import { frame, logTicks, overlapNotes, overlaps, sup, type XySeries } from './common';

export interface SnrPoint {
  readonly panel: 'guide' | 'model';
  /** The estimator's name with K generic, e.g. 'iwae:K+dreg'. */
  readonly estimator: string;
  readonly k: number;
  /** Mean over components of |E[g_j]| / sd[g_j]; null when nothing varies. */
  readonly snr: number | null;
}

export interface SnrInput {
  readonly points: readonly SnrPoint[];
  /** Draws per estimate (S), for the noise floor. */
  readonly draws: number;
  readonly title?: string;
  readonly size?: PanelSize;
}

const PANELS = { guide: "guide's parameters", model: "model's parameters" } as const;

export function snrSpec(input: SnrInput): TopLevelSpec | null {
  const ok = input.points.filter((p) => p.snr !== null && Number.isFinite(p.snr) && p.snr > 0 && p.k > 0);
  if (ok.length === 0) return null;
  const size = panelSize(input.size);
  const ks = [...new Set(ok.map((p) => p.k))].sort((a, b) => a - b);
  const estimators = [...new Set(input.points.map((p) => p.estimator))];
  const panels = (['guide', 'model'] as const).filter((s) => ok.some((p) => p.panel === s));
  const floor = Math.sqrt(2 / Math.PI / input.draws);
  const rows: Record<string, unknown>[] = [];
  const labels: Record<string, unknown>[] = [];
  const bySide = new Map<'guide' | 'model', XySeries[]>();
  for (const side of panels) {
    const series: XySeries[] = estimators
      .map((e) => ({ name: e, points: ok.filter((p) => p.panel === side && p.estimator === e).sort((a, b) => a.k - b.k).map((p) => [p.k, p.snr] as const) }))
      .filter((s) => s.points.length > 0);
    bySide.set(side, series);
    const first = series[0]!.points[0]!;
    const power = side === 'guide' ? -0.5 : 0.5;
    const slopeName = `∝ K${sup(side === 'guide' ? '-1/2' : '1/2')}`;
    for (const k of ks) rows.push({ panel: PANELS[side], series: slopeName, k, snr: first[1]! * (k / first[0]) ** power, role: 'slope' });
    for (const k of ks) rows.push({ panel: PANELS[side], series: 'noise floor', k, snr: floor, role: 'floor' });
    const kMax = ks[ks.length - 1]!;
    const kMid = Math.sqrt(ks[0]! * kMax);
    labels.push({ panel: PANELS[side], k: kMid, snr: first[1]! * (kMid / first[0]) ** power, text: slopeName, role: 'label', align: 'center' });
    labels.push({ panel: PANELS[side], k: kMax, snr: floor, text: `noise floor √(2/π)/√S, S = ${input.draws}`, role: 'label', align: 'right' });
  }
  const all = [...rows, ...labels, ...ok].map((r) => r['snr' as keyof typeof r] as number).filter((v) => v > 0);
  const yLo = Math.min(...all);
  const yHi = Math.max(...all);
  // Overlaps are judged against the shared y axis, which the references stretch.
  const notes: string[] = [];
  for (const [side, series] of bySide) {
    const same = overlaps(series, { log: true, span: Math.log(yHi / yLo) });
    notes.push(...overlapNotes(same, 'K', PANELS[side]));
    for (const s of series) for (const [k, snr] of s.points) rows.push({ panel: PANELS[side], series: s.name, k, snr, dashed: same.has(s.name) ? 'dashed' : 'solid', role: 'estimator' });
  }
  const x = { field: 'k', type: 'quantitative', title: 'K (importance samples)', scale: { type: 'log', domain: [ks[0], ks[ks.length - 1]], nice: false, padding: 12 }, axis: { values: ks, format: '~g', grid: true } };
  const y = { field: 'snr', type: 'quantitative', title: 'SNR (mean over components)', scale: { type: 'log', domain: [yLo, yHi], nice: false, padding: 10 }, axis: { values: logTicks(yLo, yHi), format: '~g' } };
  const color = { field: 'series', type: 'nominal', title: 'estimator', scale: { domain: estimators, range: estimators.map((_, i) => PALETTE[i % PALETTE.length]) }, legend: { symbolType: 'stroke', symbolSize: 300, symbolOpacity: 1 } };
  const facetSpec = {
    width: size.width,
    height: size.height,
    layer: [
      {
        transform: [{ filter: "datum.role === 'floor'" }],
        mark: { type: 'line', color: LIGHT_GRAY, strokeDash: [2, 3], strokeWidth: 1.2 },
        encoding: { x, y, detail: { field: 'series' } },
      },
      {
        transform: [{ filter: "datum.role === 'slope'" }],
        mark: { type: 'line', color: REFERENCE_GRAY, strokeDash: [6, 4], strokeWidth: 1.2 },
        encoding: { x, y, detail: { field: 'series' } },
      },
      {
        transform: [{ filter: "datum.role === 'estimator'" }],
        mark: { type: 'line', point: { filled: true, size: 36 } },
        encoding: { x, y, color, strokeDash: { field: 'dashed', type: 'nominal', legend: null, scale: { domain: ['solid', 'dashed'], range: [DASHES[0], DASHES[1]] } } },
      },
      ...(['center', 'right'] as const).map((align) => ({
        transform: [{ filter: `datum.role === 'label' && datum.align === '${align}'` }],
        mark: { type: 'text', align, dy: -8, fontSize: 10, color: REFERENCE_GRAY },
        encoding: { x, y, text: { field: 'text' } },
      })),
    ],
  };
  return {
    ...frame(`${input.title ? `${input.title}: ` : ''}gradient SNR against K`, notes),
    data: { values: [...rows, ...labels] },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: panels.map((p) => PANELS[p]), header: { labelFontSize: 13, labelAnchor: 'start' } } },
    spec: facetSpec,
    resolve: { scale: { x: 'shared', y: 'shared' } },
  } as TopLevelSpec;
}
