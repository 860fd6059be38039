/**
 * Minibatch tensors for a program: gathers rows of every data column, draws fresh pixels for
 * dynamically binarized sites (a pure function of seed, epoch and example index, so a resumed
 * run sees the same pixels), and converts to tfjs (int32 for Category, float32 otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import { binarizeDynamic } from '../data/binarize';
import { gatherBatch } from '../data/batches';
import type { Dataset } from '../data/dataset';
import { toTensor } from '../data/tensors';
import type { CheckedProgram } from '../dsl/checked';
import { Rng } from '../core/rng';

/** The epoch index used to binarize evaluation splits (fixed, so evaluations are comparable). */
export const EVAL_EPOCH = 0x7fffffff;

export function batchTensors(cp: CheckedProgram, ds: Dataset, indices: Int32Array, dynamic: ReadonlySet<string>, seed: number, epoch: number): Map<string, tf.Tensor> {
  const b = gatherBatch(ds, indices, cp.data.map((d) => d.name));
  const out = new Map<string, tf.Tensor>();
  for (const d of cp.data) {
    let arr = b.columns[d.name]!;
    if (dynamic.has(d.name)) arr = binarizeDynamic(arr, { seed: Rng.fromSeed(seed), epoch, indices });
    out.set(d.name, toTensor(arr, d.type.vk)); // [B, ...shape]
  }
  return out;
}

/** Consecutive index ranges [0, n) in chunks of `size` (evaluation order). */
export function* chunks(n: number, size: number): Generator<Int32Array> {
  for (let i = 0; i < n; i += size) yield Int32Array.from({ length: Math.min(size, n - i) }, (_, j) => i + j);
}
