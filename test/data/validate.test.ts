import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { type SiteSpec, declaredType, validateSite } from '../../src/data/validate';
import { thrown } from './tmpdir';

const images = (n: number, f: (i: number) => number): Uint8Array => Uint8Array.from({ length: n * 784 }, (_, i) => f(i));

describe('validateSite: kinds', () => {
  it('says how to fix Binary data holding 0..255 gray levels', () => {
    const arr = { shape: [3, 28, 28], data: images(3, (i) => i % 256) };
    const e = thrown(() => validateSite(arr, { name: 'x', kind: 'Binary', shape: [784] }, { file: 'images.npy' }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('x is declared Binary[784] but images.npy has values in 0..255; add `binarize: dynamic` to the train block or declare it Unit[784]');
  });

  it('accepts 0/1 data for Binary and flattens [N, 28, 28] to [N, 784]', () => {
    const arr = { shape: [2, 28, 28], data: images(2, (i) => i % 2) };
    const { array, missing } = validateSite(arr, { name: 'x', kind: 'Binary', shape: [784] }, { file: 'b.npy' });
    expect(array.shape).toEqual([2, 784]);
    expect(array.data).toBe(arr.data); // no copy
    expect(missing).toBe(0);
  });

  it('names the row of a label outside 0..k-1', () => {
    const labels = Int32Array.from({ length: 30 }, (_, i) => i % 10);
    labels[17] = 12;
    const spec: SiteSpec = { name: 'y', kind: 'Category', shape: [], classes: 10 };
    const e = thrown(() => validateSite({ shape: [30], data: labels }, spec, { file: 'labels.npy' }));
    expect(e.message).toBe('row 18 of labels.npy has label 12, outside 0..9');
  });

  it('allows -1 (and NaN) as a missing label only in a partially observed site', () => {
    const labels = Float32Array.from([3, -1, NaN, 0]);
    const spec: SiteSpec = { name: 'y', kind: 'Category', shape: [], classes: 10 };
    const e = thrown(() => validateSite({ shape: [4], data: labels }, spec, { file: 'labels.csv', rowName: (r) => `line ${r + 2}` }));
    expect(e.message).toBe('line 3 of labels.csv has a missing label (-1) but y is declared Category[10] and fully observed; expected labels 0..9');
    const ok = validateSite({ shape: [4, 1], data: labels }, { ...spec, allowMissing: true }, { file: 'labels.csv' });
    expect(ok.array.data).toBeInstanceOf(Int32Array);
    expect(ok.array.shape).toEqual([4]);
    expect(Array.from(ok.array.data)).toEqual([3, -1, -1, 0]);
    expect(ok.missing).toBe(2);
  });

  it('checks Unit, Positive and Real ranges and NaN as missing', () => {
    const unit = thrown(() => validateSite({ shape: [2, 2], data: Float32Array.from([0, 0.5, 1.5, 1]) }, { name: 'p', kind: 'Unit', shape: [2] }, { file: 'p.npy' }));
    expect(unit.message).toBe('p is declared Unit[2] but p.npy has values in [0, 1.5]; expected values in [0, 1] (row 2 has 1.5)');
    const pos = thrown(() => validateSite({ shape: [2], data: Float32Array.from([1, 0]) }, { name: 's', kind: 'Positive', shape: [] }, { file: 's.npy' }));
    expect(pos.message).toContain('expected finite values > 0 (row 2 has 0)');
    const inf = thrown(() => validateSite({ shape: [1, 2], data: Float32Array.from([1, Infinity]) }, { name: 'x', kind: 'Real', shape: [2] }, { file: 'x.npy' }));
    expect(inf.message).toContain('expected finite numbers (row 1 has Infinity)');
    const nan = Float32Array.from([1, NaN, 2, 3]);
    expect(thrown(() => validateSite({ shape: [2, 2], data: nan }, { name: 'x', kind: 'Real', shape: [2] }, { file: 'x.npy' })).message).toBe(
      'row 1 of x.npy has a missing value (NaN) but x is declared Real[2] and fully observed',
    );
    expect(validateSite({ shape: [2, 2], data: nan }, { name: 'x', kind: 'Real', shape: [2], allowMissing: true }, { file: 'x.npy' }).missing).toBe(1);
  });

  it('checks Simplex sums and OneHot encodings over the last axis', () => {
    const simplex: SiteSpec = { name: 'p', kind: 'Simplex', shape: [3] };
    expect(validateSite({ shape: [2, 3], data: Float32Array.from([0.2, 0.3, 0.5, 1, 0, 0]) }, simplex, { file: 'p.npy' }).array.shape).toEqual([2, 3]);
    expect(thrown(() => validateSite({ shape: [2, 3], data: Float32Array.from([0.2, 0.3, 0.5, 0.5, 0.2, 0.2]) }, simplex, { file: 'p.npy' })).message).toBe(
      'row 2 of p.npy sums to 0.9; p is declared Simplex[3], expected non-negative values summing to 1 over the last axis',
    );
    const onehot: SiteSpec = { name: 'c', kind: 'OneHot', shape: [3] };
    expect(thrown(() => validateSite({ shape: [2, 3], data: Uint8Array.from([0, 1, 0, 1, 1, 0]) }, onehot, { file: 'c.npy' })).message).toMatch(
      /^row 2 of c\.npy is not one-hot \(it has 2 ones\)/,
    );
  });
});

describe('validateSite: counts, simplices and missing entries (VAE702 naming the file and the row)', () => {
  const count: SiteSpec = { name: 'n', kind: 'Count', shape: [3] };

  it('rejects negative and fractional counts, counting rows from 1', () => {
    const neg = thrown(() => validateSite({ shape: [2, 3], data: Float32Array.from([0, 2, 5, 1, -1, 0]) }, count, { file: 'counts.npy' })) as DataError;
    expect(neg.code).toBe('VAE702');
    expect(neg.file).toBe('counts.npy');
    expect(neg.message).toBe('n is declared Count[3] but counts.npy has values in -1..5; expected counts: whole numbers >= 0 (row 2 has -1)');
    expect(neg.hint).toBe('counts cannot be negative; check the sign or the offset of the data');
    const frac = thrown(() => validateSite({ shape: [1, 3], data: Float32Array.from([0, 2.5, 1]) }, count, { file: 'counts.npy' }));
    expect(frac.message).toContain('expected counts: whole numbers >= 0 (row 1 has 2.5)');
    expect((frac as DataError).hint).toBe('round the values if they are counts, or declare n Real or Positive');
    expect(validateSite({ shape: [2, 3], data: Float32Array.from([0, 2, 5, 1, 0, 0]) }, count, { file: 'counts.npy' }).array.shape).toEqual([2, 3]);
  });

  it('rejects NaN outside a `?` site with a hint that names the `?` declaration', () => {
    const e = thrown(() => validateSite({ shape: [3, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, NaN, 8]) }, count, { file: 'counts.npy' })) as DataError;
    expect(e.message).toBe('row 3 of counts.npy has a missing value (NaN) but n is declared Count[3] and fully observed');
    expect(e.hint).toBe('fill in the missing values or drop the row; or declare `data n: Count[3]?` to leave missing entries out of the likelihood');
    const ok = validateSite({ shape: [3, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, NaN, 8]) }, { ...count, allowMissing: true }, { file: 'counts.npy' });
    expect(ok.missing).toBe(1);
    expect(Number.isNaN(ok.array.data[7] as number)).toBe(true);
  });

  it('a site observed by a joint family takes missing values as whole examples only', () => {
    const spec: SiteSpec = { name: 'x', kind: 'Real', shape: [3], allowMissing: true, wholeExamples: 'MultivariateNormal' };
    expect(validateSite({ shape: [2, 3], data: Float32Array.from([NaN, NaN, NaN, 1, 2, 3]) }, spec, { file: 'x.npy' }).missing).toBe(1);
    const e = thrown(() => validateSite({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 1, NaN, 3]) }, spec, { file: 'x.npy' })) as DataError;
    expect(e.message).toBe('row 2 of x.npy is partly missing (1 of 3 values are NaN); x is observed by MultivariateNormal, whose density is joint over the whole example, so an example is observed or missing whole');
    expect(e.hint).toContain('fill in the missing values or mark the whole row missing');
  });

  it('a simplex row that does not sum to one, or is partly missing, names its row', () => {
    const simplex: SiteSpec = { name: 'p', kind: 'Simplex', shape: [2], allowMissing: true };
    expect(validateSite({ shape: [2, 2], data: Float32Array.from([NaN, NaN, 0.25, 0.75]) }, simplex, { file: 'p.npy' }).missing).toBe(1);
    expect(thrown(() => validateSite({ shape: [2, 2], data: Float32Array.from([0.5, 0.5, 0.25, NaN]) }, simplex, { file: 'p.npy' })).message).toBe(
      'row 2 of p.npy has a partly missing Simplex vector; p is declared Simplex[2], expected all 2 values or none',
    );
    expect(thrown(() => validateSite({ shape: [2, 2], data: Float32Array.from([0.5, 0.5, 0.25, 0.5]) }, simplex, { file: 'p.npy' })).message).toBe(
      'row 2 of p.npy sums to 0.75; p is declared Simplex[2], expected non-negative values summing to 1 over the last axis',
    );
  });
});

describe('validateSite: shapes', () => {
  it('names both shapes and value counts on a mismatch', () => {
    const arr = { shape: [5, 28, 29], data: new Float32Array(5 * 28 * 29) };
    const e = thrown(() => validateSite(arr, { name: 'x', kind: 'Real', shape: [784] }, { file: 'x.npy' })) as DataError;
    expect(e.message).toBe(
      'x is declared Real[784] (784 values per example) but x.npy holds examples of shape [28, 29] (812 values); expected shape [N, 784] or any [N, ...] with 784 values per example',
    );
  });

  it('suggests a leading axis when the file holds a single example', () => {
    const e = thrown(() => validateSite({ shape: [28, 28], data: new Float32Array(784) }, { name: 'x', kind: 'Real', shape: [28, 28] }, { file: 'one.npy' })) as DataError;
    expect(e.message).toContain('holds examples of shape [28] (28 values)');
    expect(e.hint).toContain('leading example axis');
  });

  it('reshapes [N, 784] for a [28, 28] site and converts int32 reals to float32', () => {
    const { array } = validateSite({ shape: [2, 784], data: new Int32Array(2 * 784) }, { name: 'x', kind: 'Real', shape: [28, 28] }, { file: 'x.npy' });
    expect(array.shape).toEqual([2, 28, 28]);
    expect(array.data).toBeInstanceOf(Float32Array);
  });

  it('formats declared types as in programs', () => {
    expect(declaredType({ name: 'y', kind: 'Category', shape: [], classes: 10 })).toBe('Category[10]');
    expect(declaredType({ name: 'x', kind: 'Binary', shape: [28, 28] })).toBe('Binary[28, 28]');
    expect(declaredType({ name: 's', kind: 'Real', shape: [] })).toBe('Real');
  });
});
