/**
 * Dataset: named columns of examples, and the splits of a named data set.
 *
 * Contract. A Dataset has N examples; every column is an NdArray whose axis 0 has length N
 * (checked by {@link makeDataset}). Column names are the data sites they feed (`x` for images,
 * `y` for labels by convention of the named data sets). A partially labeled data set carries
 * `labeledIndices`, the sorted indices of the examples whose label is kept; the other labels
 * are -1. Datasets are immutable values: every function here returns a new one.
 */
import { DataError } from './errors';
import { type NdArray, formatShape, numExamples, sliceRows, takeRows } from './ndarray';

/** Columns of N examples each, one per data site. */
export interface Dataset {
  /** A display name, e.g. `mnist/train`. */
  readonly name: string;
  /** The number of examples N. */
  readonly size: number;
  readonly columns: Readonly<Record<string, NdArray>>;
  /** Sorted indices of the examples that keep their label (partially labeled data only). */
  readonly labeledIndices?: Int32Array;
}

/** The three splits; `valid` is empty (size 0) for sets without a validation split. */
export interface DatasetSplits {
  readonly train: Dataset;
  readonly valid: Dataset;
  readonly test: Dataset;
}

/** The split names. */
export const SPLITS = ['train', 'valid', 'test'] as const;
/** A split name. */
export type SplitName = (typeof SPLITS)[number];

/** Builds a Dataset, checking that all columns have the same number of examples. */
export function makeDataset(name: string, columns: Record<string, NdArray>, labeledIndices?: Int32Array): Dataset {
  let size: number | undefined;
  let first = '';
  for (const [col, arr] of Object.entries(columns)) {
    if (arr.shape.length === 0) throw new DataError(`column ${col} of ${name} is a single number; expected one value per example`);
    const n = numExamples(arr);
    if (size === undefined) {
      size = n;
      first = col;
    } else if (n !== size) {
      throw new DataError(`${name} has ${size} examples in column ${first} but ${n} in column ${col} (shape ${formatShape(arr.shape)}); expected the same number`, {
        hint: 'every data file of a split must hold one row per example',
      });
    }
  }
  return { name, size: size ?? 0, columns, ...(labeledIndices !== undefined ? { labeledIndices } : {}) };
}

/** The examples `start..end-1` of a dataset (labeled indices are re-based). */
export function sliceDataset(ds: Dataset, start: number, end: number, name = ds.name): Dataset {
  const cols: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(ds.columns)) cols[k] = sliceRows(v, start, end);
  const s = Math.max(0, Math.min(start, ds.size));
  const e = Math.max(s, Math.min(end, ds.size));
  const li = ds.labeledIndices?.filter((i) => i >= s && i < e).map((i) => i - s);
  return makeDataset(name, cols, li);
}

/** The examples at `indices`, in that order (labeled indices are dropped). */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const cols: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries(ds.columns)) cols[k] = takeRows(v, indices);
  return makeDataset(name, cols);
}

/** The result of {@link labelsPerClass}. */
export interface LabelSubset {
  /** The labels with all but the kept ones set to -1. */
  readonly labels: Int32Array;
  /** Sorted indices of the kept labels. */
  readonly kept: Int32Array;
  /** How many labels were kept per class (less than N where a class has fewer examples). */
  readonly counts: number[];
}

/**
 * Keeps the first `n` labels of each class, by example index, and marks the rest missing (-1).
 * Deterministic: no randomness is involved, so the same data always gives the same subset.
 * Labels already -1 stay missing. `classes` defaults to 1 + the largest label.
 */
export function labelsPerClass(labels: ArrayLike<number>, n: number, classes?: number): LabelSubset {
  if (!Number.isInteger(n) || n < 0) throw new DataError(`labels per class must be a non-negative integer, found ${n}`);
  let k = classes ?? 0;
  if (classes === undefined) for (let i = 0; i < labels.length; i++) k = Math.max(k, (labels[i] as number) + 1);
  const counts = new Array<number>(k).fill(0);
  const out = new Int32Array(labels.length).fill(-1);
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y < 0 || y >= k || !Number.isInteger(y)) continue;
    if ((counts[y] as number) < n) {
      counts[y] = (counts[y] as number) + 1;
      out[i] = y;
      kept.push(i);
    }
  }
  return { labels: out, kept: Int32Array.from(kept), counts };
}

/**
 * Applies {@link labelsPerClass} to the label column of a dataset (default `y`), returning a
 * partially labeled copy whose `labeledIndices` are the kept indices.
 */
export function withLabelsPerClass(ds: Dataset, n: number, opts: { column?: string; classes?: number } = {}): Dataset {
  const col = opts.column ?? 'y';
  const arr = ds.columns[col];
  if (arr === undefined) {
    throw new DataError(`${ds.name} has no label column '${col}' for \`labels: ${n} per class\`; found columns ${Object.keys(ds.columns).join(', ')}`);
  }
  const sub = labelsPerClass(arr.data, n, opts.classes);
  return makeDataset(ds.name, { ...ds.columns, [col]: { shape: [...arr.shape], data: sub.labels } }, sub.kept);
}
