/**
 * The tensor layout of one execution, decided in one place: every value is
 *   [...E, ...plate, ...event]
 * with the plate axes [K, B] (K particles of B examples, vectorized) and, left of them, one axis
 * per enumerated site (E, allocated by the enumerate handler from the left in guide order).
 * Time is unrolled (one site per step, src/dsl/unroll.ts), so it adds no axis. The handlers
 * (plate, enumerate) and the objectives read the plate shape and its rank from here instead of
 * assuming [K, B].
 */
import * as tf from '@tensorflow/tfjs';

export interface Layout {
  readonly particles: number;
  readonly batch: number;
  /** The plate shape a fresh sample covers: [K, B]. */
  readonly plate: readonly number[];
  /** The number of plate axes: enumeration axes sit left of them. */
  readonly plateRank: number;
}

export function layoutOf(particles: number, batch: number): Layout {
  return { particles, batch, plate: [particles, batch], plateRank: 2 };
}

/** The enumeration axes of a [...E, ...plate] tensor (its leading axes beyond the plate's). */
export function enumAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>): number[] {
  return Array.from({ length: Math.max(0, t.rank - layout.plateRank) }, (_, i) => i);
}

/** Sums a [...E, ...plate] tensor over its enumeration axes -> [...plate] (broadcastable). */
export function sumEnumAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>): tf.Tensor {
  const axes = enumAxes(t, layout);
  return axes.length > 0 ? tf.sum(t, axes) : t;
}
