/**
 * Minibatches: a seeded permutation per epoch, cut into fixed-size batches.
 *
 * Contract. The order of epoch e is a Fisher–Yates shuffle driven by
 * `Rng.fromSeed(seed).foldName('shuffle').fold(e).uniforms()`: the same (seed, epoch) always
 * gives the same order, and different epochs give independent orders. Every index 0..N-1
 * appears exactly once per epoch. Batches hold `batchSize` indices; the last, partial batch is
 * kept unless `dropLast` is set. Nothing here touches tfjs.
 */
import { Rng } from '../core/rng';
import type { Dataset } from './dataset';
import { type NdArray, takeRows } from './ndarray';

/** A random permutation of 0..n-1 for one epoch (Fisher–Yates). */
export function epochPermutation(n: number, seed: number | Rng, epoch: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const u = (typeof seed === 'number' ? Rng.fromSeed(seed) : seed).foldName('shuffle').fold(epoch).uniforms();
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u() * (i + 1)));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm;
}

/** Options of {@link batchIndices} and {@link minibatches}. */
export interface BatchOptions {
  readonly batchSize: number;
  /** The run's seed (or a key derived from it). */
  readonly seed: number | Rng;
  readonly epoch: number;
  /** Shuffle (default true); false keeps the index order 0..N-1. */
  readonly shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
}

/** The number of batches one epoch over `n` examples has. */
export function numBatches(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/** The index arrays of the batches of one epoch, in order. */
export function batchIndices(n: number, opts: BatchOptions): Int32Array[] {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${opts.batchSize}`);
  const order = opts.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : epochPermutation(n, opts.seed, opts.epoch);
  const out: Int32Array[] = [];
  const count = numBatches(n, opts.batchSize, opts.dropLast);
  for (let b = 0; b < count; b++) out.push(order.slice(b * opts.batchSize, Math.min(n, (b + 1) * opts.batchSize)));
  return out;
}

/** One minibatch: the data set indices and the gathered columns. */
export interface Batch {
  readonly indices: Int32Array;
  readonly columns: Record<string, NdArray>;
}

/** Gathers the rows at `indices` of every column (or of the named ones). */
export function gatherBatch(ds: Dataset, indices: Int32Array, columns?: readonly string[]): Batch {
  const out: Record<string, NdArray> = {};
  for (const name of columns ?? Object.keys(ds.columns)) {
    const arr = ds.columns[name];
    if (arr === undefined) throw new RangeError(`dataset ${ds.name} has no column ${name}`);
    out[name] = takeRows(arr, indices);
  }
  return { indices, columns: out };
}

/**
 * Iterates over the minibatches of one epoch.
 * @example for (const b of minibatches(train, { batchSize: 100, seed, epoch })) step(b.columns.x)
 */
export function* minibatches(ds: Dataset, opts: BatchOptions & { columns?: readonly string[] }): Generator<Batch> {
  for (const idx of batchIndices(ds.size, opts)) yield gatherBatch(ds, idx, opts.columns);
}
