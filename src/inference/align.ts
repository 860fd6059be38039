/**
 * Batch/event alignment at run time. Every value is [...batch, ...event], where the event
 * shape is static (from the checker) and the batch axes are whatever the runtime added
 * (enumeration, particles K, data B; which axis is which is src/inference/layout.ts's business).
 * To combine values of different event ranks, the lower-rank one gets 1s inserted between its
 * batch and event axes (core/shapes.ts states the rule). Helpers here are the only place that
 * knows this batch/event split.
 */
import * as tf from '@tensorflow/tfjs';
import { broadcast } from '../core/shapes';

/** Reshapes t (with `eventRank` event axes) to have `targetRank` event axes. */
export function padEvent(t: tf.Tensor, eventRank: number, targetRank: number): tf.Tensor {
  if (eventRank >= targetRank) return t;
  const batch = t.shape.slice(0, t.rank - eventRank);
  const event = t.shape.slice(t.rank - eventRank);
  return t.reshape([...batch, ...new Array<number>(targetRank - eventRank).fill(1), ...event]); // [...batch, 1.., ...event]
}

/** The batch shape of a value: all axes before the event axes. */
export function batchShapeOf(t: tf.Tensor, eventRank: number): number[] {
  return t.shape.slice(0, t.rank - eventRank);
}

/** NumPy broadcasting of two shapes (core/shapes.ts); throws on mismatch. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const out = broadcast(a, b);
  if (out === undefined) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
  return out;
}

/** Broadcasts t to `shape` (no-op when equal). */
export function expandTo(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  return tf.broadcastTo(t, [...shape]); // [...shape]
}
