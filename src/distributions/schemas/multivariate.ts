/**
 * Schemas of the continuous families over a vector (eventRank 1: the site's last axis is one
 * joint draw): the Dirichlet on the simplex and the full- and low-rank-covariance Gaussians.
 * A matrix parameter has one axis beyond the site (extraAxes 1): scale_tril [..., d, d],
 * cov_factor [..., d, r].
 */
import { SUPPORT, type FamilySchema } from '../schema';

export const Dirichlet: FamilySchema = {
  name: 'Dirichlet',
  doc: 'A probability vector over the last axis with concentrations concentration (mean concentration / its sum).',
  reference: 'implicit reparameterization gradients: Figurnov, Mohamed & Mnih, NeurIPS 2018',
  params: [{ name: 'concentration', kind: 'Positive', doc: 'a [..., k], one per class' }],
  support: 'Simplex',
  shapeRule: 'elementwise',
  eventRank: 1,
  reparam: true,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};

export const MultivariateNormal: FamilySchema = {
  name: 'MultivariateNormal',
  doc: 'Gaussian vector with mean loc and covariance scale_tril scale_tril^T (scale_tril lower-triangular, e.g. `lower_cholesky(m)`).',
  params: [
    { name: 'loc', kind: 'Real', doc: 'the mean [..., d]' },
    { name: 'scale_tril', kind: 'LowerCholesky', doc: 'the Cholesky factor of the covariance [..., d, d]', extraAxes: 1 },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 1,
  reparam: true,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};

export const LowRankMultivariateNormal: FamilySchema = {
  name: 'LowRankMultivariateNormal',
  doc: 'Gaussian vector with mean loc and covariance cov_factor cov_factor^T + diag(cov_diag) (cov_factor [d, r]).',
  params: [
    { name: 'loc', kind: 'Real', doc: 'the mean [..., d]' },
    { name: 'cov_factor', kind: 'Real', doc: 'W, the low-rank factor [..., d, r]', extraAxes: 1 },
    { name: 'cov_diag', kind: 'Positive', doc: 'the diagonal part D [..., d]' },
  ],
  support: 'Real',
  shapeRule: 'elementwise',
  eventRank: 1,
  reparam: true,
  discrete: false,
  factorized: false,
  supportSize: SUPPORT.infinite,
};
