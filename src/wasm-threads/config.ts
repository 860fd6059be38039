/**
 * Pure helpers of the multi-threaded wasm loader: parsing the thread setting, clamping the count,
 * locating the files of the threaded SIMD build. Kept free of tfjs and of threads so that they
 * can be unit-tested anywhere.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The threaded SIMD build pre-spawns this many pthread workers (emscripten `PTHREAD_POOL_SIZE`,
 * `pthreadPoolSize=8` in wasm-out/tfjs-backend-wasm-threaded-simd.js), and tfjs's C++
 * `init_with_threads_count` caps the XNNPACK pool at `max_num_threads = 8`. More threads would
 * make emscripten create a worker lazily while the main thread blocks in `pthreadpool_create`
 * waiting for it, which deadlocks in Node (the new worker's `loaded` message needs the main
 * thread's event loop).
 */
export const MAX_WASM_THREADS = 8;

/** The package whose wasm-out/ folder holds the threaded SIMD build. */
export const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/**
 * Parses a thread setting (`--threads`, `VAE_WASM_THREADS`): a positive integer, `auto`
 * (undefined: one thread per available core), or `off`/`0`/`1`/empty (1: stay single-threaded).
 * @example parseThreadsSetting('2') // 2
 * @example parseThreadsSetting('auto') // undefined
 */
export function parseThreadsSetting(value: string | undefined): number | undefined {
  if (value === undefined) return 1;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'off' || v === 'no' || v === 'false' || v === 'single') return 1;
  if (v === 'auto' || v === 'on' || v === 'yes' || v === 'true' || v === 'max') return undefined;
  if (!/^\d+$/.test(v)) throw new RangeError(`invalid wasm thread count '${value}': use a positive integer, 'auto' or 'off'`);
  const n = Number(v);
  return n <= 1 ? 1 : n;
}

/**
 * The number of threads to use: the request (default: the available cores), at least 1, at most
 * the cores and {@link MAX_WASM_THREADS}. More threads than cores only add contention.
 * @example clampThreads(undefined, 2) // 2
 * @example clampThreads(16, 2) // 2
 */
export function clampThreads(requested: number | undefined, cores: number): number {
  const c = Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  const want = requested === undefined || !Number.isFinite(requested) ? c : Math.floor(requested);
  return Math.max(1, Math.min(want, c, MAX_WASM_THREADS));
}

/** Absolute paths of the pieces of the threaded SIMD build. */
export interface ThreadedSimdFiles {
  /** Emscripten glue (CommonJS; `module.exports` is the module factory). Also evaluated by each worker. */
  glue: string;
  /** The wasm binary built with threads and SIMD. */
  wasm: string;
  /** CommonJS module exporting `wasmWorkerContents`, the source of emscripten's pthread worker. */
  workerSource: string;
}

/**
 * Locates the threaded SIMD build next to the resolved package entry (`dist/…` → `wasm-out/…`).
 * Throws with the missing path when the installed package lacks a file.
 * @param packageMain the resolved main file of @tensorflow/tfjs-backend-wasm
 */
export function threadedSimdFiles(packageMain: string): ThreadedSimdFiles {
  const out = join(dirname(dirname(packageMain)), 'wasm-out');
  const files: ThreadedSimdFiles = {
    glue: join(out, 'tfjs-backend-wasm-threaded-simd.js'),
    wasm: join(out, 'tfjs-backend-wasm-threaded-simd.wasm'),
    workerSource: join(out, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  };
  for (const p of Object.values(files)) {
    if (!existsSync(p)) throw new Error(`threaded wasm build not found: ${p}`);
  }
  return files;
}

/**
 * Emscripten's `locateFile` for the threaded module: the pthread worker script becomes our
 * on-disk entry (Node's `Worker` takes file paths, not the `blob:` URL tfjs builds), the binary
 * the threaded SIMD `.wasm`; anything else stays relative to the glue's folder.
 */
export function makeLocateFile(files: ThreadedSimdFiles, workerEntry: string): (path: string, prefix: string) => string {
  return (path, prefix) => {
    if (path.endsWith('.worker.js')) return workerEntry;
    if (path.endsWith('.wasm')) return files.wasm;
    return prefix + path;
  };
}

/** The bits of the WebAssembly JS API used here (the project's `lib` setting does not declare it). */
export interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBufferLike };
  validate(bytes: Uint8Array): boolean;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown; module: unknown }>;
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Whether this JavaScript engine can run threaded wasm (shared memory and atomics). */
export function wasmThreadsSupported(): { ok: boolean; reason?: string } {
  if (typeof SharedArrayBuffer === 'undefined') return { ok: false, reason: 'SharedArrayBuffer is not available' };
  if (typeof Atomics === 'undefined') return { ok: false, reason: 'Atomics is not available' };
  if (typeof wasmApi !== 'object' || wasmApi === null) return { ok: false, reason: 'WebAssembly is not available' };
  try {
    const mem = new wasmApi.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(mem.buffer instanceof SharedArrayBuffer)) return { ok: false, reason: 'shared WebAssembly.Memory is not backed by a SharedArrayBuffer' };
    // A module with a shared memory and an atomic load (from tfjs-backend-wasm's flags_wasm.js).
    const atomics = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5,
      4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);
    if (!wasmApi.validate(atomics)) return { ok: false, reason: 'WebAssembly atomics are not supported' };
    const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3,
      2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
    if (!wasmApi.validate(simd)) return { ok: false, reason: 'WebAssembly SIMD is not supported (the threaded build needs it)' };
  } catch (e) {
    return { ok: false, reason: `shared WebAssembly memory is not supported: ${(e as Error).message}` };
  }
  return { ok: true };
}
