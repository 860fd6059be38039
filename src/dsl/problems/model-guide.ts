/**
 * VAE4xx, model and guide: the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type ModelGuideProblem = never;

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const MODEL_GUIDE_KINDS: Record<ModelGuideProblem['kind'], true> = {};

export function renderModelGuide(p: ModelGuideProblem): Rendered {
  return rendered(String((p as { kind: string }).kind));
}
