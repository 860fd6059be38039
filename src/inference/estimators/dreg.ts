/**
 * Doubly reparameterized gradients (Tucker, Lawson, Gu & Maddison 2018) for the IWAE bound: log q
 * at detached guide parameters, and the path derivative through each particle's draw weighted
 * once more by its normalized weight w̃_k, giving Σ_k w̃_k² ∂log w_k/∂z_k ∂z_k/∂φ for the guide.
 * The identity behind it differentiates w̃ through the descendants' draws, so every guide site
 * drawn from a `dreg` site must be drawn with a path derivative too.
 */
import { besideEnumeration, pathwiseRefusal, refused } from './pathwise';
import type { EstimatorRule } from './rule';

export const dreg: EstimatorRule = {
  name: 'dreg',
  title: 'doubly reparameterized gradients',
  reference: 'Tucker et al. 2018',
  aliases: [],
  draw: 'rsample',
  detachQ: true,
  score: null,
  reweightPath: true,
  pathwiseDescendants: true,
  kl: null,
  objectives: ['iwae'],
  scope: 'an estimator of the IWAE bound',
  counterpart: 'stl',
  conditions: 'reparameterizable sites under `iwae(k)` with k ≥ 2 (VAE505 under `elbo`) whose guide distribution reads no other reparameterized site and whose guide descendants are reparameterized; no other site enumerated',
  refuse: (f) =>
    besideEnumeration('dreg', f) ??
    pathwiseRefusal('dreg', true, f, () =>
      f.objective.kind !== 'iwae' || f.objective.k < 2 ? { code: 'VAE505', problem: { kind: 'needs-iwae', ...refused('dreg', f), minK: 2, alternative: 'stl' } } : undefined,
    ),
};
