/**
 * The score-function estimator (REINFORCE, Williams 1992): ∇ E_q[f] = E_q[f ∇ log q], as the
 * surrogate term log q(z) · stop(signal − b) with a moving-average baseline b (Pyro's
 * baseline_beta). Under the ELBO the signal is Rao-Blackwellized to the costs downstream of the
 * site (Schulman et al. 2015; Pyro's TraceGraph_ELBO); under iwae it is the bound. Always legal:
 * the fallback when nothing else applies.
 */
import { noSampler } from './pathwise';
import type { EstimatorRule } from './rule';

export const score: EstimatorRule = {
  name: 'score',
  title: 'score function with a baseline',
  reference: 'Williams 1992',
  aliases: ['reinforce'],
  draw: 'sample',
  detachQ: false,
  score: { baseline: 'moving-average' },
  reweightPath: false,
  pathwiseDescendants: false,
  kl: null,
  objectives: ['elbo', 'iwae', 'expectation'],
  conditions: 'always',
  refuse: () => undefined,
  auto: (f) => `${noSampler(f)}; score function with a moving-average baseline`,
};
