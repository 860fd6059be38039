/**
 * The M2 objective of models/m2.vae itself, on a mixed minibatch built by the training path
 * (file binding with -1 for missing labels, `labels: 100 per class`, dynamic binarization, the
 * Trainer's batches), against a slow reference that sums over the classes explicitly:
 *
 *   labelled row (x, y):  L(x, y) + α·log q(y | x)
 *   unlabelled row x:     U(x) = Σ_c q(c | x) [L(x, c) − log q(c | x)]
 *   surrogate = mean over the rows;  the bound the Trainer reports = the same without α·log q.
 *
 * L(x, c) is computed by running the program with every label observed as c (the labelled
 * path), and q(c | x) read from the guide's classifier. The per-class algebra on toy models is
 * in test/inference/partial.test.ts and enumerate.test.ts; this test checks the real program and
 * the real batches. To make the comparison exact rather than statistical, the decoder's weights
 * on z are set to 0 after a few training steps: then log p(x | z, y) does not depend on the draw
 * of z and the KL of z is analytic, so every term is deterministic (the encoder still runs and
 * its KL still counts).
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Program } from '../../src/api';
import { writeNpy } from '../../src/data/npy';
import { execute, makeBatch } from '../../src/inference/execute';
import { runObjective } from '../../src/inference/objectives/index';
import { Rng } from '../../src/core/rng';
import { batchTensors } from '../../src/train/batches';
import { bindData, type BoundData } from '../../src/train/data-binding';
import { loadChecked } from '../../src/train/session';
import { Trainer } from '../../src/train/trainer';

const N = 30;
const K = 10;
const ALPHA = 46;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-m2-objective-'));

/** Gray images with a class-dependent bar, so the nets see structure; labels i % 10, every third missing. */
function writeData(): { images: string; labels: string; truth: number[] } {
  const x = new Float32Array(N * 784);
  const truth: number[] = [];
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const c = i % K;
    truth.push(c);
    y[i] = i % 3 === 2 ? -1 : c;
    for (let p = 0; p < 784; p++) x[i * 784 + p] = Math.floor(p / 28) % K === c ? 0.9 : ((i * 7 + p * 13) % 17) / 40;
  }
  const images = path.join(tmp, 'images.npy');
  const labels = path.join(tmp, 'labels.npy');
  writeNpy(images, { shape: [N, 28, 28], data: x });
  writeNpy(labels, { shape: [N], data: y });
  return { images, labels, truth };
}

describe('the M2 objective of models/m2.vae on a training minibatch', () => {
  const outcome = loadChecked({ file: 'models/m2.vae' });
  const cp = outcome.checked;
  let prog: Program;
  let data: BoundData;
  let trainer: Trainer;
  let truthLabels: number[] = [];
  const seed = 3;

  beforeAll(async () => {
    const f = writeData();
    truthLabels = f.truth;
    data = await bindData(cp, { data: `x=${f.images},y=${f.labels}`, role: 'train', seed, validSize: 0 });
    prog = new Program(cp, outcome.plan, seed);
    trainer = new Trainer(prog, data, { ...cp.train.config, batch: 10 }, seed);
    // A few real steps, so the nets are not at their initialization.
    const batches = trainer.epochBatches(0);
    for (let i = 0; i < 3; i++) trainer.trainStep(batches[i]!, 0, i / batches.length);
    trainer.readStats();
    // Cut the decoder's input from z (see the module comment).
    const w = prog.param('decoder.l0.w0');
    const zeros = tf.zerosLike(w);
    w.assign(zeros);
    zeros.dispose();
  });
  afterAll(() => {
    trainer.dispose();
    prog.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('binds the files as a partly labelled training set with dynamic binarization', () => {
    expect(data.splits.train.size).toBe(N);
    expect(data.splits.valid.size).toBe(0);
    expect(data.dynamic.has('x')).toBe(true);
    expect(Array.from(data.labeledIndices!)).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 !== 2));
    expect(cp.train.config.classify).toEqual({ site: 'y', weight: ALPHA });
  });

  it('equals the explicit sum over the classes, on mixed, only-labelled and only-unlabelled batches', () => {
    const idx = Int32Array.from({ length: N }, (_, i) => i);
    const epoch = 1;
    const cols = batchTensors(cp, data.splits.train, idx, data.dynamic, seed, epoch); // x binarized as the trainer does
    const labels = Array.from(cols.get('y')!.dataSync());
    expect(labels.filter((v) => v < 0)).toHaveLength(N / 3);
    const settings = { particles: 1, beta: 1, freeBits: 0, classify: cp.train.config.classify };
    const run = (y: tf.Tensor, classify: typeof settings.classify, seedFold: number) =>
      tf.tidy(() => {
        const out = runObjective(cp.train.config.objective, {
          prog: prog.compiled,
          store: prog.store,
          plan: prog.plan,
          batch: makeBatch(cp, new Map([['x', cols.get('x')!], ['y', y]])),
          rng: Rng.fromSeed(seedFold),
          settings: { ...settings, classify },
          state: prog.state,
        });
        return { surrogate: out.surrogate.dataSync()[0]!, bound: Array.from(out.bound.dataSync()) };
      });

    // The engine: the mixed batch, as one training step sees it.
    const engine = run(cols.get('y')!, settings.classify, 11);

    // The reference: L(x, c) for every class c (all rows observed as c), and q(c | x).
    const L: number[][] = [];
    for (let c = 0; c < K; c++) {
      const yc = tf.fill([N], c, 'int32');
      L.push(run(yc, null, 100 + c).bound);
      yc.dispose();
    }
    const q = tf.tidy(() => {
      const hidden = tf.fill([N], -1, 'int32');
      const traces = execute(prog.compiled, prog.store, prog.plan, makeBatch(cp, new Map([['x', cols.get('x')!], ['y', hidden]])), Rng.fromSeed(7), { particles: 1 });
      const probs = traces.guide.get('y')!.dist.params['probs']!;
      return Array.from(probs.reshape([-1, N, K]).slice([0, 0, 0], [1, N, K]).dataSync());
    });
    const qOf = (b: number, c: number): number => q[b * K + c]!;
    const bound: number[] = [];
    const classify: number[] = [];
    for (let b = 0; b < N; b++) {
      const y = labels[b]!;
      if (y >= 0) {
        bound.push(L[y]![b]!);
        classify.push(ALPHA * Math.log(qOf(b, y)));
      } else {
        let u = 0;
        for (let c = 0; c < K; c++) u += qOf(b, c) * (L[c]![b]! - Math.log(qOf(b, c)));
        bound.push(u);
        classify.push(0);
      }
    }
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-3 + 2e-5 * Math.abs(b));
    for (let b = 0; b < N; b++) close(engine.bound[b]!, bound[b]!);
    const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    close(engine.surrogate, mean(bound) + mean(classify));
    // The classification term is a large part of the objective on this batch (a sanity check
    // that the comparison is not dominated by the bound alone).
    expect(Math.abs(mean(classify))).toBeGreaterThan(1);

    // A batch with only unlabelled rows gives U(x) everywhere and no classification term; a
    // batch with every label given gives L(x, y) + α·log q(y | x) everywhere.
    const hiddenY = tf.fill([N], -1, 'int32');
    const allUnlabelled = run(hiddenY, settings.classify, 12);
    hiddenY.dispose();
    const U = Array.from({ length: N }, (_, b) => {
      let u = 0;
      for (let c = 0; c < K; c++) u += qOf(b, c) * (L[c]![b]! - Math.log(qOf(b, c)));
      return u;
    });
    for (let b = 0; b < N; b++) close(allUnlabelled.bound[b]!, U[b]!);
    close(allUnlabelled.surrogate, mean(U));
    const truthY = tf.tensor1d(truthLabels, 'int32');
    const allLabelled = run(truthY, settings.classify, 13);
    truthY.dispose();
    for (let b = 0; b < N; b++) close(allLabelled.bound[b]!, L[truthLabels[b]!]![b]!);
    close(allLabelled.surrogate, mean(truthLabels.map((c, b) => L[c]![b]!)) + mean(truthLabels.map((c, b) => ALPHA * Math.log(qOf(b, c)))));

    // The Trainer's own step on the same rows and epoch reports the same bound (before its update).
    trainer.trainStep(idx, epoch, epoch);
    close(trainer.readStats().elbo, mean(bound));
    tf.dispose([...cols.values()]);
  });
});
