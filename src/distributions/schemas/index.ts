/**
 * The family table without tensors: every distribution the language knows, by name, in the
 * order the docs list them. The checker and the planner read this; registry.ts pairs each
 * entry with its implementation. `Flow` is not in the table: `Flow(base, [layers])` is
 * checked and compiled apart (dsl/check-meta.ts), with the schema in composite.ts.
 */
import type { FamilySchema } from '../schema';
import { Beta, ContinuousBernoulli, DiscretizedLogistic, Exponential, Gamma, Laplace, LogNormal, Normal, StudentT, Uniform } from './continuous';
import { Bernoulli, Categorical, OneHotCategorical } from './discrete';
import { MixtureNormal } from './composite';
import { RelaxedBernoulli, RelaxedOneHotCategorical } from './relaxed';
import { Multinomial, NegativeBinomial, Poisson, ZeroInflatedNegativeBinomial } from './counts';
import { Dirichlet, LowRankMultivariateNormal, MultivariateNormal } from './multivariate';

export * from './continuous';
export * from './discrete';
export * from './relaxed';
export * from './composite';
export * from './counts';
export * from './multivariate';

const TABLE: readonly FamilySchema[] = [
  Normal,
  Laplace,
  LogNormal,
  StudentT,
  Exponential,
  Gamma,
  Beta,
  Uniform,
  Bernoulli,
  ContinuousBernoulli,
  Categorical,
  OneHotCategorical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  MixtureNormal,
  DiscretizedLogistic,
  Poisson,
  NegativeBinomial,
  ZeroInflatedNegativeBinomial,
  Dirichlet,
  Multinomial,
  MultivariateNormal,
  LowRankMultivariateNormal,
];

/** Every family by name. */
export const FAMILIES: ReadonlyMap<string, FamilySchema> = new Map(TABLE.map((s) => [s.name, s]));
