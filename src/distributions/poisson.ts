/**
 * Poisson(rate | log_rate):  p(x) = rate^x exp(-rate) / x!, x in {0, 1, 2, ...}.
 * Elementwise; discrete with an infinite support, so not reparameterized (a latent Poisson
 * site gets the score function). Sampled exactly in JS (count-sampling.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import {ElementwiseDistribution, type Params, implement } from './base';
import { poissonVariate } from './count-sampling';
import { FLOAT32_TINY, lgamma } from './math';
import { Poisson as schema } from './schemas/counts';
import type { DistSpec, Tensor } from './types';

/** Independent Poisson counts. */
export class PoissonDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Poisson;
  /** The given parameter: the rate, or its log. */
  readonly given: { readonly kind: 'rate' | 'log_rate'; readonly t: Tensor };

  constructor(params: Params, eventShape: readonly number[]) {
    const r = params['rate'];
    const given = r !== undefined ? { kind: 'rate' as const, t: r } : { kind: 'log_rate' as const, t: params['log_rate']! };
    super(params, eventShape, 'Poisson', [given.t.shape]);
    this.given = given;
  }

  /** The rate, [...params]. */
  rate(): Tensor {
    return tf.tidy(() => (this.given.kind === 'rate' ? this.given.t.clone() : tf.exp(this.given.t))); // [...params]
  }

  /** log rate, [...params] (the rate clipped at 2^-126 so a zero rate gives a finite log). */
  logRate(): Tensor {
    return tf.tidy(() => (this.given.kind === 'log_rate' ? this.given.t.clone() : tf.log(tf.maximum(this.given.t, FLOAT32_TINY)))); // [...params]
  }

  protected override logDensity(x: Tensor): Tensor {
    // x log(rate) - rate - log x!
    return tf.sub(tf.sub(tf.mul(x, this.logRate()), this.rate()), lgamma(tf.add(x, 1))); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const lam = tf.broadcastTo(this.rate(), [...shape]).dataSync(); // read once
    const u = rng.uniforms();
    const out = new Float32Array(lam.length);
    for (let i = 0; i < out.length; i++) out[i] = poissonVariate(lam[i]!, u);
    return tf.tensor(out, [...shape], 'float32'); // [...shape]
  }

  /** rate, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(this.rate())); // [...batch, ...event]
  }

  /** rate, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(this.rate())); // [...batch, ...event]
  }
}

/** The Poisson family. */
export const Poisson: DistSpec = implement(schema, (params, eventShape) => new PoissonDist(params, eventShape));
