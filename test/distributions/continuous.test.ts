import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getDistSpec } from '../../src/distributions/registry';
import type { Distribution } from '../../src/distributions/types';
import { column, expectClose, expectMoments, lgammaRef, make, moments, rng, vals } from './helpers';

const f = Math.fround;
const LOG_2PI = Math.log(2 * Math.PI);

// Independent double-precision log-densities (parameters and values rounded to float32 first).
type Ref = (x: number, p: Record<string, number>) => number;
const REFS: Record<string, Ref> = {
  Normal: (x, { loc, scale }) => -0.5 * ((x - loc!) / scale!) ** 2 - Math.log(scale!) - 0.5 * LOG_2PI,
  Laplace: (x, { loc, scale }) => -Math.abs(x - loc!) / scale! - Math.log(2 * scale!),
  LogNormal: (x, { loc, scale }) => -0.5 * ((Math.log(x) - loc!) / scale!) ** 2 - Math.log(scale! * x) - 0.5 * LOG_2PI,
  StudentT: (x, { df, loc, scale }) => {
    const z = (x - loc!) / scale!;
    return lgammaRef((df! + 1) / 2) - lgammaRef(df! / 2) - 0.5 * Math.log(df! * Math.PI) - Math.log(scale!) - ((df! + 1) / 2) * Math.log(1 + (z * z) / df!);
  },
  Exponential: (x, { rate }) => Math.log(rate!) - rate! * x,
  Gamma: (x, { concentration: a, rate: b }) => a! * Math.log(b!) + (a! - 1) * Math.log(x) - b! * x - lgammaRef(a!),
  Beta: (x, { concentration1: a, concentration0: b }) =>
    (a! - 1) * Math.log(x) + (b! - 1) * Math.log1p(-x) - (lgammaRef(a!) + lgammaRef(b!) - lgammaRef(a! + b!)),
  Uniform: (x, { low, high }) => (x >= low! && x <= high! ? -Math.log(high! - low!) : -Infinity),
};

// Three parameter settings per family (batch [3]) and two rows of values ([2, 3]).
const CASES: { name: string; params: Record<string, number[]>; xs: number[][] }[] = [
  { name: 'Normal', params: { loc: [0, 1.5, -2], scale: [1, 0.5, 3] }, xs: [[0.3, 1.1, -7], [-2, 2, 0]] },
  { name: 'Laplace', params: { loc: [0, 1.5, -2], scale: [1, 0.5, 3] }, xs: [[0, 1.1, -7], [-2, 4, 0]] },
  { name: 'LogNormal', params: { loc: [0, 1.5, -2], scale: [1, 0.5, 3] }, xs: [[0.3, 1.1, 7], [2, 1e-3, 0.5]] },
  { name: 'StudentT', params: { df: [1, 3.7, 30], loc: [0, 1, -2], scale: [1, 0.5, 2] }, xs: [[0.3, 1.1, -7], [-25, 2, 0]] },
  { name: 'Exponential', params: { rate: [1, 0.2, 7] }, xs: [[0.3, 11, 0], [2, 1e-3, 0.05]] },
  { name: 'Gamma', params: { concentration: [0.5, 1, 7.5], rate: [1, 0.2, 3] }, xs: [[1e-3, 11, 2], [2, 0.4, 0.05]] },
  { name: 'Beta', params: { concentration1: [0.5, 2, 7.5], concentration0: [0.5, 5, 0.3] }, xs: [[1e-4, 0.3, 0.999], [0.5, 0.9, 0.01]] },
  { name: 'Uniform', params: { low: [0, -1, 2], high: [1, 3, 2.5] }, xs: [[0.3, -1.5, 2.25], [1, 3, 2.6]] },
];

describe('continuous families: logProb against independent reference formulas', () => {
  for (const c of CASES) {
    it(`${c.name}`, () => {
      tf.tidy(() => {
        const d = make(c.name, c.params);
        expect(d.batchShape).toEqual([3]);
        const got = vals(d.logProb(tf.tensor2d(c.xs)));
        const ref = c.xs.flatMap((row) =>
          row.map((x, j) => REFS[c.name]!(f(x), Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, f(v[j]!)])))),
        );
        expectClose(got, ref, 2e-6, 2e-6);
      });
    });
  }

  it('sums over the event axes (event [3] gives one log-density per row)', () => {
    tf.tidy(() => {
      const d = make('Normal', { loc: [0, 1.5, -2], scale: [1, 0.5, 3] }, [3]);
      expect(d.batchShape).toEqual([]);
      const x = tf.tensor2d([[0.3, 1.1, -7], [-2, 2, 0]]);
      const lp = d.logProb(x);
      expect(lp.shape).toEqual([2]);
      const e = d.logProbElementwise!(x);
      expect(e.shape).toEqual([2, 3]);
      expectClose(vals(lp), vals(e.sum(-1)), 1e-6);
    });
  });
});

// Exact means and variances in JS (not via the class) and parameters for the moment checks.
const MOMENTS: { name: string; params: Record<string, number>; mean: number; variance: number }[] = [
  { name: 'Normal', params: { loc: 1, scale: 2 }, mean: 1, variance: 4 },
  { name: 'Laplace', params: { loc: -1, scale: 0.5 }, mean: -1, variance: 0.5 },
  { name: 'LogNormal', params: { loc: 0.2, scale: 0.5 }, mean: Math.exp(0.2 + 0.125), variance: Math.expm1(0.25) * Math.exp(0.4 + 0.25) },
  { name: 'StudentT', params: { df: 12, loc: 0.5, scale: 2 }, mean: 0.5, variance: (4 * 12) / 10 },
  { name: 'Exponential', params: { rate: 2.5 }, mean: 0.4, variance: 0.16 },
  { name: 'Gamma', params: { concentration: 0.3, rate: 2 }, mean: 0.15, variance: 0.075 },
  { name: 'Gamma', params: { concentration: 4.5, rate: 0.5 }, mean: 9, variance: 18 },
  { name: 'Beta', params: { concentration1: 0.5, concentration0: 0.5 }, mean: 0.5, variance: 0.125 },
  { name: 'Beta', params: { concentration1: 2, concentration0: 5 }, mean: 2 / 7, variance: 10 / (49 * 8) },
  { name: 'Beta', params: { concentration1: 0.05, concentration0: 0.2 }, mean: 0.2, variance: 0.01 / (0.0625 * 1.25) },
  { name: 'Uniform', params: { low: -1, high: 3 }, mean: 1, variance: 16 / 12 },
];

describe('continuous families: sampling', () => {
  const N = 20000;
  MOMENTS.forEach((c, i) => {
    it(`${c.name}(${Object.values(c.params).join(', ')}) sample moments within 5 SE; mean()/variance() exact`, () => {
      tf.tidy(() => {
        const d = make(c.name, c.params);
        const xs = vals(d.sample(rng(100 + i), [N]));
        // Tolerances: 5 sd/sqrt(N) for the mean, 5 sqrt((m4 - s^4)/N) for the variance,
        // e.g. Normal(1, 2): 2/sqrt(20000) = 0.0141 -> 0.071; variance SE = sqrt(2) 4/141 = 0.04 -> 0.2.
        expectMoments(xs, c.mean, c.variance);
        expectClose(vals(d.mean!()), [c.mean], 1e-5);
        expectClose(vals(d.variance!()), [c.variance], 1e-5);
      });
    });
  });

  it('sample() and rsample() with the same key agree, and a leading particle axis broadcasts', () => {
    tf.tidy(() => {
      for (const name of ['Normal', 'Laplace', 'LogNormal', 'Exponential', 'Uniform']) {
        const d = make(name, name === 'Exponential' ? { rate: [1, 2] } : name === 'Uniform' ? { low: [0, 1], high: [1, 3] } : { loc: [0, 1], scale: [1, 2] });
        const a = d.sample(rng(7), [5, 2]);
        const b = d.rsample!(rng(7), [5, 2]);
        expect(a.shape).toEqual([5, 2]);
        expectClose(vals(a), vals(b), 0, 0);
      }
    });
  });

  it('entropy() matches the Monte Carlo estimate -E[log p(x)] within 5 SE', () => {
    const settings: [string, Record<string, number>][] = [
      ['Normal', { loc: 0, scale: 2 }],
      ['Laplace', { loc: 0, scale: 0.3 }],
      ['LogNormal', { loc: 0.5, scale: 0.7 }],
      ['StudentT', { df: 4, loc: 0, scale: 1.5 }],
      ['Exponential', { rate: 3 }],
      ['Gamma', { concentration: 0.7, rate: 2 }],
      ['Beta', { concentration1: 2.5, concentration0: 0.8 }],
      ['Uniform', { low: -2, high: 5 }],
    ];
    settings.forEach(([name, p], i) => {
      tf.tidy(() => {
        const d = make(name, p);
        const lp = vals(d.logProb(d.sample(rng(200 + i), [20000])));
        const s = moments(lp);
        const h = vals(d.entropy!())[0]!;
        // SE of -mean(log p) is sd(log p)/sqrt(N); Uniform has sd 0 (exact).
        expect(Math.abs(h + s.mean)).toBeLessThan(5 * s.seMean + 1e-5);
      });
    });
  });

  it('Gamma and Beta sample per-element concentrations ([3] parameters, [N, 3] draws)', () => {
    tf.tidy(() => {
      const a = [0.2, 1, 30];
      const d = make('Gamma', { concentration: a, rate: [1, 1, 1] });
      const xs = vals(d.sample(rng(300), [20000, 3]));
      a.forEach((ai, j) => expectMoments(column(xs, 3, j), ai, ai));
      const b = make('Beta', { concentration1: [1, 3, 0.2], concentration0: [1, 0.5, 0.2] });
      const ys = vals(b.sample(rng(301), [20000, 3]));
      expect(Math.min(...ys)).toBeGreaterThan(0);
      expect(Math.max(...ys)).toBeLessThan(1);
      expectMoments(column(ys, 3, 0), 0.5, 1 / 12); // Beta(1,1) = U(0,1)
    });
  });
});

/** Central-difference check of d/dtheta mean(sin(rsample)) with fixed noise (the same key). */
function checkPathwiseGrad(name: string, params: Record<string, number>, wrt: string[]): void {
  const key = rng(400);
  const objective = (p: Record<string, tf.Tensor>): tf.Tensor => {
    const d: Distribution = getDistSpec(name)!.create(p, []);
    return tf.mean(tf.sin(d.rsample!(key, [2000])));
  };
  tf.tidy(() => {
    const base: Record<string, tf.Tensor> = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.scalar(v)]));
    for (const name2 of wrt) {
      const g = tf.grad((t: tf.Tensor) => objective({ ...base, [name2]: t }))(base[name2]!);
      const h = 1e-2;
      const up = vals(objective({ ...base, [name2]: tf.scalar(params[name2]! + h) }))[0]!;
      const dn = vals(objective({ ...base, [name2]: tf.scalar(params[name2]! - h) }))[0]!;
      // Truncation O(h^2) ~ 1e-5 and float32 rounding ~ 1e-7/h = 1e-5 -> tolerance 5e-4.
      expect(Math.abs(vals(g)[0]! - (up - dn) / (2 * h))).toBeLessThan(5e-4);
    }
  });
}

describe('continuous families: rsample gradients', () => {
  it('Normal: d/dloc sum(z) = N and d/dscale sum(z) = sum(eps)', () => {
    tf.tidy(() => {
      const loc = tf.scalar(0.7);
      const scale = tf.scalar(1.3);
      const spec = make('Normal', { loc: 0, scale: 1 }).spec;
      const f2 = (l: tf.Tensor, s: tf.Tensor) => spec.create({ loc: l, scale: s }, []).rsample!(rng(1), [1000]).sum();
      const [gl, gs] = tf.grads(f2)([loc, scale]);
      const z = spec.create({ loc, scale }, []).rsample!(rng(1), [1000]);
      const sumEps = vals(z.sub(0.7).div(1.3).sum())[0]!;
      expect(vals(gl!)[0]).toBeCloseTo(1000, 2);
      expect(Math.abs(vals(gs!)[0]! - sumEps)).toBeLessThan(1e-2);
    });
  });

  it('Normal, Laplace, LogNormal, StudentT, Exponential, Uniform match central differences', () => {
    checkPathwiseGrad('Normal', { loc: 0.3, scale: 0.8 }, ['loc', 'scale']);
    checkPathwiseGrad('Laplace', { loc: 0.3, scale: 0.8 }, ['loc', 'scale']);
    checkPathwiseGrad('LogNormal', { loc: -0.2, scale: 0.4 }, ['loc', 'scale']);
    checkPathwiseGrad('StudentT', { df: 6, loc: 0.3, scale: 0.8 }, ['loc', 'scale']);
    checkPathwiseGrad('Exponential', { rate: 1.7 }, ['rate']);
    checkPathwiseGrad('Uniform', { low: -0.5, high: 1.5 }, ['low', 'high']);
  });
});
