import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bernoulliLogitsLogProb } from '../../src/distributions/bernoulli-logits';

describe('Bernoulli log-likelihood from logits with a closed-form gradient', () => {
  it('matches autodiff of x l - softplus(l), with broadcasting between l and x', () => {
    const l = tf.randomNormal([3, 2, 4], 0, 3, 'float32', 1); // [K, B, d]
    const x = tf.cast(tf.greater(tf.randomUniform([2, 4], 0, 1, 'float32', 2), 0.5), 'float32'); // [B, d]
    const w = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 3); // a weighting so dy is not all ones
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(w, bernoulliLogitsLogProb(a, b))))([l, x]);
    const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(w, tf.sub(tf.mul(b, a), tf.softplus(a)))))([l, x]);
    for (let i = 0; i < 2; i++) {
      expect(ours[i]!.shape).toEqual(ref[i]!.shape);
      const diff = tf.max(tf.abs(tf.sub(ours[i]!, ref[i]!))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-5); // float32 rounding of the same formulas
    }
    const v = bernoulliLogitsLogProb(l, x);
    const vr = tf.sub(tf.mul(x, l), tf.softplus(l));
    expect(tf.max(tf.abs(tf.sub(v, vr))).dataSync()[0]!).toBeLessThan(1e-5);
    tf.dispose([l, x, w, ...ours, ...ref, v, vr]);
  });
});
