/**
 * Sticking the landing (Roeder, Wu & Duvenaud 2017): the ELBO's path derivative with log q
 * evaluated at detached guide parameters, which drops the score term (zero in expectation) and
 * so the variance it adds near the optimum. Its KL is sampled: the point is log q at the sample.
 */
import { pathwiseRefusal, refused } from './pathwise';
import type { EstimatorRule } from './rule';

export const stl: EstimatorRule = {
  name: 'stl',
  title: 'sticking the landing, the ELBO path derivative',
  reference: 'Roeder et al. 2017',
  aliases: [],
  draw: 'rsample',
  detachQ: true,
  score: null,
  reweightPath: false,
  pathwiseDescendants: false,
  kl: { kl: 'mc', reason: 'stl evaluates log q at the sample' },
  objectives: ['elbo'],
  scope: 'the ELBO path-derivative estimator',
  counterpart: 'dreg',
  conditions: 'reparameterizable sites under `elbo` (VAE505 under `iwae`) whose guide distribution reads no other reparameterized site',
  refuse: (f) =>
    pathwiseRefusal('stl', true, f, () =>
      f.objective.kind === 'iwae' ? { code: 'VAE505', problem: { kind: 'elbo-estimator-under-iwae', ...refused('stl', f), counterpart: 'dreg' } } : undefined,
    ),
};
