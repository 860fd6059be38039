/**
 * VAE3xx, types and shapes: the problems as data and their one renderer.
 */
import { formatShape } from '../types';
import { rendered, type Rendered } from './rendered';

export type ShapeProblem =
  /** VAE301: a site's distribution has another shape than the site is declared with. */
  { readonly kind: 'shape-mismatch'; readonly site: string; readonly expected: readonly number[]; readonly found: readonly number[] };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const SHAPE_KINDS: Record<ShapeProblem['kind'], true> = { 'shape-mismatch': true };

export function renderShapes(p: ShapeProblem): Rendered {
  switch (p.kind) {
    case 'shape-mismatch':
      return rendered(`shape mismatch for \`${p.site}\`: expected ${formatShape(p.expected)}, found ${formatShape(p.found)}`);
  }
}
