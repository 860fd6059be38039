import { describe, expect, it } from 'vitest';
import { binarizeDynamic, binarizeThreshold, toUnitInterval } from '../../src/data/binarize';
import { DataError } from '../../src/data/errors';
import { TEST_SEED } from '../helpers/seed';
import { thrown } from './tmpdir';

const N = 200;
const D = 784;

/** N images whose pixels all have gray level p. */
const constant = (p: number) => ({ shape: [N, D], data: new Float32Array(N * D).fill(p) });

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s / a.length;
};

describe('dynamic binarization', () => {
  it(`matches the gray level in mean within 5 standard errors (seed ${TEST_SEED})`, () => {
    for (const p of [0.05, 0.3, 0.5, 0.9]) {
      const out = binarizeDynamic(constant(p), { seed: TEST_SEED, epoch: 0 });
      // n = 200 * 784 = 156800 independent Bernoulli(p) pixels: the mean has standard error
      // sqrt(p (1 - p) / n), e.g. 0.00126 for p = 0.5, so 5 SE is about 0.0063.
      const n = N * D;
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(mean(out.data) - p), `p = ${p}`).toBeLessThan(5 * se);
      expect(new Set(out.data)).toEqual(new Set([0, 1]));
    }
  });

  it('scales 0..255 bytes to [0, 1] first', () => {
    // 51 / 255 = 0.2; n = 156800 pixels, SE = sqrt(0.2 * 0.8 / 156800) = 0.00101.
    const out = binarizeDynamic({ shape: [N, D], data: new Uint8Array(N * D).fill(51).fill(255, 0, 1) }, { seed: TEST_SEED, epoch: 1 });
    expect(Math.abs(mean(out.data) - 0.2)).toBeLessThan(5 * 0.00101 + 1 / (N * D));
    expect(out.data[0]).toBe(1); // gray level 1 is always 1
  });

  it('is reproducible per (seed, epoch) and differs across epochs and seeds', () => {
    const x = constant(0.5);
    const a = binarizeDynamic(x, { seed: 7, epoch: 3 });
    const b = binarizeDynamic(x, { seed: 7, epoch: 3 });
    const c = binarizeDynamic(x, { seed: 7, epoch: 4 });
    const d = binarizeDynamic(x, { seed: 8, epoch: 3 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    let diffC = 0;
    let diffD = 0;
    for (let i = 0; i < a.data.length; i++) {
      if (a.data[i] !== c.data[i]) diffC++;
      if (a.data[i] !== d.data[i]) diffD++;
    }
    // Independent draws at p = 1/2 disagree on half the pixels.
    expect(diffC / a.data.length).toBeGreaterThan(0.45);
    expect(diffD / a.data.length).toBeGreaterThan(0.45);
  });

  it('gives a minibatch the same pixels as the whole set', () => {
    const x = { shape: [10, 4], data: Float32Array.from({ length: 40 }, (_, i) => (i % 9) / 8) };
    const all = binarizeDynamic(x, { seed: 1, epoch: 2 });
    const rows = [7, 2, 9];
    const batch = { shape: [3, 4], data: Float32Array.from(rows.flatMap((r) => Array.from(x.data.subarray(r * 4, r * 4 + 4)))) };
    const part = binarizeDynamic(batch, { seed: 1, epoch: 2, indices: rows });
    expect(Array.from(part.data)).toEqual(rows.flatMap((r) => Array.from(all.data.subarray(r * 4, r * 4 + 4))));
  });

  it('rejects data that are not gray levels', () => {
    const e = thrown(() => binarizeDynamic({ shape: [1, 2], data: Float32Array.from([-1, 0.5]) }, { seed: 0, epoch: 0, file: 'z.npy' }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('cannot binarize z.npy: expected gray levels in [0, 1] or 0..255, found values in [-1, 0.5]');
  });
});

describe('threshold binarization and scaling', () => {
  it('maps x > 0.5 to 1', () => {
    expect(Array.from(binarizeThreshold({ shape: [4], data: Float32Array.from([0, 0.5, 0.51, 1]) }).data)).toEqual([0, 0, 1, 1]);
    // Bytes: 127/255 = 0.498 -> 0, 128/255 = 0.502 -> 1.
    expect(Array.from(binarizeThreshold({ shape: [3], data: Uint8Array.from([127, 128, 255]) }).data)).toEqual([0, 1, 1]);
  });

  it('leaves 0/1 bytes alone and scales 0..255 bytes', () => {
    expect(Array.from(toUnitInterval({ shape: [2], data: Uint8Array.from([0, 1]) }).data)).toEqual([0, 1]);
    expect(Array.from(toUnitInterval({ shape: [2], data: Uint8Array.from([0, 255]) }).data)).toEqual([0, 1]);
  });

  it('keeps missing pixels (NaN) missing, and the other pixels as without them', () => {
    const gray = { shape: [2, 3], data: Float32Array.from([0.2, NaN, 0.9, 0.6, 0.4, NaN]) };
    const t = binarizeThreshold(gray);
    expect(Array.from(t.data)).toEqual([0, NaN, 1, 1, 0, NaN]);
    const full = { shape: [2, 3], data: Float32Array.from([0.2, 0.5, 0.9, 0.6, 0.4, 0.5]) };
    const a = binarizeDynamic(gray, { seed: 3, epoch: 1 });
    const b = binarizeDynamic(full, { seed: 3, epoch: 1 });
    expect(a.data).toBeInstanceOf(Float32Array);
    [0, 2, 3, 4].forEach((i) => expect(a.data[i]).toBe(b.data[i]));
    expect([a.data[1], a.data[5]].every((v) => Number.isNaN(v as number))).toBe(true);
  });
});
