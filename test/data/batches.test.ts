import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchIndices, epochPermutation, minibatches, numBatches } from '../../src/data/batches';
import { labelsPerClass, makeDataset, withLabelsPerClass } from '../../src/data/dataset';
import { DataError } from '../../src/data/errors';
import { toTensor } from '../../src/data/tensors';
import { thrown } from './tmpdir';

describe('epoch permutations and minibatches', () => {
  it('same seed and epoch give the same order; other epochs give other orders', () => {
    const a = epochPermutation(1000, 42, 0);
    expect(Array.from(epochPermutation(1000, 42, 0))).toEqual(Array.from(a));
    const b = epochPermutation(1000, 42, 1);
    const c = epochPermutation(1000, 43, 0);
    expect(Array.from(b)).not.toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // A shuffled order keeps few elements in place (about 1 expected); sorted order would keep all.
    expect(a.filter((v, i) => v === i).length).toBeLessThan(10);
  });

  it('draws all orders uniformly (n = 3 over 600 epochs)', () => {
    const counts = new Map<string, number>();
    for (let e = 0; e < 600; e++) {
      const key = Array.from(epochPermutation(3, 1, e)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Each of the 3! = 6 orders has probability 1/6: count ~ Binomial(600, 1/6), mean 100, sd 9.1.
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 100)).toBeLessThan(40);
  });

  it('covers every index exactly once per epoch, with the last partial batch kept or dropped', () => {
    for (const epoch of [0, 1, 2]) {
      const batches = batchIndices(103, { batchSize: 10, seed: 5, epoch });
      expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
      const seen = batches.flatMap((b) => Array.from(b)).sort((x, y) => x - y);
      expect(seen).toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
    const dropped = batchIndices(103, { batchSize: 10, seed: 5, epoch: 0, dropLast: true });
    expect(dropped).toHaveLength(10);
    expect(numBatches(103, 10, true)).toBe(10);
    expect(Array.from(batchIndices(5, { batchSize: 2, seed: 0, epoch: 0, shuffle: false })[1]!)).toEqual([2, 3]);
  });

  it('gathers the rows of every column for a batch', () => {
    const ds = makeDataset('t', {
      x: { shape: [6, 2], data: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]) },
      y: { shape: [6], data: Int32Array.from([0, 1, 2, 3, 4, 5]) },
    });
    for (const b of minibatches(ds, { batchSize: 4, seed: 9, epoch: 0 })) {
      expect(Array.from(b.columns['y']!.data)).toEqual(Array.from(b.indices));
      expect(Array.from(b.columns['x']!.data)).toEqual(Array.from(b.indices).flatMap((i) => [i, i]));
    }
  });

  it('refuses columns of different lengths', () => {
    const e = thrown(() => makeDataset('d', { x: { shape: [3], data: new Float32Array(3) }, y: { shape: [2], data: new Int32Array(2) } }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('d has 3 examples in column x but 2 in column y (shape [2]); expected the same number');
  });
});

describe('labels: N per class', () => {
  it('keeps the first N of each class by index and marks the rest -1', () => {
    const y = [2, 0, 2, 1, 0, 2, 1, 0, 0, 2, -1, 1];
    const s = labelsPerClass(y, 2, 3);
    expect(Array.from(s.kept)).toEqual([0, 1, 2, 3, 4, 6]);
    expect(Array.from(s.labels)).toEqual([2, 0, 2, 1, 0, -1, 1, -1, -1, -1, -1, -1]);
    expect(s.counts).toEqual([2, 2, 2]);
    // Deterministic: the same input gives the same subset.
    expect(Array.from(labelsPerClass(y, 2, 3).kept)).toEqual(Array.from(s.kept));
  });

  it('records the kept indices on the dataset and reports short classes', () => {
    const ds = makeDataset('t', { y: { shape: [5], data: Int32Array.from([1, 1, 1, 0, 1]) } });
    const p = withLabelsPerClass(ds, 2, { classes: 3 });
    expect(Array.from(p.labeledIndices!)).toEqual([0, 1, 3]);
    expect(Array.from(p.columns['y']!.data)).toEqual([1, 1, -1, 0, -1]);
    expect(labelsPerClass(ds.columns['y']!.data, 2, 3).counts).toEqual([1, 2, 0]);
    expect(Array.from(ds.columns['y']!.data)).toEqual([1, 1, 1, 0, 1]); // the input is not mutated
  });
});

describe('toTensor', () => {
  it('gives int32 for Category and float32 otherwise', () => {
    const labels = toTensor({ shape: [3], data: Int32Array.from([0, 2, 1]) }, 'Category');
    const pixels = toTensor({ shape: [1, 2], data: Uint8Array.from([0, 1]) }, 'Binary');
    expect(labels.dtype).toBe('int32');
    expect(pixels.dtype).toBe('float32');
    expect(pixels.shape).toEqual([1, 2]);
    expect(Array.from(pixels.dataSync())).toEqual([0, 1]);
    tf.dispose([labels, pixels]);
  });
});
