/**
 * How each objective runs: a table keyed by the objective kinds of src/dsl/objectives.ts (parse
 * and describe live there), each a pure function of (program, params, batch, rng) that returns
 * the surrogate and the bound. A kind without a runner is a compile error here.
 */
import type { Objective } from '../../dsl/train-config';
import type { ObjectiveInput, ObjectiveOutput } from './common';
import { elboObjective } from './elbo';
import { iwaeObjective } from './iwae';
import { expectationObjective } from './expectation';

export * from './common';
export { elboObjective } from './elbo';
export { iwaeObjective } from './iwae';

export { expectationObjective } from './expectation';

type Runners = { readonly [K in Objective['kind']]: (inp: ObjectiveInput, objective: Extract<Objective, { kind: K }>) => ObjectiveOutput };

export const RUNNERS: Runners = {
  elbo: (inp) => elboObjective(inp),
  iwae: (inp, o) => iwaeObjective(inp, o.k),
  expectation: (inp, o) => expectationObjective(inp, o.sense),
};

export function runObjective(objective: Objective, inp: ObjectiveInput): ObjectiveOutput {
  return (RUNNERS[objective.kind] as (inp: ObjectiveInput, o: Objective) => ObjectiveOutput)(inp, objective);
}
