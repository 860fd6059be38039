/**
 * Shared pieces of the inference tests: per-example gradients through the engine, sample
 * statistics, and exact moments of polynomials in a standard normal ε (the closed-form
 * estimator variances are such polynomials).
 */
import * as tf from '@tensorflow/tfjs';
import type { EvaluateOptions, Program } from '../../src/api';
import { runObjective } from '../../src/inference/objectives/index';
import { Rng } from '../../src/inference/rng';

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

// ---------------------------------------------------------------------------------------------
// Polynomials in ε ~ N(0, 1): p(ε) = c[0] + c[1] ε + c[2] ε² + ... with E[ε^k] = (k-1)!! for even k.

export type Poly = readonly number[];

function gaussMoment(k: number): number {
  if (k % 2 === 1) return 0;
  let r = 1;
  for (let j = k - 1; j > 1; j -= 2) r *= j;
  return r;
}

export function polyMul(a: Poly, b: Poly): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j]! += x * y)));
  return out;
}

export function polyAdd(a: Poly, b: Poly): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

export function polyScale(a: Poly, s: number): number[] {
  return a.map((x) => x * s);
}

/** E[p(ε)]. */
export function polyMean(p: Poly): number {
  return p.reduce((s, c, k) => s + c * gaussMoment(k), 0);
}

/** Var[p(ε)]. */
export function polyVar(p: Poly): number {
  return polyMean(polyMul(p, p)) - polyMean(p) ** 2;
}

/**
 * The standard error of the sample variance of n draws of p(ε): sqrt((μ4 − σ⁴)/n), with μ4 the
 * exact fourth central moment. For a Gaussian p (degree 1) μ4 = 3σ⁴ and this is the
 * chi-square rule SE(var) = var·sqrt(2/n).
 */
export function polyVarSe(p: Poly, n: number): number {
  const c = polyAdd(p, [-polyMean(p)]);
  const c2 = polyMul(c, c);
  const mu4 = polyMean(polyMul(c2, c2));
  const v = polyMean(c2);
  return Math.sqrt((mu4 - v * v) / n);
}

/** The second and fourth central moments of p(ε). */
function centralMoments(p: Poly): { v: number; mu4: number } {
  const c = polyAdd(p, [-polyMean(p)]);
  const c2 = polyMul(c, c);
  return { v: polyMean(c2), mu4: polyMean(polyMul(c2, c2)) };
}

/**
 * For Y = Σ_i w_i p_i(ε_i) with independent ε_i: Var[Y] and the SE of its sample variance over
 * n draws, from μ4(Y) = Σ w_i⁴ μ4_i + 6 Σ_{i<j} w_i² w_j² σ_i² σ_j².
 */
export function sumVarAndSe(parts: readonly { p: Poly; w: number }[], n: number): { v: number; se: number } {
  const ms = parts.map(({ p, w }) => ({ ...centralMoments(p), w }));
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

/** Prints measured numbers when VAE_TEST_VERBOSE is set (for reports); silent otherwise. */
export function note(...parts: unknown[]): void {
  if (process.env['VAE_TEST_VERBOSE']) console.log(...parts);
}
