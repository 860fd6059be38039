/**
 * Per-op choice between the multi-threaded XNNPACK pool and serial execution.
 *
 * tfjs-backend-wasm keeps ONE pool pointer, the C++ global `tfjs::backend::threadpool`
 * (tfjs-backend-wasm/src/cc/backend.cc), set by `init_with_threads_count` and passed to every
 * XNNPACK run: matmuls, but also the small element-wise ops (add, square, sigmoid, pad, ...) that
 * make up most ops of a training step. Handing each of those to a pool thread costs a wake-up
 * that is larger than the op itself, so the best policy is to use the pool for large matmuls only.
 *
 * The global lives at a fixed address of the wasm linear memory. It is located once, at start-up,
 * by difference: creating a second (1-thread) pool changes a few words of memory, and exactly one
 * of them is the global, recognizable because `get_threads_count()` (which reads nothing but the
 * global) returns -1 when that word is zeroed. Afterwards, switching is one 32-bit store.
 */

/** Pointers of the two pools and the global's word index in the linear memory. */
export interface PoolSwitch {
  /** Index (in 32-bit words) of `tfjs::backend::threadpool` in the linear memory. */
  word: number;
  /** The n-thread pool created by the backend. */
  parallel: number;
  /** A 1-thread pool (serial execution on the calling thread). */
  serial: number;
}

/** The pieces of the emscripten module this needs. */
export interface SwitchableModule {
  wasmMemory: { buffer: ArrayBufferLike };
  tfjs?: Record<string, (...a: number[]) => number>;
}

/**
 * Locates the pool global of a module whose pool currently has `threads` (> 1) threads, leaving
 * a 1-thread pool installed. Returns undefined (with the pool restored) when the search fails.
 */
export function locatePoolSwitch(m: SwitchableModule, threads: number, maxCandidates = 1 << 16): PoolSwitch | undefined {
  const fn = m.tfjs!;
  const getCount = fn['getThreadsCount']!;
  if (getCount() !== threads) return undefined;
  const before = new Int32Array(m.wasmMemory.buffer).slice();
  fn['initWithThreadsCount']!(1); // pthreadpool_create(1): no worker, serial execution
  const view = new Int32Array(m.wasmMemory.buffer);
  if (getCount() !== 1) return undefined;
  const n = Math.min(before.length, view.length);
  let tested = 0;
  for (let i = 0; i < n; i++) {
    if (view[i] === before[i] || before[i] === 0 || view[i] === 0) continue;
    if (++tested > maxCandidates) break;
    const serial = view[i]!;
    view[i] = 0;
    const r = getCount();
    view[i] = serial;
    if (r !== -1) continue;
    // Confirm both ways: the old value is the n-thread pool, the new one the 1-thread pool.
    const parallel = before[i]!;
    view[i] = parallel;
    const rp = getCount();
    view[i] = serial;
    if (rp === threads && getCount() === 1) return { word: i, parallel, serial };
  }
  return undefined;
}

/** Installs one of the two pools (a 32-bit store into the module's memory). */
export function setPool(m: SwitchableModule, s: PoolSwitch, parallel: boolean): void {
  new Int32Array(m.wasmMemory.buffer, s.word * 4, 1)[0] = parallel ? s.parallel : s.serial;
}

/** Multiply-accumulates of a (batched) matmul from its input shapes and transpose flags. */
export function matMulMacs(aShape: readonly number[], bShape: readonly number[], transposeA = false, transposeB = false): number {
  const ra = aShape.length;
  const rb = bShape.length;
  if (ra < 2 || rb < 2) return 0;
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const k = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  // Broadcast batch: the batch axes aligned from the right, each the larger of the two.
  const ba = aShape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  let batch = 1;
  for (let i = 1; i <= Math.max(ba.length, bb.length); i++) {
    batch *= Math.max(ba[ba.length - i] ?? 1, bb[bb.length - i] ?? 1);
  }
  return batch * m * n * k;
}
