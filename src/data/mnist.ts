/**
 * MNIST and Fashion-MNIST: finding the IDX files locally, downloading them, and loading splits.
 *
 * Where the files are looked for, in order (a directory counts only when it holds every file
 * the requested splits need, each as `NAME.gz` or uncompressed as `NAME` without `.gz`):
 *   1. `dataDir` (the `--data-dir` flag) and `dataDir/<name>`. When given, these are the only
 *      places looked at: a miss is an error rather than a download.
 *   2. `$VAE_DATA/<name>` and `$VAE_DATA`.
 *   3. The cache: `$VAE_CACHE/<name>`, else `$XDG_CACHE_HOME/vaelang/<name>`, else
 *      `~/.cache/vaelang/<name>`.
 *   4. System copies: for Fashion-MNIST, `/usr/share/datasets/fashion-mnist/` (Debian/Ubuntu
 *      package `dataset-fashion-mnist`, which uses the standard file names).
 * Otherwise the missing files are downloaded into the cache from the official mirror and
 * checked against the published MD5 checksums. Local files are not checksummed (Debian's
 * copies, for one, are recompressed, so their .gz bytes differ from the published ones);
 * instead every file's IDX structure is verified when it is read: ubyte images of 28x28,
 * ubyte labels in 0..9, and as many labels as images.
 *
 * Splits. Neither set has an official validation split. By default `valid` is the last
 * 10,000 training examples (indices 50000..59999) and `train` the first 50,000, the split of
 * the binarized MNIST of Larochelle & Murray (2011); `validSize` changes it, 0 keeps all 60,000
 * in `train` and leaves `valid` empty. `test` is the official 10,000-example test set.
 *
 * Columns: `x` images [N, 28, 28] (float32 gray levels in [0, 1], or the raw uint8 0..255 with
 * `scale: 'raw'`) and `y` labels [N] (int32 0..9).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { type Dataset, type DatasetSplits, type SplitName, SPLITS, makeDataset, sliceDataset } from './dataset';
import { type DownloadOptions, DownloadError, downloadFile } from './download';
import { DataError } from './errors';
import { isFile, maybeGunzip, readMaybeGzip } from './files';
import { parseIdx } from './idx';
import { type NdArray, formatShape, valueRange } from './ndarray';

/** The two MNIST-format sets. */
export type MnistName = 'mnist' | 'fashion-mnist';
/** The four files of an MNIST-format set. */
export type MnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** A published file: its standard name, MD5 and number of examples. */
export interface MnistFile {
  readonly name: string;
  readonly md5: string;
  readonly count: number;
}

/** Where an MNIST-format set comes from. */
export interface MnistSource {
  readonly title: string;
  readonly baseUrl: string;
  readonly files: Readonly<Record<MnistFileKey, MnistFile>>;
  /** Directories where system packages install the files. */
  readonly systemDirs: readonly string[];
  readonly classNames: readonly string[];
}

const standardFiles = (md5: [string, string, string, string]): Record<MnistFileKey, MnistFile> => ({
  trainImages: { name: 'train-images-idx3-ubyte.gz', md5: md5[0], count: 60000 },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', md5: md5[1], count: 60000 },
  testImages: { name: 't10k-images-idx3-ubyte.gz', md5: md5[2], count: 10000 },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', md5: md5[3], count: 10000 },
});

/** The official mirrors and published MD5 checksums. */
export const MNIST_SOURCES: Readonly<Record<MnistName, MnistSource>> = {
  mnist: {
    title: 'MNIST',
    baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
    files: standardFiles([
      'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'd53e105ee54ea40749a09fcbcd1e9432',
      '9fb629c4189551a2d022fa330f9573f3',
      'ec29112dd5afa0611ce80d1b7f02629c',
    ]),
    systemDirs: [],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    title: 'Fashion-MNIST',
    baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    files: standardFiles([
      '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      '25c81989df183df01b3e8a0aad5dffbe',
      'bef4ecab320f06d8554ea6380940ec79',
      'bb300cfdad3c16e7a12a480ee83cd310',
    ]),
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};

/** Options of {@link loadMnistLike} and {@link locateMnistFiles}. */
export interface MnistOptions extends DownloadOptions {
  /** The `--data-dir` flag: look only here (and in `<dataDir>/<name>`). */
  readonly dataDir?: string;
  /** Environment for VAE_DATA, VAE_CACHE, XDG_CACHE_HOME (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The home directory for the default cache (default `os.homedir()`). */
  readonly homeDir?: string;
  /** System directories to look in (default: the source's, e.g. Debian's for Fashion-MNIST). */
  readonly systemDirs?: readonly string[];
  /** Download missing files into the cache (default true). */
  readonly download?: boolean;
  /** The splits to load (default all); the others are empty. Only their files are needed. */
  readonly splits?: readonly SplitName[];
  /** Examples at the end of the training file that form `valid` (default 10000). */
  readonly validSize?: number;
  /** `unit`: float32 in [0, 1] (default); `raw`: the uint8 0..255 bytes. */
  readonly scale?: 'unit' | 'raw';
}

/** The cache directory of a named data set. */
export function cacheDir(name: string, opts: Pick<MnistOptions, 'env' | 'homeDir'> = {}): string {
  const env = opts.env ?? process.env;
  if (env['VAE_CACHE']) return path.join(env['VAE_CACHE'], name);
  if (env['XDG_CACHE_HOME']) return path.join(env['XDG_CACHE_HOME'], 'vaelang', name);
  return path.join(opts.homeDir ?? os.homedir(), '.cache', 'vaelang', name);
}

/** The directories looked in, in order, after an explicit `dataDir` (see the module comment). */
export function searchDirs(name: MnistName, opts: MnistOptions = {}): string[] {
  if (opts.dataDir !== undefined) return [opts.dataDir, path.join(opts.dataDir, name)];
  const env = opts.env ?? process.env;
  const dirs: string[] = [];
  if (env['VAE_DATA']) dirs.push(path.join(env['VAE_DATA'], name), env['VAE_DATA']);
  dirs.push(cacheDir(name, opts), ...(opts.systemDirs ?? MNIST_SOURCES[name].systemDirs));
  return dirs;
}

/** The path of `fileName` in `dir`, as `.gz` or uncompressed, if present. */
export function findFile(dir: string, fileName: string): string | undefined {
  const gz = path.join(dir, fileName);
  if (isFile(gz)) return gz;
  const raw = path.join(dir, fileName.replace(/\.gz$/, ''));
  return isFile(raw) ? raw : undefined;
}

function keysFor(splits: readonly SplitName[]): MnistFileKey[] {
  const keys: MnistFileKey[] = [];
  if (splits.includes('train') || splits.includes('valid')) keys.push('trainImages', 'trainLabels');
  if (splits.includes('test')) keys.push('testImages', 'testLabels');
  return keys;
}

/**
 * Finds (or downloads) the files needed for `opts.splits`.
 * @returns the path of each needed file
 */
export async function locateMnistFiles(name: MnistName, opts: MnistOptions = {}): Promise<Partial<Record<MnistFileKey, string>>> {
  const src = MNIST_SOURCES[name];
  const keys = keysFor(opts.splits ?? SPLITS);
  const lookIn = (dir: string): Partial<Record<MnistFileKey, string>> => {
    const found: Partial<Record<MnistFileKey, string>> = {};
    for (const k of keys) {
      const p = findFile(dir, src.files[k].name);
      if (p !== undefined) found[k] = p;
    }
    return found;
  };
  const complete = (f: Partial<Record<MnistFileKey, string>>): boolean => keys.every((k) => f[k] !== undefined);
  const names = (ks: readonly MnistFileKey[]): string => ks.map((k) => src.files[k].name).join(', ');

  for (const dir of searchDirs(name, opts)) {
    const found = lookIn(dir);
    if (complete(found)) return found;
  }
  if (opts.dataDir !== undefined) {
    const found = lookIn(opts.dataDir);
    const missing = keys.filter((k) => found[k] === undefined);
    throw new DataError(`--data-dir ${opts.dataDir} has no ${src.title} file ${names(missing)}; expected ${names(keys)} there (or in ${path.join(opts.dataDir, name)})`, {
      hint: `omit --data-dir to use the cache ${cacheDir(name, opts)}, which is filled by downloading from ${src.baseUrl}`,
      file: opts.dataDir,
    });
  }

  const cache = cacheDir(name, opts);
  const found = lookIn(cache);
  const missing = keys.filter((k) => found[k] === undefined);
  const offlineError = (): DataError =>
    new DataError(`cannot find or download ${src.title}: put ${names(missing)} (from ${src.baseUrl}) in ${cache}`, {
      hint:
        `or pass --data-dir DIR, or set VAE_DATA=DIR, for a directory holding ${names(keys)}` +
        (name === 'fashion-mnist' ? '; on Debian/Ubuntu, `apt-get install dataset-fashion-mnist` installs them in /usr/share/datasets/fashion-mnist' : ''),
      file: cache,
    });
  if (opts.download === false) throw offlineError();
  for (const k of missing) {
    const file = src.files[k];
    const dest = path.join(cache, file.name);
    try {
      await downloadFile(
        { name: file.name, url: src.baseUrl + file.name, md5: file.md5, verify: (bytes, n) => checkMnistFile(parseIdx(maybeGunzip(bytes, n), n), k, n) },
        dest,
        opts,
      );
    } catch (err) {
      if (err instanceof DownloadError && err.offline) throw offlineError();
      throw err;
    }
    found[k] = dest;
  }
  return found;
}

/**
 * Checks the IDX structure of one MNIST-format file: ubyte images of shape [N, 28, 28] or ubyte
 * labels of shape [N] in 0..9.
 */
export function checkMnistFile(arr: NdArray, key: MnistFileKey, file: string): void {
  const images = key.endsWith('Images');
  const want = images ? '[N, 28, 28] unsigned bytes' : '[N] unsigned bytes';
  const okShape = images ? arr.shape.length === 3 && arr.shape[1] === 28 && arr.shape[2] === 28 : arr.shape.length === 1;
  if (!okShape || !(arr.data instanceof Uint8Array)) {
    throw new DataError(`${file} holds ${formatShape(arr.shape)} ${arr.data instanceof Uint8Array ? 'unsigned bytes' : 'non-byte values'}; expected ${images ? 'images' : 'labels'} of shape ${want}`, {
      hint: `check that this is the ${images ? 'images' : 'labels'} file of an MNIST-format data set`,
      file,
    });
  }
  if (!images) {
    const [, hi] = valueRange(arr.data);
    if (hi > 9) throw new DataError(`${file} has labels up to ${hi}; expected labels 0..9`, { file });
  }
}

function readChecked(file: string, key: MnistFileKey): NdArray {
  const arr = parseIdx(readMaybeGzip(file), file);
  checkMnistFile(arr, key, file);
  return arr;
}

function emptySplit(name: string, scale: 'unit' | 'raw'): Dataset {
  return makeDataset(name, {
    x: { shape: [0, 28, 28], data: scale === 'raw' ? new Uint8Array(0) : new Float32Array(0) },
    y: { shape: [0], data: new Int32Array(0) },
  });
}

function loadPair(images: string, labels: string, which: 'train' | 'test', name: string): Dataset {
  const x = readChecked(images, which === 'train' ? 'trainImages' : 'testImages');
  const y = readChecked(labels, which === 'train' ? 'trainLabels' : 'testLabels');
  if (x.shape[0] !== y.shape[0]) {
    throw new DataError(`${images} holds ${x.shape[0]} images but ${labels} holds ${y.shape[0]} labels; expected one label per image`, {
      hint: 'the two files come from different versions or sets; replace them',
      file: labels,
    });
  }
  return makeDataset(`${name}/${which}`, { x, y: { shape: y.shape, data: Int32Array.from(y.data) } });
}

/** Scales the uint8 images of a split to float32 in [0, 1] (a no-op for `scale: 'raw'`). */
function scaled(ds: Dataset, scale: 'unit' | 'raw'): Dataset {
  const x = ds.columns['x'] as NdArray;
  if (scale === 'raw') return ds;
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (x.data[i] as number) / 255;
  return makeDataset(ds.name, { ...ds.columns, x: { shape: x.shape, data } });
}

/** Loads the splits of MNIST or Fashion-MNIST (see the module comment). */
export async function loadMnistLike(name: MnistName, opts: MnistOptions = {}): Promise<DatasetSplits> {
  const splits = opts.splits ?? SPLITS;
  const scale = opts.scale ?? 'unit';
  const validSize = opts.validSize ?? 10000;
  if (!Number.isInteger(validSize) || validSize < 0) throw new DataError(`the validation size must be a non-negative integer, found ${validSize}`);
  const files = await locateMnistFiles(name, opts);
  let train = emptySplit(`${name}/train`, scale);
  let valid = emptySplit(`${name}/valid`, scale);
  let test = emptySplit(`${name}/test`, scale);
  if (files.trainImages !== undefined && files.trainLabels !== undefined) {
    const all = loadPair(files.trainImages, files.trainLabels, 'train', name);
    if (validSize >= all.size && validSize > 0) {
      throw new DataError(`${name} has ${all.size} training examples, too few to hold out ${validSize} for validation`, {
        hint: 'use a smaller validation size (0 for none)',
        file: files.trainImages,
      });
    }
    const cut = all.size - validSize;
    if (splits.includes('train')) train = scaled(sliceDataset(all, 0, cut, `${name}/train`), scale);
    if (splits.includes('valid')) valid = scaled(sliceDataset(all, cut, all.size, `${name}/valid`), scale);
  }
  if (splits.includes('test') && files.testImages !== undefined && files.testLabels !== undefined) {
    test = scaled(loadPair(files.testImages, files.testLabels, 'test', name), scale);
  }
  return { train, valid, test };
}
