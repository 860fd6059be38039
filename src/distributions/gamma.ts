/**
 * Gamma(concentration a, rate b):  p(x) = b^a x^(a-1) exp(-b x) / Gamma(a) for x > 0.
 * Elementwise; not reparameterized (score-function gradients). Sampled by Marsaglia–Tsang
 * in JS, per element, so each element may have its own concentration.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Gamma as schema } from './schemas/continuous';
import { digamma, lgamma } from './math';
import { gammaVariates } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent Gamma elements (shape/rate parameterization). */
export class GammaDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Gamma;
  /** The shape a > 0. */
  readonly concentration: Tensor;
  /** The rate b > 0 (inverse scale). */
  readonly rate: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const concentration = param(params, 'concentration');
    const rate = param(params, 'rate');
    super(params, eventShape, 'Gamma', [concentration.shape, rate.shape]);
    this.concentration = concentration;
    this.rate = rate;
  }

  protected override logDensity(x: Tensor): Tensor {
    const a = this.concentration;
    const t = tf.sub(tf.mul(a, tf.log(this.rate)), lgamma(a)); // [...params]
    return tf.add(t, tf.sub(tf.mul(tf.sub(a, 1), tf.log(x)), tf.mul(this.rate, x))); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.div(gammaVariates(this.concentration, shape, rng), this.rate); // [...shape]
  }

  /** a / b, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.div(this.concentration, this.rate))); // [...batch, ...event]
  }

  /** a / b^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(tf.div(this.concentration, tf.square(this.rate)))); // [...batch, ...event]
  }

  /** sum over the event of a - log b + lgamma(a) + (1 - a) digamma(a), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const a = this.concentration;
      const h = tf.add(tf.sub(a, tf.log(this.rate)), tf.add(lgamma(a), tf.mul(tf.sub(1, a), digamma(a)))); // [...params]
      return this.sumEntropy(h); // [...batch]
    });
  }
}

/** The Gamma family: its schema (schemas/continuous.ts) and implementation. */
export const Gamma: DistSpec = implement(schema, (params, eventShape) => new GammaDist(params, eventShape));
