/**
 * Shared pieces of the inference tests: per-example gradients through the engine, sample
 * statistics, and exact moments of polynomials in a standard normal ε (the closed-form
 * estimator variances are such polynomials).
 */
import * as tf from '@tensorflow/tfjs';
import type { EvaluateOptions, Program } from '../../src/api';
import { runObjective } from '../../src/inference/objectives/index';
import { Rng } from '../../src/core/rng';
import { polyMoments, type Poly } from '../helpers/gauss-poly';

/** A [n] data column holding one value: n i.i.d. copies of one example in one vectorized batch. */
export function copies(value: number, n: number): tf.Tensor1D {
  return tf.fill([n], value) as tf.Tensor1D; // [n]
}

/**
 * Per-example gradients of the objective's surrogate with respect to data columns, through
 * the engine (`runObjective`, exactly as `gradients()` in src/api.ts runs it).
 *
 * A program written with its guide parameters as data (`data mu: Real`,
 * `guide { z ~ Normal(mu, exp(ls)) }`) has, for row b, ∂surrogate/∂mu_b = (1/B)·g_b where g_b
 * is that example's gradient estimate (the surrogate is a mean over the batch); so B·∂/∂mu is
 * the vector of B independent single-example estimates in one vectorized call. The same seed
 * gives the same noise as the `param` version of the program (the site ids and shapes agree),
 * which `conjugate.test.ts` checks.
 */
export function perExample(
  prog: Program,
  columns: Readonly<Record<string, tf.Tensor>>,
  wrt: readonly string[],
  o: EvaluateOptions = {},
): { grads: Map<string, Float32Array>; bound: Float32Array } {
  const cfg = prog.checked.train.config;
  const objective = o.objective ?? prog.plan.objective;
  const settings = { particles: o.particles ?? cfg.particles, beta: o.beta ?? 1, freeBits: o.freeBits ?? 0, classify: o.classify === undefined ? cfg.classify : o.classify };
  let kept: tf.Tensor[] = [];
  let bound: tf.Tensor | undefined;
  const B = columns[wrt[0]!]!.shape[0]!;
  const result = tf.tidy(() => {
    const f = (...xs: tf.Tensor[]): tf.Scalar => {
      const cols: Record<string, tf.Tensor> = { ...columns };
      wrt.forEach((n, i) => (cols[n] = xs[i]!));
      const out = runObjective(objective, { prog: prog.compiled, store: prog.store, plan: prog.plan, batch: prog.batch(cols), rng: Rng.fromSeed(o.seed ?? 0), settings, state: prog.state });
      kept = out.keep;
      bound = tf.keep(out.bound);
      return out.surrogate;
    };
    const { grads } = tf.valueAndGrads(f)(wrt.map((n) => columns[n]!));
    return wrt.map((_, i) => tf.mul(grads[i]!, B).dataSync() as Float32Array);
  });
  const b = Float32Array.from(bound!.dataSync() as Float32Array);
  tf.dispose([bound!, ...kept]);
  return { grads: new Map(wrt.map((n, i) => [n, Float32Array.from(result[i]!)])), bound: b };
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** The unbiased sample variance. */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

/** The standard error of the sample mean. */
export function se(xs: ArrayLike<number>): number {
  return Math.sqrt(variance(xs) / xs.length);
}

export function diff(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
}

/** |mean| / sd: the signal-to-noise ratio of Rainforth et al. (2018). */
export function snr(xs: ArrayLike<number>): number {
  return Math.abs(mean(xs)) / Math.sqrt(variance(xs));
}

// Polynomials in ε ~ N(0, 1): shared with the estimator tests.
export { polyAdd, polyMean, polyMul, polyScale, polyVar, polyVarSe, type Poly } from '../helpers/gauss-poly';

/**
 * For Y = Σ_i w_i p_i(ε_i) with independent ε_i: Var[Y] and the SE of its sample variance over
 * n draws, from μ4(Y) = Σ w_i⁴ μ4_i + 6 Σ_{i<j} w_i² w_j² σ_i² σ_j².
 */
export function sumVarAndSe(parts: readonly { p: Poly; w: number }[], n: number): { v: number; se: number } {
  const ms = parts.map(({ p, w }) => ({ ...polyMoments(p), w }));
  const v = ms.reduce((s, m) => s + m.w ** 2 * m.v, 0);
  let mu4 = ms.reduce((s, m) => s + m.w ** 4 * m.mu4, 0);
  for (let i = 0; i < ms.length; i++) for (let j = i + 1; j < ms.length; j++) mu4 += 6 * ms[i]!.w ** 2 * ms[j]!.w ** 2 * ms[i]!.v * ms[j]!.v;
  return { v, se: Math.sqrt((mu4 - v * v) / n) };
}

/** log N(x; loc, sd). */
export function logNormal(x: number, loc: number, sd: number): number {
  return -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - (0.5 * (x - loc) ** 2) / sd ** 2;
}

/** Sets a program variable (e.g. 'param.a', 'mean.l0.w0') to the given values. */
export function setParam(prog: Program, name: string, values: readonly number[]): void {
  const v = prog.param(name);
  const t = tf.tensor(values as number[], v.shape, 'float32');
  v.assign(t);
  t.dispose();
}

export { note } from '../helpers/io';

/** The conjugate Gaussian p(z) = N(0, 1), p(x | z) = N(z, 1) with a Normal guide (m, log s). */
export const CONJ = `data x: Real
param m: Real = 0.5
param logs: Real = -0.5
model { z ~ Normal(0, 1)
        x ~ Normal(z, 1) }
guide { z ~ Normal(m, exp(logs)) }`;
