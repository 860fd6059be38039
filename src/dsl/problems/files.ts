/**
 * VAE7xx, data, files and command-line values: the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type FileProblem =
  /** VAE704: an estimator name the registry does not have. */
  | { readonly kind: 'unknown-estimator'; readonly site: string; readonly found: string; readonly expected: readonly string[] }
  /** VAE704: `--estimator site=kind` for a site the guide does not have; `sites` are the guide's. */
  | { readonly kind: 'unknown-override-site'; readonly site: string; readonly estimator: string; readonly sites: readonly string[] };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const FILE_KINDS: Record<FileProblem['kind'], true> = { 'unknown-estimator': true, 'unknown-override-site': true };

export function renderFiles(p: FileProblem): Rendered {
  switch (p.kind) {
    case 'unknown-estimator':
      return rendered(`unknown estimator \`${p.found}\` for \`${p.site}\``, `the estimators are: ${p.expected.join(', ')}`);
    case 'unknown-override-site':
      return rendered(`--estimator ${p.site}=${p.estimator}: the guide has no site \`${p.site}\``, `the guide's sites are: ${p.sites.join(', ') || 'none'}`);
  }
}
