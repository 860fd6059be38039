// Run by wasm-threads.test.ts in a fresh process (the suite's own process has the stock wasm
// backend initialized already): enableWasmThreads, then the project's backend selection, then
// a matmul compared with plain JS. Prints one JSON line. With WT_ENTRY (a worker entry that
// fails) no start-up timer is set, so the reported reason is the worker's error however slowly
// the workers start on a loaded machine.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { enableWasmThreads, wasmThreadsInfo } from '../../src/wasm-threads';

const entry = process.env['WT_ENTRY'];
const result = await enableWasmThreads(Number(process.env['WT_N'] ?? '2'), entry ? { workerEntry: entry, timeoutMs: 0 } : {});
const backend = await initBackend('wasm');
const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
// A small matmul (serial under the default policy) and a large one (2^24 multiply-accumulates:
// run on the pool); odd sizes exercise XNNPACK's edge tiles on every thread.
let maxErr = 0;
for (const [m, k, n] of [[37, 300, 129], [131, 512, 250]] as const) {
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
  const c = tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      maxErr = Math.max(maxErr, Math.abs(s - c[i * n + j]!));
    }
  }
}
process.stdout.write(`${JSON.stringify({ result, backend, threads: getThreadsCount(), info: wasmThreadsInfo() ?? null, maxErr })}\n`);
