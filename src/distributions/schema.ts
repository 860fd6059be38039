/**
 * What the language knows about a distribution family, without tensors: its parameters and
 * their constraints, how parameter shapes relate to the site's shape, its support, whether it
 * is reparameterized or discrete, and how many values it has. The checker and the planner read
 * only this (it loads no tfjs); the implementations (registry.ts) add `create` on top.
 *
 * To add a family: write its schema in the group file under schemas/ that fits (or a new one,
 * listed in schemas/index.ts), its implementation class beside the others (e.g. normal.ts:
 * `export const Normal = implement(schema, (params, shape) => new NormalDist(params, shape))`),
 * and add that to the list in registry.ts. Loading the registry fails while a schema has no
 * implementation, and test/distributions/schema.test.ts holds every family to its schema.
 */
import type { ValueKind } from './constraints';
import { numel } from '../core/shapes';

/**
 * How parameter shapes relate to the site shape S (the event shape):
 *  - elementwise: every parameter, without its own `extraAxes` trailing axes, broadcasts to S;
 *                 a value has shape S (Normal: loc, scale ~ S).
 *  - categorical: `logits`/`probs` have shape [...S, k]; a value is an int32 class index of shape S.
 *  - onehot:      `logits`/`probs` have shape S = [..., k]; a value is one-hot with shape S.
 *  - mixture:     `weights` has shape [k]; `locs`, `scales` have shape [k, ...S]; a value has shape S.
 */
export type ShapeRule = 'elementwise' | 'categorical' | 'onehot' | 'mixture';

export interface ParamSchema {
  readonly name: string;
  /** The constraint: an argument's value kind must be a sub-kind of this one (see constraints.ts). */
  readonly kind: ValueKind;
  readonly doc: string;
  /** A default used when the argument is omitted (e.g. Uniform's low = 0). */
  readonly default?: number;
  /** The parameter may be omitted, with no default: the family says what omission means (Multinomial's total_count). */
  readonly optional?: boolean;
  /**
   * Trailing axes this parameter has beyond the site's event shape: 0 (the default) for a
   * parameter per element, 1 for a class axis (Categorical's logits [...S, k]) or a matrix row
   * (a covariance factor), -1 for a parameter per joint draw of a family with eventRank 1 (a
   * temperature per one-hot row). At run time it has siteRank + extraAxes event axes.
   */
  readonly extraAxes?: number;
  /** A fixed event rank whatever the site's (a mixture's weights [k]); overrides extraAxes. */
  readonly rank?: number;
}

export interface FamilySchema {
  readonly name: string;
  /** One-line description for docs and `--help`. */
  readonly doc: string;
  /** The paper or textbook reference, where the family is not textbook-standard. */
  readonly reference?: string;
  /** All parameters, in positional order. */
  readonly params: readonly ParamSchema[];
  /** Groups of which exactly one parameter must be given, e.g. [['logits', 'probs']]. */
  readonly oneOf?: readonly (readonly string[])[];
  /** The kind of the values: the support. */
  readonly support: ValueKind;
  readonly shapeRule: ShapeRule;
  /**
   * The rank of one joint draw: 0 when the elements of a site are independent draws (Normal),
   * 1 when the last axis is drawn jointly (a one-hot vector, a point on the simplex). A site
   * needs at least this many axes.
   */
  readonly eventRank: number;
  /** True when `rsample` exists (a reparameterized, differentiable sampler). */
  readonly reparam: boolean;
  /** True for families over a countable support. */
  readonly discrete: boolean;
  /** True when `logProbElementwise` exists: the log-density is a sum over event elements. */
  readonly factorized: boolean;
  /**
   * The number of support points of one value with this event shape and class count `k`
   * (the last axis of `logits`/`probs` for categorical families), or undefined when infinite.
   * E.g. Bernoulli with event shape [3] has 8; Categorical has k.
   */
  supportSize(eventShape: readonly number[], k: number): number | undefined;
}

/** The largest support a site may enumerate (`@enumerate`, and the runtime's enumeration). */
export const MAX_ENUMERATE = 256;

/** The number of event axes a parameter has at run time, for a site of rank `siteRank`. */
export function paramRank(p: ParamSchema, siteRank: number): number {
  return p.rank ?? siteRank + (p.extraAxes ?? 0);
}

/** Support sizes: none (continuous), 2^n (binary elements), k^n (class indices), k^(n/k) (one-hot rows). */
export const SUPPORT = {
  infinite: (): undefined => undefined,
  binary: (eventShape: readonly number[]): number => 2 ** numel(eventShape),
  classes: (eventShape: readonly number[], k: number): number => k ** numel(eventShape),
  oneHotRows: (eventShape: readonly number[], k: number): number => k ** (numel(eventShape) / k),
} as const;
