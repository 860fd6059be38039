/**
 * The NaN/Inf watchdog's diagnosis never crashes, whatever the optimizer and its state: it
 * restores the last snapshot, replays to the bad step and names the site (VAE901). One row of
 * the data (x = 1e30) makes the loss of the step that draws it infinite; the bad step is placed
 * right after the snapshot (nothing to replay), later (a replay through steps that update the
 * optimizer's moments), and after a snapshot taken with moments already allocated. A restore
 * used to alias Adam's variable list, registering every moment as `adam1/undefined/m#t` twice.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/api';
import { makeDataset } from '../src/data/dataset';
import { DiagnosticError } from '../src/dsl/diagnostics';
import { Trainer } from '../src/train/trainer';
import type { BoundData } from '../src/train/data-binding';

const SOURCE = `data x: Real[2]
net enc: Real[2] -> (loc: Real[2], scale: Positive[2]) = linear()
net dec: Real[2] -> Real[2] = linear()
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Normal(dec(z), 1)
}
guide {
  let q = enc(x)
  z ~ Normal(q.loc, q.scale)
}
`;

const N = 40;
const BATCH = 4;

function data(badRow: number): BoundData {
  const x = new Float32Array(N * 2).map((_, i) => Math.sin(i));
  x[badRow * 2] = 1e30;
  const ds = makeDataset('nan-test', { x: { shape: [N, 2], data: x } });
  const empty = makeDataset('empty', { x: { shape: [0, 2], data: new Float32Array(0) } });
  return { splits: { train: ds, valid: empty, test: empty }, source: 'nan-test', dynamic: new Set() };
}

const OPTIMIZERS = ['adam(lr: 1e-2)', 'sgd(lr: 1e-2)', 'sgd(lr: 1e-2, momentum: 0.9)', 'rmsprop(lr: 1e-2, momentum: 0.5)'];

describe('NaN diagnosis', () => {
  for (const optimizer of OPTIMIZERS) {
    for (const { name, snapshotAt, badStep } of [
      { name: 'bad step right after the snapshot', snapshotAt: 0, badStep: 0 },
      { name: 'bad step after a replay', snapshotAt: 0, badStep: 6 },
      { name: 'snapshot with moments, replay across it', snapshotAt: 3, badStep: 8 },
    ]) {
      it(`${optimizer}: ${name} gives VAE901 naming the site and the step`, async () => {
        const prog = compile(SOURCE, { seed: 1, sets: [`train { optimizer: ${optimizer} batch: ${BATCH} }`] });
        const before = tf.memory().numTensors;
        // Find the row that the bad step's minibatch draws (epoch 0 is a seeded permutation).
        const probe = new Trainer(prog, data(0), prog.checked.train.config, 1);
        const row = probe.epochBatches(0)[badStep]![0]!;
        probe.dispose();
        const trainer = new Trainer(prog, data(row), prog.checked.train.config, 1);
        try {
          const batches = trainer.epochBatches(0);
          for (let s = 0; s < snapshotAt; s++) trainer.trainStep(batches[s]!, 0, s / batches.length);
          await trainer.takeSnapshot(0);
          for (let s = snapshotAt; s <= badStep + 1; s++) trainer.trainStep(batches[s]!, 0, s / batches.length);
          expect(trainer.firstBadStep()).toBe(badStep);
          const err = await trainer.diagnoseNonFinite((e) => trainer.epochBatches(e));
          expect(err).toBeInstanceOf(DiagnosticError);
          const d = err.diagnostics[0]!;
          expect(d.code).toBe('VAE901');
          expect(d.message).toMatch(new RegExp(`training stopped: a non-finite .* of \`(x|z|enc|dec)\` at step ${badStep}$`));
        } finally {
          trainer.dispose();
          prog.dispose();
        }
        // Nothing the diagnosis allocated is left behind (snapshots, restored moments, replays).
        expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
      });
    }
  }

  it('a replay that fails (here: an optimizer that cannot restore its state) still gives VAE901', async () => {
    const prog = compile(SOURCE, { seed: 1, sets: [`train { batch: ${BATCH} }`] });
    const probe = new Trainer(prog, data(0), prog.checked.train.config, 1);
    const row = probe.epochBatches(0)[4]![0]!;
    probe.dispose();
    const trainer = new Trainer(prog, data(row), prog.checked.train.config, 1);
    try {
      const batches = trainer.epochBatches(0);
      await trainer.takeSnapshot(0);
      for (let s = 0; s <= 5; s++) trainer.trainStep(batches[s]!, 0, s / batches.length);
      trainer.optimizer.setWeights = () => Promise.reject(new Error('state lost'));
      const err = await trainer.diagnoseNonFinite((e) => trainer.epochBatches(e));
      expect(err.diagnostics.map((d) => [d.code, d.message])).toEqual([['VAE901', 'training stopped: a non-finite loss at step 4; the replay that looks for the site failed (state lost)']]);
    } finally {
      trainer.dispose();
      prog.dispose();
    }
  });
});
