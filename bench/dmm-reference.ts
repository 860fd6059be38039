/**
 * Reference results of models/dmm.vae (BENCHMARKS.md): trains on the `state-space` data
 * (N_TRAIN sequences, the model file's batch and optimizer, STEPS steps), then evaluates on the
 * test split the ELBO (mean of 4 estimates per sequence) and IWAE-K against the exact Kalman
 * log-likelihood, with paired standard errors (sd of the per-sequence differences / √N).
 * With `ragged` last, models/dmm-ragged.vae on `state-space-ragged` (lengths 1..10, the Kalman
 * filter over each sequence's own steps).
 *
 *   node --import tsx bench/dmm-reference.ts [STEPS=1500] [N_TRAIN=10000] [N_TEST=1000] [K=200] [ragged]
 */
import * as tf from '@tensorflow/tfjs';
import { compileFile, evaluate } from '../src/api';
import { kalmanLogLikelihood, kalmanRaggedLogLikelihood, stateSpaceParams } from '../src/data/state-space';
import { bindData } from '../src/train/data-binding';
import { Trainer } from '../src/train/trainer';
import { Rng } from '../src/core/rng';
import { initBackend } from '../src/backend';

const RAGGED = process.argv.includes('ragged');
const [STEPS = 1500, N_TRAIN = 10000, N_TEST = 1000, K = 200] = process.argv.slice(2).filter((a) => a !== 'ragged').map(Number);
const SEED = 1;
const p = stateSpaceParams();

async function main(): Promise<void> {
  await initBackend('wasm');
  const prog = compileFile(RAGGED ? 'models/dmm-ragged.vae' : 'models/dmm.vae', { seed: SEED });
  const bound = await bindData(prog.checked, { role: 'train', seed: SEED, sizes: { train: N_TRAIN!, valid: 0, test: N_TEST! }, splits: ['train', 'test'] });
  const config = prog.checked.train.config;
  const B = config.batch;
  const trainer = new Trainer(prog, bound, config, SEED);
  const u = Rng.fromSeed(SEED).foldName('order').uniforms(); // one stream: batches of examples drawn with replacement
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let s = 0; s < STEPS!; s++) {
    const idx = Int32Array.from({ length: B }, () => Math.floor(u() * N_TRAIN!));
    trainer.trainStep(idx, s, s);
    if ((s + 1) % 250 === 0) console.error(`step ${s + 1}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
  trainer.dispose();
  const x = bound.splits.test.columns['x']!.data as Float32Array;
  const kalman = Array.from({ length: N_TEST! }, (_, i) => (RAGGED ? kalmanRaggedLogLikelihood : kalmanLogLikelihood)(x.subarray(i * p.T * p.d, (i + 1) * p.T * p.d), p));
  const batch = prog.batch({ x: tf.tensor3d(x, [N_TEST!, p.T, p.d]) });
  const avg = (runs: Float32Array[]) => Array.from({ length: N_TEST! }, (_, i) => runs.reduce((a, r) => a + r[i]!, 0) / runs.length);
  const elbo = avg(Array.from({ length: 4 }, (_, s) => evaluate(prog, batch, { objective: { kind: 'elbo' }, particles: 1, seed: 100 + s }).perExample));
  const iwae = avg([evaluate(prog, batch, { objective: { kind: 'iwae', k: K! }, particles: 1, seed: 200 }).perExample]);
  const paired = (a: number[], b: number[]) => {
    const d = a.map((v, i) => v - b[i]!);
    const m = d.reduce((u, v) => u + v, 0) / d.length;
    return `${m.toFixed(3)} ± ${(Math.sqrt(d.reduce((u, v) => u + (v - m) ** 2, 0) / (d.length - 1)) / Math.sqrt(d.length)).toFixed(3)}`;
  };
  const mean = (a: number[]) => (a.reduce((u, v) => u + v, 0) / a.length).toFixed(3);
  console.log(JSON.stringify({ model: RAGGED ? 'dmm-ragged' : 'dmm', steps: STEPS, nTrain: N_TRAIN, nTest: N_TEST, batch: B, wallSeconds: +wall.toFixed(1), cpuSeconds: +cpu.toFixed(1), kalman: mean(kalman), elbo: mean(elbo), iwae: mean(iwae), k: K, elboMinusKalman: paired(elbo, kalman), iwaeMinusKalman: paired(iwae, kalman) }));
  prog.dispose();
}

void main();
