/**
 * RelaxedBernoulli(temperature t, logits | probs): the binary Concrete distribution
 * (Maddison et al. 2017; Jang et al. 2017) on y in (0, 1), with a = exp(logits):
 *   p(y) = t a y^(-t-1) (1 - y)^(-t-1) / (a y^(-t) + (1 - y)^(-t))^2,
 *   log p(y) = log t + l - (t + 1) log y + (t - 1) log(1 - y) - 2 softplus(l - t log y + t log(1 - y)).
 * Elementwise; reparameterized as y = sigmoid((l + L) / t), L ~ Logistic(0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { RelaxedBernoulli as schema } from './schemas/relaxed';
import { BinaryParam } from './binary';
import { FLOAT32_EPS, log1p } from './math';
import { logistic } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent binary-Concrete elements. */
export class RelaxedBernoulliDist extends ElementwiseDistribution {
  readonly spec: DistSpec = RelaxedBernoulli;
  /** The temperature t > 0 (t -> 0 approaches Bernoulli). */
  readonly temperature: Tensor;
  /** The logits-or-probs parameter. */
  readonly p: BinaryParam;

  constructor(params: Params, eventShape: readonly number[]) {
    const temperature = param(params, 'temperature');
    const p = BinaryParam.from(params);
    super(params, eventShape, 'RelaxedBernoulli', [temperature.shape, p.given.shape]);
    this.temperature = temperature;
    this.p = p;
  }

  protected override logDensity(y: Tensor): Tensor {
    const t = this.temperature;
    const l = this.p.logits(); // [...params]
    const ly = tf.log(y); // [...value]
    const l1y = log1p(tf.neg(y)); // [...value]
    const s = tf.add(tf.sub(l, tf.mul(t, ly)), tf.mul(t, l1y)); // [...batch, ...event]
    const a = tf.add(tf.log(t), l); // [...params]
    const b = tf.add(tf.mul(tf.neg(tf.add(t, 1)), ly), tf.mul(tf.sub(t, 1), l1y)); // [...batch, ...event]
    return tf.sub(tf.add(a, b), tf.mul(2, tf.softplus(s))); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const z = tf.div(tf.add(this.p.logits(), logistic(shape, rng.seed())), this.temperature); // [...shape]
    return tf.clipByValue(tf.sigmoid(z), FLOAT32_EPS, 1 - FLOAT32_EPS); // [...shape]
  }

  /** sigmoid((l + L) / t), clipped to [eps, 1 - eps]; differentiable in t and the logits. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }
}

/** The RelaxedBernoulli family: its schema (schemas/relaxed.ts) and implementation. */
export const RelaxedBernoulli: DistSpec = implement(schema, (params, eventShape) => new RelaxedBernoulliDist(params, eventShape));
