/**
 * Multi-threaded XNNPACK for the WebAssembly backend in Node.
 *
 * tfjs-backend-wasm ships a threaded SIMD build (wasm-out/tfjs-backend-wasm-threaded-simd.*) but
 * never uses it in Node, for three reasons (details and line references: docs/wasm-threads.md):
 *  1. its `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false under Node;
 *  2. forcing the flag fails: emscripten starts its pthread workers from a `blob:` URL, which
 *     Node's `Worker` rejects, and the factory it hands the workers (the bundled function's
 *     `toString()`) refers to variables of the bundle that do not exist in a worker;
 *  3. even with working workers the XNNPACK pool gets ONE thread on a 2-core machine: the C++
 *     `init_with_threads_count` caps the count at `num_cores = emscripten_num_logical_cores() / 2`
 *     (it assumes hyper-threading), i.e. `os.cpus().length / 2` = 1 here, whatever
 *     `setThreadsCount` asked for.
 *
 * {@link enableWasmThreads} builds the threaded module itself (the emscripten glue from wasm-out/,
 * `locateFile` pointing the workers at ./pthread-worker.cjs, the glue's path as the workers' main
 * script, and an `instantiateWasm` hook that makes `emscripten_num_logical_cores` report twice the
 * wanted count), wraps it in the package's own `BackendWasm` (same kernels, same code path as the
 * stock backend) and registers that instance as the 'wasm' backend in place of the stock factory.
 * Any failure before that swap leaves the stock single-threaded registration untouched.
 *
 * By default only large matmuls use the pool (policy 'matmul', ./pool-switch.ts): XNNPACK also
 * runs the many small element-wise ops of a training step on the pool, and waking a pool thread
 * costs more than such an op. Results are bit-identical to the stock build under every policy.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInitializedOrPending, backendPriority } from '../engine/tfjs-internals';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { locatePoolSwitch, matMulMacs, setPool, type PoolSwitch } from './pool-switch';
import { packageFile } from '../core/package-root';
import {
  MAX_WASM_THREADS, WASM_PACKAGE, clampThreads, makeLocateFile, parseThreadsSetting, threadedSimdFiles,
  wasmApi, wasmThreadsSupported, type ThreadedSimdFiles,
} from './config';

export { MAX_WASM_THREADS, clampThreads, parseThreadsSetting } from './config';

export interface WasmThreadsResult {
  /** XNNPACK threads in use by the 'wasm' backend after the call (1 when single-threaded). */
  threads: number;
  /** Whether the requested thread count is in effect. */
  ok: boolean;
  /** Why not, when `ok` is false (or a note, e.g. a request clamped to the available cores). */
  reason?: string;
}

export interface WasmThreadsOptions {
  /**
   * Give up on the threaded module after this long (worker start-up included). Default 30 s.
   * 0 (or Infinity) sets no timer: the start-up then ends only when every worker has loaded or
   * one has failed (tests use it, so that a loaded machine cannot turn a worker's error into a
   * time-out).
   */
  timeoutMs?: number;
  /** Worker entry script (tests substitute broken ones); default {@link WORKER_ENTRY}. */
  workerEntry?: string;
  /** Which ops use the pool; default 'matmul' (see {@link WasmThreadsPolicy}). */
  policy?: WasmThreadsPolicy;
  /** With policy 'matmul': the smallest matmul, in multiply-accumulates, given to the pool. Default 2^23. */
  minMatMulMacs?: number;
}

/**
 * Which ops run on the XNNPACK pool:
 *  - 'matmul': only BatchMatMul/_FusedMatMul with at least `minMatMulMacs` multiply-accumulates;
 *    every other op runs serially as in the stock build (a pool dispatch costs a thread wake-up,
 *    more than a small element-wise op takes);
 *  - 'all': every XNNPACK op (what tfjs does in browsers);
 *  - 'off': none (the threaded build, single-threaded; for comparisons).
 */
export type WasmThreadsPolicy = 'matmul' | 'all' | 'off';
export const DEFAULT_MIN_MATMUL_MACS = 2 ** 23;

/** The emscripten module of the threaded build, as far as this file touches it. */
interface ThreadedModule {
  wasmMemory: { buffer: ArrayBufferLike };
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  tfjs?: Record<string, (...a: number[]) => number>;
  PThread: {
    unusedWorkers: PthreadWorker[];
    runningWorkers: PthreadWorker[];
    loadWasmModuleToWorker: (w: PthreadWorker, onLoaded?: (w: PthreadWorker) => void) => void;
    terminateAllThreads: () => void;
  };
}
interface PthreadWorker {
  loaded?: boolean;
  onerror?: (e: unknown) => void;
  unref(): void;
  terminate(): unknown;
  on(event: 'error' | 'exit', listener: (e: unknown) => void): unknown;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

const WASM_PRIORITY = 2; // tfjs-backend-wasm/dist/base.js registers 'wasm' with this priority

const require = createRequire(import.meta.url);
/** This folder's worker entry: emscripten's `new Worker(path)` loads it once per pool worker. */
export const WORKER_ENTRY = packageFile('src/wasm-threads/pthread-worker.cjs');

let state: {
  module: ThreadedModule; threads: number; policy: WasmThreadsPolicy; minMatMulMacs: number; poolSwitch?: PoolSwitch;
} | undefined;
let pending: Promise<WasmThreadsResult> | undefined;

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * Switches the 'wasm' backend to tfjs-backend-wasm's threaded SIMD build with `n` XNNPACK threads
 * (default: one per available core, at most {@link MAX_WASM_THREADS}). Call it before the wasm
 * backend is first initialized (`tf.setBackend('wasm')`, `initBackend`); afterwards
 * `tf.setBackend('wasm')` picks the threaded instance up. Never throws: on any failure it returns
 * `ok: false` with the reason and the stock single-threaded backend stays registered.
 * Idempotent: later calls return the state of the first successful one.
 * @example const r = await enableWasmThreads(2); // {threads: 2, ok: true}
 *          await tf.setBackend('wasm');
 */
export function enableWasmThreads(n?: number, options: WasmThreadsOptions = {}): Promise<WasmThreadsResult> {
  if (state) return Promise.resolve({ threads: state.threads, ok: n === undefined || clampThreads(n, cores()) === state.threads });
  pending ??= enable(n, options).finally(() => { pending = undefined; });
  return pending;
}

/** Reads `VAE_WASM_THREADS` (see {@link parseThreadsSetting}); unset or `off` means 1. */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return parseThreadsSetting(env['VAE_WASM_THREADS']);
}

/** The threaded module's state, for diagnostics and benchmarks; undefined when not enabled. */
export function wasmThreadsInfo(): {
  threads: number; policy: WasmThreadsPolicy; minMatMulMacs: number; runningWorkers: number; idleWorkers: number;
} | undefined {
  if (!state) return undefined;
  const p = state.module.PThread;
  return {
    threads: state.threads, policy: state.policy, minMatMulMacs: state.minMatMulMacs,
    runningWorkers: p.runningWorkers.length, idleWorkers: p.unusedWorkers.length,
  };
}

/**
 * Changes which ops use the pool (see {@link WasmThreadsPolicy}), e.g. for A/B measurements
 * within one process. Throws when threads are not enabled, or for 'matmul'/'off' when the pool
 * global could not be located at start-up.
 */
export function setWasmThreadsPolicy(policy: WasmThreadsPolicy, minMatMulMacs?: number): void {
  if (!state) throw new Error('enableWasmThreads() has not succeeded');
  if (!state.poolSwitch && policy !== 'all') throw new Error('the pool global was not located: only policy "all" is available');
  state.policy = policy;
  if (minMatMulMacs !== undefined) state.minMatMulMacs = minMatMulMacs;
  if (state.poolSwitch) setPool(state.module, state.poolSwitch, policy === 'all');
}

/**
 * Wraps the wasm matmul kernels so that, under policy 'matmul', large ones run with the parallel
 * pool installed and everything else with the serial one.
 */
function wrapMatMulKernels(): void {
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const cfg = tf.getKernel(name, 'wasm');
    if (!cfg) continue;
    const inner = cfg.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      const st = state;
      if (!st?.poolSwitch || st.policy !== 'matmul') return inner(args);
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      if (matMulMacs(a.shape, b.shape, transposeA, transposeB) < st.minMatMulMacs) return inner(args);
      setPool(st.module, st.poolSwitch, true);
      try {
        return inner(args);
      } finally {
        setPool(st.module, st.poolSwitch, false);
      }
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...cfg, kernelFunc });
  }
}

async function enable(requested: number | undefined, options: WasmThreadsOptions): Promise<WasmThreadsResult> {
  const avail = cores();
  const n = clampThreads(requested, avail);
  const clampNote = requested !== undefined && requested > n ? `clamped ${requested} to ${n} (cores: ${avail}, max: ${MAX_WASM_THREADS})` : undefined;
  const single = (reason: string): WasmThreadsResult => ({ threads: 1, ok: false, reason });
  if (n <= 1) return { threads: 1, ok: requested !== undefined && requested <= 1, reason: requested !== undefined && requested <= 1 ? undefined : `only ${avail} core available` };

  if (typeof process === 'undefined' || !process.versions?.node) return single('not running in Node');
  const support = wasmThreadsSupported();
  if (!support.ok) return single(support.reason!);

  let wasmPkg: typeof import('@tensorflow/tfjs-backend-wasm');
  let files: ThreadedSimdFiles;
  let factory: Factory;
  try {
    wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
    files = threadedSimdFiles(require.resolve(WASM_PACKAGE));
    factory = require(files.glue) as Factory;
    if (typeof factory !== 'function') return single(`${files.glue} does not export a module factory`);
  } catch (e) {
    return single(`cannot load ${WASM_PACKAGE}: ${(e as Error).message}`);
  }
  // (Not tf.findBackend: it initializes a registered backend as a side effect.)
  if (wasmInitialized()) {
    return single("the 'wasm' backend is already initialized; call enableWasmThreads() before tf.setBackend('wasm')");
  }
  const stockFactory = tf.findBackendFactory('wasm');
  const priority = backendPriority('wasm') ?? WASM_PRIORITY;

  let module: ThreadedModule;
  try {
    module = await createThreadedModule(factory, files, options.workerEntry ?? WORKER_ENTRY, n, options.timeoutMs ?? 30_000);
  } catch (e) {
    return single(`threaded wasm module failed to start: ${(e as Error).message ?? String(e)}`);
  }

  let backend: tf.KernelBackend;
  let threads: number;
  try {
    // The package's own class: its constructor calls init_with_threads_count(-1), which now
    // means `num_cores` = n, and records the count that getThreadsCount() reports.
    backend = new wasmPkg.BackendWasm(module as never);
    threads = module.tfjs!['getThreadsCount']!();
    // Pool threads stay `ref`ed (emscripten refs a worker while it runs a pthread); they would
    // keep Node alive forever after the program is done. They block in Atomics.wait when idle.
    for (const w of module.PThread.runningWorkers) w.unref();
  } catch (e) {
    dispose(module);
    return single(`threaded backend failed to initialize: ${(e as Error).message}`);
  }
  if (threads !== n || module.PThread.runningWorkers.length !== n - 1) {
    dispose(module);
    return single(`XNNPACK pool has ${threads} threads and ${module.PThread.runningWorkers.length} running workers, expected ${n} and ${n - 1}`);
  }
  if (wasmInitialized()) {
    // Someone initialized the stock backend while the module was starting.
    dispose(module);
    return single("the 'wasm' backend was initialized while the threaded module was starting");
  }

  // The swap: from here on 'wasm' means the threaded instance.
  try {
    if (stockFactory !== null) tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => backend, priority);
  } catch (e) {
    if (stockFactory !== null && tf.findBackendFactory('wasm') === null) tf.registerBackend('wasm', stockFactory, priority);
    dispose(module);
    return single(`could not register the threaded backend: ${(e as Error).message}`);
  }
  // Per-op pool choice (policy 'matmul'); without it every XNNPACK op uses the pool.
  const policy = options.policy ?? 'matmul';
  let poolSwitch: PoolSwitch | undefined;
  if (policy !== 'all') {
    poolSwitch = locatePoolSwitch(module, threads);
    if (!poolSwitch && module.tfjs!['getThreadsCount']!() !== threads) {
      // The search left a 1-thread pool installed; give the backend its n-thread pool back.
      module.tfjs!['initWithThreadsCount']!(threads);
      for (const w of module.PThread.runningWorkers) w.unref();
    }
  }
  state = {
    module, threads, policy: poolSwitch ? policy : 'all', minMatMulMacs: options.minMatMulMacs ?? DEFAULT_MIN_MATMUL_MACS, poolSwitch,
  };
  if (poolSwitch) {
    wrapMatMulKernels();
    setPool(module, poolSwitch, state.policy === 'all');
  }
  const notes = [clampNote, policy !== 'all' && !poolSwitch ? 'pool global not located: every XNNPACK op uses the pool' : undefined];
  const reason = notes.filter((x) => x !== undefined).join('; ');
  return reason ? { threads, ok: true, reason } : { threads, ok: true };

}

/**
 * Whether a 'wasm' backend instance exists, or a backend initialization is under way (tfjs does
 * not record which backend a pending asynchronous init is for; being conservative is cheap).
 */
function wasmInitialized(): boolean {
  return backendInitializedOrPending('wasm');
}

type Listener = (...args: unknown[]) => void;
const GLUE_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

function processListeners(): Record<(typeof GLUE_EVENTS)[number], Listener[]> {
  const emitter = process as unknown as { listeners(ev: string): Listener[] };
  return { uncaughtException: emitter.listeners('uncaughtException'), unhandledRejection: emitter.listeners('unhandledRejection') };
}

/** Removes the process listeners added since `before` (the glue installs rethrowing ones). */
function dropNewListeners(before: Record<(typeof GLUE_EVENTS)[number], Listener[]>): void {
  const emitter = process as unknown as { listeners(ev: string): Listener[]; removeListener(ev: string, l: Listener): void };
  for (const ev of GLUE_EVENTS) {
    for (const l of emitter.listeners(ev)) if (!before[ev].includes(l)) emitter.removeListener(ev, l);
  }
}

/** Instantiates the threaded glue with Node-friendly settings; resolves once all workers loaded. */
function createThreadedModule(factory: Factory, files: ThreadedSimdFiles, workerEntry: string, n: number, timeoutMs: number): Promise<ThreadedModule> {
  const listenersBefore = processListeners();
  let settled = false;
  let started = false;
  let cfg: Record<string, unknown> = {};
  return new Promise<ThreadedModule>((resolve, reject) => {
    const fail = (why: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try { (cfg['PThread'] as ThreadedModule['PThread'] | undefined)?.terminateAllThreads(); } catch { /* already gone */ }
      // The glue rethrows from process-level handlers it installs; drop them with the module.
      dropNewListeners(listenersBefore);
      reject(why instanceof Error ? why : new Error(String((why as { message?: string })?.message ?? why)));
    };
    // Not unref'ed: it must keep Node alive while nothing else does (e.g. all workers exited).
    const timer = timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
      : undefined;
    cfg = {
      locateFile: makeLocateFile(files, workerEntry),
      // A path (not a Blob): the worker entry derives the worker source from it and the workers
      // `importScripts` it, i.e. evaluate the unbundled glue, which needs no bundle variables.
      mainScriptUrlOrBlob: files.glue,
      instantiateWasm: (info: { env: Record<string, unknown> }, receive: (instance: unknown, module: unknown) => void) => {
        // Read once by a C++ static initializer: num_cores = this / 2 caps the pool size.
        info.env['emscripten_num_logical_cores'] = () => 2 * n;
        // The shared memory, for vaelang's kernels (src/kernels), which run on the same heap.
        cfg['vaeMemory'] = info.env['memory'];
        wasmApi.instantiate(readFileSync(files.wasm), info)
          .then((r) => receive(r.instance, r.module), fail);
        return {};
      },
      onAbort: (what: unknown) => fail(new Error(`aborted: ${String(what)}`)),
      print: (s: string) => process.stdout.write(`${s}\n`),
      printErr: (s: string) => process.stderr.write(`${s}\n`),
    };
    let ready: Promise<ThreadedModule>;
    try {
      ready = factory(cfg);
    } catch (e) {
      fail(e);
      return;
    }
    // The workers exist now (emscripten spawns its pool synchronously); make an error in one of
    // them fail the start-up instead of being rethrown as an uncaught exception.
    const pthread = cfg['PThread'] as ThreadedModule['PThread'] | undefined;
    if (pthread) {
      // An 'error' event without a listener would be thrown in this thread (e.g. a worker whose
      // script fails before emscripten attaches its own listener).
      for (const w of pthread.unusedWorkers) {
        w.on('error', (e) => fail(new Error(`pthread worker error: ${(e as Error)?.message ?? String(e)}`)));
        w.on('exit', (code) => { if (!w.loaded) fail(new Error(`a pthread worker exited (code ${String(code)}) before loading`)); });
      }
      const load = pthread.loadWasmModuleToWorker.bind(pthread);
      pthread.loadWasmModuleToWorker = (w, onLoaded) => {
        load(w, onLoaded);
        const onerror = w.onerror;
        w.onerror = (e) => {
          // After a successful start emscripten's handler applies (it logs and rethrows).
          if (started) onerror?.(e);
          else fail(new Error(`pthread worker error: ${(e as Error)?.message ?? String(e)}`));
        };
      };
    }
    ready.then((m) => {
      if (settled) return;
      const notLoaded = m.PThread.unusedWorkers.filter((w) => !w.loaded).length;
      if (notLoaded > 0) return fail(new Error(`${notLoaded} pthread workers did not load`));
      m.tfjs = {
        init: m.cwrap('init', null, []),
        initWithThreadsCount: m.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: m.cwrap('get_threads_count', 'number', []),
        registerTensor: m.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: m.cwrap('dispose_data', null, ['number']),
        dispose: m.cwrap('dispose', null, []),
      };
      settled = true;
      started = true;
      clearTimeout(timer);
      resolve(m);
    }, fail);
  });
}

/** Stops a threaded module that will not be used (its workers, and its process listeners). */
function dispose(module: ThreadedModule): void {
  try { module.PThread.terminateAllThreads(); } catch { /* best effort */ }
  // The glue's post.js wraps `_dispose` to also remove the process listeners it installed.
  try { (module as unknown as { _dispose?: () => void })._dispose?.(); } catch { /* best effort */ }
}
