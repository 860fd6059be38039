/**
 * Shared helpers for the distribution tests: double-precision reference functions written
 * independently of src/distributions, and small statistics utilities.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';
import { getDistSpec } from '../../src/distributions/registry';
import type { Distribution, Tensor } from '../../src/distributions/types';

/** The test root key. */
export const rng = (n: number): Rng => Rng.fromSeed(TEST_SEED).fold(n);

/** Builds a distribution from plain arrays (float32 tensors). */
export function make(name: string, params: Record<string, number | number[] | number[][]>, eventShape: number[] = []): Distribution {
  const spec = getDistSpec(name);
  if (!spec) throw new Error(`no family ${name}`);
  const ts: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(params)) ts[k] = tf.tensor(v as number[], undefined, 'float32');
  return spec.create(ts, eventShape);
}

/** The values of a tensor as a plain array (disposes nothing). */
export function vals(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Expects |a - b| <= abs + rel |b| elementwise. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-5, abs = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (y === Infinity || y === -Infinity || Number.isNaN(y)) {
      expect(x).toBe(y);
      continue;
    }
    const tol = abs + rel * Math.abs(y);
    if (!(Math.abs(x - y) <= tol)) throw new Error(`element ${i}: got ${x}, expected ${y} (tol ${tol})`);
  }
}

// ---- double-precision special functions (independent of src/distributions/math.ts) ----

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Gamma(x) in double precision (Lanczos g = 7, n = 9, reflection below 1/2). */
export function lgammaRef(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaRef(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** digamma by a central difference of lgammaRef (error ~1e-9 for x >= 0.1). */
export function digammaRef(x: number): number {
  const h = 1e-5 * Math.max(x, 0.01);
  return (lgammaRef(x + h) - lgammaRef(x - h)) / (2 * h);
}

/** The standard normal CDF via erf by its Taylor series / asymptotic limit. */
export function erfRef(x: number): number {
  if (Math.abs(x) > 5) return Math.sign(x);
  let s = 0;
  let t = x;
  for (let n = 0; n < 300; n++) {
    s += t / (2 * n + 1);
    t *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

export const sigmoidRef = (x: number): number => 1 / (1 + Math.exp(-x));

/** Composite Simpson integral of f on [a, b] with n (even) intervals. */
export function simpson(f: (x: number) => number, a: number, b: number, n = 2000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** Sample mean, variance, and the standard errors of both (SE(var) from the 4th central moment). */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number; seMean: number; seVar: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]!;
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  return { mean: m, variance: m2, seMean: Math.sqrt(m2 / n), seVar: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) };
}

/**
 * Checks sample mean and variance against the exact values within 5 standard errors.
 * The SEs are sd/sqrt(N) for the mean and sqrt((m4 - s^4)/N) for the variance, both from the sample.
 */
export function expectMoments(xs: ArrayLike<number>, mean: number, variance: number): void {
  const s = moments(xs);
  expect(Math.abs(s.mean - mean)).toBeLessThan(5 * s.seMean + 1e-6);
  expect(Math.abs(s.variance - variance)).toBeLessThan(5 * s.seVar + 1e-6);
}

/** Values of column j of a row-major [n, m] array. */
export function column(xs: ArrayLike<number>, m: number, j: number): number[] {
  const out: number[] = [];
  for (let i = j; i < xs.length; i += m) out.push(xs[i]!);
  return out;
}
