// Sequences of up to T steps: the declaration `data x: Real[..T, D]`, the data layer's checks of
// the padding (NaN after each example's last step), the lengths a batch reads from it, and the
// `state-space-ragged` data set with its exact Kalman log-likelihood per sequence.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/checking';
import { checkFile } from '../../src/check';
import { formatSequences } from '../../src/cli/check';
import { DataError } from '../../src/data/errors';
import { kalmanLogLikelihood, kalmanRaggedLogLikelihood, sequenceLength, stateSpaceData, stateSpaceParams, stateSpaceRaggedData } from '../../src/data/state-space';
import { validateSite, type SiteSpec } from '../../src/data/validate';
import { makeBatch } from '../../src/inference/execute';
import { bindMemory } from '../../src/train/memory-data';

const spec = (allowMissing = false): SiteSpec => ({ name: 'x', kind: 'Real', shape: [4, 2], allowMissing, upTo: { bound: 'T', max: 4 } });
const N = NaN;

function fails(rows: number[][], s: SiteSpec): DataError {
  try {
    validateSite({ shape: [rows.length, 4, 2], data: Float32Array.from(rows.flat()) }, s, { file: 'seqs.npy' });
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('the data layer: padding after each example', () => {
  it('accepts trailing NaN steps (padding) and counts no missing values', () => {
    const rows = [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, N, N, N, N], [1, 2, N, N, N, N, N, N]];
    const r = validateSite({ shape: [3, 4, 2], data: Float32Array.from(rows.flat()) }, spec(), { file: 'seqs.npy' });
    expect(r.array.shape).toEqual([3, 4, 2]);
    expect(r.missing).toBe(0);
  });

  it('rejects an example with no steps, naming the row', () => {
    const e = fails([[1, 2, 3, 4, 5, 6, 7, 8], [N, N, N, N, N, N, N, N]], spec());
    expect(e.message).toBe('row 2 of seqs.npy has no steps (every value is NaN); x is declared Real[..4, 2], sequences of 1 to 4 steps');
    expect(e.code).toBe('VAE702');
    expect(e.hint).toContain('give the sequence its first step');
  });

  it('rejects padding inside a sequence without `?`, and a NaN in part of a step', () => {
    const inner = fails([[1, 2, N, N, 5, 6, N, N]], spec());
    expect(inner.message).toBe('row 1 of seqs.npy has step t = 1 all NaN but values at step t = 2; padding (NaN) may only end a sequence, and x is declared Real[..4, 2] without missing values');
    expect(inner.hint).toContain('data x: Real[..4, 2]?');
    const part = fails([[1, 2, 3, N, 5, 6, N, N]], spec());
    expect(part.message).toBe('row 1 of seqs.npy has a missing value (NaN) at step t = 1, before its last step t = 2; x is declared Real[..4, 2] and fully observed');
  });

  it('rejects a file with more steps than the declared most (a shape error naming both)', () => {
    expect(() => validateSite({ shape: [1, 5, 2], data: new Float32Array(10) }, spec(), { file: 'seqs.npy' })).toThrow(
      'x is declared Real[..4, 2] (8 values per example) but seqs.npy holds examples of shape [5, 2] (10 values)',
    );
  });

  it('with `?`, a NaN inside a sequence is a missing value; an empty example is still an error', () => {
    const r = validateSite({ shape: [1, 4, 2], data: Float32Array.from([1, 2, N, N, 5, N, N, N]) }, spec(true), { file: 'seqs.npy' });
    expect(r.missing).toBe(1);
    expect(fails([[N, N, N, N, N, N, N, N]], spec(true)).message).toContain('has no steps');
  });
});

describe('the declaration', () => {
  const codes = (src: string) => checkText(src).diagnostics.map((d) => `${d.code}: ${d.message}`);
  const base = (decl: string, extra = '') => `${decl}
const T = 5
${extra}
model { for t in 0..T { x[t] ~ Normal(0, 1) } }
`;

  it('`..T` checks on a data declaration with a const bound', () => {
    const r = checkText(base('data x: Real[..T]'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.checked!.data[0]!.upTo).toEqual({ bound: 'T', max: 5 });
    expect(r.checked!.model.sites.map((s) => s.step?.upTo)).toEqual(['T', 'T', 'T', 'T', 'T']);
  });

  it('rejects `..` outside data, a bound that is not a const name, a kind without a time axis, and a non-recurrent net over the axis', () => {
    expect(codes(base('data x: Real[T]', 'param p: Real[..T]'))).toEqual(['VAE309: `..` (a sequence of up to T steps) is for data declarations only']);
    expect(codes(base('data x: Real[..5]'))[0]).toBe('VAE309: the most steps of a sequence (`..T`) must be the name of a const');
    expect(codes('data y: Category[..3]\nmodel { y ~ Categorical(logits: [0, 0, 0]) }')[0]).toContain('VAE309: `y` is declared Category[3], which has no time axis for `..`');
    const mlp = codes(base('data x: Real[..T]', 'net f: Real[T] -> Real[2] = mlp(hidden: [4])'));
    expect(mlp[0]).toBe("VAE309: `f` reads sequences of up to T steps, but only `gru` and `lstm` stop at each example's length; this net would read the padding");
  });
});

describe('vae check', () => {
  it('says which steps and nets follow the lengths (models/dmm-ragged.vae), and nothing for fixed-length data', () => {
    expect(formatSequences(checkFile('models/dmm-ragged.vae').checked!)).toBe(
      "sequences (NaN after an example's last step is padding):\n  x: up to T = 10 steps; z[0..9], x[0..9] count before each example's length; backward stops there",
    );
    expect(formatSequences(checkFile('models/dmm.vae').checked!)).toBe('');
  });
});

describe('data sharing a bound', () => {
  it('must have the same length per example (VAE702 naming the row and both data)', () => {
    const cp = checkText('data x: Real[..T, 2]\ndata y: Real[..T]\nconst T = 3\nmodel { for t in 0..T { x[t] ~ Normal(0, 1)\n y[t] ~ Normal(0, 1) } }\n').checked!;
    const x = { shape: [2, 3, 2], data: Float32Array.from([1, 2, 3, 4, N, N, 1, 2, N, N, N, N]) };
    expect(bindMemory(cp, { train: { x, y: { shape: [2, 3], data: Float32Array.from([1, 2, N, 1, N, N]) } } }).splits.train.size).toBe(2);
    expect(() => bindMemory(cp, { train: { x, y: { shape: [2, 3], data: Float32Array.from([1, 2, N, 1, 2, N]) } } })).toThrow(
      'row 2 of train.y has 2 steps of y, but x has 1; data declared up to T steps share one length per example',
    );
  });
});

describe('lengths of a batch', () => {
  it('one past the last step with a value, per example', () => {
    const cp = checkText(base2()).checked!;
    const x = tf.tensor3d(Float32Array.from([1, 2, 3, 4, 5, 6, 1, 2, N, N, N, N, 1, N, 3, 4, N, N]), [3, 3, 2]);
    const b = makeBatch(cp, new Map([['x', x]]));
    expect(Array.from(b.lengths!.get('T')!.dataSync())).toEqual([3, 1, 2]);
    expect(Array.from(b.data.get('x')!.dataSync()).some(Number.isNaN)).toBe(false);
    tf.dispose([x, ...b.data.values(), ...b.lengths!.values()]);
  });
  function base2(): string {
    return 'data x: Real[..T, 2]?\nconst T = 3\nmodel { for t in 0..T { x[t] ~ Normal(0, 1) } }\n';
  }
});

describe('state-space-ragged', () => {
  const p = stateSpaceParams();
  it('cuts the state-space sequences at lengths drawn from 1..T (each length appears)', () => {
    const { x, lengths } = stateSpaceRaggedData(2000, 4);
    const full = stateSpaceData(2000, 4).x.data as Float32Array;
    const xs = x.data as Float32Array;
    const counts = new Array<number>(p.T + 1).fill(0);
    for (let s = 0; s < 2000; s++) {
      const L = lengths[s]!;
      counts[L]!++;
      const seq = xs.subarray(s * p.T * p.d, (s + 1) * p.T * p.d);
      expect(sequenceLength(seq, p)).toBe(L);
      expect(Array.from(seq.subarray(0, L * p.d))).toEqual(Array.from(full.subarray(s * p.T * p.d, s * p.T * p.d + L * p.d)));
    }
    // Uniform on 1..10: 200 per length, binomial SE √(2000·0.1·0.9) ≈ 13.4; allow 5 SE.
    for (let L = 1; L <= p.T; L++) expect(Math.abs(counts[L]! - 200)).toBeLessThan(5 * 13.4);
  });

  it('its exact log-likelihood is the Kalman filter over the steps before the padding', () => {
    const { x, lengths } = stateSpaceRaggedData(5, 2);
    const xs = x.data as Float32Array;
    for (let s = 0; s < 5; s++) {
      const seq = xs.subarray(s * p.T * p.d, (s + 1) * p.T * p.d);
      const want = kalmanLogLikelihood(seq.subarray(0, lengths[s]! * p.d), { ...p, T: lengths[s]! });
      expect(kalmanRaggedLogLikelihood(seq, p)).toBe(want);
      expect(Number.isFinite(want)).toBe(true);
    }
  });
});
