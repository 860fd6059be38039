/**
 * Laplace(loc, scale):  p(x) = exp(-|x - loc| / scale) / (2 scale).
 * Elementwise; reparameterized by the inverse CDF: x = loc - scale sign(u) log(1 - |u|),
 * u ~ U(-1, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Laplace as schema } from './schemas/continuous';
import { FLOAT32_EPS, log1p } from './math';
import type { DistSpec, Tensor } from './types';

/** Independent Laplace (double-exponential) elements. */
export class LaplaceDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Laplace;
  /** The location (median). */
  readonly loc: Tensor;
  /** The scale b > 0. */
  readonly scale: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const scale = param(params, 'scale');
    super(params, eventShape, 'Laplace', [loc.shape, scale.shape]);
    this.loc = loc;
    this.scale = scale;
  }

  protected override logDensity(x: Tensor): Tensor {
    const a = tf.div(tf.abs(tf.sub(x, this.loc)), this.scale); // [...batch, ...event]
    return tf.neg(tf.add(a, tf.log(tf.mul(2, this.scale)))); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const u = tf.clipByValue(tf.randomUniform([...shape], -1, 1, 'float32', rng.seed()), FLOAT32_EPS - 1, 1 - FLOAT32_EPS); // [...shape]
    const e = tf.mul(tf.sign(u), log1p(tf.neg(tf.abs(u)))); // [...shape] = -(standard Laplace)
    return tf.sub(this.loc, tf.mul(this.scale, e)); // [...shape]
  }

  /** Inverse-CDF sample, differentiable in loc and scale. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** loc, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(this.loc)); // [...batch, ...event]
  }

  /** 2 scale^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(tf.mul(2, tf.square(this.scale)))); // [...batch, ...event]
  }

  /** sum over the event of 1 + log(2 scale), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumEntropy(tf.add(1, tf.log(tf.mul(2, this.scale))))); // [...batch]
  }
}

/** The Laplace family: its schema (schemas/continuous.ts) and implementation. */
export const Laplace: DistSpec = implement(schema, (params, eventShape) => new LaplaceDist(params, eventShape));
