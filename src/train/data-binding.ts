/**
 * Binds data to a program's `data` declarations: a named data set (`binarized-mnist`, `mnist`,
 * `fashion-mnist`, `ring`, ...), one file (`.npy`, IDX, `.csv`), or `x=FILE,y=FILE`. The train
 * block names the default; `--data` overrides it. Every column is validated against its declared
 * type and shape (src/data/validate.ts gives the messages). Grayscale images on a Binary site
 * need `binarize: dynamic` (fresh pixels each epoch) or `threshold`.
 */
import * as path from 'node:path';
import type { CheckedProgram } from '../dsl/checked';
import { numel } from '../dsl/types';
import { readCsv, selectSites } from '../data/csv';
import { DATASET_INFO, isDatasetName, loadDataset, type LoadDatasetOptions } from '../data/datasets';
import { makeDataset, sliceDataset, withLabelsPerClass, type Dataset, type DatasetSplits } from '../data/dataset';
import { DataError } from '../data/errors';
import type { NdArray } from '../data/ndarray';
import { readArray } from '../data/read-array';
import { validateSite } from '../data/validate';
import type { Binarize } from '../dsl/train-config';
import { prepareSplit as prepare, siteSpec as spec, type BoundData } from './memory-data';

export interface BindOptions {
  /** `--data`: a data set name, a file, or `x=FILE,y=FILE`. Overrides the train block. */
  readonly data?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly binarize?: Binarize | undefined;
  readonly labelsPerClass?: number | null | undefined;
  /** 'train' holds out a validation split from files; 'eval' uses a file whole as the test split. */
  readonly role: 'train' | 'eval';
  /** Fraction of a file held out for validation when training (default 0.1). */
  readonly validFraction?: number;
  /**
   * `--valid N`: hold out exactly N examples for validation instead of the default (the last
   * 10,000 training images of mnist / fashion-mnist, 10% of a file, the synthetic sets' own
   * valid split). 0 trains on everything and skips the per-epoch validation.
   */
  readonly validSize?: number | undefined;
  readonly seed?: number;
  /** Synthetic data set sizes (tests). */
  readonly sizes?: LoadDatasetOptions['sizes'];
  /** Only load these splits of named data sets (speed). */
  readonly splits?: LoadDatasetOptions['splits'];
  /** Bytes of a data file being downloaded (named data sets not yet in the cache). */
  readonly onDownload?: LoadDatasetOptions['onProgress'];
}

export type { BoundData };

/** Maps the program's data names to the data set's columns: by name, else by matching shape and kind. */
function mapColumns(cp: CheckedProgram, setName: string, columns: readonly { name: string; kind: string; shape: readonly number[] }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of cp.data) {
    const byName = columns.find((c) => c.name === d.name);
    const isLabel = d.type.vk === 'Category';
    const byShape = columns.filter((c) => (c.kind === 'Category') === isLabel && (isLabel || numel(c.shape) === numel(d.type.shape)));
    const col = byName ?? (byShape.length === 1 ? byShape[0] : undefined);
    if (!col) {
      const have = columns.map((c) => `${c.name} (${c.kind}${c.shape.length ? `[${c.shape.join(', ')}]` : ''})`).join(', ');
      throw new DataError(`the data set '${setName}' has no column for \`${d.name}\`; it has ${have}`, { hint: `bind a file instead: --data ${d.name}=FILE` });
    }
    out.set(d.name, col.name);
  }
  return out;
}

/**
 * How messages name example i of a split that starts at example `offset` of its file: `line N`
 * (the file line, as the CSV parser's messages count) for a CSV file, else `row N` with the first
 * example as row 1: every data message counts from 1.
 */
interface RowNames {
  readonly offset: number;
  /** Per data site read from a CSV file: the file line of each example. */
  readonly lines: ReadonlyMap<string, readonly number[]>;
}

function rowSource(name: string, rows: RowNames | undefined): { rowName?: (i: number) => string; lineOf?: (i: number) => number } {
  if (!rows) return {};
  const lines = rows.lines.get(name);
  if (lines) return { rowName: (i) => `line ${lines[i + rows.offset]}`, lineOf: (i) => lines[i + rows.offset] as number };
  return { rowName: (i) => `row ${i + rows.offset + 1}` };
}

function parseBindings(text: string): Map<string, string> | undefined {
  if (!text.includes('=')) return undefined;
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new DataError(`invalid --data binding '${part}'`, { hint: 'write --data x=images.npy,y=labels.npy' });
    out.set(m[1]!, m[2]!);
  }
  return out;
}

function readFileColumns(cp: CheckedProgram, bindings: Map<string, string>, lines: Map<string, readonly number[]>): Record<string, NdArray> {
  const cols: Record<string, NdArray> = {};
  const byFile = new Map<string, string[]>();
  for (const [name, file] of bindings) byFile.set(file, [...(byFile.get(file) ?? []), name]);
  for (const [file, names] of byFile) {
    if (file.toLowerCase().endsWith('.csv')) {
      const sites = names.map((n) => {
        const d = cp.data.find((x) => x.name === n)!;
        return { name: n, size: numel(d.type.shape), integer: d.type.vk === 'Category' };
      });
      const table = readCsv(file);
      Object.assign(cols, selectSites(table, sites));
      for (const n of names) lines.set(n, table.lines);
    } else {
      if (names.length > 1) throw new DataError(`${names.join(' and ')} are bound to the same file '${file}'`, { hint: 'an .npy or IDX file holds one array; use a CSV file for several sites' });
      cols[names[0]!] = readArray(file);
    }
  }
  return cols;
}

/** Loads and validates the data of a program (see the module comment). */
export async function bindData(cp: CheckedProgram, opts: BindOptions): Promise<BoundData> {
  if (cp.data.length === 0) {
    // A program without data (an expectation objective): one pseudo-example per step.
    const one: Dataset = { name: 'no data', size: 1, columns: {} };
    const none: Dataset = { name: 'no data', size: 0, columns: {} };
    return { splits: { train: one, valid: none, test: one }, source: 'none (the program declares no data)', dynamic: new Set() };
  }
  const cfg = cp.train.config;
  const source = opts.data ?? cfg.dataset ?? 'binarized-mnist';
  const bin = opts.binarize ?? cfg.binarize;
  const labels = opts.labelsPerClass === undefined ? cfg.labelsPerClass : opts.labelsPerClass;
  const unknownData = (n: string) => {
    if (!cp.data.some((d) => d.name === n)) throw new DataError(`--data binds \`${n}\`, but the program declares no data \`${n}\``, { hint: `its data are: ${cp.data.map((d) => d.name).join(', ')}` });
  };
  let splits: DatasetSplits;
  let colFor: Map<string, string>;
  let fileOf: (name: string) => string;
  /** Where each split starts in its files, for messages (file data only). */
  let rowsOf: { train?: RowNames; valid?: RowNames; test?: RowNames } = {};
  const csvLines = new Map<string, readonly number[]>();
  const bindings = parseBindings(source);
  if (!bindings && isDatasetName(source)) {
    const raw = await loadDataset(source, {
      ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.sizes || opts.validSize !== undefined ? { sizes: { ...opts.sizes, ...(opts.validSize !== undefined ? { valid: opts.validSize } : {}) } } : {}),
      ...(opts.validSize !== undefined ? { validSize: opts.validSize } : {}),
      ...(opts.splits ? { splits: opts.splits } : {}),
      ...(labels !== null && labels !== undefined && opts.role === 'train' ? { labelsPerClass: labels } : {}),
      ...(opts.onDownload ? { onProgress: opts.onDownload } : {}),
    });
    colFor = mapColumns(cp, source, DATASET_INFO[source].columns);
    fileOf = () => source;
    // binarized-mnist has a fixed validation file: --valid N keeps its first N examples.
    splits = source === 'binarized-mnist' && opts.validSize !== undefined ? { ...raw, valid: sliceDataset(raw.valid, 0, opts.validSize) } : raw;
  } else {
    const looksLikeName = !bindings && !/[./\\]/.test(source);
    if (looksLikeName) {
      await loadDataset(source); // throws the "unknown data set, did you mean" error
    }
    const map = bindings ?? new Map([[cp.data.find((d) => !d.partial)?.name ?? cp.data[0]?.name ?? 'x', source]]);
    if (!bindings && source.toLowerCase().endsWith('.csv')) for (const d of cp.data) map.set(d.name, source);
    for (const n of map.keys()) unknownData(n);
    for (const d of cp.data) {
      if (!map.has(d.name)) throw new DataError(`no data bound to \`${d.name}\``, { hint: `add it: --data ${[...map].map(([k, v]) => `${k}=${v}`).join(',')},${d.name}=FILE` });
    }
    const cols = readFileColumns(cp, map, csvLines);
    const label = cp.data.find((d) => d.partial);
    if (label && cols[label.name]) {
      // Check the labels before `labels: N per class` keeps some of them: it would otherwise
      // treat a label outside 0..k-1 as missing instead of reporting the row.
      cols[label.name] = validateSite(cols[label.name]!, spec(cp, label, false), { file: path.basename(map.get(label.name) ?? source), ...rowSource(label.name, { offset: 0, lines: csvLines }) }).array;
    }
    let whole = makeDataset(path.basename(source), cols);
    if (label && labels !== null && labels !== undefined && opts.role === 'train') whole = withLabelsPerClass(whole, labels, { column: label.name, ...(label.type.classes !== undefined ? { classes: label.type.classes } : {}) });
    colFor = new Map(cp.data.map((d) => [d.name, d.name]));
    fileOf = (name) => path.basename(map.get(name) ?? source);
    if (opts.role === 'eval') {
      splits = { train: sliceDataset(whole, 0, 0), valid: sliceDataset(whole, 0, 0), test: whole };
      rowsOf = { test: { offset: 0, lines: csvLines } };
    } else {
      const nValid = opts.validSize !== undefined ? opts.validSize : Math.floor(whole.size * (opts.validFraction ?? 0.1));
      if (nValid >= whole.size && nValid > 0) {
        throw new DataError(`${whole.name} has ${whole.size} examples, too few to hold out ${nValid} for validation`, { hint: 'use a smaller --valid (0 for none)' });
      }
      const cut = whole.size - nValid;
      splits = { train: sliceDataset(whole, 0, cut, `${whole.name}/train`), valid: sliceDataset(whole, cut, whole.size, `${whole.name}/valid`), test: sliceDataset(whole, 0, 0) };
      rowsOf = { train: { offset: 0, lines: csvLines }, valid: { offset: cut, lines: csvLines } };
    }
  }
  const prepared: DatasetSplits = {
    train: prepare(cp, splits.train, colFor, fileOf, bin, (n) => rowSource(n, rowsOf.train)),
    valid: prepare(cp, splits.valid, colFor, fileOf, bin, (n) => rowSource(n, rowsOf.valid)),
    test: prepare(cp, splits.test, colFor, fileOf, bin, (n) => rowSource(n, rowsOf.test)),
  };
  const dynamic = new Set(bin === 'dynamic' ? cp.data.filter((d) => d.type.vk === 'Binary').map((d) => d.name) : []);
  return { splits: prepared, source, dynamic, ...(prepared.train.labeledIndices ? { labeledIndices: prepared.train.labeledIndices } : {}) };
}
