/**
 * Missing entries of a data site declared with `?` (any kind but Category, whose `?` makes the
 * label latent where missing). NaN marks a missing entry. Two things happen to it:
 *
 *  - Wherever the program reads the data (an encoder's input, an expression in the model), a
 *    missing entry reads a fill value inside the kind: 0 for Real, Binary and Count, 1/2 for Unit,
 *    1 for Positive, 1/k for Simplex and the first class for OneHot (zero imputation as in
 *    MIWAE, Mattei & Frellsen 2019, where 0 is in the support).
 *  - The site's log-likelihood leaves missing entries out: log p(x_obs | ...) is the sum of the
 *    per-entry log-densities over the observed entries of a family that factorizes over entries,
 *    and the whole example's log-density times "observed whole" for a joint family (the data
 *    layer has checked that such a site's examples are observed or missing whole). No constant
 *    is added for a missing entry: the bound is a bound on log p(x_obs).
 *
 * The fill value lies in the support, so the log-density of a filled entry is finite and the
 * mask (a product, not a select) cannot turn an infinite gradient into NaN.
 */
import * as tf from '@tensorflow/tfjs';
import type { ValueKind } from '../distributions/constraints';
import type { Distribution } from '../distributions/types';

/** A `?` column with its missing entries filled: value [B, ...event] and present [B, ...event] (1 = observed). */
export interface FilledColumn {
  readonly value: tf.Tensor;
  readonly present: tf.Tensor;
}

/** The fill value of one entry of `kind` with last axis `k` (see the module comment). */
function fillTensor(kind: ValueKind, shape: readonly number[]): tf.Tensor {
  const k = shape[shape.length - 1] ?? 1;
  switch (kind) {
    case 'Unit':
      return tf.scalar(0.5);
    case 'Positive':
      return tf.scalar(1);
    case 'Simplex':
      return tf.scalar(1 / k);
    case 'OneHot':
      return tf.oneHot(tf.tensor1d([0], 'int32'), k).reshape([k]).cast('float32'); // [k]
    default:
      return tf.scalar(0);
  }
}

/** Fills the NaN entries of `col` [B, ...event] and returns where it was observed. */
export function fillMissing(col: tf.Tensor, kind: ValueKind, eventShape: readonly number[]): FilledColumn {
  return tf.tidy(() => {
    const x = col.cast('float32'); // [B, ...event]
    const nan = tf.isNaN(x); // [B, ...event] bool
    const fill = tf.broadcastTo(fillTensor(kind, eventShape), x.shape); // [B, ...event]
    return { value: tf.where(nan, fill, x), present: tf.logicalNot(nan).cast('float32') }; // [B, ...event]
  });
}

/**
 * log p(x_obs) of an observed site with missing entries: [...batch]. `present` is
 * [B, ...event] with the site's event rank `rank`; it aligns with the right of the log-densities.
 */
export function maskedLogProb(dist: Distribution, value: tf.Tensor, present: tf.Tensor, rank: number): tf.Tensor {
  if (dist.logProbElementwise) {
    const lp = tf.mul(dist.logProbElementwise(value), present); // [...batch, ...event]
    return rank === 0 ? lp : tf.sum(lp, Array.from({ length: rank }, (_, i) => lp.rank - rank + i)); // [...batch]
  }
  // A joint density: the example counts when it is observed whole.
  const whole = rank === 0 ? present : tf.min(present, Array.from({ length: rank }, (_, i) => i + 1)); // [B]
  return tf.mul(dist.logProb(value), whole); // [...batch]
}
