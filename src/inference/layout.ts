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

/** The enumeration axes of a [...E, ...plate, ...event] tensor: its leading axes left of the plates'. */
export function enumAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>, eventRank = 0): number[] {
  return Array.from({ length: Math.max(0, t.rank - eventRank - layout.plateRank) }, (_, i) => i);
}

/** Sums a [...E, ...plate, ...event] tensor over its enumeration axes -> [...plate, ...event] (broadcastable). */
export function sumEnumAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>, eventRank = 0): tf.Tensor {
  const axes = enumAxes(t, layout, eventRank);
  return axes.length > 0 ? tf.sum(t, axes) : t; // [...plate, ...event]
}

/** Averages a [...E, ...plate, ...event] tensor over its enumeration axes, one at a time -> [...plate, ...event]. */
export function meanEnumAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>, eventRank = 0): tf.Tensor {
  let out = t;
  while (out.rank > layout.plateRank + eventRank) out = tf.mean(out, 0); // [...E', ...plate, ...event]
  return out;
}

/**
 * Averages a [...E, ...plate, ...event] tensor over every batch axis left of the data axis, one
 * at a time -> [B, ...event] (per example; broadcast leading axes may be absent).
 */
export function meanToExamples(t: tf.Tensor, eventRank = 0): tf.Tensor {
  let out = t;
  while (out.rank > eventRank + 1) out = tf.mean(out, 0); // [..., B, ...event]
  return out;
}

/** The plate axes a [...plate, ...event] tensor carries (it may lack leading ones). */
export function plateAxes(t: tf.Tensor, layout: Pick<Layout, 'plateRank'>, eventRank = 0): number[] {
  return Array.from({ length: Math.max(0, Math.min(layout.plateRank, t.rank - eventRank)) }, (_, i) => i);
}

/** Averages a tensor of the plate shape over the particle axis -> the plate shape without it ([B]). */
export function meanOverParticles(t: tf.Tensor, layout: Layout): tf.Tensor {
  return tf.mean(t, layout.particleAxis); // [...plate \ K]
}

/** log (1/K) Σ_k exp(t_k) over the particle axis of a tensor of the plate shape -> [B]. */
export function logMeanExpOverParticles(t: tf.Tensor, layout: Layout): tf.Tensor {
  return tf.sub(tf.logSumExp(t, layout.particleAxis), Math.log(layout.particles)); // [...plate \ K]
}

/** Gives a per-example tensor ([B]) a unit particle axis, so it broadcasts against the plate shape. */
export function expandParticles(t: tf.Tensor, layout: Layout): tf.Tensor {
  return tf.expandDims(t, layout.particleAxis); // [...plate with K = 1]
}

/**
 * Runs `f` on a tensor of the plate shape with the particle axis moved to the front (a no-op
 * under [K, B]), and moves it back in the result (which must keep the rank).
 */
export function particlesFirst(t: tf.Tensor, layout: Layout, f: (kFirst: tf.Tensor) => tf.Tensor): tf.Tensor {
  const p = layout.particleAxis;
  if (p === 0) return f(t);
  const axes = Array.from({ length: t.rank }, (_, i) => i);
  const perm = [p, ...axes.filter((a) => a !== p)];
  const back = axes.map((a) => perm.indexOf(a));
  return tf.transpose(f(tf.transpose(t, perm)), back); // [...plate]
}

/** The normalized importance weights: a softmax over the particle axis of a tensor of the plate shape. */
export function softmaxOverParticles(t: tf.Tensor, layout: Layout): tf.Tensor {
  return particlesFirst(t, layout, (k) => {
    const last = Array.from({ length: k.rank }, (_, i) => (i + 1) % k.rank); // K last: [B, ..., K]
    const back = Array.from({ length: k.rank }, (_, i) => (i + k.rank - 1) % k.rank);
    return tf.transpose(tf.softmax(tf.transpose(k, last), -1), back); // [K, ...]
  });
}
