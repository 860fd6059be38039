/**
 * Beta(concentration1 a, concentration0 b):  p(x) = x^(a-1) (1 - x)^(b-1) / B(a, b), 0 < x < 1.
 * Elementwise. Sampled as Ga / (Ga + Gb) with JS Marsaglia–Tsang Gamma variates, combined in
 * log space (x = sigmoid(log Ga - log Gb)) so tiny concentrations do not give 0/0.
 * Reparameterized through the two Gamma variates' implicit gradients (Figurnov et al. 2018).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Beta as schema } from './schemas/continuous';
import { digamma, FLOAT32_TINY, lbeta } from './math';
import { elementwise64 } from './host64';
import { digamma64, lbeta64 } from './special64';
import { logGammaRsample } from './implicit-reparam';
import type { DistSpec, Tensor } from './types';

/** Independent Beta elements. */
export class BetaDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Beta;
  /** a, the exponent of x. */
  readonly concentration1: Tensor;
  /** b, the exponent of 1 - x. */
  readonly concentration0: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const c1 = param(params, 'concentration1');
    const c0 = param(params, 'concentration0');
    super(params, eventShape, 'Beta', [c1.shape, c0.shape]);
    this.concentration1 = c1;
    this.concentration0 = c0;
  }

  /** In float64 on the host: log B(a, b) is a difference of numbers near a log a (host64.ts). */
  protected override logDensity(x: Tensor): Tensor {
    return betaLogDensity(x, this.concentration1, this.concentration0); // [...broadcast(x, a, b)]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return this.ratio(shape, rng, false); // [...shape]
  }

  /** sigmoid(log Ga - log Gb) with implicit gradients of both Gamma variates. Same values as `sample`. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.ratio(this.sampleShape(batchShape), rng, true)); // [...batchShape, ...event]
  }

  private ratio(shape: readonly number[], rng: Rng, differentiable: boolean): Tensor {
    const la = logGammaRsample(this.concentration1, shape, rng.fold(0), differentiable); // [...shape]
    const lb = logGammaRsample(this.concentration0, shape, rng.fold(1), differentiable); // [...shape]
    return tf.clipByValue(tf.sigmoid(tf.sub(la, lb)), FLOAT32_TINY, 1 - 2 ** -24); // [...shape]
  }

  /** a / (a + b), [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.div(this.concentration1, tf.add(this.concentration1, this.concentration0)))); // [...batch, ...event]
  }

  /** a b / ((a + b)^2 (a + b + 1)), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const s = tf.add(this.concentration1, this.concentration0); // [...params]
      const num = tf.mul(this.concentration1, this.concentration0); // [...params]
      return this.full(tf.div(num, tf.mul(tf.square(s), tf.add(s, 1)))); // [...batch, ...event]
    });
  }

  /** sum over the event of log B(a,b) - (a-1) psi(a) - (b-1) psi(b) + (a+b-2) psi(a+b), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const s = tf.add(a, b); // [...params]
      const h = tf.add( // [...params]
        tf.sub(lbeta(a, b), tf.add(tf.mul(tf.sub(a, 1), digamma(a)), tf.mul(tf.sub(b, 1), digamma(b)))),
        tf.mul(tf.sub(s, 2), digamma(s)),
      ); // [...params]
      return this.sumEntropy(h); // [...batch]
    });
  }
}

/** c · l, with 0 · ±∞ = 0 (the density's factor x^(a−1) is 1 at a = 1 even where log x = −∞). */
function times(c: number, l: number): number {
  return c === 0 ? 0 : c * l;
}

/**
 * log Beta(x; a, b) = (a − 1) log x + (b − 1) log(1 − x) − log B(a, b), elementwise in float64;
 * gradients ∂x = (a − 1)/x − (b − 1)/(1 − x), ∂a = log x − ψ(a) + ψ(a + b), ∂b = log(1 − x) − ψ(b) + ψ(a + b).
 */
export function betaLogDensity(x: Tensor, a: Tensor, b: Tensor): Tensor {
  return elementwise64(
    [x, a, b],
    (v) => times(v[1]! - 1, Math.log(v[0]!)) + times(v[2]! - 1, Math.log1p(-v[0]!)) - lbeta64(v[1]!, v[2]!),
    (v, g) => {
      const [xv, av, bv] = [v[0]!, v[1]!, v[2]!];
      const ds = digamma64(av + bv);
      g[0] = (av - 1) / xv - (bv - 1) / (1 - xv);
      g[1] = Math.log(xv) - digamma64(av) + ds;
      g[2] = Math.log1p(-xv) - digamma64(bv) + ds;
    },
  ); // [...broadcast]
}

/** The Beta family: its schema (schemas/continuous.ts) and implementation. */
export const Beta: DistSpec = implement(schema, (params, eventShape) => new BetaDist(params, eventShape));
