/**
 * Implicit reparameterization gradients of Gamma, Beta and Dirichlet (Figurnov et al. 2018).
 *
 * 1. Per sample: the gradient d log x / d a of one Gamma(a, 1) variate equals the derivative
 *    of the inverse CDF at the variate's own quantile u = P(a, x), computed here independently
 *    (a plain power series for P, bisection for the inverse, a central difference in a).
 * 2. In expectation: the mean of the pathwise gradients over many samples matches the exact
 *    derivative of a known expectation, within 5 standard errors of the sample mean.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { logGammaRsample } from '../../src/distributions/implicit-reparam';
import { getDistSpec } from '../../src/distributions/registry';
import type { Tensor } from '../../src/distributions/types';
import { digammaRef, lgammaRef, moments, rng, vals } from './helpers';

/** P(a, x) by its power series in log space (independent of src/distributions/math64.ts). */
function gammaPRef(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200000; n++) {
    term *= x / (a + n);
    sum += term;
    if (term < 1e-18 * sum && n > x) break;
  }
  return Math.exp(a * Math.log(x) - x - lgammaRef(a + 1) + Math.log(sum));
}

/** log of the inverse of P(a, .) at u, by bisection on log x. */
function logGammaQuantile(a: number, u: number): number {
  let lo = -800;
  let hi = Math.log(a + 50 * Math.sqrt(a) + 50);
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaPRef(a, Math.exp(mid)) < u) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Trigamma by a central difference of digammaRef (itself a difference: ~1e-5 relative). */
function trigammaRef(a: number): number {
  const h = 1e-3 * a;
  return (digammaRef(a + h) - digammaRef(a - h)) / (2 * h);
}

describe('Gamma: the implicit gradient of each variate', () => {
  it('equals d/da of the inverse CDF at the variate\'s quantile, for a from 0.05 to 1000', () => {
    const as = [0.05, 0.3, 1, 2.5, 10, 100, 1000];
    let checked = 0;
    for (const a of as) {
      const [lg, grad] = tf.tidy(() => {
        const alpha = tf.fill([8], a);
        const f = (al: Tensor): Tensor => logGammaRsample(al, [8], rng(11));
        const g = tf.grad((al: Tensor) => tf.sum(tf.mul(f(al), tf.oneHot(3, 8).cast('float32'))))(alpha);
        return [vals(f(alpha)), vals(g)];
      });
      // Element 3 of the same stream: gradient of the sum picks only it.
      const lx = lg[3]!;
      const u = gammaPRef(a, Math.exp(lx));
      if (u < 1e-6 || u > 1 - 1e-6) continue; // a quantile too close to 0 or 1 for a finite difference
      const h = 1e-4 * a;
      const ref = (logGammaQuantile(a + h, u) - logGammaQuantile(a - h, u)) / (2 * h);
      expect(Math.abs(grad[3]! - ref), `a = ${a}: ${grad[3]} vs ${ref}`).toBeLessThan(2e-3 * Math.abs(ref) + 1e-5);
      grad.forEach((g, i) => i !== 3 && expect(g).toBe(0));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('the mean pathwise gradient of E[log x] is trigamma(a), of E[x] is 1/rate (Gamma(a, rate))', () => {
    // N = 4000 samples per a; each check is within 5 SE of the sample mean of the per-sample gradients.
    const N = 4000;
    for (const a of [0.1, 1, 7]) {
      const rate = 2;
      const { glog, gmean, gRate } = tf.tidy(() => {
        const spec = getDistSpec('Gamma')!;
        const al = tf.fill([N], a);
        const rt = tf.fill([N], rate);
        // d/da of sum_i log x_i gives per-sample gradients (each x_i depends on a_i only).
        const g1 = tf.grad((x: Tensor) => tf.sum(tf.log(spec.create({ concentration: x, rate: rt }, []).rsample!(rng(21)))))(al);
        const [g2, g3] = tf.grads((x: Tensor, r: Tensor) => tf.sum(spec.create({ concentration: x, rate: r }, []).rsample!(rng(22))))([al, rt]);
        return { glog: vals(g1), gmean: vals(g2!), gRate: vals(g3!) };
      });
      const m1 = moments(glog);
      expect(Math.abs(m1.mean - trigammaRef(a))).toBeLessThan(5 * m1.seMean + 1e-4);
      const m2 = moments(gmean);
      expect(Math.abs(m2.mean - 1 / rate)).toBeLessThan(5 * m2.seMean + 1e-4);
      // d/d rate of E[x] = -a / rate^2.
      const m3 = moments(gRate);
      expect(Math.abs(m3.mean + a / rate ** 2)).toBeLessThan(5 * m3.seMean + 1e-4);
    }
  });

  it('rsample draws exactly the values sample draws from the same key', () => {
    tf.tidy(() => {
      const d = getDistSpec('Gamma')!.create({ concentration: tf.tensor([0.2, 3, 40]), rate: tf.scalar(1.5) }, [3]);
      expect(vals(d.rsample!(rng(5), [4]))).toEqual(vals(d.sample(rng(5), [4])));
      const b = getDistSpec('Beta')!.create({ concentration1: tf.tensor([0.2, 3, 40]), concentration0: tf.scalar(1.5) }, [3]);
      expect(vals(b.rsample!(rng(6), [4]))).toEqual(vals(b.sample(rng(6), [4])));
    });
  });
});

describe('Beta through two Gamma variates', () => {
  it('the mean pathwise gradient of E[x] = a / (a + b) is b / (a + b)^2 in a and -a / (a + b)^2 in b', () => {
    // N = 4000; within 5 SE of the sample mean of the per-sample gradients.
    const N = 4000;
    for (const [a, b] of [[0.5, 0.5], [2, 5], [30, 3]] as const) {
      const [ga, gb] = tf.tidy(() => {
        const spec = getDistSpec('Beta')!;
        const gs = tf.grads((x: Tensor, y: Tensor) => tf.sum(spec.create({ concentration1: x, concentration0: y }, []).rsample!(rng(31))))([tf.fill([N], a), tf.fill([N], b)]);
        return gs.map(vals);
      });
      const ma = moments(ga!);
      const mb = moments(gb!);
      expect(Math.abs(ma.mean - b / (a + b) ** 2)).toBeLessThan(5 * ma.seMean + 1e-4);
      expect(Math.abs(mb.mean + a / (a + b) ** 2)).toBeLessThan(5 * mb.seMean + 1e-4);
    }
  });
});
