/**
 * MixtureNormal(weights w, locs mu, scales sigma): a mixture of k diagonal Gaussians over the
 * whole event,  p(x) = sum_j w_j prod_i N(x_i; mu_ji, sigma_ji).
 * Shape rule 'mixture': weights [..., k] (a simplex), locs/scales [..., k, ...S] (the component
 * axis just left of the event). log p via log-sum-exp over components. Not reparameterized.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { BaseDistribution, implement, param, type Params } from './base';
import { MixtureNormal as schema } from './schemas/composite';
import { oneHotFloat } from './classes';
import { FLOAT32_TINY, LOG_2PI } from './math';
import { gumbel, standardNormal } from './sampling';
import { broadcastShapes, expandTo, resolveBatch, splitBatch, sumRightmost } from './shapes';
import type { DistSpec, Tensor } from './types';

/** A finite mixture of diagonal Gaussians. */
export class MixtureNormalDist extends BaseDistribution {
  readonly spec: DistSpec = MixtureNormal;
  readonly batchShape: readonly number[];
  /** Mixture weights [..., k]. */
  readonly weights: Tensor;
  /** Component means [..., k, ...S]. */
  readonly locs: Tensor;
  /** Component standard deviations [..., k, ...S]. */
  readonly scales: Tensor;
  /** The number of components. */
  readonly k: number;

  constructor(params: Params, eventShape: readonly number[]) {
    super(params, eventShape);
    this.weights = param(params, 'weights');
    this.locs = param(params, 'locs');
    this.scales = param(params, 'scales');
    const e = eventShape.length;
    const comp = broadcastShapes(this.locs.shape, this.scales.shape);
    const k = this.weights.shape[this.weights.rank - 1];
    if (k === undefined || comp.length < e + 1 || (comp[comp.length - e - 1] !== k && comp[comp.length - e - 1] !== 1)) {
      throw new Error(`MixtureNormal: weights [${this.weights.shape.join(',')}] and locs/scales [${comp.join(',')}] must be [..., k] and [..., k, ...event]`);
    }
    this.k = k;
    splitBatch(broadcastShapes(comp.slice(comp.length - e), eventShape), eventShape, 'MixtureNormal');
    this.batchShape = broadcastShapes(this.weights.shape.slice(0, -1), comp.slice(0, comp.length - e - 1));
  }

  /** log of the normalized weights, [..., k]. */
  private logWeights(): Tensor {
    const w = tf.clipByValue(this.weights, FLOAT32_TINY, Infinity); // [..., k]
    return tf.sub(tf.log(w), tf.log(tf.sum(this.weights, -1, true))); // [..., k]
  }

  /** Normalized weights with the event axes appended, [..., k, 1, ...]. */
  private weightsE(): Tensor {
    const w = tf.div(this.weights, tf.sum(this.weights, -1, true)); // [..., k]
    return tf.reshape(w, [...w.shape, ...this.eventShape.map(() => 1)]); // [..., k, 1...]
  }

  /** log sum_j w_j N(x; mu_j, sigma_j): [...broadcast(value batch, batch)]. */
  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const e = this.eventShape.length;
      const v = tf.expandDims(value, value.rank - e); // [...V, 1, ...S]
      const z = tf.div(tf.sub(v, this.locs), this.scales); // [..., k, ...S]
      const comp = tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(this.scales), 0.5 * LOG_2PI)); // [..., k, ...S]
      const full = expandTo(comp, broadcastShapes(comp.shape, [this.k, ...this.eventShape])); // [..., k, ...S]
      const perComp = sumRightmost(full, e); // [..., k]
      const out = tf.logSumExp(tf.add(perComp, this.logWeights()), -1); // [...]
      return expandTo(out, broadcastShapes(out.shape, value.shape.slice(0, value.rank - e), this.batchShape));
    });
  }

  /** Picks a component per batch element (Gumbel-max), then draws from it: [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const bs = resolveBatch(this.batchShape, batchShape);
    return detached(this.paramList(), () => {
      const e = this.eventShape.length;
      const c = tf.argMax(tf.add(this.logWeights(), gumbel([...bs, this.k], rng.fold(0).seed())), -1); // [...bs]
      const oh = oneHotFloat(c, this.k); // [...bs, k]
      const ohE = tf.reshape(oh, [...bs, this.k, ...this.eventShape.map(() => 1)]); // [...bs, k, 1...]
      const axis = bs.length;
      const mu = tf.sum(tf.mul(ohE, this.locs), axis); // [...bs, ...S']
      const sd = tf.sum(tf.mul(ohE, this.scales), axis); // [...bs, ...S']
      return tf.add(mu, tf.mul(sd, standardNormal([...bs, ...this.eventShape], rng.fold(1).seed()))); // [...bs, ...S]
    });
  }

  /** sum_j w_j mu_j, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => {
      const m = tf.mul(this.weightsE(), this.locs); // [..., k, ...S']
      return expandTo(tf.sum(m, m.rank - this.eventShape.length - 1), [...this.batchShape, ...this.eventShape]); // [...batch, ...event]
    });
  }

  /** sum_j w_j (sigma_j^2 + mu_j^2) - mean^2 (the diagonal of the covariance), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const w = this.weightsE(); // [..., k, 1...]
      const m2 = tf.mul(w, tf.add(tf.square(this.scales), tf.square(this.locs))); // [..., k, ...S']
      const second = tf.sum(m2, m2.rank - this.eventShape.length - 1); // [..., ...S']
      const mean = this.mean(); // [...batch, ...event]
      return expandTo(tf.sub(second, tf.square(mean)), [...this.batchShape, ...this.eventShape]); // [...batch, ...event]
    });
  }
}

/** The MixtureNormal family: its schema (schemas/composite.ts) and implementation. */
export const MixtureNormal: DistSpec = implement(schema, (params, eventShape) => new MixtureNormalDist(params, eventShape));
