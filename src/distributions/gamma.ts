/**
 * Gamma(concentration a, rate b):  p(x) = b^a x^(a-1) exp(-b x) / Gamma(a) for x > 0.
 * Elementwise. Sampled by Marsaglia–Tsang in JS, per element, so each element may have its
 * own concentration; reparameterized as x = G / b with G ~ Gamma(a, 1) carrying an implicit
 * reparameterization gradient in a (Figurnov et al. 2018, see implicit-reparam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Gamma as schema } from './schemas/continuous';
import { elementwise64 } from './host64';
import { digamma, FLOAT32_TINY, lgamma } from './math';
import { digamma64, lgamma64 } from './special64';
import { logGammaRsample } from './implicit-reparam';
import type { DistSpec, Tensor } from './types';

const LOG_TINY = Math.log(FLOAT32_TINY);

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

  /** In float64 on the host: a log b and lgamma(a) nearly cancel at large a (host64.ts). */
  protected override logDensity(x: Tensor): Tensor {
    return gammaLogDensity(x, this.concentration, this.rate); // [...broadcast(x, a, b)]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return this.gammaOverRate(shape, rng, false); // [...shape]
  }

  /** G / rate with G ~ Gamma(a, 1): implicit gradient in a, pathwise in the rate. Same values as `sample`. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.gammaOverRate(this.sampleShape(batchShape), rng, true)); // [...batchShape, ...event]
  }

  private gammaOverRate(shape: readonly number[], rng: Rng, differentiable: boolean): Tensor {
    const lg = logGammaRsample(this.concentration, shape, rng, differentiable); // [...shape] log G
    return tf.div(tf.exp(tf.maximum(lg, LOG_TINY)), this.rate); // [...shape]
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

/**
 * log Gamma(x; a, b) = a log b − lgamma(a) + (a − 1) log x − b x, elementwise in float64;
 * gradients ∂x = (a − 1)/x − b, ∂a = log(b x) − ψ(a), ∂b = a/b − x.
 */
export function gammaLogDensity(x: Tensor, a: Tensor, b: Tensor): Tensor {
  return elementwise64(
    [x, a, b],
    (v) => {
      const [xv, av, bv] = [v[0]!, v[1]!, v[2]!];
      return av * Math.log(bv) - lgamma64(av) + (av === 1 ? 0 : (av - 1) * Math.log(xv)) - bv * xv;
    },
    (v, g) => {
      const [xv, av, bv] = [v[0]!, v[1]!, v[2]!];
      g[0] = (av - 1) / xv - bv;
      g[1] = Math.log(bv * xv) - digamma64(av);
      g[2] = av / bv - xv;
    },
  ); // [...broadcast]
}

/** The Gamma family: its schema (schemas/continuous.ts) and implementation. */
export const Gamma: DistSpec = implement(schema, (params, eventShape) => new GammaDist(params, eventShape));
