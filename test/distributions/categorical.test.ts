import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Categorical } from '../../src/distributions/categorical';
import { OneHotCategorical } from '../../src/distributions/one-hot-categorical';
import { getDistSpec } from '../../src/distributions/registry';
import { column, expectClose, expectMoments, make, rng, vals } from './helpers';

const f = Math.fround;
const logSoftmaxRef = (l: number[]): number[] => {
  const m = Math.max(...l);
  const z = Math.log(l.reduce((a, x) => a + Math.exp(x - m), 0)) + m;
  return l.map((x) => x - z);
};

describe('Categorical', () => {
  const logits = [[2, -1, 0.5, 0], [0, 0, 0, 0], [-30, 30, 1, 2]];

  it('logProb from logits matches log-softmax, and from probs agrees with from logits', () => {
    tf.tidy(() => {
      const d = make('Categorical', { logits });
      expect(d.batchShape).toEqual([3]);
      const x = [[0, 1, 1], [3, 2, 0]];
      const got = vals(d.logProb(tf.tensor2d(x, undefined, 'int32')));
      const ref = x.flatMap((row) => row.map((c, j) => logSoftmaxRef(logits[j]!.map(f))[c]!));
      expectClose(got, ref, 1e-6, 1e-6);
      const probs = tf.softmax(tf.tensor2d(logits));
      const dp = getDistSpec('Categorical')!.create({ probs }, []);
      expectClose(vals(dp.logProb(tf.tensor2d(x, undefined, 'int32'))), got, 1e-5, 1e-5);
      expectClose(vals(dp.entropy!()), vals(d.entropy!()), 1e-5, 1e-6);
    });
  });

  it('zero-probability classes give a finite log-probability, never NaN', () => {
    tf.tidy(() => {
      const d = make('Categorical', { probs: [0, 0.25, 0.75] });
      const lp = vals(d.logProb(tf.tensor1d([0, 1, 2], 'int32')));
      expect(lp[0]).toBeLessThan(-80);
      expectClose(lp.slice(1), [Math.log(0.25), Math.log(0.75)], 1e-6);
      expect(Number.isFinite(vals(d.entropy!())[0]!)).toBe(true);
    });
  });

  it('handles event shape S: logits [B, ...S, k] give batch [B], values [...S] int32', () => {
    tf.tidy(() => {
      const d = make('Categorical', { logits: [[[0, 1], [2, 3], [1, 1]], [[0, 0], [5, 0], [0, 5]]] as unknown as number[][] }, [3]);
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([3]);
      const s = d.sample(rng(1), [4, 2]);
      expect(s.shape).toEqual([4, 2, 3]);
      expect(s.dtype).toBe('int32');
      expect(d.logProb(s).shape).toEqual([4, 2]);
      expect(d.logProbElementwise!(s).shape).toEqual([4, 2, 3]);
      const all = d.enumerateSupport!();
      expect(all.shape).toEqual([8, 3]);
      expect(Categorical.supportSize([3], 2)).toBe(8);
      expectClose(vals(tf.exp(d.logProb(all.expandDims(1))).sum(0)), [1, 1], 1e-6);
    });
  });

  it('enumerateSupport is [k] int32 with total probability 1; sample frequencies match probs within 5 SE', () => {
    tf.tidy(() => {
      const p = [0.1, 0.2, 0.3, 0.4];
      const d = make('Categorical', { probs: p });
      const all = d.enumerateSupport!();
      expect(all.shape).toEqual([4]);
      expect(all.dtype).toBe('int32');
      expectClose(vals(tf.exp(d.logProb(all)).sum()), [1], 1e-6);
      const xs = vals(d.sample(rng(2), [20000]));
      p.forEach((pj, j) => {
        const freq = xs.filter((x) => x === j).length / xs.length;
        // SE = sqrt(p (1 - p) / N), at most sqrt(0.24 / 20000) = 0.0035 -> tol 0.017
        expect(Math.abs(freq - pj)).toBeLessThan(5 * Math.sqrt((pj * (1 - pj)) / xs.length));
      });
    });
  });
});

describe('OneHotCategorical', () => {
  it('logProb equals the Categorical log-probability of the hot index; mean/variance/entropy exact', () => {
    tf.tidy(() => {
      const logits = [[2, -1, 0.5], [0, 3, -3]];
      const d = make('OneHotCategorical', { logits }, [3]);
      expect(d.batchShape).toEqual([2]);
      const c = make('Categorical', { logits });
      const idx = tf.tensor1d([2, 1], 'int32');
      expectClose(vals(d.logProb(tf.oneHot(idx, 3).toFloat())), vals(c.logProb(idx)), 1e-6);
      expectClose(vals(d.entropy!()), vals(c.entropy!()), 1e-6);
      const p = vals(tf.softmax(tf.tensor2d(logits)));
      expectClose(vals(d.mean!()), p, 1e-6);
      expectClose(vals(d.variance!()), p.map((x) => x * (1 - x)), 1e-6);
    });
  });

  it('samples one-hot rows with the class frequencies (5 SE)', () => {
    tf.tidy(() => {
      const p = [0.5, 0.3, 0.2];
      const d = make('OneHotCategorical', { probs: p }, [3]);
      const xs = d.sample(rng(3), [20000]);
      expect(xs.shape).toEqual([20000, 3]);
      expectClose(vals(xs.sum(1)), new Array(20000).fill(1), 0, 0);
      const v = vals(xs);
      // each column is Bernoulli(p_j): SE = sqrt(p (1 - p) / N) <= 0.0035
      p.forEach((pj, j) => expectMoments(column(v, 3, j), pj, pj * (1 - pj)));
    });
  });

  it('enumerateSupport: [k, k] for event [k], [k^2, 2, k] for event [2, k]; probabilities sum to 1', () => {
    tf.tidy(() => {
      const d = make('OneHotCategorical', { logits: [0.3, -1, 2] }, [3]);
      const all = d.enumerateSupport!();
      expect(all.shape).toEqual([3, 3]);
      expectClose(vals(tf.exp(d.logProb(all)).sum()), [1], 1e-6);
      const d2 = make('OneHotCategorical', { logits: [[0.3, -1, 2], [1, 1, 0]] }, [2, 3]);
      expect(OneHotCategorical.supportSize([2, 3], 3)).toBe(9);
      const all2 = d2.enumerateSupport!();
      expect(all2.shape).toEqual([9, 2, 3]);
      expectClose(vals(tf.exp(d2.logProb(all2)).sum()), [1], 1e-6);
    });
  });
});

describe('RelaxedOneHotCategorical', () => {
  // Concrete density (Maddison et al. 2017, eq. 9) in double precision.
  const ref = (y: number[], t: number, logits: number[]): number => {
    const k = y.length;
    const lp = logSoftmaxRef(logits);
    let lf = 0;
    for (let i = 2; i < k; i++) lf += Math.log(i);
    let num = 0;
    let den = 0;
    for (let j = 0; j < k; j++) {
      num += lp[j]! - (t + 1) * Math.log(y[j]!);
      den += Math.exp(lp[j]! - t * Math.log(y[j]!));
    }
    return lf + (k - 1) * Math.log(t) + num - k * Math.log(den);
  };

  it('logProb matches the Concrete density', () => {
    tf.tidy(() => {
      const logits = [0.5, -1, 2];
      const ys = [[0.2, 0.3, 0.5], [0.98, 0.01, 0.01], [1 / 3, 1 / 3, 1 / 3]];
      for (const t of [0.3, 1, 2.5]) {
        const d = make('RelaxedOneHotCategorical', { temperature: t, logits }, [3]);
        const got = vals(d.logProb(tf.tensor2d(ys)));
        expectClose(got, ys.map((y) => ref(y.map(f), f(t), logits)), 2e-5, 2e-5);
      }
    });
  });

  it('with k = 2 it is the binary Concrete (RelaxedBernoulli with logit l1 - l2) in the first coordinate', () => {
    tf.tidy(() => {
      const d = make('RelaxedOneHotCategorical', { temperature: 0.7, logits: [1.2, 0.4] }, [2]);
      const b = make('RelaxedBernoulli', { temperature: 0.7, logits: 0.8 });
      const y1 = [0.1, 0.5, 0.77];
      expectClose(vals(d.logProb(tf.tensor2d(y1.map((y) => [y, 1 - y])))), vals(b.logProb(tf.tensor1d(y1))), 1e-5, 1e-5);
    });
  });

  it('integrates to 1 over the 2-simplex (t = 2, midpoint rule on a 300 x 300 grid)', () => {
    tf.tidy(() => {
      const n = 300;
      const pts: number[][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n - i; j++) {
        const a = (i + 1 / 3) / n;
        const b = (j + 1 / 3) / n;
        if (a + b < 1) pts.push([a, b, 1 - a - b]);
      }
      const d = make('RelaxedOneHotCategorical', { temperature: 2, logits: [0.3, -0.5, 0.8] }, [3]);
      const p = vals(tf.exp(d.logProb(tf.tensor2d(pts))));
      // each grid triangle pair has area 1/n^2 in (y1, y2) coordinates
      const total = p.reduce((a, x) => a + x, 0) / (n * n);
      expect(Math.abs(total - 1)).toBeLessThan(2e-2);
    });
  });

  it('samples lie on the simplex and their argmax is Categorical(softmax(logits)); rsample gradients match differences', () => {
    tf.tidy(() => {
      const logits = [0.5, -1, 2];
      const d = make('RelaxedOneHotCategorical', { temperature: 0.5, logits }, [3]);
      const xs = d.sample(rng(4), [20000]);
      expectClose(vals(xs.sum(1)), new Array(20000).fill(1), 0, 1e-5);
      const am = vals(xs.argMax(1));
      const p = vals(tf.softmax(tf.tensor1d(logits)));
      p.forEach((pj, j) => {
        const freq = am.filter((a) => a === j).length / am.length;
        expect(Math.abs(freq - pj)).toBeLessThan(5 * Math.sqrt((pj * (1 - pj)) / am.length));
      });
      const spec = getDistSpec('RelaxedOneHotCategorical')!;
      const obj = (t: tf.Tensor, l: tf.Tensor): tf.Tensor =>
        tf.mean(tf.mul(spec.create({ temperature: t, logits: l }, [3]).rsample!(rng(5), [2000]), tf.tensor1d([1, -2, 0.5])));
      const l0 = tf.tensor1d(logits);
      const [gt, gl] = tf.grads(obj)([tf.scalar(0.8), l0]);
      const h = 1e-2;
      const fdT = (vals(obj(tf.scalar(0.8 + h), l0))[0]! - vals(obj(tf.scalar(0.8 - h), l0))[0]!) / (2 * h);
      expect(Math.abs(vals(gt!)[0]! - fdT)).toBeLessThan(1e-3);
      const e0 = tf.tensor1d([h, 0, 0]);
      const fdL = (vals(obj(tf.scalar(0.8), l0.add(e0)))[0]! - vals(obj(tf.scalar(0.8), l0.sub(e0)))[0]!) / (2 * h);
      expect(Math.abs(vals(gl!)[0]! - fdL)).toBeLessThan(1e-3);
    });
  });
});

describe('MixtureNormal', () => {
  const w = [0.2, 0.5, 0.3];
  const locs = [[-2, 0], [0, 1], [3, -1]];
  const scales = [[0.5, 1], [1, 0.3], [0.7, 2]];
  const ref = (x: number[]): number => {
    let s = 0;
    for (let j = 0; j < 3; j++) {
      let lp = Math.log(w[j]!);
      for (let i = 0; i < 2; i++) lp += -0.5 * ((x[i]! - locs[j]![i]!) / scales[j]![i]!) ** 2 - Math.log(scales[j]![i]!) - 0.5 * Math.log(2 * Math.PI);
      s += Math.exp(lp);
    }
    return Math.log(s);
  };

  it('logProb is the log-sum-exp over components of the diagonal Gaussian log-densities', () => {
    tf.tidy(() => {
      const d = make('MixtureNormal', { weights: w, locs, scales }, [2]);
      expect(d.batchShape).toEqual([]);
      const xs = [[0, 0], [-2, 0.5], [3, -1], [10, 10]];
      expectClose(vals(d.logProb(tf.tensor2d(xs))), xs.map(ref), 1e-5, 1e-5);
    });
  });

  it('sample moments match mean()/variance(), which match the mixture formulas', () => {
    tf.tidy(() => {
      const d = make('MixtureNormal', { weights: w, locs, scales }, [2]);
      const mean = [0, 1].map((i) => w.reduce((a, wj, j) => a + wj * locs[j]![i]!, 0));
      const variance = [0, 1].map((i) => w.reduce((a, wj, j) => a + wj * (scales[j]![i]! ** 2 + locs[j]![i]! ** 2), 0) - mean[i]! ** 2);
      expectClose(vals(d.mean!()), mean, 1e-5, 1e-6);
      expectClose(vals(d.variance!()), variance, 1e-5, 1e-6);
      const xs = vals(d.sample(rng(6), [20000]));
      // e.g. coordinate 0: variance 3.79, SE(mean) = sqrt(3.79/20000) = 0.014 -> tol 0.07
      [0, 1].forEach((i) => expectMoments(column(xs, 2, i), mean[i]!, variance[i]!));
    });
  });

  it('supports batched parameters and a particle axis: locs [B, k, ...S], sample(rng, [K, B])', () => {
    tf.tidy(() => {
      const spec = getDistSpec('MixtureNormal')!;
      const d = spec.create({ weights: tf.tensor1d(w), locs: tf.randomNormal([4, 3, 5], 0, 1, 'float32', 1), scales: tf.ones([3, 5]) }, [5]);
      expect(d.batchShape).toEqual([4]);
      const s = d.sample(rng(7), [6, 4]);
      expect(s.shape).toEqual([6, 4, 5]);
      expect(d.logProb(s).shape).toEqual([6, 4]);
      expect(d.mean!().shape).toEqual([4, 5]);
    });
  });
});
