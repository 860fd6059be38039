/**
 * NdArray: the plain-JS array type of the data layer.
 *
 * Contract. An NdArray is a row-major (C order) typed array plus its shape; `data.length`
 * always equals the product of `shape`. Axis 0 is the example axis wherever an NdArray holds
 * a data set column. Three element types cover every source format:
 *   - float32 (`Float32Array`): real-valued data; NaN marks a missing value where permitted;
 *   - int32   (`Int32Array`):   integer data such as class labels; -1 marks a missing label;
 *   - uint8   (`Uint8Array`):   raw bytes such as 0..255 grayscale or 0/1 binary pixels.
 * Loaders return fresh arrays that own their buffers; the helpers here never mutate inputs.
 */

/** The element type names of {@link NdArray} (the tfjs names, where they exist). */
export type DType = 'float32' | 'int32' | 'uint8';

/** The typed-array storage of an {@link NdArray}. */
export type TypedData = Float32Array | Int32Array | Uint8Array;

/** A row-major n-dimensional array: `data.length === numel(shape)`. */
export interface NdArray {
  readonly shape: number[];
  readonly data: TypedData;
}

/** The product of a shape's dimensions (1 for the scalar shape `[]`). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The element type of an array's storage. */
export function dtypeOf(data: TypedData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Allocates zero-filled storage of a given element type. */
export function allocate(dtype: DType, n: number): TypedData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint8':
      return new Uint8Array(n);
  }
}

/**
 * Wraps storage and a shape, checking that they agree.
 * @example ndarray([2, 3], new Float32Array(6))
 */
export function ndarray(shape: readonly number[], data: TypedData): NdArray {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid dimension ${d} in shape ${formatShape(shape)}`);
  }
  if (numel(shape) !== data.length) {
    throw new RangeError(`shape ${formatShape(shape)} needs ${numel(shape)} elements, got ${data.length}`);
  }
  return { shape: [...shape], data };
}

/** Formats a shape as in the error messages: `[28, 28]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The number of examples (the length of axis 0); a scalar array holds one. */
export function numExamples(arr: NdArray): number {
  return arr.shape.length === 0 ? 1 : (arr.shape[0] ?? 0);
}

/** The per-example shape: the shape without axis 0. */
export function exampleShape(arr: NdArray): number[] {
  return arr.shape.slice(1);
}

/** The number of values in one example. */
export function exampleSize(arr: NdArray): number {
  return numel(arr.shape.slice(1));
}

/** The same storage viewed with another shape of equal element count (no copy). */
export function reshape(arr: NdArray, shape: readonly number[]): NdArray {
  return ndarray(shape, arr.data);
}

/** Copies examples `start..end-1` (axis 0) into a new array. */
export function sliceRows(arr: NdArray, start: number, end: number): NdArray {
  const n = numExamples(arr);
  const s = Math.max(0, Math.min(start, n));
  const e = Math.max(s, Math.min(end, n));
  const m = exampleSize(arr);
  return { shape: [e - s, ...arr.shape.slice(1)], data: arr.data.slice(s * m, e * m) };
}

/** Gathers the examples at `indices` (axis 0), in that order, into a new array. */
export function takeRows(arr: NdArray, indices: ArrayLike<number>): NdArray {
  const n = numExamples(arr);
  const m = exampleSize(arr);
  const out = allocate(dtypeOf(arr.data), indices.length * m);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] ?? -1;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`row index ${i} outside 0..${n - 1}`);
    out.set(arr.data.subarray(i * m, (i + 1) * m), r * m);
  }
  return { shape: [indices.length, ...arr.shape.slice(1)], data: out };
}

/** Concatenates arrays along axis 0; their per-example shapes and dtypes must agree. */
export function concatRows(arrays: readonly NdArray[]): NdArray {
  const first = arrays[0];
  if (first === undefined) throw new RangeError('concatRows needs at least one array');
  const tail = formatShape(first.shape.slice(1));
  let total = 0;
  for (const a of arrays) {
    if (formatShape(a.shape.slice(1)) !== tail || dtypeOf(a.data) !== dtypeOf(first.data)) {
      throw new RangeError(`cannot concatenate ${formatShape(a.shape)} ${dtypeOf(a.data)} to ${formatShape(first.shape)} ${dtypeOf(first.data)}`);
    }
    total += numExamples(a);
  }
  const out = allocate(dtypeOf(first.data), total * exampleSize(first));
  let off = 0;
  for (const a of arrays) {
    out.set(a.data, off);
    off += a.data.length;
  }
  return { shape: [total, ...first.shape.slice(1)], data: out };
}

/** Converts to float32 storage (a copy unless it already is float32). */
export function toFloat32(arr: NdArray): NdArray {
  if (arr.data instanceof Float32Array) return arr;
  return { shape: [...arr.shape], data: Float32Array.from(arr.data) };
}

/** The minimum and maximum over non-NaN values (`[NaN, NaN]` when there are none). */
export function valueRange(data: TypedData): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > hi ? [NaN, NaN] : [lo, hi];
}
