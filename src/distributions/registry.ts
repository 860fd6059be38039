/**
 * The family table: every distribution the language knows, by name. The checker, the
 * runtime and the docs read only this table (and each entry's DistSpec).
 */
import { Bernoulli } from './bernoulli';
import { Beta } from './beta';
import { Categorical } from './categorical';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { DiscretizedLogistic } from './discretized-logistic';
import { Exponential } from './exponential';
import { Gamma } from './gamma';
import { Laplace } from './laplace';
import { LogNormal } from './log-normal';
import { MixtureNormal } from './mixture-normal';
import { Normal } from './normal';
import { OneHotCategorical } from './one-hot-categorical';
import { RelaxedBernoulli } from './relaxed-bernoulli';
import { RelaxedOneHotCategorical } from './relaxed-one-hot-categorical';
import { StudentT } from './student-t';
import type { DistSpec } from './types';
import { Uniform } from './uniform';

const SPECS: readonly DistSpec[] = [
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
];

/** Every family by name. */
export const DISTRIBUTIONS: ReadonlyMap<string, DistSpec> = new Map(SPECS.map((s) => [s.name, s]));

/** The family called `name`, if any. */
export function getDistSpec(name: string): DistSpec | undefined {
  return DISTRIBUTIONS.get(name);
}

/** All family names, in table order. */
export function distNames(): string[] {
  return [...DISTRIBUTIONS.keys()];
}
