/**
 * StudentT(df nu, loc, scale):  with z = (x - loc) / scale,
 *   p(x) = Gamma((nu+1)/2) / (Gamma(nu/2) sqrt(nu pi) scale) (1 + z^2 / nu)^(-(nu+1)/2).
 * Elementwise. Sampled as loc + scale * Z sqrt(nu / V), Z ~ N(0,1), V ~ chi^2(nu) = 2 Gamma(nu/2)
 * (JS Marsaglia–Tsang). rsample is pathwise in loc and scale; df gets no pathwise gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { compare, detached } from './autodiff';
import { implement, ElementwiseDistribution, param, type Params } from './base';
import { StudentT as schema } from './schemas/continuous';
import { digamma, lbeta, lgamma, log1p, LOG_PI } from './math';
import { gammaVariates, standardNormal } from './sampling';
import type { DistSpec, Tensor } from './types';

/** Independent Student-t elements. */
export class StudentTDist extends ElementwiseDistribution {
  readonly spec: DistSpec = StudentT;
  /** Degrees of freedom nu > 0. */
  readonly df: Tensor;
  /** Location. */
  readonly loc: Tensor;
  /** Scale > 0. */
  readonly scale: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const df = param(params, 'df');
    const loc = param(params, 'loc');
    const scale = param(params, 'scale');
    super(params, eventShape, 'StudentT', [df.shape, loc.shape, scale.shape]);
    this.df = df;
    this.loc = loc;
    this.scale = scale;
  }

  protected override logDensity(x: Tensor): Tensor {
    const nu = this.df;
    const half = tf.mul(0.5, tf.add(nu, 1)); // [...params] (nu + 1) / 2
    const z = tf.div(tf.sub(x, this.loc), this.scale); // [...batch, ...event]
    const norm = tf.sub(tf.sub(lgamma(half), lgamma(tf.mul(0.5, nu))), tf.mul(0.5, tf.add(tf.log(nu), LOG_PI))); // [...params]
    const kern = tf.mul(half, log1p(tf.div(tf.square(z), nu))); // [...batch, ...event]
    return tf.sub(tf.sub(norm, tf.log(this.scale)), kern); // [...batch, ...event]
  }

  /** The standard-t variates Z sqrt(nu / V), without gradient. */
  private standardT(rng: Rng, shape: readonly number[]): Tensor {
    const g = gammaVariates(tf.mul(0.5, this.df), shape, rng.fold(1)); // [...shape] V / 2
    return tf.mul(standardNormal(shape, rng.fold(0).seed()), tf.sqrt(tf.div(tf.mul(0.5, this.df), g))); // [...shape]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const t = detached([this.df], () => this.standardT(rng, shape)); // [...shape], no gradient
    return tf.add(this.loc, tf.mul(this.scale, t)); // [...shape]
  }

  /** loc + scale * T, differentiable in loc and scale (T is held fixed). */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** loc where df > 1, else NaN; [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.where(compare('greater', this.df, 1), this.loc, NaN))); // [...batch, ...event]
  }

  /** scale^2 df / (df - 2) where df > 2, Infinity for 1 < df <= 2, else NaN; [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const v = tf.div(tf.mul(tf.square(this.scale), this.df), tf.sub(this.df, 2)); // [...params]
      const mid = tf.where(compare('greater', this.df, 1), Infinity, NaN); // [...df]
      return this.full(tf.where(compare('greater', this.df, 2), v, mid)); // [...batch, ...event]
    });
  }

  /**
   * sum over the event of (nu+1)/2 (psi((nu+1)/2) - psi(nu/2)) + log(sqrt(nu) B(nu/2, 1/2)) + log scale,
   * [...batch].
   */
  entropy(): Tensor {
    return tf.tidy(() => {
      const nu = this.df;
      const half = tf.mul(0.5, tf.add(nu, 1)); // [...params]
      const a = tf.mul(half, tf.sub(digamma(half), digamma(tf.mul(0.5, nu)))); // [...params]
      const b = tf.add(tf.mul(0.5, tf.log(nu)), lbeta(tf.mul(0.5, nu), 0.5)); // [...params]
      return this.sumEntropy(tf.add(tf.add(a, b), tf.log(this.scale))); // [...batch]
    });
  }
}

/** The StudentT family: its schema (schemas/continuous.ts) and implementation. */
export const StudentT: DistSpec = implement(schema, (params, eventShape) => new StudentTDist(params, eventShape));
