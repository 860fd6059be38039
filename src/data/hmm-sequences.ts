/**
 * `hmm-sequences`: sequences from a discrete hidden Markov model, and their exact
 * log-likelihood by the forward algorithm (Rabiner 1989), the reference models/hmm.vae is
 * measured against (the discrete counterpart of the state-space data set's Kalman filter).
 *
 *   y_0 ~ Categorical(π),  y_t | y_{t−1} ~ Categorical(A[y_{t−1}]),  x_t | y_t ~ N(μ_{y_t}, s² I_d),
 *
 * with K = 3 states, T = 20 steps, d = 2, π uniform, a sticky A (0.8 on the diagonal, 0.1
 * elsewhere), the means μ on a circle of radius 2 (120° apart) and s = 0.8, so the emissions
 * overlap and the posterior over paths is not degenerate.
 *
 * The forward algorithm runs in float64 on the host: log p(x) = log Σ_y π(y_0) Π A Π N(x_t; μ_{y_t}),
 * in log space, O(T K²).
 */
import { Rng } from '../core/rng';
import type { NdArray } from './ndarray';
import { normals } from './synthetic';

export interface HmmParams {
  readonly K: number;
  readonly T: number;
  readonly d: number;
  /** [K] */
  readonly init: Float64Array;
  /** Row-major [K, K]: A[i, j] = p(y_t = j | y_{t−1} = i). */
  readonly trans: Float64Array;
  /** Row-major [K, d]. */
  readonly means: Float64Array;
  readonly scale: number;
}

export function hmmParams(): HmmParams {
  const K = 3;
  const d = 2;
  const init = new Float64Array(K).fill(1 / K);
  const trans = Float64Array.from({ length: K * K }, (_, i) => (Math.floor(i / K) === i % K ? 0.8 : 0.1));
  const means = Float64Array.from({ length: K * d }, (_, i) => {
    const a = (2 * Math.PI * Math.floor(i / d)) / K;
    return 2 * (i % d === 0 ? Math.cos(a) : Math.sin(a));
  });
  return { K, T: 20, d, init, trans, means, scale: 0.8 };
}

/** Draws a class from probabilities `p` (length K) with one uniform. */
function draw(p: ArrayLike<number>, offset: number, K: number, u: number): number {
  let c = 0;
  for (let k = 0; k < K; k++) {
    c += p[offset + k]!;
    if (u < c) return k;
  }
  return K - 1;
}

/** Sequences `x` [n, T, d] (float32) and their states `y` [n, T] (int32). */
export function hmmData(n: number, seed: number | Rng, p = hmmParams()): { x: NdArray; y: NdArray } {
  const { K, T, d, init, trans, means, scale } = p;
  const u = (typeof seed === 'number' ? Rng.fromSeed(seed) : seed).foldName('hmm-sequences').uniforms();
  const noise = normals(u, n * T * d);
  const x = new Float32Array(n * T * d);
  const y = new Int32Array(n * T);
  for (let s = 0; s < n; s++) {
    let prev = -1;
    for (let t = 0; t < T; t++) {
      const k = prev < 0 ? draw(init, 0, K, u()) : draw(trans, prev * K, K, u());
      y[s * T + t] = k;
      for (let i = 0; i < d; i++) x[(s * T + t) * d + i] = means[k * d + i]! + scale * noise[(s * T + t) * d + i]!;
      prev = k;
    }
  }
  return { x: { shape: [n, T, d], data: x }, y: { shape: [n, T], data: y } };
}

function logSumExp(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]!);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.exp(v[i]! - m);
  return m + Math.log(s);
}

/** Exact log p(x_{0:T−1}) of one sequence `x` [T·d] (float64 forward algorithm). */
export function hmmLogLikelihood(x: ArrayLike<number>, p = hmmParams()): number {
  const { K, T, d, init, trans, means, scale } = p;
  const emit = (t: number, k: number): number => {
    let q = 0;
    for (let i = 0; i < d; i++) q += ((x[t * d + i]! - means[k * d + i]!) / scale) ** 2;
    return -0.5 * q - d * Math.log(scale) - 0.5 * d * Math.log(2 * Math.PI);
  };
  let alpha = Float64Array.from({ length: K }, (_, k) => Math.log(init[k]!) + emit(0, k)); // log α_0
  const terms = new Float64Array(K);
  for (let t = 1; t < T; t++) {
    alpha = Float64Array.from({ length: K }, (_, k) => {
      for (let j = 0; j < K; j++) terms[j] = alpha[j]! + Math.log(trans[j * K + k]!);
      return logSumExp(terms) + emit(t, k);
    });
  }
  return logSumExp(alpha);
}
