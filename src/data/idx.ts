/**
 * The IDX format of MNIST (http://yann.lecun.com/exdb/mnist/), raw or gzip-compressed.
 *
 * Layout (all integers big-endian): two zero bytes, a type code, the number of dimensions n,
 * then n uint32 dimension sizes, then the elements in row-major order, big-endian.
 *
 *   code  type          NdArray storage
 *   0x08  unsigned byte uint8
 *   0x09  signed byte   int32
 *   0x0B  int16         int32
 *   0x0C  int32         int32
 *   0x0D  float32       float32
 *   0x0E  float64       float32 (rounded to single precision)
 *
 * Contract. `parseIdx` validates the magic, the type code, the dimensions and the exact byte
 * length, and throws a one-line DataError naming the file otherwise. `readIdx` adds file access
 * and transparent gunzip (detected by the gzip magic, so `.gz` names are optional).
 */
import { gzipSync } from 'node:zlib';
import type { IdxHeaderFault } from '../dsl/problems/files';
import { DataError } from './errors';
import { readMaybeGzip, writeFileAtomic } from './files';
import { type NdArray, dtypeOf, numel } from './ndarray';

/** The IDX element types, by type code. */
export const IDX_TYPES = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
} as const;

/** An IDX type code. */
export type IdxTypeCode = keyof typeof IDX_TYPES;

function isIdxCode(c: number): c is IdxTypeCode {
  return c in IDX_TYPES;
}

/**
 * Decodes IDX bytes (already decompressed).
 * @param file the name used in error messages
 */
export function parseIdx(bytes: Uint8Array, file = 'the IDX file'): NdArray {
  const bad = (fault: IdxHeaderFault, found: string, declared?: number): DataError =>
    DataError.of({ kind: 'idx-header', file, fault, found, ...(declared !== undefined ? { declared } : {}) });
  if (bytes.length < 4) throw bad('short', String(bytes.length));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw bad('magic', hex);
  }
  const code = bytes[2] as number;
  if (!isIdxCode(code)) {
    throw bad('type-code', code.toString(16).padStart(2, '0'));
  }
  const ndims = bytes[3] as number;
  if (ndims === 0) throw bad('no-dimensions', '0');
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) {
    throw bad('length', String(bytes.length), ndims);
  }
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const { size, name } = IDX_TYPES[code];
  const count = numel(shape);
  const expected = headerLen + count * size;
  if (bytes.length !== expected) {
    throw DataError.of({ kind: 'array-data-length', file, format: 'idx', shape, dtype: name, expected: count * size, found: bytes.length - headerLen });
  }
  return { shape, data: decode(view, headerLen, count, code) };
}

function decode(view: DataView, off: number, n: number, code: IdxTypeCode): NdArray['data'] {
  switch (code) {
    case 0x08:
      return new Uint8Array(view.buffer, view.byteOffset + off, n).slice();
    case 0x09: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt8(off + i);
      return out;
    }
    case 0x0b: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(off + 2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(off + 4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(off + 4 * i, false);
      return out;
    }
    case 0x0e: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(off + 8 * i, false);
      return out;
    }
  }
}

/** Reads an IDX file, raw or gzip-compressed. */
export function readIdx(file: string): NdArray {
  return parseIdx(readMaybeGzip(file), file);
}

/** Options of {@link encodeIdx}. */
export interface EncodeIdxOptions {
  /** The element type; default from the storage: uint8 -> 0x08, int32 -> 0x0C, float32 -> 0x0D. */
  readonly type?: IdxTypeCode;
  /** Gzip the result. */
  readonly gzip?: boolean;
}

/** Encodes an array as IDX bytes (used by tests and tools). Values are converted to `type`. */
export function encodeIdx(arr: NdArray, opts: EncodeIdxOptions = {}): Uint8Array {
  const code: IdxTypeCode = opts.type ?? ({ uint8: 0x08, int32: 0x0c, float32: 0x0d } as const)[dtypeOf(arr.data)];
  const { size } = IDX_TYPES[code];
  const headerLen = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(headerLen + arr.data.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = arr.shape.length;
  arr.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const src = arr.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as number;
    const o = headerLen + i * size;
    if (code === 0x08) view.setUint8(o, v);
    else if (code === 0x09) view.setInt8(o, v);
    else if (code === 0x0b) view.setInt16(o, v, false);
    else if (code === 0x0c) view.setInt32(o, v, false);
    else if (code === 0x0d) view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  if (!opts.gzip) return out;
  const gz = gzipSync(out);
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

/** Writes an array as an IDX file atomically (gzip-compressed when `opts.gzip`). */
export function writeIdx(file: string, arr: NdArray, opts: EncodeIdxOptions = {}): void {
  writeFileAtomic(file, encodeIdx(arr, opts));
}
