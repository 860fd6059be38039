/**
 * Exponential(rate):  p(x) = rate exp(-rate x) for x >= 0.
 * Elementwise; reparameterized by the inverse CDF: x = -log(u) / rate, u ~ U(0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Exponential as schema } from './schemas/continuous';
import { uniformOpen } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent exponential elements. */
export class ExponentialDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Exponential;
  /** The rate lambda > 0 (inverse mean). */
  readonly rate: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const rate = param(params, 'rate');
    super(params, eventShape, 'Exponential', [rate.shape]);
    this.rate = rate;
  }

  protected override logDensity(x: Tensor): Tensor {
    return tf.sub(tf.log(this.rate), tf.mul(this.rate, x)); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.div(tf.neg(tf.log(uniformOpen(shape, rng.seed()))), this.rate); // [...shape]
  }

  /** -log(u) / rate, differentiable in rate. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** 1 / rate, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.reciprocal(this.rate))); // [...batch, ...event]
  }

  /** 1 / rate^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(tf.reciprocal(tf.square(this.rate)))); // [...batch, ...event]
  }

  /** sum over the event of 1 - log rate, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumEntropy(tf.sub(1, tf.log(this.rate)))); // [...batch]
  }
}

/** The Exponential family: its schema (schemas/continuous.ts) and implementation. */
export const Exponential: DistSpec = implement(schema, (params, eventShape) => new ExponentialDist(params, eventShape));
