/**
 * Synthetic data sets for tests and demos, generated from a seed.
 *
 *   ring             z ~ N(0, I_2),  x = g(z) + eps,  g(z) = z/10 + z/|z|,  eps ~ N(0, 0.1^2 I_2).
 *                    Points concentrate near the unit circle: a 2-D latent space with a
 *                    nonlinear decoder, the standard toy VAE problem.
 *   two-moons        two interleaved half circles (as sklearn's make_moons): label 0 is
 *                    (cos t, sin t), label 1 is (1 - cos t, 1/2 - sin t), t ~ U(0, pi),
 *                    plus N(0, 0.1^2 I_2) noise; labels alternate 0, 1, 0, ... by index.
 *   linear-gaussian  probabilistic PCA data: x = W z + mu + sigma * eps with z ~ N(0, I_k),
 *                    eps ~ N(0, I_d), d = 10, k = 2, sigma = 0.1 and the fixed W and mu of
 *                    {@link linearGaussianParams}; the exact marginal is N(mu, W W^T + sigma^2 I).
 *
 * Contract. Each generator is a pure function of (n, seed): the same arguments give the same
 * float32 arrays. Ground-truth latents are returned next to the data for evaluation; only the
 * observed columns go into a Dataset.
 */
import { Rng } from '../core/rng';
import type { NdArray } from './ndarray';

/** Standard normal draws from a uniform stream (Box–Muller, both outputs used). */
export function normals(u: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u())); // 1 - u is in (0, 1], so the log is finite
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

function stream(seed: number | Rng, name: string): () => number {
  return (typeof seed === 'number' ? Rng.fromSeed(seed) : seed).foldName(name).uniforms();
}

/** The noise standard deviation of `ring` and `two-moons`. */
export const TOY_NOISE = 0.1;

/** The 2-D ring: observations `x` [n, 2] and their latents `z` [n, 2]. */
export function ringData(n: number, seed: number | Rng): { x: NdArray; z: NdArray } {
  const u = stream(seed, 'ring');
  const z = normals(u, 2 * n);
  const eps = normals(u, 2 * n);
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = z[2 * i] as number;
    const b = z[2 * i + 1] as number;
    const r = Math.hypot(a, b) || 1;
    x[2 * i] = a / 10 + a / r + TOY_NOISE * (eps[2 * i] as number);
    x[2 * i + 1] = b / 10 + b / r + TOY_NOISE * (eps[2 * i + 1] as number);
  }
  return { x: { shape: [n, 2], data: x }, z: { shape: [n, 2], data: z } };
}

/** Two moons: points `x` [n, 2] and labels `y` [n] (int32, 0 or 1). */
export function twoMoonsData(n: number, seed: number | Rng): { x: NdArray; y: NdArray } {
  const u = stream(seed, 'two-moons');
  const eps = normals(u, 2 * n);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.PI * u();
    const label = i % 2;
    y[i] = label;
    const px = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = px + TOY_NOISE * (eps[2 * i] as number);
    x[2 * i + 1] = py + TOY_NOISE * (eps[2 * i + 1] as number);
  }
  return { x: { shape: [n, 2], data: x }, y: { shape: [n], data: y } };
}

/** The true parameters of `linear-gaussian`. */
export interface LinearGaussianParams {
  readonly d: number;
  readonly k: number;
  /** Row-major [d, k]: W_ij = cos(pi (i + 1/2)(j + 1) / d) / (j + 1). */
  readonly W: Float32Array;
  /** mu_i = (i - (d - 1)/2) / d. */
  readonly mu: Float32Array;
  readonly sigma: number;
}

/**
 * The fixed PPCA parameters: the columns of W are scaled DCT-II basis vectors, so they are
 * orthogonal with distinct norms (sqrt(d/2) / (j + 1)), which makes W identifiable up to sign.
 */
export function linearGaussianParams(d = 10, k = 2, sigma = 0.1): LinearGaussianParams {
  const W = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) W[i * k + j] = Math.cos((Math.PI * (i + 0.5) * (j + 1)) / d) / (j + 1);
  const mu = Float32Array.from({ length: d }, (_, i) => (i - (d - 1) / 2) / d);
  return { d, k, W, mu, sigma };
}

/** PPCA data `x` [n, d] and latents `z` [n, k] from {@link linearGaussianParams}. */
export function linearGaussianData(n: number, seed: number | Rng, params = linearGaussianParams()): { x: NdArray; z: NdArray } {
  const { d, k, W, mu, sigma } = params;
  const u = stream(seed, 'linear-gaussian');
  const z = normals(u, n * k);
  const eps = normals(u, n * d);
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let v = (mu[i] as number) + sigma * (eps[r * d + i] as number);
      for (let j = 0; j < k; j++) v += (W[i * k + j] as number) * (z[r * k + j] as number);
      x[r * d + i] = v;
    }
  }
  return { x: { shape: [n, d], data: x }, z: { shape: [n, k], data: z } };
}

/**
 * A float32 copy of `arr` with each entry replaced by NaN (missing) with probability `fraction`,
 * independently of its value (missing completely at random), drawn from `seed`.
 */
export function dropAtRandom(arr: NdArray, fraction: number, seed: number | Rng): NdArray {
  const u = stream(seed, 'drop');
  const data = Float32Array.from(arr.data, (v) => (u() < fraction ? NaN : v));
  return { shape: [...arr.shape], data };
}
