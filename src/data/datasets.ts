/**
 * The named data sets of a train block (`data: mnist`), with their columns and loaders.
 *
 *   binarized-mnist  bundled; 50k/10k/10k; x: Binary[28, 28]           (binarized-mnist.ts)
 *   mnist            local or downloaded; 50k/10k/10k by default;
 *                    x: Unit[28, 28], y: Category[10]                   (mnist.ts)
 *   fashion-mnist    as mnist (also found in Debian's /usr/share/datasets/fashion-mnist)
 *   ring             synthetic 2-D ring; x: Real[2]                      (synthetic.ts)
 *   two-moons        synthetic; x: Real[2], y: Category[2]
 *   linear-gaussian  synthetic PPCA data; x: Real[10]
 *   state-space      synthetic linear-Gaussian sequences; x: Real[10, 3] (state-space.ts)
 *   state-space-ragged  the same sequences cut at lengths drawn from 1..10, NaN after the end;
 *                    x: Real[..T, 3] with T = 10
 *   hmm-sequences    synthetic discrete-HMM sequences; x: Real[20, 2]     (hmm-sequences.ts)
 *   zinb-counts      synthetic scVI-like counts; x: Count[50]           (synthetic-counts.ts)
 *   topics           synthetic LDA documents; x: Count[100]
 *   binarized-mnist-missing  binarized-mnist with 30% of the pixels missing (NaN) at random;
 *                    x: Binary[28, 28] with missing entries (declare it `?`)
 *
 * Contract. {@link loadDataset} returns all three splits (a split that was not requested, or
 * does not exist, is empty). Synthetic splits are pure functions of `seed`: split s of seed
 * `seed` is generated from `Rng.fromSeed(seed).fold(s)` (train 0, valid 1, test 2), default
 * sizes 10000/1000/1000. `labelsPerClass: n` keeps the first n labels of each class of the
 * *train* split by index and marks the others missing (-1); the kept indices are the train
 * split's `labeledIndices`. Unknown names are a DataError that suggests the nearest name.
 */
import type { ValueKind } from '../distributions/constraints';
import { Rng } from '../core/rng';
import { BINARIZED_MNIST_SIZES, loadBinarizedMnist } from './binarized-mnist';
import { type Dataset, type DatasetSplits, type SplitName, SPLITS, makeDataset, withLabelsPerClass } from './dataset';
import { DataError } from './errors';
import { type MnistOptions, loadMnistLike } from './mnist';
import type { NdArray } from './ndarray';
import { dropAtRandom, linearGaussianData, ringData, twoMoonsData } from './synthetic';
import { stateSpaceData, stateSpaceRaggedData } from './state-space';
import { hmmData } from './hmm-sequences';
import { topicsData, zinbCountsData } from './synthetic-counts';

/** The fraction of pixels binarized-mnist-missing leaves out. */
export const MISSING_FRACTION = 0.3;

/** The names `data:` accepts. */
export const DATASET_NAMES = ['binarized-mnist', 'binarized-mnist-missing', 'mnist', 'fashion-mnist', 'ring', 'two-moons', 'linear-gaussian', 'state-space', 'state-space-ragged', 'hmm-sequences', 'zinb-counts', 'topics'] as const;
/** A named data set. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** One column of a named data set, as a site declaration that fits it. */
export interface ColumnInfo {
  readonly name: string;
  readonly kind: ValueKind;
  /** Per-example shape. */
  readonly shape: readonly number[];
  /** k for Category columns. */
  readonly classes?: number;
}

/** What a named data set holds. */
export interface DatasetInfo {
  readonly name: DatasetName;
  readonly doc: string;
  readonly columns: readonly ColumnInfo[];
  /** Default example counts per split. */
  readonly sizes: Readonly<Record<SplitName, number>>;
}

const SYNTHETIC_SIZES = { train: 10000, valid: 1000, test: 1000 } as const;
const IMAGES = [28, 28] as const;

/** The named data sets' columns and sizes (for the checker, `--help` and the docs). */
export const DATASET_INFO: Readonly<Record<DatasetName, DatasetInfo>> = {
  'binarized-mnist': {
    name: 'binarized-mnist',
    doc: 'statically binarized MNIST (Larochelle & Murray 2011), bundled',
    columns: [{ name: 'x', kind: 'Binary', shape: IMAGES }],
    sizes: BINARIZED_MNIST_SIZES,
  },
  'binarized-mnist-missing': {
    name: 'binarized-mnist-missing',
    doc: `binarized-mnist with ${MISSING_FRACTION * 100}% of the pixels missing (NaN), at random and independently of their values`,
    columns: [{ name: 'x', kind: 'Binary', shape: IMAGES }],
    sizes: BINARIZED_MNIST_SIZES,
  },
  mnist: {
    name: 'mnist',
    doc: 'MNIST digits, gray levels in [0, 1]; valid = the last 10k training images',
    columns: [{ name: 'x', kind: 'Unit', shape: IMAGES }, { name: 'y', kind: 'Category', shape: [], classes: 10 }],
    sizes: { train: 50000, valid: 10000, test: 10000 },
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    doc: 'Fashion-MNIST (Zalando), gray levels in [0, 1]; valid = the last 10k training images',
    columns: [{ name: 'x', kind: 'Unit', shape: IMAGES }, { name: 'y', kind: 'Category', shape: [], classes: 10 }],
    sizes: { train: 50000, valid: 10000, test: 10000 },
  },
  ring: {
    name: 'ring',
    doc: 'x = z/10 + z/|z| + N(0, 0.1^2) with z ~ N(0, I_2)',
    columns: [{ name: 'x', kind: 'Real', shape: [2] }],
    sizes: SYNTHETIC_SIZES,
  },
  'two-moons': {
    name: 'two-moons',
    doc: 'two interleaved half circles with N(0, 0.1^2) noise and their labels',
    columns: [{ name: 'x', kind: 'Real', shape: [2] }, { name: 'y', kind: 'Category', shape: [], classes: 2 }],
    sizes: SYNTHETIC_SIZES,
  },
  'linear-gaussian': {
    name: 'linear-gaussian',
    doc: 'probabilistic PCA data x = W z + mu + 0.1 eps, d = 10, k = 2, fixed W',
    columns: [{ name: 'x', kind: 'Real', shape: [10] }],
    sizes: SYNTHETIC_SIZES,
  },
  'state-space': {
    name: 'state-space',
    doc: 'linear-Gaussian state-space sequences z_t = A z_{t-1} + 0.3 eps, x_t = C z_t + 0.2 nu; T = 10, k = 2, d = 3 (exact log-likelihood by a Kalman filter)',
    columns: [{ name: 'x', kind: 'Real', shape: [10, 3] }],
    sizes: SYNTHETIC_SIZES,
  },
  'state-space-ragged': {
    name: 'state-space-ragged',
    doc: 'the state-space sequences cut at lengths drawn uniformly from 1..10, NaN after each end (declare `x: Real[..T, 3]` with `const T = 10`; exact log-likelihood per sequence by a Kalman filter)',
    columns: [{ name: 'x', kind: 'Real', shape: [10, 3] }],
    sizes: SYNTHETIC_SIZES,
  },
  'hmm-sequences': {
    name: 'hmm-sequences',
    doc: 'discrete hidden Markov sequences: K = 3 sticky states (0.8 to stay), x_t ~ N(mu_{y_t}, 0.8^2 I_2) with the means 120 degrees apart on a circle of radius 2; T = 20, d = 2 (exact log-likelihood by the forward algorithm)',
    columns: [{ name: 'x', kind: 'Real', shape: [20, 2] }],
    sizes: SYNTHETIC_SIZES,
  },
  'zinb-counts': {
    name: 'zinb-counts',
    doc: 'scVI-like counts of 50 genes: zero-inflated negative binomials with log-means linear in z ~ N(0, I_2)',
    columns: [{ name: 'x', kind: 'Count', shape: [50] }],
    sizes: SYNTHETIC_SIZES,
  },
  topics: {
    name: 'topics',
    doc: 'LDA documents over 100 words from 5 banded topics, theta ~ Dirichlet(0.3), 30 + Poisson(30) words each',
    columns: [{ name: 'x', kind: 'Count', shape: [100] }],
    sizes: SYNTHETIC_SIZES,
  },
};

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions extends MnistOptions {
  /** Seed of the synthetic sets (default 0). */
  readonly seed?: number;
  /** Example counts of the synthetic splits. */
  readonly sizes?: Partial<Record<SplitName, number>>;
  /** `labels: n per class`: keep the first n labels per class of the train split. */
  readonly labelsPerClass?: number;
}

/** True when `name` is a named data set. */
export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** Loads a named data set (see the module comment). */
export async function loadDataset(name: string, opts: LoadDatasetOptions = {}): Promise<DatasetSplits> {
  if (!isDatasetName(name)) {
    const near = nearest(name, DATASET_NAMES);
    throw new DataError(`unknown data set '${name}'${near !== undefined ? `; did you mean '${near}'?` : ''}`, {
      hint: `the named data sets are ${DATASET_NAMES.join(', ')}; or give a file (.npy, .csv, IDX)`,
    });
  }
  let splits: DatasetSplits;
  switch (name) {
    case 'binarized-mnist':
      splits = loadBinarizedMnist({ ...(opts.splits ? { splits: opts.splits } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
      break;
    case 'binarized-mnist-missing': {
      const full = loadBinarizedMnist({ ...(opts.splits ? { splits: opts.splits } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
      const root = Rng.fromSeed(opts.seed ?? 0);
      const drop = (ds: Dataset, i: number): Dataset => makeDataset(`${name}/${SPLITS[i]}`, { x: dropAtRandom(ds.columns['x']!, MISSING_FRACTION, root.fold(i)) });
      splits = { train: drop(full.train, 0), valid: drop(full.valid, 1), test: drop(full.test, 2) };
      break;
    }
    case 'mnist':
    case 'fashion-mnist':
      splits = await loadMnistLike(name, opts);
      break;
    case 'ring':
      splits = synthetic(name, opts, (n, rng) => ({ x: ringData(n, rng).x }));
      break;
    case 'two-moons':
      splits = synthetic(name, opts, (n, rng) => twoMoonsData(n, rng));
      break;
    case 'linear-gaussian':
      splits = synthetic(name, opts, (n, rng) => ({ x: linearGaussianData(n, rng).x }));
      break;
    case 'state-space':
      splits = synthetic(name, opts, (n, rng) => ({ x: stateSpaceData(n, rng).x }));
      break;
    case 'state-space-ragged':
      splits = synthetic(name, opts, (n, rng) => ({ x: stateSpaceRaggedData(n, rng).x }));
      break;
    case 'hmm-sequences':
      splits = synthetic(name, opts, (n, rng) => ({ x: hmmData(n, rng).x }));
      break;
    case 'zinb-counts':
      splits = synthetic(name, opts, (n, rng) => ({ x: zinbCountsData(n, rng).x }));
      break;
    case 'topics':
      splits = synthetic(name, opts, (n, rng) => ({ x: topicsData(n, rng).x }));
      break;
  }
  if (opts.labelsPerClass !== undefined) {
    const label = DATASET_INFO[name].columns.find((c) => c.kind === 'Category');
    if (label === undefined) {
      throw new DataError(`\`labels: ${opts.labelsPerClass} per class\` needs labels, but ${name} has none`, { hint: 'use a labeled data set such as mnist' });
    }
    splits = { ...splits, train: withLabelsPerClass(splits.train, opts.labelsPerClass, { column: label.name, ...(label.classes !== undefined ? { classes: label.classes } : {}) }) };
  }
  return splits;
}

function synthetic(name: DatasetName, opts: LoadDatasetOptions, gen: (n: number, rng: Rng) => Record<string, NdArray>): DatasetSplits {
  const root = Rng.fromSeed(opts.seed ?? 0);
  const want = opts.splits ?? SPLITS;
  const make = (split: SplitName, i: number): Dataset => {
    const n = want.includes(split) ? (opts.sizes?.[split] ?? DATASET_INFO[name].sizes[split]) : 0;
    return makeDataset(`${name}/${split}`, gen(n, root.fold(i)));
  };
  return { train: make('train', 0), valid: make('valid', 1), test: make('test', 2) };
}

/** The candidate within edit distance 3 of `s`, if any (for "did you mean"). */
function nearest(s: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(s.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
