/**
 * The implementation table: every family of the schema table (schemas/index.ts) with its
 * implementation, by name, in the same order. The runtime reads this; the checker and the
 * planner read the schemas only (no tfjs). Loading fails when the two tables disagree.
 */
import { Bernoulli } from './bernoulli';
import { Beta } from './beta';
import { Categorical } from './categorical';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { DiscretizedLogistic } from './discretized-logistic';
import { Dirichlet } from './dirichlet';
import { Exponential } from './exponential';
import { Gamma } from './gamma';
import { Laplace } from './laplace';
import { LogNormal } from './log-normal';
import { LowRankMultivariateNormal } from './low-rank-multivariate-normal';
import { MixtureNormal } from './mixture-normal';
import { Multinomial } from './multinomial';
import { MultivariateNormal } from './multivariate-normal';
import { NegativeBinomial } from './negative-binomial';
import { Normal } from './normal';
import { OneHotCategorical } from './one-hot-categorical';
import { Poisson } from './poisson';
import { RelaxedBernoulli } from './relaxed-bernoulli';
import { RelaxedOneHotCategorical } from './relaxed-one-hot-categorical';
import { StudentT } from './student-t';
import { FAMILIES } from './schemas/index';
import type { FamilySchema } from './schema';
import type { DistSpec } from './types';
import { Uniform } from './uniform';
import { ZeroInflatedNegativeBinomial } from './zero-inflated-negative-binomial';

const IMPLEMENTATIONS: readonly DistSpec[] = [
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

/** Every family by name, with its implementation (in the order of the schema table). */
export const DISTRIBUTIONS: ReadonlyMap<string, DistSpec> = pair(FAMILIES, IMPLEMENTATIONS);

function pair(schemas: ReadonlyMap<string, FamilySchema>, impls: readonly DistSpec[]): Map<string, DistSpec> {
  const byName = new Map(impls.map((s) => [s.name, s]));
  const missing = [...schemas.keys()].filter((n) => !byName.has(n));
  const extra = [...byName.keys()].filter((n) => !schemas.has(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`distributions/registry.ts: ${missing.length ? `no implementation of ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `no schema for ${extra.join(', ')}` : ''}`);
  }
  return new Map([...schemas.keys()].map((n) => [n, byName.get(n)!]));
}

/** The implementation of a family the checker resolved (by its schema). */
export function implementationOf(schema: FamilySchema): DistSpec {
  const impl = DISTRIBUTIONS.get(schema.name);
  if (!impl) throw new Error(`no implementation of the family ${schema.name}`);
  return impl;
}

/** The family called `name`, if any. */
export function getDistSpec(name: string): DistSpec | undefined {
  return DISTRIBUTIONS.get(name);
}

/** All family names, in table order. */
export function distNames(): string[] {
  return [...DISTRIBUTIONS.keys()];
}
