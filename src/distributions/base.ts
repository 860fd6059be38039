/**
 * Shared machinery for the families: parameter validation, the batch/event bookkeeping,
 * and the base classes. `ElementwiseDistribution` covers every family whose log-density
 * is a sum of independent per-element terms over the event (shape rule 'elementwise').
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { broadcastShapes, expandTo, resolveBatch, splitBatch, sumRightmost, tryBroadcast } from './shapes';
import type { FamilySchema } from './schema';
import type { DistSpec, Distribution, Tensor } from './types';

/** Parameters as given to `create`. */
export type Params = Readonly<Record<string, Tensor>>;

/**
 * Checks `params` against the spec: no unknown names, every required parameter present,
 * exactly one of each oneOf group. Throws an Error naming the family otherwise.
 */
export function checkParams(spec: FamilySchema, params: Params): void {
  const known = new Set(spec.params.map((p) => p.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) throw new Error(`${spec.name}: unknown parameter '${name}'`);
  }
  const grouped = new Set((spec.oneOf ?? []).flat());
  for (const p of spec.params) {
    if (!grouped.has(p.name) && p.default === undefined && p.optional !== true && params[p.name] === undefined) {
      throw new Error(`${spec.name}: missing parameter '${p.name}'`);
    }
  }
  for (const group of spec.oneOf ?? []) {
    const given = group.filter((n) => params[n] !== undefined);
    if (given.length !== 1) {
      throw new Error(`${spec.name}: give exactly one of ${group.join(', ')} (got ${given.length})`);
    }
  }
}

/**
 * A family's implementation: its schema plus `create`, which checks the parameters against the
 * schema and calls `make`.
 * @example export const Normal = implement(schema, (params, eventShape) => new NormalDist(params, eventShape));
 */
export function implement(schema: FamilySchema, make: (params: Params, eventShape: readonly number[]) => Distribution): DistSpec {
  return {
    ...schema,
    create(params, eventShape) {
      checkParams(schema, params);
      return make(params, eventShape);
    },
  };
}

/** A required parameter (after {@link checkParams}). */
export function param(params: Params, name: string): Tensor {
  const t = params[name];
  if (t === undefined) throw new Error(`missing parameter '${name}'`);
  return t;
}

/** The common fields and `withParams`; subclasses fill in the methods. */
export abstract class BaseDistribution implements Distribution {
  abstract readonly spec: DistSpec;
  readonly params: Params;
  readonly eventShape: readonly number[];
  abstract readonly batchShape: readonly number[];

  protected constructor(params: Params, eventShape: readonly number[]) {
    this.params = params;
    this.eventShape = [...eventShape];
  }

  abstract sample(rng: Rng, batchShape?: readonly number[]): Tensor;
  abstract logProb(value: Tensor): Tensor;

  /** The parameters that carry gradients (what samplers detach from). */
  protected paramList(): Tensor[] {
    return Object.values(this.params);
  }

  /** [...batchShape (or the requested superset), ...eventShape]. */
  protected sampleShape(batchShape?: readonly number[]): number[] {
    return [...resolveBatch(this.batchShape, batchShape), ...this.eventShape];
  }

  /** The same family and event shape with new parameters. */
  withParams(params: Params): Distribution {
    return this.spec.create(params, this.eventShape);
  }
}

/**
 * A family whose density factorizes over event elements and whose parameters broadcast
 * elementwise to the event shape. Subclasses give `logDensity` (per element, broadcasting
 * value against the parameters) and `draw` (a sample of a given full shape).
 */
export abstract class ElementwiseDistribution extends BaseDistribution {
  readonly batchShape: readonly number[];
  /** [...batchShape, ...eventShape]. */
  protected readonly fullShape: readonly number[];

  protected constructor(params: Params, eventShape: readonly number[], family: string, shapes: readonly (readonly number[])[]) {
    super(params, eventShape);
    const full = tryBroadcast(...shapes, eventShape);
    if (full === undefined) {
      throw new Error(`${family}: parameter shapes ${shapes.map((s) => `[${s.join(',')}]`).join(', ')} do not fit event shape [${eventShape.join(',')}]`);
    }
    this.fullShape = full;
    this.batchShape = splitBatch(full, eventShape, family);
  }

  /** Per-element log-density; the value broadcasts against the parameters. */
  protected abstract logDensity(value: Tensor): Tensor;
  /** A sample of `shape` = [...batch superset, ...event]; differentiable for reparam families. */
  protected abstract draw(rng: Rng, shape: readonly number[]): Tensor;

  /** Draws without gradient: [...batchShape, ...eventShape]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape);
    return detached(this.paramList(), () => this.draw(rng, shape)); // [...batch, ...event]
  }

  /** log p per element: [...broadcast(value batch, batch), ...event]. */
  logProbElementwise(value: Tensor): Tensor {
    return tf.tidy(() => {
      const lp = this.logDensity(value); // [...broadcast(value, params)]
      return expandTo(lp, broadcastShapes(lp.shape, value.shape, this.fullShape));
    });
  }

  /** log p summed over the event axes: [...broadcast(value batch, batch)]. */
  logProb(value: Tensor): Tensor {
    return tf.tidy(() => sumRightmost(this.logProbElementwise(value), this.eventShape.length)); // [...broadcast(value batch, batch)]
  }

  /** `t` broadcast to [...batch, ...event], a new tensor. */
  protected full(t: Tensor): Tensor {
    return expandTo(t, this.fullShape); // [...batch, ...event]
  }

  /** Sums a per-element entropy over the event axes after broadcasting: [...batch]. */
  protected sumEntropy(h: Tensor): Tensor {
    return sumRightmost(this.full(h), this.eventShape.length); // [...batch]
  }
}
