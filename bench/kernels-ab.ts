/**
 * In-process A/B of vaelang's wasm kernels on a training step: two settings of the fused
 * kernel groups alternate in blocks of steps in one process (same program, same data, same
 * machine state), so that a noisy machine affects both alike.
 *
 *   node --import tsx bench/kernels-ab.ts [models/vae.vae] [batch] [--a none] [--b all] [--blocks 8] [--steps 20]
 *
 * --a / --b: `none`, `all`, or a comma list of groups (gemm, dense, densities, adam, identity).
 * --gemm-threads: instead, A = every kernel with the GEMM on one thread, B = the GEMM split over
 *   its two threads (run with VAE_WASM_THREADS=2; judge by wall time, CPU time counts both).
 * Prints, per setting, the median ms per step over blocks (wall clock and process CPU time) and
 * the ratio A/B (> 1: B is faster), plus the tensor count after each setting's blocks.
 */
import * as tf from '@tensorflow/tfjs';
import { backendName, initBackend } from '../src/backend';
import { FUSED_FEATURES, kernelsInfo, setFused, type FusedFeature } from '../src/kernels/index';
import { DEFAULT_MIN_PARALLEL_MACS, setMinParallelMacs } from '../src/kernels/threads';
import { median } from './harness';
import { makeTrainer } from './cases/common';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
const file = positional[0] ?? 'models/vae.vae';
const batch = Number(positional[1] ?? 100);
const blocks = Number(flag('blocks', '8'));
const steps = Number(flag('steps', '20'));
const parse = (s: string): FusedFeature[] => (s === 'all' ? [...FUSED_FEATURES] : s === 'none' ? [] : (s.split(',') as FusedFeature[]));
const threadsAb = args.includes('--gemm-threads');
const settings = threadsAb ? { A: [...FUSED_FEATURES], B: [...FUSED_FEATURES] } : { A: parse(flag('a', 'none')), B: parse(flag('b', 'all')) };
/** Applies setting k: the kernel groups, and under --gemm-threads the GEMM's split threshold. */
const apply = (k: 'A' | 'B'): void => {
  setFused(settings[k]);
  if (threadsAb) setMinParallelMacs(k === 'A' ? Number.POSITIVE_INFINITY : DEFAULT_MIN_PARALLEL_MACS);
};

await initBackend(process.env['VAE_BACKEND'] ?? 'wasm');
const { trainer, prog } = makeTrainer(file, { batch });
const batches = trainer.epochBatches(1);
let at = 0;
const block = (): { wall: number; cpu: number } => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep(batches[at++ % batches.length]!, 1, 1);
  trainer.readStats();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / steps, cpu: (c.user + c.system) / 1000 / steps };
};
for (const k of ['A', 'B'] as const) {
  apply(k);
  block(); // warm-up
}
const res = { A: { wall: [] as number[], cpu: [] as number[], tensors: 0 }, B: { wall: [] as number[], cpu: [] as number[], tensors: 0 } };
for (let r = 0; r < blocks; r++) {
  for (const k of (r % 2 ? ['B', 'A'] : ['A', 'B']) as ('A' | 'B')[]) {
    apply(k);
    const m = block();
    res[k].wall.push(m.wall);
    res[k].cpu.push(m.cpu);
    res[k].tensors = tf.memory().numTensors;
  }
}
const fmt = (xs: number[]): string => `${median(xs).toFixed(2)} (min ${Math.min(...xs).toFixed(2)})`;
process.stdout.write(`${file}, batch ${batch}, ${backendName()}, kernels ${JSON.stringify(kernelsInfo())}; ${blocks} blocks of ${steps} steps each, alternating\n`);
for (const k of ['A', 'B'] as const) {
  const label = threadsAb ? (k === 'A' ? 'GEMM on 1 thread' : 'GEMM on 2 threads') : settings[k].join(',') || 'none';
  process.stdout.write(`${k} [${label}]: wall ${fmt(res[k].wall)} ms/step, cpu ${fmt(res[k].cpu)} ms/step, tensors ${res[k].tensors}\n`);
}
process.stdout.write(`ratio A/B: wall ${(median(res.A.wall) / median(res.B.wall)).toFixed(3)}, cpu ${(median(res.A.cpu) / median(res.B.cpu)).toFixed(3)}\n`);
trainer.dispose();
prog.dispose();
