/**
 * The estimator registry: one rule per gradient estimator, each in its own file. The checker
 * (annotation names), the planner, `vae estimators` and the runtime read it; a new estimator is a
 * new file here plus one line below (and its row in docs/language.md, checked by a test).
 */
import { dreg } from './dreg';
import { enumerate } from './enumerate';
import { reparam } from './reparam';
import type { EstimatorRule } from './rule';
import { score } from './score';
import { stl } from './stl';
import { vimco } from './vimco';

export type { Baseline, EstimatorRule, Refusal, SiteFacts } from './rule';
export { AUTO_ENUMERATE_LIMIT } from './enumerate';

/** Every estimator, in the order the docs and help list them. */
export const RULES: readonly EstimatorRule[] = [reparam, score, enumerate, stl, dreg, vimco];

/** The order of the automatic choice: the first rule whose `auto` gives a reason is chosen. */
export const AUTO_ORDER: readonly EstimatorRule[] = [reparam, enumerate, vimco, score];

export const ESTIMATOR_NAMES: readonly string[] = RULES.map((r) => r.name);

const BY_NAME: ReadonlyMap<string, EstimatorRule> = new Map(RULES.map((r) => [r.name, r]));

/** The rule of an estimator name, or undefined for an unknown name. */
export function findRule(name: string): EstimatorRule | undefined {
  return BY_NAME.get(name);
}

/** The rule of a planned estimator (the name came from the registry). */
export function ruleOf(name: string): EstimatorRule {
  const r = BY_NAME.get(name);
  if (!r) throw new Error(`unknown estimator '${name}'`);
  return r;
}

/** The estimator PyTorch/Pyro users mean by an alias (`rsample` -> `reparam`), if any. */
export function estimatorForAlias(alias: string): string | undefined {
  return RULES.find((r) => r.aliases.includes(alias))?.name;
}

/** Whether the estimator draws with a path derivative (rsample). */
export function isPathwise(name: string | null | undefined): boolean {
  return name != null && BY_NAME.get(name)?.draw === 'rsample';
}
