/**
 * The tensor layout of one execution, decided in one place: every value is
 *   [...E, ...plates, ...event]
 * The plate axes come from the plate frames the run's DimAllocator handed out
 * (src/inference/dims.ts): the particle plate (K particles, vectorized) at dim -2 and the data
 * plate (B examples) at dim -1, so the plates cover [K, B]. Left of them sit the enumeration
 * axes E, one per live enumeration dim (the first enumerated site next to the plates). Time is
 * unrolled (one site per step, src/dsl/unroll.ts), so it adds no axis.
 *
 * The handlers (plate, enumerate), the runtime and the objectives read shapes and axes from here:
 * no other module assumes [K, B] or a plate rank of 2. Tensors "of the plate shape" below are
 * per-particle, per-example values ([K, B] today); "[...E, ...plates]" ones may also carry
 * enumeration axes and may lack leading axes (they broadcast).
 */
import * as tf from '@tensorflow/tfjs';
import type { CondIndepFrame, DimAllocator } from './dims';

/** The names of the two plates every execution runs under. */
export const PARTICLE_PLATE = 'particles';
export const DATA_PLATE = 'data';

export interface Layout {
  /** The plate frames, leftmost (outermost) first. */
  readonly frames: readonly CondIndepFrame[];
  readonly particles: number;
  readonly batch: number;
  /** The batch shape a fresh sample covers: [K, B]. */
  readonly plate: readonly number[];
  /** The number of plate axes: enumeration axes sit left of them. */
  readonly plateRank: number;
  /** The axis of the particle plate within a tensor of the plate shape (0 for [K, B]). */
  readonly particleAxis: number;
  /** The axis of the data plate within a tensor of the plate shape (the last). */
  readonly dataAxis: number;
}

/**
 * The batch shape a set of plate frames covers: axis `rank + dim` holds the frame's size, the
 * others 1 (Pyro's BroadcastMessenger). Throws when two frames claim one dim.
 */
export function plateShape(frames: readonly CondIndepFrame[]): number[] {
  if (frames.length === 0) return [];
  let rank = 0;
  for (const f of frames) rank = Math.max(rank, -f.dim);
  const shape = new Array<number>(rank).fill(1);
  const holder = new Array<string | undefined>(rank);
  for (const f of frames) {
    const axis = rank + f.dim;
    if (holder[axis] !== undefined) throw new Error(`plates '${holder[axis]}' and '${f.name}' both claim dim ${f.dim}`);
    holder[axis] = f.name;
    shape[axis] = f.size;
  }
  return shape;
}

/** The layout of a run whose allocator holds the particle and data plates. */
export function layoutOf(dims: DimAllocator): Layout {
  const frames = dims.frames();
  const particles = frames.find((f) => f.name === PARTICLE_PLATE);
  const data = frames.find((f) => f.name === DATA_PLATE);
  if (!particles || !data) throw new Error(`a run needs the '${PARTICLE_PLATE}' and '${DATA_PLATE}' plates`);
  if (data.dim !== -1 || particles.dim >= data.dim) throw new Error('the data plate must be the rightmost plate (dim -1), the particle plate left of it');
  const plateRank = dims.plateRank;
  return { frames, particles: particles.size, batch: data.size, plate: plateShape(frames), plateRank, particleAxis: plateRank + particles.dim, dataAxis: plateRank - 1 };
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
