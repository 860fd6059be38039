/**
 * The distribution contract (after WebPPL's `base.ad.js` and torch.distributions).
 *
 * Shapes. A distribution has a `batchShape` and an `eventShape`; a value has shape
 * `[...batchShape, ...eventShape]`. The event shape is the `.vae` site's declared shape
 * (`Real[50]` -> [50]; `Category[10]` -> []). `logProb` sums over the event axes and returns
 * `[...batchShape]`. Batch axes are right-aligned and broadcast like NumPy: the runtime puts
 * enumeration axes and the particle axis K to the left of the data axis B, e.g. [E, K, B].
 *
 * Ownership. A distribution never owns or disposes its parameter tensors. Methods return new
 * tensors and run inside a tidy scope, so intermediates are freed; callers dispose results
 * (in practice everything runs inside the training step's tidy).
 *
 * Numerics. Log-densities use stable forms: logits and softplus rather than log(sigmoid),
 * log-sum-exp with the max shift, log1p/expm1 where they matter.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import type { FamilySchema, ParamSchema } from './schema';

export type Tensor = tf.Tensor;

export type { ShapeRule } from './schema';
/** A parameter of a family (its schema; see schema.ts). */
export type ParamSpec = ParamSchema;

/**
 * A family with its implementation: the tfjs-free schema (schema.ts, what the checker reads)
 * plus `create`. Built with `implement(schema, make)` (base.ts) and listed in registry.ts.
 */
export interface DistSpec extends FamilySchema {
  /** Builds an instance. `eventShape` is the site shape; `params` holds the given parameters by name. */
  create(params: Readonly<Record<string, Tensor>>, eventShape: readonly number[]): Distribution;
}

export interface Distribution {
  readonly spec: DistSpec;
  readonly batchShape: readonly number[];
  readonly eventShape: readonly number[];
  /** The parameters as given (not owned). */
  readonly params: Readonly<Record<string, Tensor>>;
  /**
   * Draws one value per batch element, without gradient. `batchShape` (default: the
   * distribution's own) may be larger than `this.batchShape` by broadcasting, e.g. to add
   * a particle axis: params [B] -> sample(rng, [K, B]) gives [K, B, ...event].
   */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor;
  /** As `sample`, differentiable with respect to the parameters. Present iff spec.reparam. */
  rsample?(rng: Rng, batchShape?: readonly number[]): Tensor;
  /** log p(value), summed over the event axes: shape broadcast(value batch, batchShape). */
  logProb(value: Tensor): Tensor;
  /** log p(value) per event element, before the sum: [...batch, ...event]. Present iff spec.factorized. */
  logProbElementwise?(value: Tensor): Tensor;
  /** Mean and variance, [...batch, ...event], where they exist. */
  mean?(): Tensor;
  variance?(): Tensor;
  /** Entropy summed over the event axes, [...batch], where a closed form exists. */
  entropy?(): Tensor;
  /** Every support point, [n, ...eventShape], for finite discrete families. */
  enumerateSupport?(): Tensor;
  /**
   * log p of every support point at once, as `logProb(v)` of the enumerated values
   * v = enumerateSupport() reshaped to [n, 1, ...] with batch rank `valueRank` (the support on
   * their first batch axis), without materializing the values against the parameters (k² rather
   * than k³ work for a Categorical whose parameters already carry another k-valued axis). Null
   * when the parameters already vary along that axis.
   */
  logProbSupport?(valueRank: number): Tensor | null;
  /** The same family and event shape with new parameters (used to detach parameters for STL/DReG). */
  withParams(params: Readonly<Record<string, Tensor>>): Distribution;
}

/** An entry in the analytic-KL registry, keyed by the pair (q family, p family). */
export interface KlRule {
  readonly q: string;
  readonly p: string;
  /**
   * True when `kl` returns per-element terms [...batch, ...event] (factorized pairs; the caller sums
   * the event axes, and free bits can act per dimension). False when it returns [...batch].
   */
  readonly elementwise: boolean;
  /** KL(q || p). */
  kl(q: Distribution, p: Distribution): Tensor;
}
