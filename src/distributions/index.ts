/**
 * The distributions library's public surface: the contract (types), value kinds
 * (constraints), the tfjs-free family schemas (schema, schemas/) and the implementation table
 * (registry), the analytic-KL tables (kl-pairs, kl), special functions (math), and each
 * family's spec and class.
 */
export * from './types';
export * from './constraints';
export type { FamilySchema, ParamSchema } from './schema';
export { paramRank } from './schema';
export { FAMILIES } from './schemas/index';
export * from './registry';
export { KL_PAIRS, findKlPair, type KlPair } from './kl-pairs';
export * from './kl';
export { lgamma, digamma, trigamma, lbeta, log1p, log1mexp, logSigmoid, LOG_2PI, LOG_PI, EULER_GAMMA, FLOAT32_EPS, FLOAT32_TINY } from './math';
export { detached, compare } from './autodiff';
export { broadcastShapes, MAX_ENUMERATE } from './shapes';
export { Normal, NormalDist } from './normal';
export { Laplace, LaplaceDist } from './laplace';
export { LogNormal, LogNormalDist } from './log-normal';
export { StudentT, StudentTDist } from './student-t';
export { Exponential, ExponentialDist } from './exponential';
export { Gamma, GammaDist } from './gamma';
export { Beta, BetaDist } from './beta';
export { Uniform, UniformDist } from './uniform';
export { Bernoulli, BernoulliDist } from './bernoulli';
export { ContinuousBernoulli, ContinuousBernoulliDist } from './continuous-bernoulli';
export { Categorical, CategoricalDist } from './categorical';
export { OneHotCategorical, OneHotCategoricalDist } from './one-hot-categorical';
export { RelaxedBernoulli, RelaxedBernoulliDist } from './relaxed-bernoulli';
export { RelaxedOneHotCategorical, RelaxedOneHotCategoricalDist } from './relaxed-one-hot-categorical';
export { MixtureNormal, MixtureNormalDist } from './mixture-normal';
export { DiscretizedLogistic, DiscretizedLogisticDist, PIXEL_LEVELS } from './discretized-logistic';
export { Poisson, PoissonDist } from './poisson';
export { NegativeBinomial, NegativeBinomialDist } from './negative-binomial';
export { ZeroInflatedNegativeBinomial, ZeroInflatedNegativeBinomialDist } from './zero-inflated-negative-binomial';
export { Dirichlet, DirichletDist } from './dirichlet';
export { Multinomial, MultinomialDist } from './multinomial';
export { MultivariateNormal, MultivariateNormalDist } from './multivariate-normal';
export { LowRankMultivariateNormal, LowRankMultivariateNormalDist } from './low-rank-multivariate-normal';
export { SamplingError } from './sampling-error';
