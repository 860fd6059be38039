/**
 * Reference results of models/hmm.vae (BENCHMARKS.md): trains on the `hmm-sequences` data
 * (N_TRAIN sequences, the model file's batch and optimizer, STEPS steps, batches drawn with
 * replacement), then evaluates on the test split the ELBO and the IWAE against the exact
 * forward-algorithm log-likelihood, with paired standard errors (sd of the per-sequence
 * differences / √N). Every state is enumerated and eliminated along the chain, so both bounds
 * are exact sums (no Monte Carlo noise): the IWAE is the model's own log p_θ(x).
 *
 *   node --import tsx bench/hmm-reference.ts [STEPS=1000] [N_TRAIN=10000] [N_TEST=1000]
 */
import * as tf from '@tensorflow/tfjs';
import { compileFile, evaluate } from '../src/api';
import { hmmLogLikelihood, hmmParams } from '../src/data/hmm-sequences';
import { bindData } from '../src/train/data-binding';
import { Trainer } from '../src/train/trainer';
import { Rng } from '../src/core/rng';
import { initBackend } from '../src/backend';

const [STEPS = 1000, N_TRAIN = 10000, N_TEST = 1000] = process.argv.slice(2).map(Number);
const SEED = 1;
const p = hmmParams();

async function main(): Promise<void> {
  await initBackend('wasm');
  const prog = compileFile('models/hmm.vae', { seed: SEED });
  const bound = await bindData(prog.checked, { role: 'train', seed: SEED, sizes: { train: N_TRAIN!, valid: 0, test: N_TEST! }, splits: ['train', 'test'] });
  const config = prog.checked.train.config;
  const B = config.batch;
  const trainer = new Trainer(prog, bound, config, SEED);
  const u = Rng.fromSeed(SEED).foldName('order').uniforms();
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
  const exact = Array.from({ length: N_TEST! }, (_, i) => hmmLogLikelihood(x.subarray(i * p.T * p.d, (i + 1) * p.T * p.d), p));
  const batch = prog.batch({ x: tf.tensor3d(x, [N_TEST!, p.T, p.d]) });
  const elbo = Array.from(evaluate(prog, batch, { objective: { kind: 'elbo' }, particles: 1, seed: 100 }).perExample);
  const iwae = Array.from(evaluate(prog, batch, { objective: { kind: 'iwae', k: 1 }, particles: 1, seed: 200 }).perExample);
  const paired = (a: number[], b: number[]) => {
    const d = a.map((v, i) => v - b[i]!);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    return `${m.toFixed(3)} ± ${(Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / (d.length - 1)) / Math.sqrt(d.length)).toFixed(3)}`;
  };
  const mean = (a: number[]) => (a.reduce((s, v) => s + v, 0) / a.length).toFixed(3);
  console.log(JSON.stringify({ steps: STEPS, nTrain: N_TRAIN, nTest: N_TEST, batch: B, wallSeconds: +wall.toFixed(1), cpuSeconds: +cpu.toFixed(1), exact: mean(exact), elbo: mean(elbo), iwae: mean(iwae), elboMinusExact: paired(elbo, exact), iwaeMinusExact: paired(iwae, exact), iwaeMinusElbo: paired(iwae, elbo) }));
  prog.dispose();
}

void main();
