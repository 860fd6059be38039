/**
 * Batch and event shapes of distributions: the broadcasting rule itself is core/shapes.ts;
 * here are the distribution-side helpers (batch/event splits, sums over event axes, support
 * enumeration).
 */
import * as tf from '@tensorflow/tfjs';
import { broadcast, numel, sameShape } from '../core/shapes';
import { MAX_ENUMERATE } from './schema';
import type { Tensor } from './types';

export { numel, sameShape, MAX_ENUMERATE };
/** The broadcast shape, or undefined when the shapes are incompatible (core/shapes.ts). */
export const tryBroadcast = broadcast;

/** The NumPy broadcast of several shapes (core/shapes.ts); throws on incompatible dimensions. */
export function broadcastShapes(...shapes: readonly (readonly number[])[]): number[] {
  const b = broadcast(...shapes);
  if (b === undefined) throw new Error(`shapes [${shapes.map((x) => x.join(',')).join('] and [')}] do not broadcast`);
  return b;
}

/**
 * Splits the broadcast `full` shape into batch + event; throws unless its trailing part is
 * exactly `eventShape` (parameters may broadcast up to the event shape, not beyond it).
 */
export function splitBatch(full: readonly number[], eventShape: readonly number[], family: string): number[] {
  const b = full.length - eventShape.length;
  if (b < 0 || !sameShape(full.slice(b), eventShape)) {
    throw new Error(`${family}: parameter shape [${full.join(',')}] does not fit event shape [${eventShape.join(',')}]`);
  }
  return full.slice(0, b);
}

/**
 * The sample batch shape: `requested` (default `own`), which must contain `own` by broadcasting.
 * @example resolveBatch([B], [K, B]) // [K, B]
 */
export function resolveBatch(own: readonly number[], requested?: readonly number[]): number[] {
  if (requested === undefined) return [...own];
  const b = tryBroadcast(requested, own);
  if (b === undefined || !sameShape(b, requested)) {
    throw new Error(`sample batch shape [${requested.join(',')}] does not contain the batch shape [${own.join(',')}]`);
  }
  return [...requested];
}

/** Sums the last `eventRank` axes (a copy when eventRank = 0). */
export function sumRightmost(t: Tensor, eventRank: number): Tensor {
  if (eventRank === 0) return t.clone();
  const axes = Array.from({ length: eventRank }, (_, i) => t.rank - eventRank + i);
  return tf.sum(t, axes); // [...t.shape[:-eventRank]]
}

/** `t` broadcast to `shape`, always a new tensor (never a parameter itself). */
export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  return sameShape(t.shape, shape) ? t.clone() : tf.broadcastTo(t, [...shape]); // [...shape]
}

/**
 * Every assignment of `m` positions to `c` choices, row-major (the first position varies
 * slowest): an Int32Array of c^m rows of m entries. Throws when c^m > {@link MAX_ENUMERATE}.
 */
export function enumerateIndices(m: number, c: number): Int32Array {
  const rows = c ** m;
  if (rows > MAX_ENUMERATE) throw new Error(`support of ${rows} points is too large to enumerate (limit ${MAX_ENUMERATE})`);
  const out = new Int32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    let v = r;
    for (let j = m - 1; j >= 0; j--) {
      out[r * m + j] = v % c;
      v = Math.floor(v / c);
    }
  }
  return out;
}
