/**
 * VIMCO (Mnih & Rezende 2016): the score function of the IWAE bound with a per-particle
 * leave-one-out baseline, Σ_k log q(z_k) · stop(IWAE − IWAE_{−k}), where IWAE_{−k} replaces
 * log w_k by the mean of the other K − 1 log-weights. The automatic choice for sites without a
 * reparameterized sampler under iwae(k ≥ 2), unless another site is enumerated.
 */
import { besideEnumeration, noSampler, refused } from './pathwise';
import type { EstimatorRule } from './rule';

export const vimco: EstimatorRule = {
  name: 'vimco',
  title: 'VIMCO leave-one-out baselines',
  reference: 'Mnih & Rezende 2016',
  aliases: [],
  draw: 'sample',
  detachQ: false,
  score: { baseline: 'leave-one-out' },
  reweightPath: false,
  pathwiseDescendants: false,
  kl: null,
  objectives: ['iwae'],
  scope: 'an estimator of the IWAE bound',
  conditions: '`iwae(k)` with k ≥ 2 (VAE505 otherwise); no other site enumerated',
  refuse(f) {
    const beside = besideEnumeration('vimco', f);
    if (beside) return beside;
    if (f.objective.kind === 'expectation') return { code: 'VAE505', problem: { kind: 'bound-estimator-on-expectation', ...refused('vimco', f), bound: 'iwae' } };
    if (f.objective.kind !== 'iwae' || f.objective.k < 2) return { code: 'VAE505', problem: { kind: 'needs-iwae', ...refused('vimco', f), minK: 2, alternative: 'score' } };
    return undefined;
  },
  auto: (f) => (f.objective.kind === 'iwae' && f.objective.k > 1 && !f.enumerated ? `${noSampler(f)}; VIMCO leave-one-out baselines under iwae` : undefined),
};
