/**
 * Enumeration: the exact expectation over a finite support, every value on its own batch axis
 * (Pyro's parallel enumeration; Kingma et al. 2014 for M2's label). Terms are weighted by q of
 * the configuration (ELBO) or summed inside the log-weight (IWAE); the gradient is exact.
 */
import { MAX_ENUMERATE } from '../../distributions/schema';
import { refused } from './pathwise';
import type { EstimatorRule } from './rule';

/** The largest support chosen for enumeration automatically (an explicit `@enumerate` allows MAX_ENUMERATE). */
export const AUTO_ENUMERATE_LIMIT = 64;

export const enumerate: EstimatorRule = {
  name: 'enumerate',
  title: 'exact sum over the support',
  reference: 'Kingma et al. 2014',
  aliases: ['parallel', 'config_enumerate'],
  draw: 'enumerate',
  detachQ: false,
  score: null,
  reweightPath: false,
  pathwiseDescendants: false,
  kl: { kl: 'exact', reason: 'summed over the enumerated support' },
  objectives: ['elbo', 'iwae', 'expectation'],
  conditions: `a discrete site with at most ${MAX_ENUMERATE} values (VAE502, VAE503)`,
  refuse(f) {
    const g = f.site;
    const n = f.supportSize;
    if (!f.discrete || n === undefined) {
      return { code: 'VAE502', problem: { kind: 'continuous-not-enumerable', ...refused('enumerate', f), family: g.spec.name, reparameterizable: g.spec.reparam } };
    }
    if (n > MAX_ENUMERATE) return { code: 'VAE503', problem: { kind: 'support-too-large', ...refused('enumerate', f), size: n, limit: MAX_ENUMERATE } };
    return undefined;
  },
  auto: (f) => (f.site.spec.discrete && f.supportSize !== undefined && f.supportSize <= AUTO_ENUMERATE_LIMIT ? `finite support of ${f.supportSize}, summed exactly` : undefined),
};
