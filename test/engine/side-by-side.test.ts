// Two programs train side by side in one process, as the browser playground does: interleaving
// their steps gives exactly the numbers each gives alone. Nothing is shared between them (no
// global variable registry lookup, no module-level counter, no global gradient replacement).
// Program A is PPCA with Adam; program B has a score-function site (a moving-average baseline
// in its estimator state), an IWAE objective and RMSProp. Exact equality: the same ops on the
// same inputs in the same order are deterministic on one backend.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, compileFile, type Program } from '../../src/api';
import { bindData, type BoundData } from '../../src/train/data-binding';
import { Trainer } from '../../src/train/trainer';

const B_SOURCE = [
  'data x: Real[10]',
  'param s: Positive = 1',
  'net enc: Real[10] -> (loc: Real[2], scale: Positive[2], l: Real[1]) = mlp(hidden: [8])',
  'net dec: (Real[2], Binary[1]) -> Real[10] = linear()',
  'model {',
  '  c: Binary[1] ~ Bernoulli(logits: zeros(1))',
  '  z: Real[2] ~ Laplace(0, 1)',
  '  x ~ Normal(dec(z, c), s)',
  '}',
  'guide {',
  '  let q = enc(x)',
  '  c ~ Bernoulli(logits: q.l) @score',
  '  z ~ Normal(q.loc, q.scale)',
  '}',
  'train {',
  '  dataset: linear-gaussian',
  '  objective: iwae(k: 3)',
  '  optimizer: rmsprop(lr: 0.01)',
  '  batch: 25',
  '}',
].join('\n');

const STEPS = 6;

interface Run {
  readonly prog: Program;
  readonly trainer: Trainer;
  readonly batches: Int32Array[];
}

async function start(prog: Program, seed: number): Promise<Run> {
  const data: BoundData = await bindData(prog.checked, { role: 'train', seed, sizes: { train: 100, valid: 0, test: 0 }, splits: ['train'] });
  const trainer = new Trainer(prog, data, prog.checked.train.config, seed);
  return { prog, trainer, batches: trainer.epochBatches(0) };
}

function step(r: Run, i: number): void {
  r.trainer.trainStep(r.batches[i % r.batches.length]!, 0, i / r.batches.length);
}

/** Every parameter, optimizer slot and baseline, as plain numbers. */
async function state(r: Run): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const e of r.prog.store.list()) out[`param ${e.name}`] = Array.from(e.variable.dataSync());
  const opt = await r.trainer.optimizerWeights();
  opt.forEach((w, i) => (out[`opt ${i}`] = Array.from(w.tensor.dataSync())));
  opt[0]?.tensor.dispose();
  for (const [site, v] of Object.entries(r.prog.state.values())) out[`baseline ${site}`] = [v];
  return out;
}

function programs(): [Program, Program] {
  return [compileFile('models/ppca.vae', { seed: 1, sets: ['train { batch: 50 }'] }), compile(B_SOURCE, { seed: 2 })];
}

function finish(...runs: Run[]): void {
  for (const r of runs) {
    r.trainer.dispose();
    r.prog.dispose();
  }
}

describe('two programs in one process', () => {
  it('interleaving their training steps gives the numbers each gives alone', async () => {
    // Alone: A trains to the end and is disposed before B starts.
    const [pa, pb] = programs();
    const a = await start(pa, 1);
    for (let i = 0; i < STEPS; i++) step(a, i);
    const aloneA = await state(a);
    finish(a);
    const b = await start(pb, 2);
    for (let i = 0; i < STEPS; i++) step(b, i);
    const aloneB = await state(b);
    finish(b);

    // Side by side: both alive, steps alternating.
    const before = tf.memory().numTensors;
    const [qa, qb] = programs();
    const a2 = await start(qa, 1);
    const b2 = await start(qb, 2);
    for (let i = 0; i < STEPS; i++) {
      step(a2, i);
      step(b2, i);
    }
    const sideA = await state(a2);
    const sideB = await state(b2);
    finish(a2, b2);

    expect(Object.keys(aloneB)).toContain('baseline c');
    expect(sideA).toEqual(aloneA);
    expect(sideB).toEqual(aloneB);
    expect(tf.memory().numTensors).toBe(before); // each program frees exactly what it made
  }, 120_000);
});
