/**
 * Normal(loc, scale):  p(x) = exp(-(x - loc)^2 / (2 scale^2)) / (scale sqrt(2 pi)).
 * Elementwise; reparameterized as x = loc + scale * eps, eps ~ N(0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { Normal as schema } from './schemas/continuous';
import { fusedNormalLogPdf, fusedNormalRsample } from '../kernels/ops';
import { LOG_2PI } from './math';
import { standardNormal } from './sampling';
import type { DistSpec, Tensor } from './types';

/** A diagonal Gaussian over the event. */
export class NormalDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Normal;
  /** The mean (not owned). */
  readonly loc: Tensor;
  /** The standard deviation (not owned). */
  readonly scale: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const scale = param(params, 'scale');
    super(params, eventShape, 'Normal', [loc.shape, scale.shape]);
    this.loc = loc;
    this.scale = scale;
  }

  protected override logDensity(x: Tensor): Tensor {
    const fused = fusedNormalLogPdf(x, this.loc, this.scale); // [...batch, ...event] in one kernel on wasm
    if (fused) return fused;
    const z = tf.div(tf.sub(x, this.loc), this.scale); // [...batch, ...event]
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(this.scale), 0.5 * LOG_2PI)); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const eps = standardNormal(shape, rng.seed()); // [...shape]
    return fusedNormalRsample(this.loc, this.scale, eps) ?? tf.add(this.loc, tf.mul(this.scale, eps)); // [...shape]
  }

  /** loc + scale * eps, differentiable in loc and scale. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** loc, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(this.loc)); // [...batch, ...event]
  }

  /** scale^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(tf.square(this.scale))); // [...batch, ...event]
  }

  /** sum over the event of 0.5 log(2 pi e scale^2), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumEntropy(tf.add(tf.log(this.scale), 0.5 + 0.5 * LOG_2PI))); // [...batch]
  }
}

/** The Normal family: its schema (schemas/continuous.ts) and implementation. */
export const Normal: DistSpec = implement(schema, (params, eventShape) => new NormalDist(params, eventShape));
