/**
 * Where a training step's time goes, kernel by kernel (BENCHMARKS.md, "Profile").
 *
 *   node --import tsx bench/profile.ts [models/vae.vae] [batch] [steps] [--cpu]
 *
 * --cpu: each wasm kernel's process CPU time instead of the backend's wall-clock timer (every
 * kernel function is wrapped; the step's CPU time is measured the same way), which a loaded
 * machine inflates far less: a kernel preempted by another process's job is not charged for
 * the time it waited. Kernels of the single-threaded backend only (the threaded GEMM's second
 * thread would be charged to whichever kernel is running).
 *
 * Runs `steps` training steps under tf.profile after a warm-up, sums each kernel's time (the
 * backend's own timer around every kernel call, forward and backward) and prints a table of the
 * kernels by total time, with their share of the summed kernel time, and the step's wall time
 * without the profiler. The rest of a step (JS: tracing the program, building the tape, the
 * optimizer's bookkeeping) is wall time minus kernel time.
 */
import * as tf from '@tensorflow/tfjs';
import { backendName, initBackend } from '../src/backend';
import { makeTrainer, timeSteps } from './cases/common';

const cpuMode = process.argv.includes('--cpu');
const argv = process.argv.filter((a) => a !== '--cpu');
const file = argv[2] ?? 'models/vae.vae';
const batch = Number(argv[3] ?? 100);
const steps = Number(argv[4] ?? 20);

await initBackend(process.env['VAE_BACKEND'] ?? undefined);
const backend = backendName();
const { trainer, prog } = makeTrainer(file, { batch });
timeSteps(trainer, 5, 1); // warm-up: kernels compiled, weights allocated
const wall = timeSteps(trainer, steps, 2); // ms per step, profiler off

const batches = trainer.epochBatches(3);
const byName = new Map<string, { ms: number; calls: number }>();
const record = (name: string, ms: number): void => {
  const e = byName.get(name) ?? { ms: 0, calls: 0 };
  e.ms += ms;
  e.calls += 1;
  byName.set(name, e);
};
let kernelCalls = 0;
let stepCpu = 0;
if (cpuMode) {
  // Wrap every kernel of the backend in use; nested kernel calls (a kernel that runs others)
  // are charged to the outermost one only.
  const be = tf.getBackend();
  let depth = 0;
  for (const cfg of tf.getKernelsForBackend(be)) {
    const inner = cfg.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const c0 = process.cpuUsage();
      try {
        return inner(args);
      } finally {
        const c = process.cpuUsage(c0);
        depth--;
        record(cfg.kernelName, (c.user + c.system) / 1000);
        kernelCalls++;
      }
    };
    tf.unregisterKernel(cfg.kernelName, be);
    tf.registerKernel({ ...cfg, kernelFunc });
  }
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) trainer.trainStep(batches[i % batches.length]!, 3, 3);
  trainer.readStats();
  const c = process.cpuUsage(c0);
  stepCpu = (c.user + c.system) / 1000 / steps;
} else {
  const info = await tf.profile(() => {
    for (let i = 0; i < steps; i++) trainer.trainStep(batches[i % batches.length]!, 3, 3);
    trainer.readStats();
  });
  kernelCalls = info.kernels.length;
  for (const k of info.kernels) record(k.name, typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0);
}
// customGrad's forward ('forward', 'unnamed scope') wraps kernels that are recorded on their own too.
for (const wrapper of ['forward', 'unnamed scope']) byName.delete(wrapper);
const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
const lines = [
  cpuMode
    ? `${file}, batch ${batch}, backend ${backend}: ${wall.toFixed(2)} ms per step (wall) without the profiler; with it ${stepCpu.toFixed(2)} ms CPU per step, of which kernels ${(total / steps).toFixed(2)} ms CPU (${kernelCalls / steps} kernel calls per step; the rest is JavaScript: tracing, tape, optimizer)`
    : `${file}, batch ${batch}, backend ${backend}: ${wall.toFixed(2)} ms per step without the profiler; kernels ${(total / steps).toFixed(2)} ms per step (${kernelCalls / steps} kernel calls per step)`,
  '',
  '| kernel | ms per step | share of kernel time | calls per step |',
  '|---|---|---|---|',
  ...rows.slice(0, 15).map(([name, e]) => `| ${name} | ${(e.ms / steps).toFixed(2)} | ${((100 * e.ms) / total).toFixed(1)}% | ${e.calls / steps} |`),
  `| (${Math.max(0, rows.length - 15)} others) | ${(rows.slice(15).reduce((s, [, e]) => s + e.ms, 0) / steps).toFixed(2)} | ${((100 * rows.slice(15).reduce((s, [, e]) => s + e.ms, 0)) / total).toFixed(1)}% | ${rows.slice(15).reduce((s, [, e]) => s + e.calls, 0) / steps} |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
trainer.dispose();
prog.dispose();
