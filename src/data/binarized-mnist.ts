/**
 * The statically binarized MNIST of Larochelle & Murray (2011), bundled with vaelang.
 *
 * Contract. The three IDX files `{train,valid,test}-images-idx3-ubyte.gz` (50,000 / 10,000 /
 * 10,000 images of 28x28, uint8 values 0/1) live in `data/binarized-mnist/` at the package root
 * and are found relative to this module, so the set works offline and from any working
 * directory. Each split has one column, `x` [N, 28, 28] (uint8 0/1); the set has no labels.
 */
import * as path from 'node:path';
import { packageFile } from '../core/package-root';
import { type Dataset, type DatasetSplits, type SplitName, SPLITS, makeDataset } from './dataset';
import { DataError } from './errors';
import { readIdx } from './idx';
import { formatShape } from './ndarray';

/** The directory holding the bundled files. */
export function bundledBinarizedMnistDir(): string {
  return `${packageFile('data/binarized-mnist')}/`;
}

/** Options of {@link loadBinarizedMnist}. */
export interface BinarizedMnistOptions {
  /** The splits to load (default all); the others are empty. */
  readonly splits?: readonly SplitName[];
  /** Read the files from this directory instead of the bundled copy. */
  readonly dataDir?: string;
}

/** The example counts of the bundled splits. */
export const BINARIZED_MNIST_SIZES: Readonly<Record<SplitName, number>> = { train: 50000, valid: 10000, test: 10000 };

function loadSplit(dir: string, split: SplitName): Dataset {
  const file = path.join(dir, `${split}-images-idx3-ubyte.gz`);
  const x = readIdx(file);
  if (x.shape.length !== 3 || x.shape[1] !== 28 || x.shape[2] !== 28 || !(x.data instanceof Uint8Array)) {
    throw new DataError(`${file} holds ${formatShape(x.shape)} values; expected binarized images of shape [N, 28, 28] (unsigned bytes)`, { file });
  }
  return makeDataset(`binarized-mnist/${split}`, { x });
}

/** Loads the bundled binarized MNIST (synchronous: the files are local and small). */
export function loadBinarizedMnist(opts: BinarizedMnistOptions = {}): DatasetSplits {
  const dir = opts.dataDir ?? bundledBinarizedMnistDir();
  const want = opts.splits ?? SPLITS;
  const get = (s: SplitName): Dataset =>
    want.includes(s) ? loadSplit(dir, s) : makeDataset(`binarized-mnist/${s}`, { x: { shape: [0, 28, 28], data: new Uint8Array(0) } });
  return { train: get('train'), valid: get('valid'), test: get('test') };
}
