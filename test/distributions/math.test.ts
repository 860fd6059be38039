import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  digamma,
  EULER_GAMMA,
  lbeta,
  lgamma,
  log1mexp,
  log1p,
  trigamma,
  ZETA_MINUS_ONE,
} from '../../src/distributions/math';
import { digammaRef, expectClose, lgammaRef, vals } from './helpers';

const run = (f: (x: tf.Tensor) => tf.Tensor, xs: number[]): number[] =>
  tf.tidy(() => vals(f(tf.tensor1d(xs))));

describe('lgamma', () => {
  it('matches known values', () => {
    // lgamma(0.5) = log sqrt(pi); lgamma(1) = lgamma(2) = 0; lgamma(10) = log 9! = log 362880;
    // lgamma(3.5) = log(15 sqrt(pi) / 8); lgamma(100) = log 99! (Stirling-range check).
    let log99 = 0;
    for (let i = 2; i <= 99; i++) log99 += Math.log(i);
    const xs = [0.5, 1, 2, 10, 3.5, 100];
    const ref = [0.5 * Math.log(Math.PI), 0, 0, Math.log(362880), Math.log((15 * Math.sqrt(Math.PI)) / 8), log99];
    expectClose(run(lgamma, xs), ref, 1e-6, 1e-7);
  });

  it('is float32-accurate on a grid against a double-precision Lanczos reference', () => {
    const xs = [1e-6, 1e-3, 0.1, 0.3, 0.49, 0.51, 0.9, 0.999, 1.001, 1.3, 1.4616, 1.7, 1.999, 2.001, 2.49, 2.51, 3.7, 6.2, 9.9, 10.1, 31, 1e3, 1e5];
    const got = run(lgamma, xs);
    // Compare with the reference at the float32-rounded input; near the zeros at 1 and 2 the
    // tolerance is absolute (1e-7), elsewhere relative (1e-6).
    expectClose(got, xs.map((x) => lgammaRef(Math.fround(x))), 1e-6, 1e-7);
  });

  it('has gradient digamma (custom gradient)', () => {
    const xs = [0.2, 0.7, 1, 1.5, 2.5, 4, 12, 50];
    const g = tf.tidy(() => vals(tf.grad((x: tf.Tensor) => lgamma(x).sum())(tf.tensor1d(xs))));
    expectClose(g, xs.map(digammaRef), 1e-5, 1e-6);
  });
});

describe('digamma and trigamma', () => {
  it('match exact values', () => {
    // digamma(1) = -gamma; digamma(n) = -gamma + H_(n-1); digamma(1/2) = -gamma - 2 log 2;
    // digamma(5/2) = digamma(1/2) + 2 + 2/3.
    const xs = [1, 2, 5, 0.5, 2.5, 20];
    const h = (n: number): number => Array.from({ length: n }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
    const ref = [-EULER_GAMMA, 1 - EULER_GAMMA, -EULER_GAMMA + h(4), -EULER_GAMMA - 2 * Math.LN2, -EULER_GAMMA - 2 * Math.LN2 + 2 + 2 / 3, -EULER_GAMMA + h(19)];
    expectClose(run(digamma, xs), ref, 1e-6, 1e-7);
    expect(Math.abs(run(digamma, [1])[0]! + 0.5772156649)).toBeLessThan(1e-7);
    // trigamma(1) = pi^2/6, trigamma(1/2) = pi^2/2, trigamma(2) = pi^2/6 - 1
    expectClose(run(trigamma, [1, 0.5, 2]), [Math.PI ** 2 / 6, Math.PI ** 2 / 2, Math.PI ** 2 / 6 - 1], 1e-6);
  });

  it('digamma agrees with the numerical derivative of lgamma over a grid, and its gradient is trigamma', () => {
    const xs = [1e-3, 0.05, 0.4, 0.8, 1.2, 1.46, 1.9, 2.3, 3.3, 7.7, 9.99, 10.01, 80];
    expectClose(run(digamma, xs), xs.map((x) => digammaRef(Math.fround(x))), 1e-6, 2e-7);
    const g = tf.tidy(() => vals(tf.grad((x: tf.Tensor) => digamma(x).sum())(tf.tensor1d(xs))));
    expectClose(g, run(trigamma, xs), 1e-6);
  });

  it('uses correct zeta(k) - 1 constants (checked by direct summation)', () => {
    ZETA_MINUS_ONE.forEach((z, i) => {
      const k = i + 2;
      let s = 0;
      const N = 2000;
      for (let n = 2; n <= N; n++) s += n ** -k;
      s += N ** (1 - k) / (k - 1) - N ** -k / 2 + (k * N ** (-k - 1)) / 12; // Euler–Maclaurin tail
      expect(Math.abs(s - z)).toBeLessThan(1e-13);
    });
  });
});

describe('log1p, log1mexp, lbeta', () => {
  it('log1p is accurate for tiny arguments (the wasm kernel is not) and has gradient 1/(1+x)', () => {
    const xs = [1e-8, 1e-6, -1e-5, 3e-3, 0.5, -0.75, 10];
    expectClose(run(log1p, xs), xs.map((x) => Math.log1p(Math.fround(x))), 2e-7, 0);
    const g = tf.tidy(() => vals(tf.grad((x: tf.Tensor) => log1p(x).sum())(tf.tensor1d(xs))));
    expectClose(g, xs.map((x) => 1 / (1 + x)), 1e-6);
  });

  it('log1mexp(x) = log(1 - e^-x)', () => {
    const xs = [1e-6, 0.01, 0.7, 3, 20];
    expectClose(run(log1mexp, xs), xs.map((x) => Math.log(-Math.expm1(-Math.fround(x)))), 1e-6, 1e-7);
  });

  it('lbeta(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)', () => {
    const got = tf.tidy(() => vals(lbeta(tf.tensor1d([0.5, 2, 7.5]), tf.tensor1d([0.5, 3, 0.1]))));
    const ref = [[0.5, 0.5], [2, 3], [7.5, 0.1]].map(([a, b]) => lgammaRef(a!) + lgammaRef(b!) - lgammaRef(a! + b!));
    expectClose(got, ref, 1e-6, 1e-6);
    expect(Math.abs(got[0]! - Math.log(Math.PI))).toBeLessThan(1e-6); // B(1/2, 1/2) = pi
  });
});
