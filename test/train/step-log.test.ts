// Step lines: the trainer's per-step statistics (one readback for many steps) and their
// windows. The gradient norm is checked against an independent measurement: with plain SGD a
// step moves the parameters by lr·g, so ‖Δθ‖ / lr is the gradient norm.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile, type Program } from '../../src/api';
import { bindData, type BoundData } from '../../src/train/data-binding';
import { defaultLogEvery, StepLog } from '../../src/train/step-log';
import { Trainer, type StepStats } from '../../src/train/trainer';

const stats = (i: number, gradNorm = i): StepStats => ({ loss: i, elbo: -i, kl: 10 * i, gradNorm, beta: i / 10, lr: 0.01 });

describe('StepLog', () => {
  it('writes one line per step by default', () => {
    const log = new StepLog(1, 4);
    for (let i = 0; i < 3; i++) log.noteStep(10, 0.5);
    const lines = log.add([stats(1), stats(2), stats(3)], 3);
    expect(lines.map((l) => [l.step, l.epoch, l.steps, l.loss, l.elbo, l.kl, l.beta, l.gradNorm, l.lr, l.examplesPerSec, l.seconds])).toEqual([
      [1, 0.25, 1, 1, -1, 10, 0.1, 1, 0.01, 20, 0.5],
      [2, 0.5, 1, 2, -2, 20, 0.2, 2, 0.01, 20, 0.5],
      [3, 0.75, 1, 3, -3, 30, 0.3, 3, 0.01, 20, 0.5],
    ]);
    expect(log.flush()).toEqual([]);
  });

  it('with --log-every N averages N steps per line, across readbacks, and flushes a partial window', () => {
    const log = new StepLog(3, 100);
    expect([1, 2, 3, 4, 6].map((s) => log.wantsGradNorm(s, false))).toEqual([false, false, true, false, true]);
    expect(log.wantsGradNorm(5, true)).toBe(true); // the last step of an epoch ends a window
    for (let i = 0; i < 2; i++) log.noteStep(10, 1);
    expect(log.add([stats(1, NaN), stats(2, NaN)], 2)).toEqual([]);
    for (let i = 0; i < 2; i++) log.noteStep(30, 1);
    const [l] = log.add([stats(3), stats(4, NaN)], 4);
    expect(l).toMatchObject({ step: 3, steps: 3, loss: 2, elbo: -2, kl: 20, beta: 0.3, gradNorm: 3, examplesPerSec: 50 / 3, seconds: 3 });
    const [rest] = log.flush();
    expect(rest).toMatchObject({ step: 4, steps: 1, loss: 4 });
    expect(log.flush()).toEqual([]);
  });

  it('refuses statistics that do not match the noted steps; the default keeps about 2,000 lines', () => {
    const log = new StepLog(1, 10);
    log.noteStep(1, 1);
    expect(() => log.add([stats(1), stats(2)], 2)).toThrow(/2 read-back steps for 1 noted/);
    expect(() => new StepLog(0, 10)).toThrow(RangeError);
    expect([1, 2000, 2001, 30000].map(defaultLogEvery)).toEqual([1, 1, 2, 15]);
  });
});

describe('Trainer statistics', () => {
  let prog: Program;
  let bound: BoundData;
  beforeAll(async () => {
    prog = compileFile('models/ppca.vae', { seed: 3 });
    bound = await bindData(prog.checked, { role: 'train', seed: 3, sizes: { train: 64, valid: 0, test: 0 }, splits: ['train'] });
  });
  afterAll(() => prog?.dispose());

  it('the gradient norm equals ‖Δθ‖ / lr of a plain SGD step; NaN when not asked for', () => {
    const lr = 0.01;
    const trainer = new Trainer(prog, bound, { ...prog.checked.train.config, batch: 32, optimizer: { kind: 'sgd', lr, momentum: 0 } }, 3);
    const [b0, b1] = trainer.epochBatches(0);
    for (const withNorm of [true, false]) {
      const before = prog.store.snapshot();
      trainer.trainStep(withNorm ? b0! : b1!, 0, 0, { gradNorm: withNorm });
      const moved = Math.sqrt(prog.store.list().reduce((a, e) => a + tf.tidy(() => tf.sum(tf.square(tf.sub(e.variable, before.get(e.name)!))).dataSync()[0]!), 0));
      tf.dispose([...before.values()]);
      const [s] = trainer.readStats().perStep;
      if (withNorm) {
        expect(moved).toBeGreaterThan(0);
        expect(Math.abs(s!.gradNorm - moved / lr) / s!.gradNorm).toBeLessThan(1e-3); // float32 rounding of Δθ
      } else {
        expect(s!.gradNorm).toBeNaN();
      }
      expect(s!.loss).toBeCloseTo(-s!.elbo, 3); // ELBO objective, β = 1
      expect(s!.lr).toBe(lr);
    }
    trainer.dispose();
  });

  it('keeps unread statistics in a bounded number of tensors, and reads them all back in order', () => {
    const trainer = new Trainer(prog, bound, { ...prog.checked.train.config, batch: 16 }, 3);
    const [all] = trainer.epochBatches(0);
    trainer.trainStep(all!, 0, 0);
    trainer.readStats();
    const n0 = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 70; i++) {
      trainer.trainStep(all!, 0, 0);
      counts.push(tf.memory().numTensors - n0);
    }
    expect(Math.max(...counts)).toBeLessThanOrEqual(66); // merged into one block past 64
    const s = trainer.readStats();
    expect(s.steps).toBe(70);
    expect(s.perStep).toHaveLength(70);
    expect(s.perStep.every((p) => Number.isFinite(p.elbo) && Number.isNaN(p.gradNorm))).toBe(true);
    expect(s.elbo).toBeCloseTo(s.perStep.reduce((a, p) => a + p.elbo, 0) / 70, 4);
    expect(tf.memory().numTensors).toBe(n0);
    trainer.dispose();
  });
});
