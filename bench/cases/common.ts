/** Shared set-up for training benchmarks: a compiled program, synthetic data, a Trainer. */
import { Program } from '../../src/api';
import { makeDataset } from '../../src/data/dataset';
import type { NdArray } from '../../src/data/ndarray';
import { Rng } from '../../src/core/rng';
import { loadChecked } from '../../src/train/session';
import { Trainer } from '../../src/train/trainer';
import type { BoundData } from '../../src/train/data-binding';
import { loadBinarizedMnist } from '../../src/data/binarized-mnist';
import { numel } from '../../src/dsl/types';
import type { Objective } from '../../src/dsl/train-config';

/**
 * A Trainer for `file` on binarized-MNIST images (real data, so the step has its real cost), with
 * synthetic labels for Category sites (a third of them missing for partly observed ones).
 */
export function makeTrainer(file: string, opts: { batch: number; objective?: Objective; n?: number }): { trainer: Trainer; prog: Program } {
  const outcome = loadChecked({ file, ...(opts.objective ? { objective: opts.objective } : {}) });
  const cp = outcome.checked;
  const config = { ...cp.train.config, batch: opts.batch, ...(opts.objective ? { objective: opts.objective } : {}) };
  const prog = new Program(cp, outcome.plan, 1);
  const n = opts.n ?? 10 * opts.batch;
  const images = loadBinarizedMnist({ splits: ['train'] }).train.columns['x']!;
  const u = Rng.fromSeed(3).uniforms();
  const cols: Record<string, NdArray> = {};
  for (const d of cp.data) {
    if (d.type.vk === 'Category') {
      cols[d.name] = { shape: [n], data: Int32Array.from({ length: n }, (_, i) => (d.partial && i % 3 === 0 ? -1 : Math.floor(u() * d.type.classes!))) };
    } else {
      const per = numel(d.type.shape);
      cols[d.name] = { shape: [n, ...d.type.shape], data: Float32Array.from(images.data.subarray(0, n * per)) };
    }
  }
  const ds = makeDataset('bench', cols);
  const data: BoundData = { splits: { train: ds, valid: ds, test: ds }, source: 'bench', dynamic: new Set() };
  return { trainer: new Trainer(prog, data, config, 1), prog };
}

/** Times `steps` training steps and returns ms per step (one scalar readback at the end). */
export function timeSteps(trainer: Trainer, steps: number, epochSeed: number): number {
  const batches = trainer.epochBatches(epochSeed);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep(batches[i % batches.length]!, epochSeed, epochSeed);
  trainer.readStats();
  return (performance.now() - t0) / steps;
}
