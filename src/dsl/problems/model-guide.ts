/**
 * VAE4xx, model and guide: the problems as data and their one renderer.
 */
import { formatTensorType, type TensorType } from '../types';
import { rendered, type Rendered } from './rendered';
import type { TypeData } from './shapes';

const showType = (t: TypeData): string => formatTensorType({ kind: 'tensor', ...t } as TensorType);

export type ModelGuideProblem =
  /** VAE401 */
  | { readonly kind: 'latent-without-guide-site'; readonly site: string; readonly family: string }
  /** VAE402: `suggestion`: the model's latent without a guide site that it probably means. */
  | { readonly kind: 'guide-site-without-model-site'; readonly site: string; readonly latents: readonly string[]; readonly suggestion?: string }
  /** VAE403 */
  | { readonly kind: 'guide-samples-data'; readonly site: string }
  /** VAE404 */
  | { readonly kind: 'partial-site-not-in-guide'; readonly site: string }
  /** VAE405: `classes`: the model site's class count when it is categorical. */
  | { readonly kind: 'guide-type-differs'; readonly site: string; readonly guide: TypeData; readonly model: TypeData; readonly classes?: number }
  /** VAE405 */
  | { readonly kind: 'guide-support-differs'; readonly site: string; readonly guideFamily: string; readonly guideSupport: string; readonly modelFamily: string; readonly modelSupport: string }
  /** VAE406 */
  | { readonly kind: 'no-model-block' }
  /** VAE406 */
  | { readonly kind: 'no-guide-block'; readonly latents: readonly string[] }
  /** VAE406 */
  | { readonly kind: 'expectation-without-guide' }
  /** VAE407 */
  | { readonly kind: 'data-never-used'; readonly data: string }
  /** VAE408 */
  | { readonly kind: 'partial-data-not-modelled'; readonly data: string; readonly classes: number | null }
  /** VAE409: `missing`: the steps without a site. */
  | { readonly kind: 'steps-not-observed'; readonly data: string; readonly steps: number; readonly observed: number; readonly missing: readonly number[] };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const MODEL_GUIDE_KINDS: Record<ModelGuideProblem['kind'], true> = {
  'latent-without-guide-site': true,
  'guide-site-without-model-site': true,
  'guide-samples-data': true,
  'partial-site-not-in-guide': true,
  'guide-type-differs': true,
  'guide-support-differs': true,
  'no-model-block': true,
  'no-guide-block': true,
  'expectation-without-guide': true,
  'data-never-used': true,
  'partial-data-not-modelled': true,
  'steps-not-observed': true,
};

export function renderModelGuide(p: ModelGuideProblem): Rendered {
  switch (p.kind) {
    case 'latent-without-guide-site': {
      const example = p.family === 'Normal' ? `\`${p.site} ~ Normal(q.loc, q.scale)\`` : `\`${p.site} ~ ${p.family}(...)\``;
      return rendered(`latent site \`${p.site}\` has no guide site`, `add a site for \`${p.site}\` to the guide, e.g. ${example} with parameters computed from the data`);
    }
    case 'guide-site-without-model-site':
      return rendered(
        `guide site \`${p.site}\` has no model site`,
        p.suggestion !== undefined
          ? `did you mean \`${p.suggestion}\`? a guide site must have the name of the model site it approximates`
          : `every guide site approximates the posterior of a model site with the same name; the model's latent sites are: ${p.latents.join(', ') || 'none'}`,
      );
    case 'guide-samples-data':
      return rendered(`\`${p.site}\` is observed data; the guide cannot sample it`, `the guide conditions on \`${p.site}\`: use it as an input, e.g. \`encoder(${p.site})\`, and remove this site`);
    case 'partial-site-not-in-guide':
      return rendered(`\`${p.site}\` is partly observed, so the guide must sample it where it is missing`, `add \`${p.site} ~ Categorical(probs: classifier(x)) @enumerate\` (or similar) to the guide`);
    case 'guide-type-differs':
      return rendered(
        `the guide's \`${p.site}\` is ${showType(p.guide)} but the model's is ${showType(p.model)}`,
        p.classes !== undefined ? `a guide site must have the same classes as its model site: make its probabilities a vector of ${p.classes}` : 'a guide site must have the same shape as its model site',
      );
    case 'guide-support-differs':
      return rendered(
        `the guide's \`${p.guideFamily}\` draws ${p.guideSupport} values where the model's \`${p.modelFamily}\` has support ${p.modelSupport}`,
        'the guide must not put mass where the model has none (the KL would be infinite); choose a guide family with the same support',
      );
    case 'no-model-block':
      return rendered('the program has no `model` block', 'add `model { ... }` with the generative process, e.g. `z ~ Normal(0, 1)` and `x ~ Bernoulli(logits: decoder(z))`');
    case 'no-guide-block':
      return rendered('the model has latent sites but there is no `guide` block', `add \`guide { ... }\` with a site for each of: ${p.latents.join(', ')}`);
    case 'expectation-without-guide':
      return rendered('an expectation objective needs a `guide` block', 'declare the random variables in `guide { ... }`, e.g. `x ~ Normal(theta, 1)`');
    case 'data-never-used':
      return rendered(`data \`${p.data}\` is never used`, `observe it in the model with \`${p.data} ~ ...\`, or remove the declaration`);
    case 'partial-data-not-modelled':
      return rendered(`\`${p.data}\` is partly observed but the model has no site for it`, `add \`${p.data} ~ Categorical(probs: uniform(${p.classes ?? 'k'}))\` to the model`);
    case 'steps-not-observed': {
      const shown = p.missing.length > 3 ? `${p.missing.slice(0, 3).join(', ')}, ... (${p.missing.length} steps)` : p.missing.join(', ');
      return rendered(`\`${p.data}\` has ${p.steps} steps but the model observes only ${p.observed} of them; steps ${shown} have no site`, `observe every step, e.g. \`for t in 0..${p.steps} { ${p.data}[t] ~ ... }\``);
    }
  }
}
