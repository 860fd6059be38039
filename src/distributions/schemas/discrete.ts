/** Schemas of the discrete families: binary elements, class indices and one-hot vectors. */
import { SUPPORT, type FamilySchema } from '../schema';

export const Bernoulli: FamilySchema = {
  name: 'Bernoulli',
  doc: 'Independent coin flips in {0, 1} with success probability probs = sigmoid(logits).',
  params: [
    { name: 'logits', kind: 'Real', doc: 'log-odds of a 1' },
    { name: 'probs', kind: 'Unit', doc: 'probability of a 1' },
  ],
  oneOf: [['logits', 'probs']],
  support: 'Binary',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: false,
  discrete: true,
  factorized: true,
  supportSize: SUPPORT.binary,
};

export const Categorical: FamilySchema = {
  name: 'Categorical',
  doc: 'A class index in 0..k-1 with probabilities softmax(logits) or probs (last axis over classes).',
  params: [
    { name: 'logits', kind: 'Real', doc: 'unnormalized log-probabilities [..., k]', extraAxes: 1 },
    { name: 'probs', kind: 'Simplex', doc: 'class probabilities [..., k]', extraAxes: 1 },
  ],
  oneOf: [['logits', 'probs']],
  support: 'Category',
  shapeRule: 'categorical',
  eventRank: 0,
  reparam: false,
  discrete: true,
  factorized: true,
  supportSize: SUPPORT.classes,
};

export const OneHotCategorical: FamilySchema = {
  name: 'OneHotCategorical',
  doc: 'A one-hot vector over k classes with probabilities softmax(logits) or probs.',
  params: [
    { name: 'logits', kind: 'Real', doc: 'unnormalized log-probabilities [..., k]' },
    { name: 'probs', kind: 'Simplex', doc: 'class probabilities [..., k]' },
  ],
  oneOf: [['logits', 'probs']],
  support: 'OneHot',
  shapeRule: 'onehot',
  eventRank: 1,
  reparam: false,
  discrete: true,
  factorized: false,
  supportSize: SUPPORT.oneHotRows,
};
