/**
 * Shape arithmetic for batch and event shapes (NumPy broadcasting, right-aligned).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from './types';

/** The NumPy broadcast of several shapes; throws on incompatible dimensions. */
export function broadcastShapes(...shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      const o = out[j]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[j] = d;
      else throw new Error(`shapes [${shapes.map((x) => x.join(',')).join('] and [')}] do not broadcast`);
    }
  }
  return out;
}

/** The broadcast shape, or undefined when the shapes are incompatible. */
export function tryBroadcast(...shapes: readonly (readonly number[])[]): number[] | undefined {
  try {
    return broadcastShapes(...shapes);
  } catch {
    return undefined;
  }
}

/** True when the two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The product of a shape's dimensions (1 for []). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
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

/** The largest support {@link enumerateIndices} will list. */
export const MAX_ENUMERATE = 1 << 16;

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
