import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { encodeIdx, parseIdx, readIdx, writeIdx } from '../../src/data/idx';
import { rejected, thrown, useTempDir } from './tmpdir';

const tmp = useTempDir();

describe('IDX reader', () => {
  it('reads a raw ubyte file byte for byte, with its shape', () => {
    // Hand-made: magic 00 00 08 03, dims 2 x 2 x 3, then 12 bytes.
    const header = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3];
    const body = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
    fs.writeFileSync(tmp('raw-idx3-ubyte'), Uint8Array.from([...header, ...body]));
    const a = readIdx(tmp('raw-idx3-ubyte'));
    expect(a.shape).toEqual([2, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual(body);
  });

  it('reads gzip-compressed files (detected by magic, not by name)', () => {
    const arr = { shape: [3, 2], data: Uint8Array.from([9, 8, 7, 6, 5, 4]) };
    writeIdx(tmp('a.gz'), arr, { gzip: true });
    fs.writeFileSync(tmp('b-no-extension'), gzipSync(encodeIdx(arr)));
    for (const f of ['a.gz', 'b-no-extension']) {
      const a = readIdx(tmp(f));
      expect(a.shape).toEqual([3, 2]);
      expect(Array.from(a.data)).toEqual([9, 8, 7, 6, 5, 4]);
    }
  });

  it('decodes big-endian float32 and float64', () => {
    // 1.5f = 3f c0 00 00; -2.0 (double) = c0 00 00 00 00 00 00 00
    const f = parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]), 'f.idx');
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f.data)).toEqual([1.5]);
    const d = parseIdx(Uint8Array.from([0, 0, 0x0e, 1, 0, 0, 0, 1, 0xc0, 0, 0, 0, 0, 0, 0, 0]), 'd.idx');
    expect(Array.from(d.data)).toEqual([-2]);
  });

  it('round-trips every element type', () => {
    const cases = [
      { type: 0x08, values: [0, 17, 255], storage: Uint8Array },
      { type: 0x09, values: [-128, -1, 127], storage: Int32Array },
      { type: 0x0b, values: [-32768, 300, 32767], storage: Int32Array },
      { type: 0x0c, values: [-2147483648, 70000, 2147483647], storage: Int32Array },
      { type: 0x0d, values: [-0.5, 0.25, 1e10], storage: Float32Array },
      { type: 0x0e, values: [-0.5, 0.125, 3], storage: Float32Array },
    ] as const;
    for (const c of cases) {
      const src = c.storage === Float32Array ? Float32Array.from(c.values) : Int32Array.from(c.values);
      const bytes = encodeIdx({ shape: [3], data: src }, { type: c.type });
      const a = parseIdx(bytes, `t${c.type}`);
      expect(a.data, `type ${c.type}`).toBeInstanceOf(c.storage);
      expect(Array.from(a.data)).toEqual(Array.from(src));
    }
  });

  it('rejects a bad magic number, naming the file', () => {
    const e = thrown(() => parseIdx(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), 'images.zip'));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe("'images.zip' is not a valid IDX file: expected the magic number to start with 00 00, found 50 4b 03 04");
  });

  it('rejects an unknown type code', () => {
    const e = thrown(() => parseIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'x.idx'));
    expect(e.message).toMatch(/expected a type code .* found 0a/);
  });

  it('rejects truncated and over-long files with the byte counts', () => {
    const full = encodeIdx({ shape: [2, 3], data: new Uint8Array(6) });
    const short = thrown(() => parseIdx(full.subarray(0, full.length - 2), 'short.idx'));
    expect(short.message).toBe("'short.idx' is truncated: shape [2, 3] of unsigned byte needs 6 data bytes, found 4");
    const long = thrown(() => parseIdx(Uint8Array.from([...full, 1]), 'long.idx'));
    expect(long.message).toContain('longer than its header says');
    const header = thrown(() => parseIdx(full.subarray(0, 9), 'hdr.idx'));
    expect(header.message).toContain('declares 2 dimensions');
  });

  it('reports a corrupt gzip stream without the raw zlib text', () => {
    const gz = gzipSync(encodeIdx({ shape: [100], data: new Uint8Array(100) }));
    fs.writeFileSync(tmp('cut.gz'), gz.subarray(0, 20));
    const e = thrown(() => readIdx(tmp('cut.gz')));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/^cannot decompress '.*cut\.gz': expected valid gzip data, found a corrupt or truncated stream$/);
  });

  it('reports a missing file in one line with a hint', async () => {
    const e = (await rejected(Promise.resolve().then(() => readIdx('no-such-images.idx')))) as DataError;
    expect(e.message).toBe("cannot read 'no-such-images.idx': no such file");
    expect(e.hint).toContain('relative paths are resolved from');
    expect(e.file).toBe('no-such-images.idx');
  });
});
