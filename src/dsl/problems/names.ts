/**
 * VAE2xx, names: unknown, duplicate, used before definition, annotations. The problems as data
 * and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type NameProblem =
  /** VAE209: an annotation that is not an estimator (`suggestion`: the estimator it is an alias or prefix of). */
  { readonly kind: 'unknown-annotation'; readonly found: string; readonly expected: readonly string[]; readonly suggestion?: string };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const NAME_KINDS: Record<NameProblem['kind'], true> = { 'unknown-annotation': true };

export function renderNames(p: NameProblem): Rendered {
  switch (p.kind) {
    case 'unknown-annotation': {
      return rendered(`unknown annotation \`@${p.found}\``, p.suggestion !== undefined ? `did you mean \`@${p.suggestion}\`?` : `the annotations are: ${p.expected.map((k) => `@${k}`).join(', ')}`);
    }
  }
}
