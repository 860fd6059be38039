/**
 * Data bound to a program's data sites, from memory (browser-safe): the splits the trainer
 * reads, each column checked against the site's declared type with the same checks and
 * messages as data files (data/validate.ts), and binarized as the train block says. Files and
 * named data sets on disk are bound by train/data-binding.ts (Node), which ends in the same
 * {@link prepareSplit}.
 *
 * @example
 *   const data = bindMemory(prog.checked, { train: { x: { shape: [1000, 784], data: pixels } } });
 */
import { siteByName, type CheckedProgram, type DataInfo } from '../dsl/checked';
import { binarizeThreshold, toUnitInterval } from '../data/binarize';
import { makeDataset, type Dataset, type DatasetSplits } from '../data/dataset';
import { DataError } from '../data/errors';
import type { NdArray } from '../data/ndarray';
import { type SiteSpec, sequenceLengths, validateSite, type ValidateSource } from '../data/validate';
import type { Binarize } from '../dsl/train-config';

export interface BoundData {
  readonly splits: DatasetSplits;
  /** Where the data came from, for the config printout, e.g. `binarized-mnist` or `x=images.npy`. */
  readonly source: string;
  /** Binary sites whose pixels are drawn per epoch from grayscale values (dynamic binarization). */
  readonly dynamic: ReadonlySet<string>;
  readonly labeledIndices?: Int32Array;
}

/**
 * The validation spec of a data site (a dynamically binarized Binary site takes values in
 * [0, 1]). A `?` site observed by a family with one joint density per example takes missing
 * values as whole examples only.
 */
export function siteSpec(cp: CheckedProgram, d: DataInfo, binarizeDynamic: boolean): SiteSpec {
  const kind = d.type.vk === 'Binary' && binarizeDynamic ? 'Unit' : d.type.vk;
  const site = d.masked ? siteByName(cp.model, d.name) : undefined;
  const whole = site && !site.spec.factorized ? { wholeExamples: site.spec.name } : {};
  return { name: d.name, kind, shape: d.type.shape, ...(d.type.classes !== undefined ? { classes: d.type.classes } : {}), allowMissing: d.partial || d.masked, ...whole, ...(d.upTo ? { upTo: d.upTo } : {}) };
}

/** The program's columns of one split, binarized and validated (DataError naming the source and row). */
export function prepareSplit(
  cp: CheckedProgram,
  ds: Dataset,
  colFor: ReadonlyMap<string, string>,
  file: (name: string) => string,
  bin: Binarize,
  /** How messages name the split's examples (data-binding.ts: file lines of a CSV); default `row i`. */
  rows: (name: string) => Pick<ValidateSource, 'rowName' | 'lineOf'> = () => ({}),
): Dataset {
  const cols: Record<string, NdArray> = {};
  for (const d of cp.data) {
    const raw = ds.columns[colFor.get(d.name) ?? d.name];
    if (!raw) throw new DataError(`no data for \`${d.name}\` in ${ds.name}`, { hint: `bind it with --data ${d.name}=FILE` });
    let arr = raw;
    if (d.type.vk === 'Binary' && bin === 'threshold') arr = binarizeThreshold(arr, file(d.name));
    else if (d.type.vk === 'Binary' && bin === 'dynamic') arr = toUnitInterval(arr, file(d.name));
    cols[d.name] = validateSite(arr, siteSpec(cp, d, bin === 'dynamic'), { file: file(d.name), ...rows(d.name) }).array;
  }
  sameLengths(cp, cols, file, rows);
  return makeDataset(ds.name, cols, ds.labeledIndices);
}

/** Data declared up to the same T steps (`x: Real[..T, D]`, `y: Real[..T]`) share one length per example. */
function sameLengths(cp: CheckedProgram, cols: Readonly<Record<string, NdArray>>, file: (name: string) => string, rows: (name: string) => Pick<ValidateSource, 'rowName' | 'lineOf'>): void {
  const first = new Map<string, { name: string; lengths: Int32Array }>();
  for (const d of cp.data) {
    if (!d.upTo || !cols[d.name]) continue;
    const lengths = sequenceLengths(cols[d.name]!, d.upTo.max);
    const other = first.get(d.upTo.bound);
    if (!other) {
      first.set(d.upTo.bound, { name: d.name, lengths });
      continue;
    }
    const row = lengths.findIndex((L, i) => L !== other.lengths[i]);
    if (row < 0) continue;
    const rowName = rows(d.name).rowName ?? ((i: number) => `row ${i + 1}`);
    throw new DataError(`${rowName(row)} of ${file(d.name)} has ${lengths[row]} steps of ${d.name}, but ${other.name} has ${other.lengths[row]}; data declared up to ${d.upTo.bound} steps share one length per example`, {
      hint: `pad ${d.name} and ${other.name} with NaN after the same step in each example`,
      file: file(d.name),
    });
  }
}

/** Columns by data name: NdArrays, or nested number arrays (one row per example). */
export type Columns = Readonly<Record<string, NdArray | readonly (number | readonly number[])[]>>;

/** In-memory training data: the training split, and optionally a validation split. */
export interface MemoryData {
  readonly train: Columns;
  readonly valid?: Columns;
}

function toNdArray(name: string, v: NdArray | readonly (number | readonly number[])[]): NdArray {
  if (!Array.isArray(v)) return v as NdArray;
  const rows = v as readonly (number | readonly number[])[];
  const first = rows[0];
  const width = Array.isArray(first) ? first.length : undefined;
  const data = new Float32Array(rows.length * (width ?? 1));
  rows.forEach((r, i) => {
    if (Array.isArray(r)) {
      if (r.length !== width) throw new DataError(`${name}: row ${i + 1} has ${r.length} values, row 1 has ${width}`, { hint: 'every example must have the same number of values' });
      data.set(r as number[], i * width);
    } else data[i] = r as number;
  });
  return { shape: width === undefined ? [rows.length] : [rows.length, width], data };
}

/** The splits of in-memory data, checked against the program's data declarations. */
export function bindMemory(cp: CheckedProgram, data: MemoryData, opts: { binarize?: Binarize } = {}): BoundData {
  const bin = opts.binarize ?? cp.train.config.binarize;
  const names = new Set(cp.data.map((d) => d.name));
  const split = (which: 'train' | 'valid', cols: Columns | undefined): Dataset => {
    if (!cols) return { name: which, size: 0, columns: {} };
    for (const k of Object.keys(cols)) {
      if (!names.has(k)) throw new DataError(`the ${which} data has a column \`${k}\`, but the program declares no data \`${k}\``, { hint: `its data are: ${[...names].join(', ') || 'none'}` });
    }
    const ds = makeDataset(which, Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, toNdArray(`${which}.${k}`, v)])));
    return prepareSplit(cp, ds, new Map(), (n) => `${which}.${n}`, bin);
  };
  if (cp.data.length === 0) {
    const one: Dataset = { name: 'no data', size: 1, columns: {} };
    return { splits: { train: one, valid: { name: 'no data', size: 0, columns: {} }, test: one }, source: 'none (the program declares no data)', dynamic: new Set() };
  }
  const train = split('train', data.train);
  const valid = split('valid', data.valid);
  const dynamic = new Set(bin === 'dynamic' ? cp.data.filter((d) => d.type.vk === 'Binary').map((d) => d.name) : []);
  return { splits: { train, valid, test: { name: 'test', size: 0, columns: {} } }, source: 'memory', dynamic };
}
