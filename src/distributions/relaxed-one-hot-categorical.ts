/**
 * RelaxedOneHotCategorical(temperature t, logits | probs): the Concrete / Gumbel-softmax
 * distribution (Maddison et al. 2017; Jang et al. 2017) on the simplex, k classes, a = softmax:
 *   p(y) = (k-1)! t^(k-1) prod_j (a_j y_j^(-t-1)) / (sum_j a_j y_j^(-t))^k
 * (density over the first k-1 coordinates), i.e.
 *   log p(y) = lgamma(k) + (k-1) log t + sum_j (log a_j - (t+1) log y_j) - k logsumexp_j(log a_j - t log y_j).
 * Shape rule 'onehot': event S = [..., k]; temperature broadcasts over S without the class axis.
 * Reparameterized: y = softmax((log a + G) / t), G ~ Gumbel(0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { BaseDistribution, implement, param, type Params } from './base';
import { RelaxedOneHotCategorical as schema } from './schemas/relaxed';
import { ClassParam, logFactorialOf } from './classes';
import { FLOAT32_TINY } from './math';
import { gumbel } from './sampling';
import { broadcastShapes, expandTo, splitBatch, sumRightmost } from './shapes';
import type { DistSpec, Tensor } from './types';

/** Independent Concrete rows over the event. */
export class RelaxedOneHotCategoricalDist extends BaseDistribution {
  readonly spec: DistSpec = RelaxedOneHotCategorical;
  readonly batchShape: readonly number[];
  /** The temperature, shaped like the logits without the class axis (broadcasting). */
  readonly temperature: Tensor;
  /** The logits-or-probs parameter. */
  readonly p: ClassParam;
  private readonly fullShape: readonly number[];

  constructor(params: Params, eventShape: readonly number[]) {
    super(params, eventShape);
    this.temperature = param(params, 'temperature');
    this.p = ClassParam.from(params, 'RelaxedOneHotCategorical');
    if (eventShape.length === 0 || eventShape[eventShape.length - 1] !== this.p.k) {
      throw new Error(`RelaxedOneHotCategorical: event shape [${eventShape.join(',')}] must end with the class count ${this.p.k}`);
    }
    this.fullShape = broadcastShapes(this.p.given.shape, [...this.temperature.shape, 1], eventShape);
    this.batchShape = splitBatch(this.fullShape, eventShape, 'RelaxedOneHotCategorical');
  }

  /** The number of classes. */
  get k(): number {
    return this.p.k;
  }

  /** The temperature with a trailing class axis of 1, [...T, 1]. */
  private tempE(): Tensor {
    return tf.expandDims(this.temperature, -1); // [...T, 1]
  }

  /** Exact Concrete log-density summed over the event rows: [...broadcast(value batch, batch)]. */
  logProb(y: Tensor): Tensor {
    return tf.tidy(() => {
      const k = this.k;
      const t = this.tempE(); // [...T, 1]
      const lp = this.p.logProbs(); // [...params, k]
      const ly = tf.log(y); // [...value]
      const sum = tf.sum(tf.sub(lp, tf.mul(tf.add(t, 1), ly)), -1); // [...rows]
      const lse = tf.logSumExp(tf.sub(lp, tf.mul(t, ly)), -1); // [...rows]
      const c = tf.add(tf.mul(k - 1, tf.log(this.temperature)), logFactorialOf(k)); // [...T]
      const rows = tf.add(tf.sub(sum, tf.mul(k, lse)), c); // [...rows]
      const target = broadcastShapes(rows.shape, this.fullShape.slice(0, -1));
      return sumRightmost(expandTo(rows, target), this.eventShape.length - 1);
    });
  }

  /** softmax((log a + G) / t), clipped below at 2^-126; differentiable in t and the logits. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape);
    return tf.tidy(() => {
      const z = tf.div(tf.add(this.p.logProbs(), gumbel(shape, rng.seed())), this.tempE()); // [...shape]
      return tf.clipByValue(tf.softmax(z, -1), FLOAT32_TINY, 1); // [...shape]
    });
  }

  /** As rsample, without gradient. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return detached(this.paramList(), () => this.rsample(rng, batchShape));
  }
}

/** The RelaxedOneHotCategorical family: its schema (schemas/relaxed.ts) and implementation. */
export const RelaxedOneHotCategorical: DistSpec = implement(schema, (params, eventShape) => new RelaxedOneHotCategoricalDist(params, eventShape));
