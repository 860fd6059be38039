/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read and write.
 *
 * Layout: the magic `\x93NUMPY`, a major and a minor version byte, the header length (uint16 LE
 * in v1, uint32 LE in v2/v3), then a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and a newline,
 * then the raw elements.
 *
 *   descr              NdArray storage
 *   |b1                uint8 (0/1)
 *   |u1                uint8
 *   |i1 <i2 <u2 <i4    int32
 *   <u4 <i8 <u8        int32, after checking every value fits (else a DataError)
 *   <f2 <f4 <f8        float32 (f8 rounded to single precision)
 * Big-endian (`>`) variants of all of these are read too.
 *
 * Contract. Only C-order (row-major) arrays are accepted: a Fortran-order array of rank >= 2 is
 * rejected with a message that says how to fix it (rank 0 and 1 are the same in both orders).
 * Structured and object dtypes are rejected. Truncated or over-long files are rejected.
 * `writeNpy` writes v1.0 files with 64-byte-aligned headers, exactly as `np.save` does.
 */
import type { NpyHeaderFault } from '../dsl/problems/files';
import { DataError } from './errors';
import { readBytes, writeFileAtomic } from './files';
import { type NdArray, type TypedData, dtypeOf, numel } from './ndarray';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The element kinds `.npy` files may hold here: kind letter + byte size, e.g. `f4`. */
export type NpyType = 'b1' | 'u1' | 'i1' | 'u2' | 'i2' | 'u4' | 'i4' | 'u8' | 'i8' | 'f2' | 'f4' | 'f8';
const NPY_TYPES: readonly NpyType[] = ['b1', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8', 'f2', 'f4', 'f8'];

/** A parsed `.npy` header. */
export interface NpyHeader {
  readonly version: [number, number];
  readonly descr: string;
  readonly type: NpyType;
  readonly littleEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
}

/** Parses and checks the header of `.npy` bytes. */
export function parseNpyHeader(bytes: Uint8Array, file = 'the .npy file'): NpyHeader {
  const bad = (fault: NpyHeaderFault, found?: string, declared?: number): DataError =>
    DataError.of({ kind: 'npy-header', file, fault, ...(found !== undefined ? { found } : {}), ...(declared !== undefined ? { declared } : {}) });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw bad('magic');
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad('truncated');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw bad('version', `${major}.${minor}`);
  }
  if (bytes.length < start + headerLen) {
    throw bad('length', String(bytes.length - start), headerLen);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));

  if (/['"]descr['"]\s*:\s*\[/.test(text)) {
    throw bad('structured');
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  if (descr === undefined) throw bad('no-descr', JSON.stringify(text.trim()));
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  if (fortran === undefined) throw bad('no-fortran-order');
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined) throw bad('no-shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad('dimensions', shapeText);

  const order = descr[0] ?? '';
  const type = descr.slice(1) as NpyType;
  if (!'<>|='.includes(order) || order === '' || !NPY_TYPES.includes(type)) {
    throw DataError.of({ kind: 'npy-dtype', file, found: descr });
  }
  const littleEndian = order === '>' ? false : order === '=' ? HOST_LITTLE_ENDIAN : true;
  const fortranOrder = fortran === 'True';
  if (fortranOrder && shape.length >= 2) {
    throw DataError.of({ kind: 'npy-fortran-order', file });
  }
  return { version: [major, minor], descr, type, littleEndian, fortranOrder, shape, dataOffset: start + headerLen };
}

/**
 * Decodes `.npy` bytes into an NdArray (see the module comment for the dtype mapping).
 * @param file the name used in error messages
 */
export function parseNpy(bytes: Uint8Array, file = 'the .npy file'): NdArray {
  const h = parseNpyHeader(bytes, file);
  const size = Number(h.type.slice(1));
  const n = numel(h.shape);
  const need = n * size;
  const found = bytes.length - h.dataOffset;
  if (found !== need) {
    throw DataError.of({ kind: 'array-data-length', file, format: 'npy', shape: [...h.shape], dtype: h.descr, expected: need, found });
  }
  const raw = bytes.subarray(h.dataOffset, h.dataOffset + need);
  return { shape: [...h.shape], data: decode(raw, h, n, file) };
}

function decode(raw: Uint8Array, h: NpyHeader, n: number, file: string): TypedData {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = h.littleEndian;
  const native = le === HOST_LITTLE_ENDIAN;
  switch (h.type) {
    case 'u1':
      return raw.slice();
    case 'b1':
      return raw.map((b) => (b === 0 ? 0 : 1));
    case 'i1':
      return Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, n));
    case 'i4':
      if (native) return new Int32Array(raw.slice().buffer);
      return fill(new Int32Array(n), (i) => view.getInt32(4 * i, le));
    case 'f4':
      if (native) return new Float32Array(raw.slice().buffer);
      return fill(new Float32Array(n), (i) => view.getFloat32(4 * i, le));
    case 'i2':
      return fill(new Int32Array(n), (i) => view.getInt16(2 * i, le));
    case 'u2':
      return fill(new Int32Array(n), (i) => view.getUint16(2 * i, le));
    case 'f2':
      return fill(new Float32Array(n), (i) => halfToFloat(view.getUint16(2 * i, le)));
    case 'f8':
      return fill(new Float32Array(n), (i) => view.getFloat64(8 * i, le));
    case 'u4':
      return checkedInt32(n, (i) => view.getUint32(4 * i, le), h, file);
    case 'i8':
      return checkedInt32(n, (i) => view.getBigInt64(8 * i, le), h, file);
    case 'u8':
      return checkedInt32(n, (i) => view.getBigUint64(8 * i, le), h, file);
  }
}

function fill<T extends Int32Array | Float32Array>(out: T, f: (i: number) => number): T {
  for (let i = 0; i < out.length; i++) out[i] = f(i);
  return out;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function checkedInt32(n: number, get: (i: number) => number | bigint, h: NpyHeader, file: string): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v < INT32_MIN || v > INT32_MAX) {
      throw DataError.of({ kind: 'npy-int32-range', file, dtype: h.descr, found: String(v), index: i });
    }
    out[i] = Number(v);
  }
  return out;
}

/** IEEE 754 binary16 -> number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Reads a `.npy` file. */
export function readNpy(file: string): NdArray {
  return parseNpy(readBytes(file), file);
}

/** Options of {@link encodeNpy}. */
export interface EncodeNpyOptions {
  /**
   * The dtype to store, e.g. `'<f8'` or `'|b1'` (values are converted); default from the storage:
   * float32 -> `<f4`, int32 -> `<i4`, uint8 -> `|u1`. `f2` cannot be written.
   */
  readonly descr?: string;
  /** The format version (default 1; 2 and 3 use a 4-byte header length). */
  readonly version?: 1 | 2 | 3;
  /** Writes `fortran_order: True` into the header without reordering data (for tests only). */
  readonly fortranOrder?: boolean;
}

/** Encodes an array as `.npy` bytes (header padded so the data starts at a multiple of 64). */
export function encodeNpy(arr: NdArray, opts: EncodeNpyOptions = {}): Uint8Array {
  const descr = opts.descr ?? ({ float32: '<f4', int32: '<i4', uint8: '|u1' } as const)[dtypeOf(arr.data)];
  const type = descr.slice(1) as NpyType;
  if (!NPY_TYPES.includes(type) || type === 'f2') throw new RangeError(`encodeNpy cannot write dtype '${descr}'`);
  const le = descr[0] !== '>';
  const version = opts.version ?? 1;
  const shapeText = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const size = Number(type.slice(1));
  const out = new Uint8Array(total + arr.data.length * size);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), pre);
  const src = arr.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as number;
    const o = total + i * size;
    switch (type) {
      case 'b1':
        view.setUint8(o, v !== 0 ? 1 : 0);
        break;
      case 'u1':
        view.setUint8(o, v);
        break;
      case 'i1':
        view.setInt8(o, v);
        break;
      case 'u2':
        view.setUint16(o, v, le);
        break;
      case 'i2':
        view.setInt16(o, v, le);
        break;
      case 'u4':
        view.setUint32(o, v, le);
        break;
      case 'i4':
        view.setInt32(o, v, le);
        break;
      case 'u8':
        view.setBigUint64(o, BigInt(Math.trunc(v)), le);
        break;
      case 'i8':
        view.setBigInt64(o, BigInt(Math.trunc(v)), le);
        break;
      case 'f4':
        view.setFloat32(o, v, le);
        break;
      case 'f8':
        view.setFloat64(o, v, le);
        break;
    }
  }
  return out;
}

/** Writes an array as a `.npy` file atomically (see {@link encodeNpy} for the options). */
export function writeNpy(file: string, arr: NdArray, opts: EncodeNpyOptions = {}): void {
  writeFileAtomic(file, encodeNpy(arr, opts));
}
