/**
 * Schemas of the continuous families whose parameters are given per element of the site
 * (shape rule 'elementwise'): the values of a site are independent draws.
 */
import { SUPPORT, type FamilySchema } from '../schema';

export const Normal: FamilySchema = {
  name: 'Normal',
  doc: 'Gaussian with mean loc and standard deviation scale, independent per element.',
  params: [
    { name: 'loc', kind: 'Real', doc: 'mean' },
    { name: 'scale', kind: 'Positive', doc: 'standard deviation' },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Laplace: FamilySchema = {
  name: 'Laplace',
  doc: 'Laplace (double-exponential) with location loc and scale, independent per element.',
  params: [
    { name: 'loc', kind: 'Real', doc: 'location (median)' },
    { name: 'scale', kind: 'Positive', doc: 'scale b; the variance is 2 b^2' },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const LogNormal: FamilySchema = {
  name: 'LogNormal',
  doc: 'Log-normal: exp of a Gaussian with mean loc and standard deviation scale, per element.',
  params: [
    { name: 'loc', kind: 'Real', doc: 'mean of log x' },
    { name: 'scale', kind: 'Positive', doc: 'standard deviation of log x' },
  ],
  support: 'Positive',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const StudentT: FamilySchema = {
  name: 'StudentT',
  doc: "Student's t with df degrees of freedom, location loc and scale, independent per element.",
  params: [
    { name: 'df', kind: 'Positive', doc: 'degrees of freedom nu' },
    { name: 'loc', kind: 'Real', doc: 'location' },
    { name: 'scale', kind: 'Positive', doc: 'scale' },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Exponential: FamilySchema = {
  name: 'Exponential',
  doc: 'Exponential with the given rate (mean 1/rate), independent per element.',
  params: [{ name: 'rate', kind: 'Positive', doc: 'rate lambda; the mean is 1/lambda' }],
  support: 'Positive',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Gamma: FamilySchema = {
  name: 'Gamma',
  doc: 'Gamma with shape concentration and rate (mean concentration/rate), independent per element.',
  reference: 'implicit reparameterization gradients: Figurnov, Mohamed & Mnih, NeurIPS 2018',
  params: [
    { name: 'concentration', kind: 'Positive', doc: 'shape a' },
    { name: 'rate', kind: 'Positive', doc: 'rate b (inverse scale)' },
  ],
  support: 'Positive',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Beta: FamilySchema = {
  name: 'Beta',
  doc: 'Beta on (0, 1) with concentrations a (for x) and b (for 1 - x), independent per element.',
  reference: 'implicit reparameterization gradients: Figurnov, Mohamed & Mnih, NeurIPS 2018',
  params: [
    { name: 'concentration1', kind: 'Positive', doc: 'a, the exponent of x (pseudo-count of ones)' },
    { name: 'concentration0', kind: 'Positive', doc: 'b, the exponent of 1 - x (pseudo-count of zeros)' },
  ],
  support: 'Unit',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const Uniform: FamilySchema = {
  name: 'Uniform',
  doc: 'Uniform on [low, high], independent per element.',
  params: [
    { name: 'low', kind: 'Real', doc: 'lower bound', default: 0 },
    { name: 'high', kind: 'Real', doc: 'upper bound (> low)', default: 1 },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: true,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};

export const ContinuousBernoulli: FamilySchema = {
  name: 'ContinuousBernoulli',
  doc: 'Continuous Bernoulli on [0, 1]: the normalized p^x (1-p)^(1-x), for [0,1]-valued data such as pixels.',
  reference: 'Loaiza-Ganem & Cunningham, The continuous Bernoulli: fixing a pervasive error in variational autoencoders, NeurIPS 2019',
  params: [
    { name: 'logits', kind: 'Real', doc: 'log-odds of the shape parameter lambda' },
    { name: 'probs', kind: 'Unit', doc: 'shape parameter lambda (not the mean)' },
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

export const DiscretizedLogistic: FamilySchema = {
  name: 'DiscretizedLogistic',
  doc: 'Logistic discretized to 256 levels in [0, 1] (8-bit pixels scaled by 1/255), with open-ended edge bins.',
  reference: 'Salimans et al., PixelCNN++, ICLR 2017; Kingma et al., Improved Variational Inference with Inverse Autoregressive Flow, NeurIPS 2016',
  params: [
    { name: 'loc', kind: 'Real', doc: 'logistic location, on the [0, 1] pixel scale' },
    { name: 'scale', kind: 'Positive', doc: 'logistic scale' },
  ],
  support: 'Unit',
  shapeRule: 'elementwise',
  eventRank: 0,
  reparam: false,
  discrete: false,
  factorized: true,
  supportSize: SUPPORT.infinite,
};
