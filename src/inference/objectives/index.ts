/** Objective dispatch: `elbo` or `iwae(k)`, as pure functions of (program, params, batch, rng). */
import type { Objective } from '../../dsl/train-config';
import type { ObjectiveInput, ObjectiveOutput } from './common';
import { elboObjective } from './elbo';
import { iwaeObjective } from './iwae';

export * from './common';
export { elboObjective } from './elbo';
export { iwaeObjective } from './iwae';

export function runObjective(objective: Objective, inp: ObjectiveInput): ObjectiveOutput {
  return objective.kind === 'elbo' ? elboObjective(inp) : iwaeObjective(inp, objective.k);
}
