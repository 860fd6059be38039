/**
 * The GEMM on two threads: the calling thread and one worker of vaelang's own, each computing
 * half of C. Only where tfjs's heap is a shared memory (the threaded wasm backend, `--threads`):
 * the worker instantiates the same kernel module on the same memory, so both read the operands
 * where they are. A job is posted through a control block in the heap (Atomics on its words);
 * the worker spins briefly, then sleeps in Atomics.wait between jobs. Products below
 * `minMacs` multiply-accumulates stay on one thread (waking the worker costs more).
 */
import { kx, type WasmBackendLike } from './runtime';
import type { WasmMemory, WasmModule } from './wasm-api';

/** Words of the control block: [job seq, done seq, quit, ta, tb, M, N, K, A, lda, B, ldb, C, ldc]. */
const CTL_WORDS = 16;

interface Pool {
  readonly ctl: Int32Array;
  readonly ptr: number;
  readonly worker: { terminate(): Promise<number>; unref(): void };
  seq: number;
  minMacs: number;
}

let pool: Pool | null = null;

/** Default threshold: 2^20 multiply-accumulates (≈ 25 µs of work on one core). */
export const DEFAULT_MIN_PARALLEL_MACS = 2 ** 20;

/** The worker's source (evaluated with `eval: true`, so no extra file ships or resolves). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, ctl: ptr } = workerData;
const inst = new WebAssembly.Instance(module, { env: { memory } });
const gemm = inst.exports.vk_gemm_ld;
const ctl = new Int32Array(memory.buffer, ptr, ${CTL_WORDS});
let last = Atomics.load(ctl, 0);
parentPort.postMessage('ready');
for (;;) {
  let s = Atomics.load(ctl, 0);
  for (let spin = 0; s === last && spin < 20000; spin++) s = Atomics.load(ctl, 0);
  while (s === last) { Atomics.wait(ctl, 0, last); s = Atomics.load(ctl, 0); }
  if (Atomics.load(ctl, 2)) break;
  last = s;
  gemm(ctl[3], ctl[4], ctl[5], ctl[6], ctl[7], ctl[8], ctl[9], ctl[10], ctl[11], ctl[12], ctl[13], 0);
  Atomics.store(ctl, 1, s);
  Atomics.notify(ctl, 1);
}
`;

/**
 * Starts the GEMM worker on `memory` (shared) with the compiled kernel `module`. Resolves
 * false with a reason when the memory is not shared or the worker cannot start.
 */
/** The parts of node:worker_threads' Worker used here (the Node host passes the class itself). */
export interface WorkerLike {
  once(event: 'message' | 'error', f: (v: unknown) => void): unknown;
  terminate(): Promise<number>;
  unref(): void;
}
export type WorkerClass = new (source: string, opts: { eval: true; workerData: unknown }) => WorkerLike;

export async function startGemmThreads(backend: WasmBackendLike, module: WasmModule, memory: WasmMemory, opts: { minMacs?: number; Worker: WorkerClass }): Promise<{ ok: boolean; reason?: string }> {
  if (pool) return { ok: true };
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return { ok: false, reason: 'the wasm heap is not shared (start the threaded backend with --threads)' };
  const Worker = opts.Worker;
  const ptr = backend.wasm._malloc(4 * CTL_WORDS);
  const ctl = new Int32Array(memory.buffer as SharedArrayBuffer, ptr, CTL_WORDS);
  ctl.fill(0);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctl: ptr } });
  const ready = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve('the GEMM worker did not start within 30 s'), 30_000);
    worker.once('message', () => {
      clearTimeout(timer);
      resolve(null);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      resolve(`the GEMM worker failed: ${(e as Error).message}`);
    });
  });
  if (ready !== null) {
    void worker.terminate();
    backend.wasm._free(ptr);
    return { ok: false, reason: ready };
  }
  worker.unref(); // it sleeps in Atomics.wait between jobs; it must not keep the process alive
  pool = { ctl, ptr, worker, seq: 0, minMacs: opts.minMacs ?? DEFAULT_MIN_PARALLEL_MACS };
  return { ok: true };
}

/** Stops the worker (tests; a process may simply exit). */
export async function stopGemmThreads(backend: WasmBackendLike): Promise<void> {
  const p = pool;
  if (!p) return;
  pool = null;
  Atomics.store(p.ctl, 2, 1);
  Atomics.add(p.ctl, 0, 1);
  Atomics.notify(p.ctl, 0);
  await p.worker.terminate();
  backend.wasm._free(p.ptr);
}

/** Threads the GEMM uses now (1 or 2). */
export function gemmThreads(): number {
  return pool ? 2 : 1;
}

/** Sets the smallest product (multiply-accumulates) split across threads. */
export function setMinParallelMacs(macs: number): void {
  if (pool) pool.minMacs = macs;
}

/**
 * C = op(A)·op(B) with tight leading dimensions (ta: A stored [K,M]; tb: B stored [N,K]), split
 * across the GEMM threads when they run and the product is large enough. The split halves the
 * larger operand: columns of C (B's part) when B is the larger, rows (A's part) otherwise,
 * rounded to the kernels' tiles (8 columns, 4 rows).
 */
export function gemmParallel(ta: number, tb: number, M: number, N: number, K: number, pa: number, pb: number, pc: number): void {
  const k = kx();
  const p = pool;
  if (!p || M * N * K < p.minMacs || (ta && tb)) {
    k.vk_gemm(ta, tb, M, N, K, pa, pb, pc, 0);
    return;
  }
  const lda = ta ? M : K;
  const ldb = tb ? K : N;
  // [worker's part, then this thread's part]: (M, N, A, B, C) of each half.
  let parts: [number, number, number, number, number][];
  if (N >= M && N >= 16) {
    const n0 = Math.max(8, Math.round(N / 2 / 8) * 8);
    const bOff = (j: number): number => pb + 4 * (tb ? j * K : j);
    parts = [[M, n0, pa, pb, pc], [M, N - n0, pa, bOff(n0), pc + 4 * n0]];
  } else if (M >= 8) {
    const m0 = Math.max(4, Math.round(M / 2 / 4) * 4);
    const aOff = (i: number): number => pa + 4 * (ta ? i : i * K);
    parts = [[m0, N, pa, pb, pc], [M - m0, N, aOff(m0), pb, pc + 4 * m0 * N]];
  } else {
    k.vk_gemm(ta, tb, M, N, K, pa, pb, pc, 0);
    return;
  }
  const [w, me] = parts as [[number, number, number, number, number], [number, number, number, number, number]];
  const c = p.ctl;
  c[3] = ta;
  c[4] = tb;
  c[5] = w[0];
  c[6] = w[1];
  c[7] = K;
  c[8] = w[2];
  c[9] = lda;
  c[10] = w[3];
  c[11] = ldb;
  c[12] = w[4];
  c[13] = N;
  const seq = ++p.seq;
  Atomics.store(c, 0, seq);
  Atomics.notify(c, 0, 1);
  k.vk_gemm_ld(ta, tb, me[0], me[1], K, me[2], lda, me[3], ldb, me[4], N, 0);
  let spins = 0;
  while (Atomics.load(c, 1) !== seq) {
    if (++spins > 2000) Atomics.wait(c, 1, Atomics.load(c, 1), 1);
  }
}
