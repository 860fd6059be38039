/**
 * The worker's data: the bundled binarized MNIST (fetched from the server and gunzipped with
 * the browser's DecompressionStream), or files dropped on the page: `.npy` / IDX (optionally
 * gzip-compressed) and CSV. Parsing and validation are the CLI's own (src/data: parseNpy,
 * parseIdx, parseCsv + selectSites; validation and binarization by memory-data.ts's
 * prepareSplit, as for files), so a bad file gets the same message as
 * `vae train --data FILE`, naming the file and the row. Files are bound like `--data` binds
 * them: one array file per data site (matched by the file's stem, or the only site), or one
 * CSV file for every site; 10% of the examples are held out for validation.
 */
import type { CheckedProgram } from '../../dsl/checked';
import { numel } from '../../dsl/types';
import { makeDataset, sliceDataset, withLabelsPerClass, type Dataset, type DatasetSplits } from '../../data/dataset';
import { DataError, q } from '../../data/errors';
import { parseCsv, selectSites } from '../../data/csv';
import { parseIdx } from '../../data/idx';
import { parseNpy } from '../../data/npy';
import { takeRows, type NdArray } from '../../data/ndarray';
import { validateSite } from '../../data/validate';
import { prepareSplit, siteSpec, type BoundData } from '../../train/memory-data';
import type { DataChoice, DroppedFile } from '../protocol';

async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new DataError(`cannot decompress ${q(file)}: expected valid gzip data, found a corrupt or truncated stream`, { hint: 'the file is probably incomplete; download or copy it again', file });
  }
}

async function fetchIdx(url: string, name: string): Promise<NdArray> {
  const res = await fetch(url);
  if (!res.ok) throw new DataError(`cannot load the bundled ${name}: the server answered ${res.status}`, { hint: 'restart `vae playground` from a vaelang checkout' });
  return parseIdx(await gunzip(new Uint8Array(await res.arrayBuffer()), name), name);
}

const spec = siteSpec;

/** Per data site read from a CSV file, the file line of each example (messages count lines there, rows elsewhere). */
type CsvLines = ReadonlyMap<string, readonly number[]>;

/**
 * Validates every column against its declaration and binarizes as the train block says: the
 * CLI's prepareSplit, naming example i of a split that starts at `offset` as the CLI does
 * (`line N` of a CSV file, else `row N`).
 */
function prepare(cp: CheckedProgram, ds: Dataset, fileOf: (name: string) => string, offset = 0, csv: CsvLines = new Map()): Dataset {
  return prepareSplit(cp, ds, new Map(), fileOf, cp.train.config.binarize, (name) => {
    const lines = csv.get(name);
    if (lines) return { rowName: (i) => `line ${lines[i + offset]}`, lineOf: (i) => lines[i + offset] as number };
    return { rowName: (i) => `row ${i + offset + 1}` };
  });
}

/** The format by content, as src/data/read-array.ts's sniffArrayFormat (which sits beside Node's file reading). */
function sniffArrayFormat(bytes: Uint8Array): 'npy' | 'idx' | undefined {
  if (bytes.length >= 6 && bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') return 'npy';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0) return 'idx';
  return undefined;
}

function evenly(ds: Dataset, n: number): Dataset {
  const m = Math.min(n, ds.size);
  const idx = Int32Array.from({ length: m }, (_, i) => Math.floor((i * ds.size) / m));
  return makeDataset(ds.name, Object.fromEntries(Object.entries(ds.columns).map(([k, v]) => [k, takeRows(v, idx)])));
}

const stem = (name: string) => name.replace(/\.gz$/i, '').replace(/\.[^.]*$/, '');

/** Reads dropped files into columns by data name (see the module comment for the binding rules). */
export async function readDropped(cp: CheckedProgram, files: readonly DroppedFile[]): Promise<{ cols: Record<string, NdArray>; fileOf: (name: string) => string; csv: CsvLines }> {
  const cols: Record<string, NdArray> = {};
  const origin = new Map<string, string>();
  const csv = new Map<string, readonly number[]>();
  const names = cp.data.map((d) => d.name);
  for (const f of files) {
    if (/\.(csv|tsv)$/i.test(f.name)) {
      const table = parseCsv(new TextDecoder().decode(f.bytes), f.name);
      const sites = cp.data.map((d) => ({ name: d.name, size: numel(d.type.shape), integer: d.type.vk === 'Category' }));
      for (const [k, v] of Object.entries(selectSites(table, sites))) {
        cols[k] = v;
        origin.set(k, f.name);
        csv.set(k, table.lines);
      }
      continue;
    }
    const site = names.includes(stem(f.name)) ? stem(f.name) : files.length === 1 ? cp.data.find((d) => !d.partial)?.name : undefined;
    if (site === undefined) {
      throw new DataError(`${q(f.name)} does not name a data site of the program; its data are ${names.join(', ')}`, { hint: `name the file after the site it holds, e.g. ${names[0]}.npy`, file: f.name });
    }
    const bytes = await gunzip(f.bytes, f.name);
    const format = sniffArrayFormat(bytes);
    if (!format) {
      throw new DataError(`${q(f.name)} is neither a .npy nor an IDX file (it starts with neither \\x93NUMPY nor 00 00)`, { hint: 'save arrays with numpy.save, or use a CSV file with a header', file: f.name });
    }
    cols[site] = format === 'npy' ? parseNpy(bytes, f.name) : parseIdx(bytes, f.name);
    origin.set(site, f.name);
  }
  for (const d of cp.data) {
    if (!cols[d.name]) throw new DataError(`no data bound to \`${d.name}\``, { hint: `drop a file for it too, e.g. ${d.name}.npy, or one CSV file with a column for every site` });
  }
  return { cols, fileOf: (n) => origin.get(n) ?? n, csv };
}

/** The splits the worker trains on, validated against the program's data declarations. */
export async function loadData(cp: CheckedProgram, choice: DataChoice, onStatus: (s: string) => void): Promise<BoundData> {
  if (cp.data.length === 0) {
    const one: Dataset = { name: 'no data', size: 1, columns: {} };
    const none: Dataset = { name: 'no data', size: 0, columns: {} };
    return { splits: { train: one, valid: none, test: one }, source: 'none (the program declares no data)', dynamic: new Set() };
  }
  const bin = cp.train.config.binarize;
  const dynamic = new Set(bin === 'dynamic' ? cp.data.filter((d) => d.type.vk === 'Binary').map((d) => d.name) : []);
  let splits: DatasetSplits;
  let fileOf: (name: string) => string;
  let source: string;
  let csv: CsvLines = new Map();
  let validOffset = 0;
  if (choice.kind === 'bundled') {
    const image = cp.data.find((d) => d.type.vk !== 'Category');
    const other = cp.data.filter((d) => d !== image);
    if (!image || other.length > 0) {
      const label = other[0] ?? cp.data[0]!;
      throw new DataError(`the data set 'binarized-mnist' has no column for \`${label.name}\`; it has x (Binary[28, 28])`, { hint: `drop your own files instead (a CSV file with a column for every site, or ${label.name}.npy)` });
    }
    onStatus('loading binarized MNIST…');
    const limit = choice.limit ?? 50000;
    const [train, valid, test] = await Promise.all(['train', 'valid', 'test'].map((s) => fetchIdx(`/data/binarized-mnist/${s}-images-idx3-ubyte.gz`, `${s}-images-idx3-ubyte.gz`)));
    const named = (x: NdArray, s: string) => makeDataset(`binarized-mnist/${s}`, { [image.name]: x });
    // Validation and test: 1,000 images evenly spaced over each split (the test set is sorted by digit).
    splits = {
      train: sliceDataset(named(train!, 'train'), 0, limit),
      valid: evenly(named(valid!, 'valid'), 1000),
      test: evenly(named(test!, 'test'), 1000),
    };
    fileOf = () => 'binarized-mnist';
    source = `binarized-mnist${limit < 50000 ? ` (first ${limit.toLocaleString('en-US')} training images)` : ''}`;
  } else {
    const read = await readDropped(cp, choice.files);
    fileOf = read.fileOf;
    csv = read.csv;
    const label = cp.data.find((d) => d.partial);
    if (label && read.cols[label.name]) {
      const lines = csv.get(label.name);
      read.cols[label.name] = validateSite(read.cols[label.name]!, spec(cp, label, false), { file: fileOf(label.name), ...(lines ? { rowName: (i: number) => `line ${lines[i]}`, lineOf: (i: number) => lines[i] as number } : {}) }).array;
    }
    let whole = makeDataset(choice.files.map((f) => f.name).join(', '), read.cols);
    const per = cp.train.config.labelsPerClass;
    if (label && per !== null) whole = withLabelsPerClass(whole, per, { column: label.name, ...(label.type.classes !== undefined ? { classes: label.type.classes } : {}) });
    const nValid = Math.floor(whole.size * 0.1);
    const cut = whole.size - nValid;
    validOffset = cut;
    splits = { train: sliceDataset(whole, 0, cut, `${whole.name}/train`), valid: sliceDataset(whole, cut, whole.size, `${whole.name}/valid`), test: sliceDataset(whole, cut, whole.size, `${whole.name}/valid`) };
    source = whole.name;
  }
  const prepared: DatasetSplits = { train: prepare(cp, splits.train, fileOf, 0, csv), valid: prepare(cp, splits.valid, fileOf, validOffset, csv), test: prepare(cp, splits.test, fileOf, validOffset, csv) };
  return { splits: prepared, source, dynamic, ...(prepared.train.labeledIndices ? { labeledIndices: prepared.train.labeledIndices } : {}) };
}
