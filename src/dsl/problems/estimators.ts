/**
 * VAE5xx, estimators: the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type EstimatorProblem =
  /** VAE501-505: an estimator rule refused a site (src/inference/estimators/). */
  { readonly kind: 'estimator-refused'; readonly site: string; readonly estimator: string; readonly via: 'annotation' | 'cli'; readonly objective: string };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const ESTIMATOR_KINDS: Record<EstimatorProblem['kind'], true> = { 'estimator-refused': true };

export function renderEstimators(p: EstimatorProblem): Rendered {
  switch (p.kind) {
    case 'estimator-refused':
      return rendered(`${p.via === 'cli' ? `--estimator ${p.site}=${p.estimator}: ` : ''}\`${p.estimator}\` cannot estimate \`${p.site}\` under ${p.objective}`);
  }
}
