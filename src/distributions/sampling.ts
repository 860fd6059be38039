/**
 * Noise sources for samplers. tfjs random ops take an explicit integer seed from the Rng;
 * the Gamma sampler (Marsaglia & Tsang 2000) runs in JS on {@link uniformStream}, because
 * `tf.randomGamma` only accepts a scalar shape parameter.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import type { Tensor } from './types';

const U_MIN = 1.1754943508222875e-38; // smallest normal float32
const U_MAX = 1 - 2 ** -24; // largest float32 below 1

/** Uniform noise on the open interval (0, 1), float32. */
export function uniformOpen(shape: readonly number[], seed: number): Tensor {
  return tf.tidy(() => tf.clipByValue(tf.randomUniform([...shape], 0, 1, 'float32', seed), U_MIN, U_MAX)); // [...shape]
}

/** Standard normal noise. */
export function standardNormal(shape: readonly number[], seed: number): Tensor {
  return tf.randomNormal([...shape], 0, 1, 'float32', seed); // [...shape]
}

/** Standard Gumbel noise, -log(-log u). */
export function gumbel(shape: readonly number[], seed: number): Tensor {
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(uniformOpen(shape, seed)))))); // [...shape]
}

/** Standard logistic noise, log u - log(1 - u). */
export function logistic(shape: readonly number[], seed: number): Tensor {
  return tf.tidy(() => {
    const u = uniformOpen(shape, seed); // [...shape]
    return tf.sub(tf.log(u), tf.log(tf.sub(1, u))); // [...shape]
  });
}

/** A JS uniform stream on [0, 1) for samplers written in JS (sfc32, see Rng.uniforms). */
export function uniformStream(rng: Rng): () => number {
  return rng.uniforms();
}

/** A JS standard-normal stream (Box–Muller) on top of a uniform stream. */
function normalStream(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/**
 * log of Gamma(alpha, 1) variates, one per entry of `alpha`, in double precision.
 * Marsaglia–Tsang for alpha >= 1; for alpha < 1 the boost G(a) = G(a + 1) U^(1/a), kept in
 * log space so tiny shapes do not underflow.
 */
export function logGammaVariates(alpha: ArrayLike<number>, rng: Rng): Float64Array {
  const uniform = uniformStream(rng);
  const normal = normalStream(uniform);
  const out = new Float64Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (!(a > 0)) {
      out[i] = NaN;
      continue;
    }
    const boost = a < 1 ? Math.log(1 - uniform()) / a : 0;
    const d = (a < 1 ? a + 1 : a) - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = 1 - uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        out[i] = Math.log(d * v) + boost;
        break;
      }
    }
  }
  return out;
}

/** Gamma(alpha, 1) variates as a float32 tensor of `shape` (alpha broadcast to it; no gradient). */
export function gammaVariates(alpha: Tensor, shape: readonly number[], rng: Rng): Tensor {
  const a = tf.tidy(() => tf.broadcastTo(alpha, [...shape]).dataSync()); // read once
  const lg = logGammaVariates(a, rng);
  const out = new Float32Array(lg.length);
  for (let i = 0; i < lg.length; i++) out[i] = Math.max(Math.exp(lg[i]!), U_MIN);
  return tf.tensor(out, [...shape], 'float32'); // [...shape]
}
