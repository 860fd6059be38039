/**
 * Checking a data array against a data site's declared value kind and per-example shape.
 *
 * Shapes (the flattening rule). Axis 0 of the array indexes examples. The remaining axes are
 * the per-example shape s, and the site declares a per-example shape d (`Real[784]` -> [784],
 * `Category[10]` -> [], `Simplex[3]` -> [3]). The array is accepted whenever s and d hold the
 * same number of values, and is then reinterpreted in row-major order as [N, ...d]: images of
 * shape [N, 28, 28] feed a `Real[784]` site, [N, 784] feeds a `Real[28, 28]` site, and [N] or
 * [N, 1] feed a scalar site. No other reshaping or transposing is ever done.
 *
 * Values, by kind (missing values only where the site is declared with `?`):
 *   Real      finite                          (NaN = missing)
 *   Positive  finite and > 0                  (NaN = missing)
 *   Unit      0 <= x <= 1                     (NaN = missing)
 *   Binary    exactly 0 or 1                  (NaN = missing)
 *   Count     integers >= 0                   (NaN = missing)
 *   Simplex   last axis >= 0 and sums to 1 (within 1e-3)
 *   OneHot    last axis has one 1, the rest 0
 *   Category  integers 0..k-1                 (-1 or NaN = missing; returned as -1)
 *
 * A site observed by a family whose density is joint over the whole example (a MultivariateNormal,
 * a Dirichlet, a mixture) takes missing values only as whole examples (`wholeExamples`): its
 * likelihood is left out per example, not per entry.
 *
 * Contract. {@link validateSite} returns the array reshaped to [N, ...d] (Category as int32,
 * uint8 kept as uint8, everything else float32) or throws a one-line DataError naming the site,
 * the file and the first offending row, e.g. "row 18 of labels.npy has label 12, outside 0..9".
 * Rows are counted from 1 in every message (the first example is row 1; in a CSV file, the
 * first line after the header).
 */
import type { ValueKind } from '../distributions/constraints';
import { DataError } from './errors';
import { type NdArray, type TypedData, formatShape, numel, valueRange } from './ndarray';

/** A data site as declared in a `.vae` program. */
export interface SiteSpec {
  readonly name: string;
  readonly kind: ValueKind;
  /** The declared per-example shape: `Real[784]` -> [784], `Category[10]` -> [], `Simplex[3]` -> [3]. */
  readonly shape: readonly number[];
  /** k of `Category[k]` (required for Category). */
  readonly classes?: number;
  /** The site is declared with `?`: NaN (or -1 for Category) marks a missing value. */
  readonly allowMissing?: boolean;
  /**
   * Missing values must cover whole examples: the family observing the site has one joint
   * density per example (named here, e.g. `MultivariateNormal`), so single entries cannot be
   * left out of it.
   */
  readonly wholeExamples?: string;
  /**
   * `Real[..T, D]`: sequences of up to `max` steps (`shape[0]`), each example as long as its last
   * step with a value; the steps after it are padding, all NaN.
   */
  readonly upTo?: { readonly bound: string; readonly max: number };
}

/** Where the array came from, for messages. */
export interface ValidateSource {
  /** The file name shown in messages, e.g. `images.npy`. */
  readonly file: string;
  /** Names row `i` (0-based) in messages; default `row ${i + 1}`: rows are counted from 1. */
  readonly rowName?: (row: number) => string;
  /** A 1-based line for row `i` (CSV sources), attached to the error. */
  readonly lineOf?: (row: number) => number;
}

/** The checked array and how many examples have at least one missing value. */
export interface ValidatedSite {
  readonly array: NdArray;
  readonly missing: number;
}

/** The site's type as written in a program: `Binary[784]`, `Category[10]`, `Real`. */
export function declaredType(spec: SiteSpec): string {
  if (spec.kind === 'Category') return `Category[${spec.classes ?? '?'}]`;
  if (spec.upTo) return `${spec.kind}[..${spec.shape.join(', ')}]`;
  return spec.shape.length === 0 ? spec.kind : `${spec.kind}[${spec.shape.join(', ')}]`;
}

/** Describes the range of values: `0..255` for integers, `[-0.5, 1.25]` otherwise. */
export function describeRange(data: TypedData): string {
  const [lo, hi] = valueRange(data);
  if (Number.isNaN(lo)) return 'no values';
  if (Number.isInteger(lo) && Number.isInteger(hi) && !(data instanceof Float32Array && hi - lo <= 1)) return `${lo}..${hi}`;
  return `[${fmt(lo)}, ${fmt(hi)}]`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** Checks `arr` against `spec` (see the module comment). */
export function validateSite(arr: NdArray, spec: SiteSpec, source: ValidateSource): ValidatedSite {
  const { file } = source;
  const decl = declaredType(spec);
  const rowName = source.rowName ?? ((i: number) => `row ${i + 1}`);
  const fail = (message: string, hint?: string, row?: number): never => {
    const line = row !== undefined ? source.lineOf?.(row) : undefined;
    throw new DataError(message, { ...(hint !== undefined ? { hint } : {}), file, ...(line !== undefined ? { line } : {}) });
  };

  // Shape.
  const per = numel(spec.shape);
  if (arr.shape.length === 0) {
    fail(`${spec.name} is declared ${decl} but ${file} holds a single number; expected an array with one example per row`);
  }
  const n = arr.shape[0] as number;
  const s = arr.shape.slice(1);
  if (numel(s) !== per) {
    const plural = (k: number): string => `${k} value${k === 1 ? '' : 's'}`;
    const whole = numel(arr.shape) === per && arr.shape.length >= 1;
    fail(
      `${spec.name} is declared ${decl} (${plural(per)} per example) but ${file} holds examples of shape ${formatShape(s)} (${plural(numel(s))}); expected shape [N${spec.shape.map((d) => `, ${d}`).join('')}] or any [N, ...] with ${plural(per)} per example`,
      whole ? 'the array looks like a single example; add a leading example axis, e.g. arr[None]' : `reshape the data or change the declaration of ${spec.name}`,
    );
  }
  const shape = [n, ...spec.shape];
  const data = arr.data;
  let missing = 0;

  if (spec.kind === 'Category') {
    const k = spec.classes;
    if (k === undefined || !Number.isInteger(k) || k < 1) throw new RangeError(`validateSite: Category site ${spec.name} needs a class count`);
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      const row = Math.floor(i / Math.max(per, 1));
      if (Number.isNaN(v) || v === -1) {
        if (!spec.allowMissing) {
          fail(
            `${rowName(row)} of ${file} has a missing label (${Number.isNaN(v) ? 'NaN' : '-1'}) but ${spec.name} is declared ${decl} and fully observed; expected labels 0..${k - 1}`,
            `fill in the label or drop the row; or declare \`data ${spec.name}: ${decl}?\`, and the label is latent where it is missing`,
            row,
          );
        }
        out[i] = -1;
        missing++;
      } else if (!Number.isInteger(v)) {
        fail(`${rowName(row)} of ${file} has label ${fmt(v)}; ${spec.name} is declared ${decl}, expected integers 0..${k - 1}`, 'store labels as integers', row);
      } else if (v < 0 || v >= k) {
        fail(
          `${rowName(row)} of ${file} has label ${v}, outside 0..${k - 1}`,
          `${spec.name} is declared ${decl}; relabel the data or declare more classes${spec.allowMissing ? ' (-1 marks a missing label)' : ''}`,
          row,
        );
      } else out[i] = v;
    }
    return { array: { shape, data: out }, missing };
  }

  const checkRange = (ok: (v: number) => boolean, expected: string, hint: string): void => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (Number.isNaN(v) || ok(v)) continue;
      const row = Math.floor(i / per);
      fail(`${spec.name} is declared ${decl} but ${file} has values in ${describeRange(data)}; expected ${expected} (${rowName(row)} has ${fmt(v)})`, hint, row);
    }
  };

  // Sequences of up to T steps: the padding after each example's last step, checked first.
  const padding = spec.upTo ? sequencePadding(data, spec, n, per, decl, (row) => `${rowName(row)} of ${file}`, fail) : null;

  // Missing values (NaN) first: they are legal only in a site declared with `?`.
  let lastRow = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isNaN(data[i] as number) || padding?.[i]) continue;
    const row = Math.floor(i / per);
    if (!spec.allowMissing) {
      fail(
        `${rowName(row)} of ${file} has a missing value (NaN) but ${spec.name} is declared ${decl} and fully observed`,
        `fill in the missing values or drop the row; or declare \`data ${spec.name}: ${decl}?\` to leave missing entries out of the likelihood`,
        row,
      );
    }
    if (row !== lastRow) {
      missing++;
      if (spec.wholeExamples !== undefined) checkWholeRow(data, row, per, (nan) => fail(
        `${rowName(row)} of ${file} is partly missing (${nan} of ${per} values are NaN); ${spec.name} is observed by ${spec.wholeExamples}, whose density is joint over the whole example, so an example is observed or missing whole`,
        `fill in the missing values or mark the whole row missing; families that factorize over entries (Normal, Bernoulli, Poisson, ...) leave out single entries`,
        row,
      ));
    }
    lastRow = row;
  }

  switch (spec.kind) {
    case 'Real':
      checkRange(Number.isFinite, 'finite numbers', 'remove or replace infinite values');
      break;
    case 'Positive':
      checkRange((v) => v > 0 && Number.isFinite(v), 'finite values > 0', `shift or transform the data, or declare ${spec.name} Real`);
      break;
    case 'Unit': {
      const [lo, hi] = valueRange(data);
      const bytes = lo >= 0 && hi > 1 && hi <= 255 && Number.isInteger(hi) && isIntegral(data);
      checkRange(
        (v) => v >= 0 && v <= 1,
        'values in [0, 1]',
        bytes ? 'these look like 0..255 grayscale values; divide them by 255 (the named datasets do this already)' : `rescale the data to [0, 1] or declare ${spec.name} Real`,
      );
      break;
    }
    case 'Binary': {
      const [lo, hi] = valueRange(data);
      const unitDecl = declaredType({ ...spec, kind: 'Unit' });
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        if (v === 0 || v === 1 || Number.isNaN(v)) continue;
        const row = Math.floor(i / per);
        const gray = lo >= 0 && (hi <= 1 || (hi <= 255 && isIntegral(data)));
        fail(
          gray
            ? `${spec.name} is declared ${decl} but ${file} has values in ${describeRange(data)}; add \`binarize: dynamic\` to the train block or declare it ${unitDecl}`
            : `${spec.name} is declared ${decl} but ${file} has values in ${describeRange(data)}; expected only 0 and 1 (${rowName(row)} has ${fmt(v)})`,
          gray ? `${rowName(row)} has ${fmt(v)}; \`binarize: threshold\` (x > 0.5) is the deterministic alternative` : `declare ${spec.name} Real or map the values to 0/1`,
          row,
        );
      }
      break;
    }
    case 'Count':
      checkRange(
        (v) => v >= 0 && Number.isInteger(v),
        'counts: whole numbers >= 0',
        isIntegral(data) ? 'counts cannot be negative; check the sign or the offset of the data' : `round the values if they are counts, or declare ${spec.name} Real or Positive`,
      );
      break;
    case 'Simplex':
    case 'OneHot':
      checkLastAxis(data, spec, per, file, decl, rowName, fail);
      break;
    case 'LowerCholesky':
      break;
  }
  const out: TypedData = data instanceof Int32Array ? Float32Array.from(data) : data;
  return { array: { shape, data: out }, missing };
}

/**
 * The padding of a sequence site (1 where an entry is padding): each example is as long as its
 * last step with a value, and must have at least one step; without `?`, no step before the end
 * may hold a NaN (an all-NaN step there would be padding inside the sequence).
 */
function sequencePadding(
  data: TypedData,
  spec: SiteSpec,
  n: number,
  per: number,
  decl: string,
  where: (row: number) => string,
  fail: (message: string, hint?: string, row?: number) => never,
): Uint8Array {
  const T = spec.shape[0]!;
  const step = per / T;
  const padding = new Uint8Array(data.length);
  const nans = (row: number, t: number): number => {
    let k = 0;
    for (let j = (row * T + t) * step; j < (row * T + t + 1) * step; j++) if (Number.isNaN(data[j] as number)) k++;
    return k;
  };
  for (let row = 0; row < n; row++) {
    let len = 0;
    for (let t = 0; t < T; t++) if (nans(row, t) < step) len = t + 1;
    if (len === 0) {
      fail(`${where(row)} has no steps (every value is NaN); ${spec.name} is declared ${decl}, sequences of 1 to ${T} steps`, 'drop the row, or give the sequence its first step; NaN after the last step is padding', row);
    }
    padding.fill(1, (row * T + len) * step, (row + 1) * T * step);
    if (spec.allowMissing) continue;
    for (let t = 0; t < len; t++) {
      const k = nans(row, t);
      if (k === 0) continue;
      fail(
        k === step
          ? `${where(row)} has step t = ${t} all NaN but values at step t = ${len - 1}; padding (NaN) may only end a sequence, and ${spec.name} is declared ${decl} without missing values`
          : `${where(row)} has a missing value (NaN) at step t = ${t}, before its last step t = ${len - 1}; ${spec.name} is declared ${decl} and fully observed`,
        `fill in the step, or end the sequence before it; or declare \`data ${spec.name}: ${decl}?\` to leave missing entries inside a sequence out of the likelihood`,
        row,
      );
    }
  }
  return padding;
}

/** Each example's length in an array [N, T, ...] of sequences: one past its last step with a value. */
export function sequenceLengths(arr: NdArray, steps: number): Int32Array {
  const n = arr.shape[0] ?? 0;
  const per = n === 0 ? 0 : arr.data.length / n;
  const step = per / steps;
  const out = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    for (let j = (row + 1) * per - 1; j >= row * per; j--) {
      if (!Number.isNaN(arr.data[j] as number)) {
        out[row] = Math.floor((j - row * per) / step) + 1;
        break;
      }
    }
  }
  return out;
}

/** Calls `bad(nanCount)` when row `row` is missing only in part. */
function checkWholeRow(data: TypedData, row: number, per: number, bad: (nan: number) => never): void {
  let nan = 0;
  for (let j = row * per; j < (row + 1) * per; j++) if (Number.isNaN(data[j] as number)) nan++;
  if (nan !== per) bad(nan);
}

function isIntegral(data: TypedData): boolean {
  if (!(data instanceof Float32Array)) return true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isNaN(v) && !Number.isInteger(v)) return false;
  }
  return true;
}

function checkLastAxis(
  data: TypedData,
  spec: SiteSpec,
  per: number,
  file: string,
  decl: string,
  rowName: (row: number) => string,
  fail: (message: string, hint?: string, row?: number) => never,
): void {
  const k = spec.shape[spec.shape.length - 1];
  if (k === undefined || k < 1) throw new RangeError(`validateSite: ${spec.kind} site ${spec.name} needs a class axis`);
  for (let off = 0; off < data.length; off += k) {
    const row = Math.floor(off / per);
    let sum = 0;
    let ones = 0;
    let nan = 0;
    let bad: number | undefined;
    for (let j = 0; j < k; j++) {
      const v = data[off + j] as number;
      if (Number.isNaN(v)) nan++;
      else {
        sum += v;
        if (v === 1) ones++;
        else if (v !== 0) bad ??= v;
      }
    }
    if (nan === k) continue; // a missing vector (already allowed or rejected)
    if (nan > 0) fail(`${rowName(row)} of ${file} has a partly missing ${spec.kind} vector; ${spec.name} is declared ${decl}, expected all ${k} values or none`, 'a vector on the simplex is observed or missing whole: fill in the vector or make all of it NaN', row);
    if (spec.kind === 'OneHot') {
      if (bad !== undefined || ones !== 1) {
        fail(
          `${rowName(row)} of ${file} is not one-hot (${bad !== undefined ? `it has the value ${fmt(bad)}` : `it has ${ones} ones`}); ${spec.name} is declared ${decl}, expected exactly one 1 and ${k - 1} zeros`,
          `store class indices and declare ${spec.name} Category[${k}], or fix the encoding`,
          row,
        );
      }
    } else {
      let neg = false;
      for (let j = 0; j < k; j++) if ((data[off + j] as number) < 0) neg = true;
      if (neg || Math.abs(sum - 1) > 1e-3) {
        fail(
          `${rowName(row)} of ${file} ${neg ? 'has a negative entry' : `sums to ${fmt(sum)}`}; ${spec.name} is declared ${decl}, expected non-negative values summing to 1 over the last axis`,
          'normalize each row by its sum',
          row,
        );
      }
    }
  }
}
