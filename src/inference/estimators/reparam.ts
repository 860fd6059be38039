/**
 * Reparameterization (Kingma & Welling 2013; Rezende, Mohamed & Wierstra 2014): z = g(ε, φ) with
 * ε drawn from a fixed distribution, and the objective differentiated through the draw.
 * Families without a closed-form inverse use implicit reparameterization gradients (Figurnov et
 * al. 2018). The automatic choice whenever the guide's family has such a sampler.
 */
import { pathwiseRefusal } from './pathwise';
import type { EstimatorRule } from './rule';

export const reparam: EstimatorRule = {
  name: 'reparam',
  title: 'reparameterization',
  reference: 'Kingma & Welling 2013',
  aliases: ['rsample', 'reparameterize'],
  draw: 'rsample',
  detachQ: false,
  score: null,
  reweightPath: false,
  pathwiseDescendants: false,
  kl: null,
  objectives: ['elbo', 'iwae', 'expectation'],
  conditions: 'the family has a reparameterized sampler; not on discrete sites (VAE501, VAE504)',
  refuse: (f) => pathwiseRefusal('reparam', false, f, () => undefined),
  auto: (f) => (f.site.spec.reparam ? `${f.site.spec.name} has a reparameterized sampler` : undefined),
};
