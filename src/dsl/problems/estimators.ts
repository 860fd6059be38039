/**
 * VAE5xx, estimators: the problems as data and their one renderer. Why an estimator cannot be used for a site (the rules in
 * src/inference/estimators/ return these), the plan's limits on enumeration and on what DReG's
 * descendants must be, and misplaced estimator annotations. Data, rendered by `renderEstimators`.
 *
 * `via` says where the estimator was asked for, which decides how its name is written:
 * `@score` in a program (an annotation, or `--estimator z=score`, whose message is prefixed by
 * the flag) and `score` in `vae estimators --estimators` specs.
 */
import { rendered, type Rendered } from './rendered';

export type EstimatorVia = 'annotation' | 'cli' | 'spec';

/** What every refusal of an estimator for a site carries. */
interface Refused {
  /** The guide site. */
  readonly site: string;
  /** The estimator asked for. */
  readonly estimator: string;
  readonly via: EstimatorVia;
  /** The objective the plan was made for: `elbo`, `iwae:5`, `expectation`. */
  readonly objective: string;
}

/** A refusal of a rule (src/inference/estimators/), one kind per reason. */
export type EstimatorRefusal = Refused &
  (
    | /** VAE501 */ { readonly kind: 'discrete-not-reparameterizable'; readonly family: string; readonly enumerable: boolean }
    | /** VAE502 */ { readonly kind: 'continuous-not-enumerable'; readonly family: string; readonly reparameterizable: boolean }
    | /** VAE503 */ { readonly kind: 'support-too-large'; readonly size: number; readonly limit: number }
    | /** VAE504: stl and dreg evaluate log q at detached parameters. */ { readonly kind: 'flow-without-detached-density' }
    | /** VAE504 */ { readonly kind: 'no-reparameterized-sampler'; readonly family: string }
    | /** VAE505: a bound's estimator (`variational`: stl, dreg; `iwae`: vimco) under an expectation objective. */ {
        readonly kind: 'bound-estimator-on-expectation';
        readonly bound: 'variational' | 'iwae';
      }
    | /** VAE505: dreg and vimco need iwae with k >= minK; `alternative` does the job under elbo. */ {
        readonly kind: 'needs-iwae';
        readonly minK: number;
        readonly alternative: string;
      }
    | /** VAE505: stl under iwae; `counterpart` is its IWAE counterpart. */ { readonly kind: 'elbo-estimator-under-iwae'; readonly counterpart: string }
    | /** VAE505: a detaching rule whose guide distribution reads a reparameterized site. */ { readonly kind: 'reads-reparameterized-site'; readonly parent: string }
    | /** VAE505: dreg and vimco beside an enumerated site. */ { readonly kind: 'beside-enumeration' }
  );

/** A refusal as a rule returns it; the planner adds where the estimator was asked for. */
export type RuleRefusal = EstimatorRefusal extends infer T ? (T extends unknown ? Omit<T, 'via'> : never) : never;

export type EstimatorProblem =
  | EstimatorRefusal
  /**
   * VAE503: more enumerated sites than axes for them. `chainRefused`: why the sites are not
   * eliminated as a Markov chain instead (src/inference/markov.ts), when they are a sequence.
   */
  | { readonly kind: 'too-many-enumerated'; readonly via: EstimatorVia; readonly sites: readonly string[]; readonly limit: number; readonly chainRefused?: string }
  /** VAE503: the enumerated supports multiply past the limit. */
  | {
      readonly kind: 'too-many-configurations';
      readonly via: EstimatorVia;
      readonly sites: readonly { readonly name: string; readonly size: number }[];
      readonly total: number;
      readonly limit: number;
      readonly chainRefused?: string;
    }
  /** VAE503: two adjacent steps of a Markov chain (`chain`: `y[0..4]`) have too many joint configurations. */
  | {
      readonly kind: 'chain-steps-too-large';
      readonly via: EstimatorVia;
      readonly chain: string;
      readonly base: string;
      readonly steps: readonly { readonly name: string; readonly size: number }[];
      readonly limit: number;
    }
  /** VAE505: dreg's guide descendants must be drawn with a path derivative. */
  | {
      readonly kind: 'descendant-not-reparameterized';
      readonly via: EstimatorVia;
      readonly site: string;
      readonly estimator: string;
      readonly descendant: string;
      readonly descendantEstimator: string;
    }
  /** VAE506 */
  | { readonly kind: 'estimator-on-model-site'; readonly estimator: string }
  /** VAE507 */
  | { readonly kind: 'two-estimator-annotations'; readonly site: string };

const REFUSAL_KINDS: Record<EstimatorRefusal['kind'], true> = {
  'discrete-not-reparameterizable': true,
  'continuous-not-enumerable': true,
  'support-too-large': true,
  'flow-without-detached-density': true,
  'no-reparameterized-sampler': true,
  'bound-estimator-on-expectation': true,
  'needs-iwae': true,
  'elbo-estimator-under-iwae': true,
  'reads-reparameterized-site': true,
  'beside-enumeration': true,
};

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const ESTIMATOR_KINDS: Record<EstimatorProblem['kind'], true> = {
  ...REFUSAL_KINDS,
  'too-many-enumerated': true,
  'too-many-configurations': true,
  'chain-steps-too-large': true,
  'descendant-not-reparameterized': true,
  'estimator-on-model-site': true,
  'two-estimator-annotations': true,
};

export function isEstimatorRefusal(p: { readonly kind: string }): p is EstimatorRefusal {
  return Object.hasOwn(REFUSAL_KINDS, p.kind);
}

/** Whether the refusal's message names its site (else a caller listing refusals names it). */
export function refusalNamesSite(p: EstimatorRefusal): boolean {
  return p.kind === 'discrete-not-reparameterizable' || p.kind === 'continuous-not-enumerable' || p.kind === 'support-too-large' || p.kind === 'reads-reparameterized-site';
}

/** An estimator's name as written where the problem is shown: `@score`, or `score` in a spec. */
function named(via: EstimatorVia, e: string): string {
  return via === 'spec' ? `\`${e}\`` : `\`@${e}\``;
}

function refusal(p: EstimatorRefusal): Rendered {
  const e = (x: string): string => named(p.via, x);
  switch (p.kind) {
    case 'discrete-not-reparameterizable':
      return {
        message: `\`${p.site}\` is discrete (${p.family}); it cannot be reparameterized`,
        hint: p.enumerable ? `use ${e('enumerate')} (exact) or ${e('score')}; or a relaxation such as \`RelaxedOneHotCategorical\`` : `use ${e('score')}; or a relaxation such as \`RelaxedOneHotCategorical\``,
      };
    case 'continuous-not-enumerable':
      return { message: `\`${p.site}\` is continuous (${p.family}); only finite discrete sites can be enumerated`, hint: p.reparameterizable ? `use ${e('reparam')}` : `use ${e('score')}` };
    case 'support-too-large':
      return { message: `\`${p.site}\` has ${p.size} possible values; enumeration is limited to ${p.limit}`, hint: `use ${e('score')} (or ${e('vimco')} under iwae)` };
    case 'flow-without-detached-density':
      return { message: `\`${p.estimator}\` needs the guide density at detached parameters, which a Flow does not have`, hint: `use ${e('reparam')} for flow guides` };
    case 'no-reparameterized-sampler':
      return { message: `\`${p.family}\` has no reparameterized sampler`, hint: `use ${e('score')}, or a family with a reparameterized sampler such as \`LogNormal\`` };
    case 'bound-estimator-on-expectation':
      return p.bound === 'iwae'
        ? { message: `\`${p.estimator}\` is an estimator of the iwae bound; the objective is an expectation`, hint: `use ${e('score')}` }
        : { message: `\`${p.estimator}\` is an estimator of a variational bound; the objective is an expectation`, hint: `use ${e('reparam')} or ${e('score')}` };
    case 'needs-iwae':
      return { message: `\`${p.estimator}\` needs the iwae objective with k >= ${p.minK}`, hint: `set \`objective: iwae(k: 5)\`, or use ${e(p.alternative)} under elbo` };
    case 'elbo-estimator-under-iwae':
      return { message: `\`${p.estimator}\` is the ELBO path-derivative estimator; the objective is iwae`, hint: `use ${e(p.counterpart)}, its IWAE counterpart (Tucker et al. 2018)` };
    case 'reads-reparameterized-site':
      return { message: `\`${p.estimator}\` for \`${p.site}\` needs its guide distribution to be free of other reparameterized sites, but it depends on \`${p.parent}\``, hint: `use ${e('reparam')} for this site` };
    case 'beside-enumeration':
      return { message: `\`${p.estimator}\` is not available when another site is enumerated`, hint: `use ${e('reparam')} (or ${e('score')}) for this site, or sample the enumerated site` };
  }
}

export function renderEstimators(p: EstimatorProblem): Rendered {
  if (isEstimatorRefusal(p)) {
    const r = refusal(p);
    return p.via === 'cli' ? { ...r, message: `--estimator ${p.site}=${p.estimator}: ${r.message}` } : r;
  }
  const e = (x: string): string => named(p.kind === 'estimator-on-model-site' || p.kind === 'two-estimator-annotations' ? 'annotation' : p.via, x);
  switch (p.kind) {
    case 'too-many-enumerated': {
      const last = p.sites[p.sites.length - 1]!;
      return { message: `${p.sites.length} sites are enumerated (${p.sites.join(', ')}); at most ${p.limit} can be, each on its own axis${why(p.chainRefused)}`, hint: `use ${e('score')} for \`${last}\` (or for every site after the ${ordinal(p.limit)})` };
    }
    case 'too-many-configurations': {
      const last = p.sites[p.sites.length - 1]!;
      const sizes = p.sites.map((s) => `${s.name} (${s.size})`).join(' × ');
      return { message: `the enumerated sites have ${p.total} joint configurations, ${sizes}; the limit is ${p.limit}${why(p.chainRefused)}`, hint: `use ${e('score')} for one of them, e.g. \`${last.name}\`` };
    }
    case 'chain-steps-too-large': {
      const [a, b] = p.steps;
      return {
        message: `two adjacent steps of the chain ${p.chain} have ${a!.size * b!.size} joint configurations, ${a!.name} (${a!.size}) × ${b!.name} (${b!.size}); the limit is ${p.limit}`,
        hint: `use fewer states per step, or ${e('score')} for \`${p.base}\``,
      };
    }
    case 'descendant-not-reparameterized':
      return {
        message: `\`${p.estimator}\` for \`${p.site}\` needs every guide site drawn from it to be reparameterized, but \`${p.descendant}\` (${p.descendantEstimator}) is drawn from \`${p.site}\``,
        hint: `use ${e('reparam')} for \`${p.site}\`, or reparameterize \`${p.descendant}\``,
      };
    case 'estimator-on-model-site':
      return { message: `\`@${p.estimator}\` belongs on the guide's site`, hint: 'estimators describe how the guide samples; move the annotation to the guide' };
    case 'two-estimator-annotations':
      return { message: `\`${p.site}\` has two estimator annotations`, hint: 'keep one of them' };
  }
}

const why = (refused: string | undefined): string => (refused !== undefined ? ` (${refused})` : '');

/** 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
