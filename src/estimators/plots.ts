/**
 * The sweep figures of `vae estimators` as Vega-Lite specs (src/figures/specs/snr.ts and
 * variance.ts) from the report rows:
 *  - K sweep: SNR of the guide's and of the model's parameters against K, one line per estimator,
 *    with reference slopes K⁻¹ᐟ² and K¹ᐟ² (Rainforth et al. 2018) and the noise floor;
 *  - N sweep: total variance of the averaged estimate against N, one line per estimator, with a
 *    slope N⁻¹ through each line's first point (the lecture's simulation).
 */
import type { TopLevelSpec } from 'vega-lite';
import { snrSpec, type SnrPoint } from '../figures/specs/snr';
import { varianceSpec } from '../figures/specs/variance';
import type { Row } from './report';

/** The estimator's name with the swept K made generic: iwae:5+dreg → iwae:K+dreg. */
const generic = (estimator: string): string => estimator.replace(/^iwae:\d+/, 'iwae:K');

/** SNR against K for the guide's and the model's parameters (null when nothing is drawable). */
export function snrVsKChart(rows: readonly Row[], title: string): TopLevelSpec | null {
  const points: SnrPoint[] = rows
    .filter((r) => r.kind === 'side' && (r.group === 'guide' || r.group === 'model') && r.k !== undefined)
    .map((r) => ({ panel: r.group as 'guide' | 'model', estimator: generic(r.estimator), k: r.k!, snr: r.snr }));
  return snrSpec({ points, draws: rows[0]?.draws ?? 1, title });
}

/** Total variance of the N-sample average against N (null when nothing is drawable). */
export function varianceVsNChart(rows: readonly Row[], title: string): TopLevelSpec | null {
  const points = rows.filter((r) => r.kind === 'all' && r.n !== undefined).map((r) => ({ estimator: r.estimator, n: r.n!, variance: r.variance }));
  return varianceSpec({ points, title });
}
