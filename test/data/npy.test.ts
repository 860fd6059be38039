import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { encodeIdx } from '../../src/data/idx';
import { encodeNpy, parseNpy, parseNpyHeader, readNpy, writeNpy } from '../../src/data/npy';
import { readArray } from '../../src/data/read-array';
import { thrown, useTempDir } from './tmpdir';

const tmp = useTempDir();

/** A .npy file exactly as numpy 2.x writes it for np.arange(6, dtype=np.float32).reshape(2, 3) / 4. */
function numpyStyleF4(): Uint8Array {
  const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const header = dict.padEnd(128 - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(128 + 24);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  out.set(new TextEncoder().encode(header), 10);
  new Float32Array(out.buffer, 128, 6).set([0, 0.25, 0.5, 0.75, 1, 1.25]);
  return out;
}

/** Replaces an ASCII snippet of the header (after the 10-byte preamble) in place; same length. */
function patchHeader(bytes: Uint8Array, from: string, to: string): void {
  const text = String.fromCharCode(...bytes.subarray(10, 64));
  const at = text.indexOf(from);
  expect(at).toBeGreaterThan(0);
  bytes.set(Array.from(to, (c) => c.charCodeAt(0)), 10 + at);
}

describe('NPY reader and writer', () => {
  it('reads a numpy-written v1 float32 file', () => {
    const a = parseNpy(numpyStyleF4(), 'x.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('writes exactly the bytes numpy writes (v1 header, 64-byte aligned)', () => {
    const mine = encodeNpy({ shape: [2, 3], data: Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]) });
    expect(Buffer.from(mine).equals(Buffer.from(numpyStyleF4()))).toBe(true);
    expect(mine[6]).toBe(1);
  });

  it('reads each supported dtype into the documented storage', () => {
    const values = [0, 1, 5, 100];
    const cases = [
      ['|u1', Uint8Array, values],
      ['|i1', Int32Array, [-3, 0, 1, 127]],
      ['<i2', Int32Array, [-300, 0, 1, 3000]],
      ['<u2', Int32Array, [0, 1, 60000, 2]],
      ['<i4', Int32Array, [-70000, 0, 1, 2]],
      ['<i8', Int32Array, [-5, 0, 2147483647, 2]],
      ['<u4', Int32Array, [0, 1, 2, 3]],
      ['<f4', Float32Array, [-0.5, 0, 1.25, 3]],
      ['<f8', Float32Array, [-0.5, 0, 1.25, 3]],
      ['>f4', Float32Array, [-0.5, 0, 1.25, 3]],
      ['>i4', Int32Array, [-7, 0, 1, 2]],
      ['|b1', Uint8Array, [1, 0, 0, 1]],
    ] as const;
    for (const [descr, storage, vals] of cases) {
      const src = storage === Float32Array ? Float32Array.from(vals) : Int32Array.from(vals);
      writeNpy(tmp('d.npy'), { shape: [2, 2], data: src }, { descr });
      const a = readNpy(tmp('d.npy'));
      expect(a.data, descr).toBeInstanceOf(storage);
      expect(a.shape).toEqual([2, 2]);
      expect(Array.from(a.data), descr).toEqual([...vals]);
    }
  });

  it('reads format versions 2 and 3 and scalar arrays', () => {
    for (const version of [2, 3] as const) {
      const bytes = encodeNpy({ shape: [3], data: Int32Array.from([4, 5, 6]) }, { version });
      expect(parseNpyHeader(bytes).version).toEqual([version, 0]);
      expect(Array.from(parseNpy(bytes).data)).toEqual([4, 5, 6]);
    }
    const s = parseNpy(encodeNpy({ shape: [], data: Uint8Array.from([7]) }));
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data)).toEqual([7]);
  });

  it('decodes float16 by hand-made bytes', () => {
    const bytes = encodeNpy({ shape: [3], data: new Int32Array([0x3c00, 0xc000, 0x3555]) }, { descr: '<u2' });
    patchHeader(bytes, "'<u2'", "'<f2'"); // same width, same header length
    const a = parseNpy(bytes, 'h.npy');
    expect(a.data[0]).toBe(1);
    expect(a.data[1]).toBe(-2);
    expect(a.data[2]).toBeCloseTo(1 / 3, 3);
  });

  it('rejects int64 values that do not fit int32', () => {
    const bytes = encodeNpy({ shape: [3], data: Float32Array.from([1, 3e9, 2]) }, { descr: '<i8' });
    const e = thrown(() => parseNpy(bytes, 'big.npy'));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe("'big.npy' holds '<i8' values outside the int32 range: 3000000000 at flat index 1");
  });

  it('rejects Fortran order with a fix, but accepts it for 1-D arrays', () => {
    const f2d = encodeNpy({ shape: [2, 3], data: new Float32Array(6) }, { fortranOrder: true });
    const e = thrown(() => parseNpy(f2d, 'w.npy')) as DataError;
    expect(e.message).toBe("'w.npy' is stored in Fortran (column-major) order; expected C (row-major) order");
    expect(e.hint).toContain('np.ascontiguousarray');
    const f1d = encodeNpy({ shape: [3], data: Float32Array.from([1, 2, 3]) }, { fortranOrder: true });
    expect(Array.from(parseNpy(f1d).data)).toEqual([1, 2, 3]);
  });

  it('rejects a truncated file with the byte counts', () => {
    const bytes = encodeNpy({ shape: [4, 2], data: new Float32Array(8) });
    fs.writeFileSync(tmp('cut.npy'), bytes.subarray(0, bytes.length - 5));
    const e = thrown(() => readNpy(tmp('cut.npy')));
    expect(e.message).toMatch(/^'.*cut\.npy' is truncated: shape \[4, 2\] of '<f4' needs 32 data bytes, found 27$/);
  });

  it('rejects non-npy bytes and unsupported dtypes', () => {
    expect(thrown(() => parseNpy(new TextEncoder().encode('a,b\n1,2\n'), 'data.csv')).message).toContain("'data.csv' is not a valid .npy file");
    const bytes = encodeNpy({ shape: [1], data: new Float32Array(1) });
    patchHeader(bytes, "'<f4'", "'|O4'");
    const e = thrown(() => parseNpy(bytes, 'obj.npy'));
    expect(e.message).toMatch(/^'obj\.npy' has dtype '\|O4' \(Python objects\); expected one of bool, uint8/);
  });
});

describe('readArray', () => {
  it('recognizes .npy and IDX by content, gzip or not, and refuses other files', () => {
    const arr = { shape: [2], data: Float32Array.from([1.5, -2]) };
    fs.writeFileSync(tmp('a.npy.gz'), gzipSync(encodeNpy(arr)));
    fs.writeFileSync(tmp('b.dat'), encodeIdx(arr));
    for (const f of ['a.npy.gz', 'b.dat']) expect(Array.from(readArray(tmp(f)).data)).toEqual([1.5, -2]);
    fs.writeFileSync(tmp('c.bin'), 'PK\x03\x04 zip');
    expect(thrown(() => readArray(tmp('c.bin'))).message).toMatch(/is neither a \.npy nor an IDX file/);
    expect(thrown(() => readArray(tmp('d.csv'))).message).toMatch(/is a CSV file; expected a single array here/);
  });
});
