/**
 * Schemas of the count families: values are whole numbers >= 0 (kind Count). Discrete with an
 * unbounded support, so never reparameterized or enumerated: as latents they get the score
 * function. Multinomial's last axis is one joint draw (eventRank 1).
 */
import { SUPPORT, type FamilySchema, type ParamSchema } from '../schema';

export const Poisson: FamilySchema = {
  name: 'Poisson',
  doc: 'Counts 0, 1, 2, ... with mean rate (or exp(log_rate)), independent per element.',
  params: [
    { name: 'rate', kind: 'Positive', doc: 'the mean count' },
    { name: 'log_rate', kind: 'Real', doc: 'the log of the mean count' },
  ],
  oneOf: [['rate', 'log_rate']],
  support: 'Count',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: false,
  discrete: true,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

/** The success-probability parameters shared by NegativeBinomial and its zero-inflated form. */
const NB_PARAMS: readonly ParamSchema[] = [
  { name: 'mean', kind: 'Positive', doc: "the mean count (scVI's mu)" },
  { name: 'concentration', kind: 'Positive', doc: "r, the inverse dispersion (scVI's theta; torch's total_count): variance = mean + mean^2 / r" },
  { name: 'logits', kind: 'Real', doc: 'log(p / (1 - p)) with p = mean / (mean + r)' },
  { name: 'probs', kind: 'Unit', doc: 'p = mean / (mean + r)' },
];

export const NegativeBinomial: FamilySchema = {
  name: 'NegativeBinomial',
  doc: 'Overdispersed counts (Gamma–Poisson) with a mean (or logits/probs) and a concentration r, independent per element.',
  reference: 'mean/concentration form: Lopez et al., Deep generative modeling for single-cell transcriptomics (scVI), Nature Methods 2018',
  params: NB_PARAMS,
  oneOf: [['mean', 'logits', 'probs']],
  support: 'Count',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: false,
  discrete: true,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const ZeroInflatedNegativeBinomial: FamilySchema = {
  name: 'ZeroInflatedNegativeBinomial',
  doc: 'A NegativeBinomial count that is a structural zero with probability gate (or sigmoid(gate_logits)), independent per element.',
  reference: 'Lopez et al., Deep generative modeling for single-cell transcriptomics (scVI), Nature Methods 2018',
  params: [
    ...NB_PARAMS,
    { name: 'gate', kind: 'Unit', doc: 'pi, the probability of a structural zero' },
    { name: 'gate_logits', kind: 'Real', doc: 'log(pi / (1 - pi))' },
  ],
  oneOf: [['mean', 'logits', 'probs'], ['gate', 'gate_logits']],
  support: 'Count',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: false,
  discrete: true,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Multinomial: FamilySchema = {
  name: 'Multinomial',
  doc: "Counts over the last axis of total_count draws from probs = softmax(logits); without total_count, each value's own total.",
  params: [
    { name: 'total_count', kind: 'Count', doc: "n, the number of draws per vector (default: the value's own total)", extraAxes: -1, optional: true },
    { name: 'logits', kind: 'Real', doc: 'unnormalized log-probabilities [..., k]' },
    { name: 'probs', kind: 'Simplex', doc: 'class probabilities [..., k]' },
  ],
  oneOf: [['logits', 'probs']],
  support: 'Count',
  shapeRule: 'elementwise',
  eventRank: 1,
  reparam: false,
  discrete: true,
  factorized: false,
  supportSize: SUPPORT.infinite,
};
