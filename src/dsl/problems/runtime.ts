/**
 * VAE9xx, runtime (training and evaluation): the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

/** Where a run-time failure happened: a site's distribution or a `let`'s value. */
export interface RuntimeWhere {
  readonly at: 'site' | 'let';
  readonly name: string;
}

export type RuntimeProblem =
  /** VAE902: a distribution refused to sample or score (`reason`, `hint`: the distribution's own words). */
  | ({ readonly kind: 'sampling-failed'; readonly reason: string; readonly hint: string } & RuntimeWhere)
  /** VAE902: the engine failed on values of the wrong shape; `shapes`: the two that met, as the engine wrote them (null: not known). */
  | ({ readonly kind: 'run-time-shape-failure'; readonly shapes: readonly [string, string] | null } & RuntimeWhere)
  /** VAE902: a site's value does not end in its declared shape (`observed`: fully observed, so it must be [B, ...declared]). */
  | { readonly kind: 'site-value-shape'; readonly site: string; readonly found: readonly number[]; readonly declared: readonly number[]; readonly observed: boolean };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const RUNTIME_KINDS: Record<RuntimeProblem['kind'], true> = {
  'sampling-failed': true,
  'run-time-shape-failure': true,
  'site-value-shape': true,
};

const SHAPE_HINT = 'the data or a net did not have the shape the program declares; check the data binding (--data) and the declared types';

function where(w: RuntimeWhere): string {
  return w.at === 'site' ? `the site \`${w.name}\`` : `\`let ${w.name}\``;
}

export function renderRuntime(p: RuntimeProblem): Rendered {
  switch (p.kind) {
    case 'sampling-failed':
      return rendered(`${where(p)}: ${p.reason}`, p.hint);
    case 'run-time-shape-failure':
      return rendered(`${where(p)} failed at run time${p.shapes ? `: values of shapes ${p.shapes[0]} and ${p.shapes[1]} met` : ''}`, SHAPE_HINT);
    case 'site-value-shape':
      return rendered(
        `the site \`${p.site}\` got a value of shape [${p.found.join(', ')}]; its declared type needs [${[p.observed ? 'B' : '...', ...p.declared].join(', ')}]`,
        SHAPE_HINT,
      );
  }
}
