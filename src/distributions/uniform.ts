/**
 * Uniform(low, high):  p(x) = 1 / (high - low) for low <= x <= high, 0 elsewhere.
 * Elementwise; reparameterized as x = low + (high - low) u, u ~ U(0, 1).
 * Defaults: low = 0, high = 1.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { implement, ElementwiseDistribution, type Params } from './base';
import { Uniform as schema } from './schemas/continuous';
import { uniformOpen } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent uniform elements on [low, high]. */
export class UniformDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Uniform;
  /** The lower bound (a number when defaulted). */
  readonly low: Tensor | number;
  /** The upper bound (a number when defaulted). */
  readonly high: Tensor | number;

  constructor(params: Params, eventShape: readonly number[]) {
    const low = params['low'] ?? 0;
    const high = params['high'] ?? 1;
    const shapes = [low, high].flatMap((t) => (typeof t === 'number' ? [] : [t.shape]));
    super(params, eventShape, 'Uniform', shapes);
    this.low = low;
    this.high = high;
  }

  /** high - low. */
  width(): Tensor {
    return tf.sub(this.high, this.low); // [...params]
  }

  protected override logDensity(x: Tensor): Tensor {
    const bounds = [this.low, this.high].filter((t): t is Tensor => typeof t !== 'number');
    const inside = detached([x, ...bounds], () => tf.logicalAnd(tf.greaterEqual(x, this.low), tf.lessEqual(x, this.high))); // [...batch, ...event] bool
    return tf.where(inside, tf.neg(tf.log(this.width())), -Infinity); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.add(this.low, tf.mul(this.width(), uniformOpen(shape, rng.seed()))); // [...shape]
  }

  /** low + (high - low) u, differentiable in low and high. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** (low + high) / 2, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.mul(0.5, tf.add(this.low, this.high)))); // [...batch, ...event]
  }

  /** (high - low)^2 / 12, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(tf.div(tf.square(this.width()), 12))); // [...batch, ...event]
  }

  /** sum over the event of log(high - low), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumEntropy(tf.log(this.width()))); // [...batch]
  }
}

/** The Uniform family: its schema (schemas/continuous.ts) and implementation. */
export const Uniform: DistSpec = implement(schema, (params, eventShape) => new UniformDist(params, eventShape));
