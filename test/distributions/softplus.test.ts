import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softplusFast } from '../../src/distributions/softplus';

describe('fast softplus (sigmoid + atanh series)', () => {
  const xs = Array.from({ length: 8001 }, (_, i) => -40 + i * 0.01);

  it('matches log(1 + e^x) to float32 accuracy, also far in the negative tail', () => {
    const got = tf.tidy(() => softplusFast(tf.tensor1d(xs)).dataSync());
    let worst = 0;
    xs.forEach((x, i) => {
      const exact = Math.log1p(Math.exp(x)); // float64 reference
      worst = Math.max(worst, Math.abs(got[i]! - exact) / exact);
    });
    // float32 epsilon is 6e-8; sigmoid's own rounding and the series' 1.7e-8 remainder add up to ~1e-6.
    expect(worst).toBeLessThan(5e-6);
  });

  it('has the gradient sigmoid(x)', () => {
    const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(softplusFast(t)))(tf.tensor1d(xs)).dataSync());
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(g[i]! - 1 / (1 + Math.exp(-x))))));
    expect(worst).toBeLessThan(1e-6);
  });

  it('never rounds a positive value to zero where the exact one is representable', () => {
    const v = tf.tidy(() => softplusFast(tf.tensor1d([-20, -40, -80])).dataSync());
    expect(v[0]).toBeCloseTo(Math.exp(-20), 12);
    expect(v[1]! / Math.exp(-40)).toBeCloseTo(1, 4);
    expect(v[2]).toBeGreaterThan(0);
  });
});
