// Run by threads.test.ts in a fresh process: the threaded wasm backend (shared heap), vaelang's
// kernels with the GEMM on two threads (every product split: threshold 0), products of every
// layout and split direction against the generic kernel, and the kernels' thread count.
// Prints one JSON line.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { kernelsInfo, setFused } from '../../src/kernels/index';
import { gemmThreads, setMinParallelMacs } from '../../src/kernels/threads';
import { enableWasmThreads } from '../../src/wasm-threads';

const threaded = await enableWasmThreads(2);
await initBackend('wasm');
setMinParallelMacs(0);
let worst = 0;
const shapes: [number, number, number, boolean, boolean][] = [
  [100, 400, 784, false, false], // split columns (B larger)
  [784, 40, 100, true, false], // split rows
  [37, 130, 61, false, true],
  [9, 17, 300, false, false],
  [5, 3, 7, true, false], // too small to split: one thread
];
for (const [M, N, K, ta, tb] of shapes) {
  const a = tf.randomUniform(ta ? [K, M] : [M, K], -1, 1, 'float32', M);
  const b = tf.randomUniform(tb ? [N, K] : [K, N], -1, 1, 'float32', N);
  setFused(true);
  const f = tf.matMul(a, b, ta, tb).dataSync();
  setFused(false);
  const g = tf.matMul(a, b, ta, tb).dataSync();
  const s = tf.matMul(tf.abs(a), tf.abs(b), ta, tb).dataSync();
  for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(f[i]! - g[i]!) / s[i]!);
}
setFused(true);
process.stdout.write(`${JSON.stringify({ threaded, kernels: kernelsInfo(), gemmThreads: gemmThreads(), worst })}\n`);
