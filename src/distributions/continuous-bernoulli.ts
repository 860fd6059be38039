/**
 * ContinuousBernoulli(logits | probs) (Loaiza-Ganem & Cunningham 2019): on x in [0, 1],
 *   p(x) = C(l) lam^x (1 - lam)^(1 - x),   lam = sigmoid(l),
 *   C(l) = 2 atanh(1 - 2 lam) / (1 - 2 lam) = l / tanh(l / 2)   (-> 2 as lam -> 1/2).
 * log C uses log(l / tanh(l/2)) for |l| >= 0.04 (|lam - 1/2| >~ 0.01) and the Taylor series
 * log 2 + y^2/3 - 7y^4/90 + 62y^6/2835 (y = l/2) inside that window. Elementwise;
 * reparameterized by the inverse CDF x = log1p(u expm1(l)) / l.
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from './softplus';
import type { Rng } from '../core/rng';
import { compare } from './autodiff';
import { implement, ElementwiseDistribution, type Params } from './base';
import { ContinuousBernoulli as schema } from './schemas/continuous';
import { BinaryParam } from './binary';
import { log1p } from './math';
import { uniformOpen } from './sampling';
import type { DistSpec, Tensor } from './types';

/** |logits| below which log C uses its Taylor series. */
export const CB_NORM_WINDOW = 0.04;
const MOMENT_WINDOW = 1; // mean and variance: series below |l| = 1 (error < 3e-8)
const ICDF_WINDOW = 1e-3; // inverse CDF: second-order series below |l| = 1e-3

/** Evaluates `series(l)` where |l| < w and `closed(lSafe)` elsewhere, lSafe = 1 inside (no NaN gradients). */
function windowed(l: Tensor, w: number, series: (l: Tensor) => Tensor, closed: (l: Tensor) => Tensor): Tensor {
  const inside = compare('less', tf.abs(l), w); // [...l]
  const lSafe = tf.where(inside, tf.onesLike(l), l); // [...l]
  return tf.where(inside, series(l), closed(lSafe)); // [...l]
}

/** log C(l), the log normalizer, elementwise in the logits. */
export function cbLogNorm(l: Tensor): Tensor {
  return tf.tidy(() =>
    windowed(
      l,
      CB_NORM_WINDOW,
      (t) => {
        const y2 = tf.square(tf.mul(0.5, t)); // [...l]
        return tf.add(Math.log(2), tf.mul(y2, tf.add(1 / 3, tf.mul(y2, tf.add(-7 / 90, tf.mul(y2, 62 / 2835)))))); // [...l]
      },
      (t) => tf.log(tf.div(t, tf.tanh(tf.mul(0.5, t)))), // [...l]
    ),
  );
}

/** The mean 1 / (1 - e^-l) - 1 / l, elementwise in the logits. */
export function cbMean(l: Tensor): Tensor {
  return tf.tidy(() =>
    windowed(
      l,
      MOMENT_WINDOW,
      (t) => {
        const t2 = tf.square(t); // [...l]
        const odd = tf.add(1 / 12, tf.mul(t2, tf.add(-1 / 720, tf.mul(t2, tf.add(1 / 30240, tf.mul(t2, -1 / 1209600)))))); // [...l]
        return tf.add(0.5, tf.mul(t, odd)); // [...l]
      },
      (t) => tf.sub(tf.neg(tf.reciprocal(tf.expm1(tf.neg(t)))), tf.reciprocal(t)), // [...l]
    ),
  );
}

/** The variance 1 / l^2 - 1 / (4 sinh^2(l / 2)), elementwise in the logits. */
export function cbVariance(l: Tensor): Tensor {
  return tf.tidy(() =>
    windowed(
      l,
      MOMENT_WINDOW,
      (t) => {
        const y2 = tf.square(tf.mul(0.5, t)); // [...l]
        const c = [1 / 3, -1 / 15, 2 / 189, -1 / 675, 2 / 10395];
        let acc: Tensor = tf.scalar(c[4]!); // []
        for (let i = 3; i >= 0; i--) acc = tf.add(tf.mul(acc, y2), c[i]!); // [...l]
        return tf.mul(0.25, acc); // [...l]
      },
      (t) => tf.sub(tf.reciprocal(tf.square(t)), tf.reciprocal(tf.mul(4, tf.square(tf.sinh(tf.mul(0.5, t)))))), // [...l]
    ),
  );
}

/** The inverse CDF at u, elementwise; uses the symmetry X(l) = 1 - X(-l) to keep expm1 bounded. */
export function cbIcdf(l: Tensor, u: Tensor): Tensor {
  return tf.tidy(() => {
    const pos = compare('greater', l, 0); // [...l]
    const a = tf.neg(tf.abs(l)); // [...l] <= 0
    const v = tf.where(pos, tf.sub(1, u), u); // [...u]
    const y = windowed(
      a,
      ICDF_WINDOW,
      (t) => {
        const v2 = tf.square(v); // [...u]
        const c1 = tf.mul(0.5, tf.sub(v, v2)); // [...u]
        const c2 = tf.add(tf.sub(tf.div(v, 6), tf.mul(0.5, v2)), tf.div(tf.mul(v2, v), 3)); // [...u]
        return tf.add(v, tf.mul(t, tf.add(c1, tf.mul(t, c2)))); // [...u]
      },
      (t) => tf.div(log1p(tf.mul(v, tf.expm1(t))), t), // [...u]
    ); // [...u]
    return tf.where(pos, tf.sub(1, y), y); // [...u]
  });
}

/** Independent continuous-Bernoulli elements on [0, 1]. */
export class ContinuousBernoulliDist extends ElementwiseDistribution {
  readonly spec: DistSpec = ContinuousBernoulli;
  /** The logits-or-probs parameter (lam = sigmoid(logits) is the shape parameter, not the mean). */
  readonly p: BinaryParam;

  constructor(params: Params, eventShape: readonly number[]) {
    const p = BinaryParam.from(params);
    super(params, eventShape, 'ContinuousBernoulli', [p.given.shape]);
    this.p = p;
  }

  /** log C(l) + x l - softplus(l). */
  protected override logDensity(x: Tensor): Tensor {
    const l = this.p.logits(); // [...params]
    return tf.add(cbLogNorm(l), tf.sub(tf.mul(x, l), softplus(l))); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return cbIcdf(this.p.logits(), uniformOpen(shape, rng.seed())); // [...shape]
  }

  /** Inverse-CDF sample, differentiable in the logits/probs. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, this.sampleShape(batchShape))); // [...batchShape, ...event]
  }

  /** [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(cbMean(this.p.logits()))); // [...batch, ...event]
  }

  /** [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => this.full(cbVariance(this.p.logits()))); // [...batch, ...event]
  }

  /** sum over the event of -(log C + E[x] l - softplus(l)), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const l = this.p.logits(); // [...params]
      return this.sumEntropy(tf.neg(tf.add(cbLogNorm(l), tf.sub(tf.mul(cbMean(l), l), softplus(l))))); // [...batch]
    });
  }
}

/** The ContinuousBernoulli family: its schema (schemas/continuous.ts) and implementation. */
export const ContinuousBernoulli: DistSpec = implement(schema, (params, eventShape) => new ContinuousBernoulliDist(params, eventShape));
