/**
 * In-process A/B of two builds of the kernels' GEMM (e.g. before and after a change to
 * src/kernels/c/gemm.c): both binaries are instantiated on the wasm backend's heap and called
 * alternately (ABBA) on the same operands; prints the median process CPU time per product and
 * GFLOP/s for each shape, the ratio A/B (> 1: B is faster), and whether the outputs agree bit
 * for bit.
 *
 *   OUT=/tmp/old sh src/kernels/build.sh   # (with the old source) then the new one
 *   node --import tsx bench/gemm-ab.ts /tmp/old/vk-relaxed.wasm src/kernels/wasm/vk-relaxed.wasm [--reps 8]
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { addr, backendMemory, type WasmBackendLike } from '../src/kernels/runtime';
import { wasm } from '../src/kernels/wasm-api';
import { median } from './harness';

const args = process.argv.slice(2);
const [fileA, fileB] = args.filter((a) => a.endsWith('.wasm'));
if (!fileA || !fileB) throw new Error('usage: bench/gemm-ab.ts A.wasm B.wasm [--reps N]');
const reps = Number(args[args.indexOf('--reps') + 1] ?? 8) || 8;

await initBackend('wasm');
const backend = tf.backend() as unknown as WasmBackendLike;
const memory = backendMemory(backend)!;
type Gemm = (ta: number, tb: number, M: number, N: number, K: number, a: number, b: number, c: number, acc: number) => number;
const load = async (f: string): Promise<Gemm> => {
  const inst = await wasm.instantiate(await wasm.compile(readFileSync(f)), { env: { memory } });
  return inst.exports['vk_gemm'] as Gemm;
};
const gemms = { A: await load(fileA), B: await load(fileB) };

// [name, ta, tb, M, N, K]: a vae.vae training step's shapes, M2's (batch 200 x 10 classes) and
// an IWAE evaluation's decoder (5,000 particles x 4 images).
const shapes: [string, number, number, number, number, number][] = [
  ['train fwd   x·W      100x784x400', 0, 0, 100, 400, 784],
  ['train dW    xᵀ·g     784x100x400', 1, 0, 784, 400, 100],
  ['train dX    g·Wᵀ     100x784x400', 0, 1, 100, 400, 784],
  ['M2 fwd      h·W      2000x500x784', 0, 0, 2000, 784, 500],
  ['M2 dW       hᵀ·g     500x2000x784', 1, 0, 500, 784, 2000],
  ['M2 dX       g·Wᵀ     2000x784x500', 0, 1, 2000, 500, 784],
  ['IWAE dec    h·W      20000x400x784', 0, 0, 20000, 784, 400],
];
for (const [name, ta, tb, M, N, K] of shapes) {
  const a = tf.randomNormal(ta ? [K, M] : [M, K]);
  const b = tf.randomNormal(tb ? [N, K] : [K, N]);
  const c = { A: tf.zeros([M, N]), B: tf.zeros([M, N]) };
  const ptr = (t: tf.Tensor): number => addr(backend, t);
  const inner = Math.max(1, Math.round(2e8 / (M * N * K))); // about 0.2 GMAC per timing
  const times = { A: [] as number[], B: [] as number[] };
  const time = (k: 'A' | 'B'): void => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < inner; i++) gemms[k](ta, tb, M, N, K, ptr(a), ptr(b), ptr(c[k]), 0);
    const d = process.cpuUsage(c0);
    times[k].push((d.user + d.system) / 1000 / inner);
  };
  time('A');
  time('B'); // warm-up
  times.A.length = 0;
  times.B.length = 0;
  for (let r = 0; r < reps; r++) for (const k of (r % 2 ? ['B', 'A'] : ['A', 'B']) as ('A' | 'B')[]) time(k);
  const same = tf.util.arraysEqual(c.A.dataSync(), c.B.dataSync());
  const gf = (ms: number): string => ((2 * M * N * K) / ms / 1e6).toFixed(1);
  const [mA, mB] = [median(times.A), median(times.B)];
  process.stdout.write(`${name}: A ${mA.toFixed(3)} ms (${gf(mA)} GFLOP/s), B ${mB.toFixed(3)} ms (${gf(mB)} GFLOP/s), A/B ${(mA / mB).toFixed(3)}, ${same ? 'bit-identical' : 'OUTPUTS DIFFER'}\n`);
  tf.dispose([a, b, c.A, c.B]);
}
