/**
 * DiscretizedLogistic(loc mu, scale s) for 8-bit pixels x in {0, 1/255, ..., 1}
 * (PixelCNN++, Salimans et al. 2017; IAF, Kingma et al. 2016). With h = 1/510 (half a bin)
 * and sigma the logistic CDF:
 *   P(x) = sigma((x + h - mu)/s) - sigma((x - h - mu)/s)   for 0 < x < 1,
 *   P(0) = sigma((h - mu)/s),   P(1) = 1 - sigma((1 - h - mu)/s).
 * Interior: log P = log sigma(a) + log(1 - sigma(b)) + log(1 - e^(b - a)) (exact, no cancellation),
 * with a = (x + h - mu)/s, b = (x - h - mu)/s; the edges use -softplus(-a) and -softplus(b).
 * Elementwise; not reparameterized (sample = round(255 (mu + s L)) / 255, clipped to [0, 1]).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { compare } from './autodiff';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { DiscretizedLogistic as schema } from './schemas/continuous';
import { log1mexp } from './math';
import { logistic } from './sampling';
import type { DistSpec, Tensor } from './types';

/** The number of intervals between 0 and 1 (8-bit pixels). */
export const PIXEL_LEVELS = 255;
const HALF_BIN = 0.5 / PIXEL_LEVELS;

/** Independent discretized-logistic pixels in [0, 1]. */
export class DiscretizedLogisticDist extends ElementwiseDistribution {
  readonly spec: DistSpec = DiscretizedLogistic;
  /** The logistic location (pixel scale [0, 1]). */
  readonly loc: Tensor;
  /** The logistic scale > 0. */
  readonly scale: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const scale = param(params, 'scale');
    super(params, eventShape, 'DiscretizedLogistic', [loc.shape, scale.shape]);
    this.loc = loc;
    this.scale = scale;
  }

  protected override logDensity(x: Tensor): Tensor {
    const c = tf.sub(x, this.loc); // [...batch, ...event]
    const a = tf.div(tf.add(c, HALF_BIN), this.scale); // [...batch, ...event] upper edge
    const b = tf.div(tf.sub(c, HALF_BIN), this.scale); // [...batch, ...event] lower edge
    const logCdfA = tf.neg(tf.softplus(tf.neg(a))); // log sigma(a)
    const logSfB = tf.neg(tf.softplus(b)); // log(1 - sigma(b))
    const width = log1mexp(tf.div(2 * HALF_BIN, this.scale)); // [...params] log(1 - e^(b - a))
    const interior = tf.add(tf.add(logCdfA, logSfB), width); // [...batch, ...event]
    const low = compare('less', x, HALF_BIN); // x = 0
    const high = compare('greater', x, 1 - HALF_BIN); // x = 1
    return tf.where(low, logCdfA, tf.where(high, logSfB, interior)); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const y = tf.add(this.loc, tf.mul(this.scale, logistic(shape, rng.seed()))); // [...shape]
    return tf.clipByValue(tf.div(tf.round(tf.mul(y, PIXEL_LEVELS)), PIXEL_LEVELS), 0, 1); // [...shape]
  }
}

/** The DiscretizedLogistic family: its schema (schemas/continuous.ts) and implementation. */
export const DiscretizedLogistic: DistSpec = implement(schema, (params, eventShape) => new DiscretizedLogisticDist(params, eventShape));
