/**
 * Exact samplers for counts, in JS double precision on a uniform stream (Rng.uniforms):
 *
 *   Poisson    multiplication of uniforms (Knuth) below a mean of 10; above it the
 *              transformed rejection PTRS of Hörmann (1993), as NumPy uses.
 *   Binomial   inversion below a mean of 10 (Kachitvichyanukul & Schmeiser 1988); above it
 *              the transformed rejection BTRS of Hörmann (1993).
 *   Multinomial  conditional binomials, one category after the other.
 *
 * W. Hörmann, "The transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12 (1993); "The generation of binomial random
 * variates", J. Statist. Comput. Simul. 46 (1993).
 */
import { lgamma64 } from './special64';

/** One Poisson(lambda) variate; lambda >= 0 (NaN for a negative or NaN mean). */
export function poissonVariate(lambda: number, u: () => number): number {
  if (!(lambda >= 0)) return NaN;
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = 1 - u();
    while (p > limit) {
      k++;
      p *= 1 - u();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = u() - 0.5;
    const V = 1 - u();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - lgamma64(k + 1)) return k;
  }
}

/** One Binomial(n, p) variate for an integer n >= 0 and p in [0, 1]. */
export function binomialVariate(n: number, p: number, u: () => number): number {
  if (!(p >= 0 && p <= 1) || !(n >= 0)) return NaN;
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p > 0.5) return n - binomialVariate(n, 1 - p, u);
  const q = 1 - p;
  if (n * p < 10) {
    // Inversion: walk up the pmf from k = 0 with the ratio p(k) / p(k - 1).
    const s = p / q;
    const a = (n + 1) * s;
    let r = Math.exp(n * Math.log1p(-p));
    let v = u();
    let k = 0;
    while (v > r && k < n) {
      v -= r;
      k++;
      r *= a / k - s;
    }
    return k;
  }
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = lgamma64(m + 1) + lgamma64(n - m + 1);
  for (;;) {
    const U = u() - 0.5;
    let V = 1 - u();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && V <= vr) return k;
    V = Math.log((V * alpha) / (a / (us * us) + b));
    if (V <= h - lgamma64(k + 1) - lgamma64(n - k + 1) + (k - m) * lpq) return k;
  }
}

/**
 * One Multinomial(n, p) draw into `out[offset .. offset + k)`: p[offset ..] need not be
 * normalized (non-negative weights).
 */
export function multinomialInto(n: number, p: ArrayLike<number>, offset: number, k: number, out: Float32Array, u: () => number): void {
  let total = 0;
  for (let j = 0; j < k; j++) total += Math.max(p[offset + j]!, 0);
  let left = n;
  for (let j = 0; j < k; j++) {
    const w = Math.max(p[offset + j]!, 0);
    const x = j === k - 1 || total <= 0 ? left : binomialVariate(left, Math.min(1, w / total), u);
    out[offset + j] = x;
    left -= x;
    total -= w;
    if (left === 0) {
      for (let i = j + 1; i < k; i++) out[offset + i] = 0;
      return;
    }
  }
}
