/**
 * `state-space`: sequences from a linear-Gaussian state-space model, and their exact
 * log-likelihood by the Kalman filter, the reference a deep Markov model (models/dmm.vae) is
 * measured against (the sequence counterpart of PPCA's closed-form marginal).
 *
 *   z_0 ~ N(0, I_k),   z_t = A z_{t-1} + q·eps_t,   x_t = C z_t + r·nu_t,   t = 0..T-1,
 *
 * with eps_t ~ N(0, I_k), nu_t ~ N(0, I_d), k = 2, d = 3, T = 10, A = 0.9·R(π/8) (a damped
 * rotation), q = 0.3, r = 0.2 and the fixed C of {@link stateSpaceParams}.
 *
 * `state-space-ragged` cuts each sequence at a length drawn uniformly from 1..T and pads the rest
 * with NaN ({@link stateSpaceRaggedData}); its exact log-likelihood is the filter run over the
 * steps before the padding ({@link kalmanRaggedLogLikelihood}).
 *
 * The filter runs in float64 on the host: log p(x_{0:T-1}) = Σ_t log N(x_t; C m_t⁻, C P_t⁻ Cᵀ + r²I)
 * with the predicted moments m_t⁻, P_t⁻ (Kalman 1960; the prediction-error decomposition).
 */
import { Rng } from '../core/rng';
import type { NdArray } from './ndarray';
import { normals } from './synthetic';

export interface StateSpaceParams {
  readonly k: number;
  readonly d: number;
  readonly T: number;
  /** Row-major [k, k]. */
  readonly A: Float64Array;
  /** Row-major [d, k]. */
  readonly C: Float64Array;
  readonly q: number;
  readonly r: number;
}

export function stateSpaceParams(): StateSpaceParams {
  const k = 2;
  const d = 3;
  const a = Math.PI / 8;
  const A = Float64Array.from([Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a)].map((v) => 0.9 * v));
  const C = Float64Array.from([1, 0, 0, 1, 0.5, -0.5]);
  return { k, d, T: 10, A, C, q: 0.3, r: 0.2 };
}

/** Sequences `x` [n, T, d] (float32) and their latents `z` [n, T, k]. */
export function stateSpaceData(n: number, seed: number | Rng, p = stateSpaceParams()): { x: NdArray; z: NdArray } {
  const { k, d, T, A, C, q, r } = p;
  const u = (typeof seed === 'number' ? Rng.fromSeed(seed) : seed).foldName('state-space').uniforms();
  const eps = normals(u, n * T * k);
  const nu = normals(u, n * T * d);
  const x = new Float32Array(n * T * d);
  const z = new Float32Array(n * T * k);
  const cur = new Float64Array(k);
  const next = new Float64Array(k);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < k; i++) {
        let v = 0;
        if (t > 0) for (let j = 0; j < k; j++) v += A[i * k + j]! * cur[j]!;
        next[i] = v + (t > 0 ? q : 1) * eps[(s * T + t) * k + i]!;
      }
      cur.set(next);
      for (let i = 0; i < k; i++) z[(s * T + t) * k + i] = cur[i]!;
      for (let i = 0; i < d; i++) {
        let v = r * nu[(s * T + t) * d + i]!;
        for (let j = 0; j < k; j++) v += C[i * k + j]! * cur[j]!;
        x[(s * T + t) * d + i] = v;
      }
    }
  }
  return { x: { shape: [n, T, d], data: x }, z: { shape: [n, T, k], data: z } };
}

/**
 * Variable-length sequences (the `state-space-ragged` data set): the sequences of
 * {@link stateSpaceData}, each cut at its own length, drawn uniformly from 1..T; the steps after
 * the length are padding (NaN), as a `data x: Real[..T, D]` declaration reads them. `lengths`
 * [n] holds the lengths; a cut sequence is distributed as the model run for `length` steps.
 */
export function stateSpaceRaggedData(n: number, seed: number | Rng, p = stateSpaceParams()): { x: NdArray; z: NdArray; lengths: Int32Array } {
  const root = typeof seed === 'number' ? Rng.fromSeed(seed) : seed;
  const { x, z } = stateSpaceData(n, root, p);
  const u = root.foldName('lengths').uniforms();
  const lengths = Int32Array.from({ length: n }, () => 1 + Math.min(p.T - 1, Math.floor(u() * p.T)));
  const xs = x.data as Float32Array;
  const zs = z.data as Float32Array;
  for (let s = 0; s < n; s++) {
    xs.fill(NaN, (s * p.T + lengths[s]!) * p.d, (s + 1) * p.T * p.d);
    zs.fill(NaN, (s * p.T + lengths[s]!) * p.k, (s + 1) * p.T * p.k);
  }
  return { x, z, lengths };
}

/** The length of a padded sequence `x` [T·d]: one past its last step with a value. */
export function sequenceLength(x: ArrayLike<number>, p = stateSpaceParams()): number {
  let len = 0;
  for (let t = 0; t < p.T; t++) for (let i = 0; i < p.d; i++) if (!Number.isNaN(x[t * p.d + i]!)) len = t + 1;
  return len;
}

/** Exact log p(x_{0:L-1}) of a padded sequence `x` [T·d] of length L (its steps before the NaN padding). */
export function kalmanRaggedLogLikelihood(x: ArrayLike<number>, p = stateSpaceParams()): number {
  return kalmanLogLikelihood(x, { ...p, T: sequenceLength(x, p) });
}

// Small dense float64 matrices, row-major.
function matMul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let l = 0; l < m; l++) for (let j = 0; j < p; j++) out[i * p + j]! += a[i * m + l]! * b[l * p + j]!;
  return out;
}
function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j]!;
  return out;
}
/** Lower Cholesky factor of a symmetric positive definite [n, n] matrix. */
function cholesky(a: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let l = 0; l < j; l++) s -= L[i * n + l]! * L[j * n + l]!;
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j]!;
    }
  }
  return L;
}
/** Solves L y = b (forward substitution) for each column of b [n, m]. */
function forward(L: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c]!;
      for (let l = 0; l < i; l++) s -= L[i * n + l]! * y[l * m + c]!;
      y[i * m + c] = s / L[i * n + i]!;
    }
  }
  return y;
}

/** Exact log p(x_{0:T-1}) of one sequence `x` [T·d] (float64 Kalman filter). */
export function kalmanLogLikelihood(x: ArrayLike<number>, p = stateSpaceParams()): number {
  const { k, d, T, A, C, q, r } = p;
  const Ct = transpose(C, d, k);
  const At = transpose(A, k, k);
  let m: Float64Array = new Float64Array(k); // predicted mean m_t⁻
  let P: Float64Array = new Float64Array(k * k); // predicted covariance P_t⁻
  for (let i = 0; i < k; i++) P[i * k + i] = 1;
  let ll = 0;
  for (let t = 0; t < T; t++) {
    // Innovation e = x_t − C m, S = C P Cᵀ + r² I.
    const Cm = matMul(C, m, d, k, 1);
    const e = new Float64Array(d);
    for (let i = 0; i < d; i++) e[i] = x[t * d + i]! - Cm[i]!;
    const PCt = matMul(P, Ct, k, k, d); // [k, d]
    const S = matMul(C, PCt, d, k, d);
    for (let i = 0; i < d; i++) S[i * d + i]! += r * r;
    const L = cholesky(S, d);
    const w = forward(L, e, d, 1); // L⁻¹ e
    let quad = 0;
    let logDet = 0;
    for (let i = 0; i < d; i++) {
      quad += w[i]! * w[i]!;
      logDet += 2 * Math.log(L[i * d + i]!);
    }
    ll += -0.5 * (d * Math.log(2 * Math.PI) + logDet + quad);
    // Update: K = P Cᵀ S⁻¹; m⁺ = m + K e; P⁺ = P − K C P.
    const G = transpose(forward(L, transpose(PCt, k, d), d, k), d, k); // P Cᵀ L⁻ᵀ, [k, d]
    const mPost = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let v = m[i]!;
      for (let j = 0; j < d; j++) v += G[i * d + j]! * w[j]!;
      mPost[i] = v;
    }
    const PPost = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let v = P[i * k + j]!;
        for (let l = 0; l < d; l++) v -= G[i * d + l]! * G[j * d + l]!;
        PPost[i * k + j] = v;
      }
    }
    // Predict: m⁻ = A m⁺, P⁻ = A P⁺ Aᵀ + q² I.
    m = matMul(A, mPost, k, k, 1);
    P = matMul(matMul(A, PPost, k, k, k), At, k, k, k);
    for (let i = 0; i < k; i++) P[i * k + i]! += q * q;
  }
  return ll;
}
