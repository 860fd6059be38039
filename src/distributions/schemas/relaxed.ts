/**
 * Schemas of the Concrete / Gumbel-softmax relaxations: continuous, reparameterized stand-ins
 * for Bernoulli and OneHotCategorical (Maddison, Mnih & Teh 2017; Jang, Gu & Poole 2017).
 */
import { SUPPORT, type FamilySchema } from '../schema';

const REFERENCE = 'Maddison, Mnih & Teh, The Concrete Distribution, ICLR 2017; Jang, Gu & Poole, Gumbel-Softmax, ICLR 2017';

export const RelaxedBernoulli: FamilySchema = {
  name: 'RelaxedBernoulli',
  doc: 'Binary Concrete: a reparameterizable relaxation of Bernoulli on (0, 1) at the given temperature.',
  reference: REFERENCE,
  params: [
    { name: 'temperature', kind: 'Positive', doc: 'relaxation temperature (small = nearly binary)' },
    { name: 'logits', kind: 'Real', doc: 'log-odds of a 1' },
    { name: 'probs', kind: 'Unit', doc: 'probability of a 1' },
  ],
  oneOf: [['logits', 'probs']],
  support: 'Unit',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const RelaxedOneHotCategorical: FamilySchema = {
  name: 'RelaxedOneHotCategorical',
  doc: 'Concrete / Gumbel-softmax: a reparameterizable relaxation of OneHotCategorical on the simplex.',
  reference: REFERENCE,
  params: [
    { name: 'temperature', kind: 'Positive', doc: 'relaxation temperature (small = nearly one-hot)', extraAxes: -1 },
    { name: 'logits', kind: 'Real', doc: 'unnormalized log-probabilities [..., k]' },
    { name: 'probs', kind: 'Simplex', doc: 'class probabilities [..., k]' },
  ],
  oneOf: [['logits', 'probs']],
  support: 'Simplex',
  shapeRule: 'onehot',
  eventRank: 1,
  reparam: true,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};
