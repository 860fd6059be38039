/**
 * LogNormal(loc, scale):  log x ~ Normal(loc, scale), so for x > 0
 *   p(x) = exp(-(log x - loc)^2 / (2 scale^2)) / (x scale sqrt(2 pi)).
 * Elementwise; reparameterized as x = exp(loc + scale * eps).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { LogNormal as schema } from './schemas/continuous';
import { LOG_2PI } from './math';
import { standardNormal } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent log-normal elements. */
export class LogNormalDist extends ElementwiseDistribution {
  readonly spec: DistSpec = LogNormal;
  /** The mean of log x. */
  readonly loc: Tensor;
  /** The standard deviation of log x. */
  readonly scale: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const scale = param(params, 'scale');
    super(params, eventShape, 'LogNormal', [loc.shape, scale.shape]);
    this.loc = loc;
    this.scale = scale;
  }

  protected override logDensity(x: Tensor): Tensor {
    const lx = tf.log(x); // [...value]
    const z = tf.div(tf.sub(lx, this.loc), this.scale); // [...batch, ...event]
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.add(tf.log(this.scale), lx), 0.5 * LOG_2PI)); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.exp(tf.add(this.loc, tf.mul(this.scale, standardNormal(shape, rng.seed())))); // [...shape]
  }

  /** exp(loc + scale * eps), differentiable in loc and scale. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** exp(loc + scale^2 / 2), [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.exp(tf.add(this.loc, tf.mul(0.5, tf.square(this.scale)))))); // [...batch, ...event]
  }

  /** expm1(scale^2) exp(2 loc + scale^2), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const s2 = tf.square(this.scale); // [...params]
      return this.full(tf.mul(tf.expm1(s2), tf.exp(tf.add(tf.mul(2, this.loc), s2)))); // [...batch, ...event]
    });
  }

  /** sum over the event of loc + 0.5 + 0.5 log(2 pi) + log scale, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumEntropy(tf.add(tf.add(this.loc, tf.log(this.scale)), 0.5 + 0.5 * LOG_2PI))); // [...batch]
  }
}

/** The LogNormal family: its schema (schemas/continuous.ts) and implementation. */
export const LogNormal: DistSpec = implement(schema, (params, eventShape) => new LogNormalDist(params, eventShape));
