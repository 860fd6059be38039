/**
 * VAE6xx, the train block and reuse (`extends`, `--set`): the problems as data and their one
 * renderer.
 */
import { rendered, type Rendered } from './rendered';

export type TrainProblem = never;

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const TRAIN_KINDS: Record<TrainProblem['kind'], true> = {};

export function renderTrain(p: TrainProblem): Rendered {
  return rendered(String((p as { kind: string }).kind));
}
