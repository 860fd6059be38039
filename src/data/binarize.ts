/**
 * Binarization of grayscale images for `Binary` data sites.
 *
 *   dynamic    each pixel becomes 1 with probability equal to its gray level, redrawn every
 *              epoch (Salakhutdinov & Murray 2008; the standard "dynamically binarized MNIST");
 *   threshold  each pixel becomes 1 when its gray level is > 0.5 (deterministic).
 *
 * Contract. Inputs are gray levels in [0, 1], or 0..255 gray levels (recognized by a maximum
 * above 1, whatever the storage), which are divided by 255 first. Anything else (negative
 * values, values above 255) is a DataError. A NaN is a missing pixel and stays NaN (float32
 * output; the site's validation then accepts it only in a `?` site). Otherwise outputs have
 * the input's shape and uint8 storage holding 0/1. Dynamic draws are a pure function of (seed, epoch, example index): the
 * uniforms of example i come from `Rng.fromSeed(seed).foldName('binarize').fold(epoch).fold(i)`,
 * so binarizing a minibatch gives the same pixels as binarizing the whole set and then slicing.
 */
import { Rng } from '../core/rng';
import { DataError } from './errors';
import { type NdArray, type TypedData, exampleSize, numExamples, valueRange } from './ndarray';
import { describeRange } from './validate';

/** The binarization modes of a train block (`binarize: dynamic`). */
export type BinarizeMode = 'dynamic' | 'threshold';

/**
 * The factor that maps the data to [0, 1]: 1/255 when the maximum exceeds 1 (0..255 gray
 * levels), 1 otherwise (already in [0, 1], including 0/1 bytes).
 */
export function grayScale(arr: NdArray, file = 'the data'): number {
  const data = arr.data;
  const [lo, hi] = valueRange(data);
  const bytes = hi > 1;
  if (lo < 0 || hi > (bytes ? 255 : 1)) throw notGray(file, `values in ${describeRange(data)}`);
  return bytes ? 1 / 255 : 1;
}

function hasNaN(data: TypedData): boolean {
  if (!(data instanceof Float32Array)) return false;
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i] as number)) return true;
  return false;
}

function notGray(file: string, found: string): DataError {
  return new DataError(`cannot binarize ${file}: expected gray levels in [0, 1] or 0..255, found ${found}`, {
    hint: 'binarize applies to grayscale images; rescale the data or drop the binarize option',
    file,
  });
}

/** Scales grayscale data to float32 in [0, 1] (0..255 bytes are divided by 255). */
export function toUnitInterval(arr: NdArray, file = 'the data'): NdArray {
  const scale = grayScale(arr, file);
  if (scale === 1 && arr.data instanceof Float32Array) return arr;
  const out = new Float32Array(arr.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (arr.data[i] as number) * scale;
  return { shape: [...arr.shape], data: out };
}

/** Pixels > 0.5 (after scaling to [0, 1]) become 1, the rest 0; a missing pixel (NaN) stays missing. */
export function binarizeThreshold(arr: NdArray, file = 'the data'): NdArray {
  const scale = grayScale(arr, file);
  const out = hasNaN(arr.data) ? new Float32Array(arr.data.length) : new Uint8Array(arr.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = arr.data[i] as number;
    out[i] = Number.isNaN(v) ? NaN : v * scale > 0.5 ? 1 : 0;
  }
  return { shape: [...arr.shape], data: out };
}

/** Options of {@link binarizeDynamic}. */
export interface DynamicBinarizeOptions {
  /** The run's seed (or a key derived from it). */
  readonly seed: number | Rng;
  /** The epoch: each epoch draws fresh pixels. */
  readonly epoch: number;
  /**
   * The data set index of each example of `arr` (default 0..N-1). Pass the minibatch's indices
   * to get the same pixels as binarizing the whole set.
   */
  readonly indices?: ArrayLike<number>;
  /** The name used in error messages. */
  readonly file?: string;
}

/**
 * Draws x_ij ~ Bernoulli(gray_ij) for every pixel, a pure function of (seed, epoch, index).
 * @example binarizeDynamic(batch.columns.x, { seed: 1, epoch: 3, indices: batch.indices })
 */
export function binarizeDynamic(arr: NdArray, opts: DynamicBinarizeOptions): NdArray {
  const scale = grayScale(arr, opts.file);
  const n = numExamples(arr);
  const m = exampleSize(arr);
  if (opts.indices !== undefined && opts.indices.length !== n) {
    throw new RangeError(`binarizeDynamic: ${opts.indices.length} indices for ${n} examples`);
  }
  const root = (typeof opts.seed === 'number' ? Rng.fromSeed(opts.seed) : opts.seed).foldName('binarize').fold(opts.epoch);
  const src = arr.data;
  const out = hasNaN(src) ? new Float32Array(src.length) : new Uint8Array(src.length);
  for (let r = 0; r < n; r++) {
    const u = root.fold(opts.indices?.[r] ?? r).uniforms();
    const base = r * m;
    for (let j = 0; j < m; j++) {
      const draw = u(); // drawn for every pixel, so a missing pixel does not shift the others' draws
      const v = src[base + j] as number;
      out[base + j] = Number.isNaN(v) ? NaN : draw < v * scale ? 1 : 0;
    }
  }
  return { shape: [...arr.shape], data: out };
}

/** Applies a train block's `binarize` mode (see {@link binarizeDynamic} for the options). */
export function binarize(arr: NdArray, mode: BinarizeMode, opts: DynamicBinarizeOptions): NdArray {
  return mode === 'threshold' ? binarizeThreshold(arr, opts.file) : binarizeDynamic(arr, opts);
}
