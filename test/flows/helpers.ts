/**
 * Helpers for the flow tests: Jacobians of a layer map (exact by autodiff, one tf.grad per output
 * dimension, and by central finite differences in float32), log|det| in double precision (LU with
 * partial pivoting), and random non-trivial parameters.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamShapes } from '../../src/flows/common';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';

/** The test root key. */
export const rng = (n: number): Rng => Rng.fromSeed(TEST_SEED).fold(n);

/** A tensor's values as plain numbers. */
export function vals(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** One d x d matrix per batch element, J[n][i][j] = ∂out_i/∂in_j. */
export type Jacobians = number[][][];

function unpack(rows: Float32Array[], n: number, d: number, byRow: boolean): Jacobians {
  // rows[k] is [n, d]: with byRow, row k of every J (∂out_k/∂in_·); otherwise column k (∂out_·/∂in_k).
  return Array.from({ length: n }, (_, p) =>
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (byRow ? rows[i]![p * d + j]! : rows[j]![p * d + i]!))),
  );
}

/**
 * The exact Jacobians of a batchwise map f: [...batch, d] -> [...batch, d] at z (batch elements
 * must not interact and f must not broadcast z to a larger batch): row i is the gradient of
 * Σ_batch f(z)_i, computed with tf.grad.
 */
export function jacobianAD(f: (z: tf.Tensor) => tf.Tensor, z: tf.Tensor): Jacobians {
  const d = z.shape[z.rank - 1]!;
  const n = z.size / d;
  const rows: Float32Array[] = [];
  for (let i = 0; i < d; i++) {
    const row = tf.tidy(() => {
      const e = tf.oneHot(tf.tensor1d([i], 'int32'), d).reshape([d]).toFloat(); // [d]
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x), e)))(z); // [...batch, d]
      return g.dataSync() as Float32Array;
    });
    rows.push(row);
  }
  return unpack(rows, n, d, true);
}

/** Central finite differences in float32 with step h: column j = (f(z + h e_j) − f(z − h e_j)) / 2h. */
export function jacobianFD(f: (z: tf.Tensor) => tf.Tensor, z: tf.Tensor, h = 1e-2): Jacobians {
  const d = z.shape[z.rank - 1]!;
  const n = z.size / d;
  const cols: Float32Array[] = [];
  for (let j = 0; j < d; j++) {
    const col = tf.tidy(() => {
      const e = tf.mul(tf.oneHot(tf.tensor1d([j], 'int32'), d).reshape([d]).toFloat(), h); // [d]
      const diff = tf.sub(f(tf.add(z, e)), f(tf.sub(z, e))); // [...batch, d]
      return tf.div(diff, 2 * h).dataSync() as Float32Array; // [...batch, d]
    });
    cols.push(col);
  }
  return unpack(cols, n, d, false);
}

/** All entries of a list of Jacobians, in order (for entrywise comparisons). */
export function flat(js: Jacobians): number[] {
  return js.flat(2);
}

/** log|det M| in double precision (LU with partial pivoting); −Infinity for a singular M. */
export function logAbsDet(m: readonly (readonly number[])[]): number {
  const a = m.map((r) => [...r]);
  const d = a.length;
  let out = 0;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(a[i]![k]!) > Math.abs(a[p]![k]!)) p = i;
    if (a[p]![k] === 0) return -Infinity;
    [a[k], a[p]] = [a[p]!, a[k]!];
    const piv = a[k]![k]!;
    out += Math.log(Math.abs(piv));
    for (let i = k + 1; i < d; i++) {
      const f = a[i]![k]! / piv;
      for (let j = k; j < d; j++) a[i]![j]! -= f * a[k]![j]!;
    }
  }
  return out;
}

/**
 * Random parameters for `shapes`: N(0, std²) entries (std per name via `stds`, default `std`),
 * with optional extra leading axes `lead` (amortized parameters).
 */
export function randomParams(shapes: ParamShapes, seed: number, std = 0.5, lead: readonly number[] = [], stds: Readonly<Record<string, number>> = {}): Record<string, tf.Tensor> {
  const r = rng(seed);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, p] of Object.entries(shapes)) {
    out[name] = tf.randomNormal([...lead, ...p.shape], 0, stds[name] ?? std, 'float32', r.foldName(name).seed()); // [...lead, ...shape]
  }
  return out;
}

/** Random points N(0, scale²), [...shape]. */
export function randomPoints(shape: readonly number[], seed: number, scale = 1.5): tf.Tensor {
  return tf.randomNormal([...shape], 0, scale, 'float32', rng(seed).seed()); // [...shape]
}

/** Expects |a_i − b_i| <= abs + rel |b_i| for every i. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, abs: number, rel = 0, what = ''): void {
  if (a.length !== b.length) throw new Error(`${what}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const tol = abs + rel * Math.abs(b[i]!);
    if (!(Math.abs(a[i]! - b[i]!) <= tol)) throw new Error(`${what} element ${i}: got ${a[i]}, expected ${b[i]} (tol ${tol})`);
  }
}
