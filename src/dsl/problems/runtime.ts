/**
 * VAE9xx, runtime (training and evaluation): the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type RuntimeProblem = never;

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const RUNTIME_KINDS: Record<RuntimeProblem['kind'], true> = {};

export function renderRuntime(p: RuntimeProblem): Rendered {
  return rendered(String((p as { kind: string }).kind));
}
