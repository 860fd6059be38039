/** Objective dispatch: `elbo`, `iwae(k)` or an expectation, as pure functions of (program, params, batch, rng). */
import type { Objective } from '../../dsl/train-config';
import type { ObjectiveInput, ObjectiveOutput } from './common';
import { elboObjective } from './elbo';
import { iwaeObjective } from './iwae';
import { expectationObjective } from './expectation';

export * from './common';
export { elboObjective } from './elbo';
export { iwaeObjective } from './iwae';

export { expectationObjective } from './expectation';

export function runObjective(objective: Objective, inp: ObjectiveInput): ObjectiveOutput {
  switch (objective.kind) {
    case 'elbo':
      return elboObjective(inp);
    case 'iwae':
      return iwaeObjective(inp, objective.k);
    case 'expectation':
      return expectationObjective(inp, objective.sense);
  }
}
