import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Bernoulli } from '../../src/distributions/bernoulli';
import { cbLogNorm, CB_NORM_WINDOW } from '../../src/distributions/continuous-bernoulli';
import { getDistSpec } from '../../src/distributions/registry';
import { expectClose, expectMoments, make, moments, rng, sigmoidRef, simpson, vals } from './helpers';

const f = Math.fround;
const softplusRef = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

describe('Bernoulli', () => {
  it('logProb from logits and from probs matches x log p + (1-x) log(1-p), stably at extreme logits', () => {
    tf.tidy(() => {
      const logits = [-30, -2, 0, 0.7, 30];
      const xs = [[0, 1, 0, 1, 0], [1, 0, 1, 0, 1]];
      const d = make('Bernoulli', { logits });
      // log p(x) = x l - softplus(l); e.g. l = 30, x = 0: -30 - log1p(e^-30) = -30.
      const ref = xs.flatMap((row) => row.map((x, j) => x * f(logits[j]!) - softplusRef(f(logits[j]!))));
      expectClose(vals(d.logProb(tf.tensor2d(xs))), ref, 1e-6, 1e-6);
      const probs = [0.01, 0.3, 0.5, 0.9, 0.999];
      const dp = make('Bernoulli', { probs });
      const refP = xs.flatMap((row) => row.map((x, j) => (x ? Math.log(f(probs[j]!)) : Math.log1p(-f(probs[j]!)))));
      expectClose(vals(dp.logProb(tf.tensor2d(xs))), refP, 1e-5, 1e-6);
      // probs exactly 0 and 1 give finite log-probabilities for the possible outcome.
      expectClose(vals(make('Bernoulli', { probs: [0, 1] }).logProb(tf.tensor1d([0, 1]))), [0, 0], 0, 1e-6);
    });
  });

  it('enumerateSupport lists 2^n points whose probabilities sum to 1', () => {
    tf.tidy(() => {
      const d = make('Bernoulli', { logits: [[0.3, -1, 2], [0, 4, -4]] }, [3]);
      expect(Bernoulli.supportSize([3], 2)).toBe(8);
      const s = d.enumerateSupport!();
      expect(s.shape).toEqual([8, 3]);
      const lp = d.logProb(s.expandDims(1)); // [8, 2]
      expectClose(vals(tf.exp(lp).sum(0)), [1, 1], 1e-6);
      expect(make('Bernoulli', { probs: 0.2 }).enumerateSupport!().shape).toEqual([2]);
    });
  });

  it('samples with mean p (5 SE), and entropy/mean/variance are exact', () => {
    tf.tidy(() => {
      const d = make('Bernoulli', { logits: [Math.log(0.3 / 0.7)] });
      // SE = sqrt(0.3 * 0.7 / 20000) = 0.0032 -> tol 0.016
      expectMoments(vals(d.sample(rng(1), [20000, 1])), 0.3, 0.21);
      expectClose(vals(d.mean!()), [0.3], 1e-6);
      expectClose(vals(d.variance!()), [0.21], 1e-6);
      expectClose(vals(d.entropy!()), [-(0.3 * Math.log(0.3) + 0.7 * Math.log(0.7))], 1e-6);
      expectClose(vals(make('Bernoulli', { probs: [0.3] }).entropy!()), vals(d.entropy!()), 1e-6);
    });
  });
});

/** log C(lambda) = log(2 atanh(1 - 2 lambda) / (1 - 2 lambda)), 2 at lambda = 1/2 (double). */
const cbLogNormRef = (lam: number): number => (lam === 0.5 ? Math.log(2) : Math.log((2 * Math.atanh(1 - 2 * lam)) / (1 - 2 * lam)));
const cbLogProbRef = (x: number, lam: number): number => cbLogNormRef(lam) + x * Math.log(lam) + (1 - x) * Math.log1p(-lam);

describe('ContinuousBernoulli', () => {
  const LAMS = [0.5, 0.5 + 1e-4, 0.5 - 1e-4, 0.509, 0.2, 0.97, 1e-3];

  it('logProb matches C(l) l^x (1-l)^(1-x) at and near lambda = 1/2 (Taylor window) and away from it', () => {
    tf.tidy(() => {
      const xs = [0, 0.3, 1];
      const d = make('ContinuousBernoulli', { probs: LAMS });
      const v = tf.tensor2d(xs.map((x) => LAMS.map(() => x)));
      const ref = xs.flatMap((x) => LAMS.map((l) => cbLogProbRef(x, f(l))));
      expectClose(vals(d.logProb(v)), ref, 1e-6, 1e-6);
      // At lambda = 1/2 exactly, C = 2 and the density is 1 on [0, 1]: log p = 0.
      expectClose(vals(make('ContinuousBernoulli', { logits: 0 }).logProb(tf.tensor1d([0, 0.5, 1]))), [0, 0, 0], 0, 1e-7);
    });
  });

  it('log C is continuous across the Taylor window boundary and has finite gradients at l = 0', () => {
    tf.tidy(() => {
      const w = CB_NORM_WINDOW;
      const ls = [w * (1 - 1e-4), w * (1 + 1e-4), -w * (1 - 1e-4), -w * (1 + 1e-4)];
      const got = vals(cbLogNorm(tf.tensor1d(ls)));
      ls.forEach((l, i) => expect(Math.abs(got[i]! - cbLogNormRef(sigmoidRef(f(l))))).toBeLessThan(2e-7));
      const g = vals(tf.grad((l: tf.Tensor) => cbLogNorm(l).sum())(tf.tensor1d([0, 1e-3, 0.5, -3])));
      // d/dl log(l / tanh(l/2)) = 1/l - 1/sinh(l); 0 at l = 0.
      const dRef = [0, 1e-3, 0.5, -3].map((l) => (l === 0 ? 0 : 1 / l - 1 / Math.sinh(l)));
      expectClose(g, dRef, 1e-4, 1e-5);
    });
  });

  it('integrates to 1, and mean()/variance() match numerical integration', () => {
    tf.tidy(() => {
      const n = 2000;
      const grid = Array.from({ length: n + 1 }, (_, i) => i / n);
      for (const lam of [0.5, 0.5 + 1e-4, 0.3, 0.97, 0.02]) {
        const d = make('ContinuousBernoulli', { probs: lam });
        const p = vals(tf.exp(d.logProb(tf.tensor1d(grid))));
        const at = (x: number): number => p[Math.round(x * n)]!;
        expect(Math.abs(simpson(at, 0, 1, n) - 1)).toBeLessThan(1e-5);
        const ref = (x: number): number => Math.exp(cbLogProbRef(x, f(lam)));
        const m = simpson((x) => x * ref(x), 0, 1);
        const v = simpson((x) => x * x * ref(x), 0, 1) - m * m;
        expectClose(vals(d.mean!()), [m], 1e-5, 1e-6);
        expectClose(vals(d.variance!()), [v], 1e-4, 1e-6);
      }
    });
  });

  it('rsample is the inverse CDF: F(x(u)) = u, including |l| < 1e-3 and |l| = 50', () => {
    tf.tidy(() => {
      for (const l of [0, 5e-4, -5e-4, 0.3, -2, 50, -50]) {
        const d = make('ContinuousBernoulli', { logits: l });
        const x = vals(d.rsample!(rng(3), [200]));
        // F(x) = (lam^x (1-lam)^(1-x) + lam - 1) / (2 lam - 1) with lam = sigmoid(l), written with
        // log lam = -softplus(-l), 1 - lam = sigmoid(-l), 2 lam - 1 = tanh(l/2); F(x) = x at l = 0.
        const lf = f(l);
        const F = (t: number): number =>
          l === 0 ? t : (Math.exp(-t * softplusRef(-lf) - (1 - t) * softplusRef(lf)) - sigmoidRef(-lf)) / Math.tanh(lf / 2);
        const u = vals(tf.clipByValue(tf.randomUniform([200], 0, 1, 'float32', rng(3).seed()), 1e-38, 1 - 2 ** -24));
        x.forEach((xi, i) => {
          expect(xi).toBeGreaterThanOrEqual(0);
          expect(xi).toBeLessThanOrEqual(1);
          expect(Math.abs(F(xi) - u[i]!)).toBeLessThan(Math.abs(l) > 10 ? 1e-4 : 2e-6);
        });
      }
    });
  });

  it('sample moments match mean()/variance() within 5 SE, entropy matches -E[log p]', () => {
    [0.5, 0.3, 0.999, 1e-4].forEach((lam, i) => {
      tf.tidy(() => {
        const d = make('ContinuousBernoulli', { probs: lam });
        const xs = d.sample(rng(10 + i), [20000]);
        // e.g. lambda = 1/2 (uniform): SE(mean) = sqrt(1/12/20000) = 0.002 -> tol 0.01
        expectMoments(vals(xs), vals(d.mean!())[0]!, vals(d.variance!())[0]!);
        const s = moments(vals(d.logProb(xs)));
        expect(Math.abs(vals(d.entropy!())[0]! + s.mean)).toBeLessThan(5 * s.seMean + 1e-6);
      });
    });
  });

  it('rsample gradient in the logits matches central differences', () => {
    tf.tidy(() => {
      const spec = getDistSpec('ContinuousBernoulli')!;
      for (const l0 of [0.4, 2e-4, -1.5]) {
        const obj = (l: tf.Tensor): tf.Tensor => tf.mean(tf.square(spec.create({ logits: l }, []).rsample!(rng(5), [2000])));
        const g = vals(tf.grad(obj)(tf.scalar(l0)))[0]!;
        const h = 1e-2;
        const fd = (vals(obj(tf.scalar(l0 + h)))[0]! - vals(obj(tf.scalar(l0 - h)))[0]!) / (2 * h);
        expect(Math.abs(g - fd)).toBeLessThan(2e-4);
      }
    });
  });
});

describe('RelaxedBernoulli', () => {
  // Binary Concrete density (Maddison et al. 2017, eq. 21) in its original form.
  const ref = (y: number, t: number, l: number): number => {
    const a = Math.exp(l);
    return Math.log((t * a * y ** (-t - 1) * (1 - y) ** (-t - 1)) / (a * y ** -t + (1 - y) ** -t) ** 2);
  };

  it('logProb matches the Concrete density formula', () => {
    tf.tidy(() => {
      const t = [0.5, 1, 2.5];
      const l = [0.3, -2, 1];
      const d = make('RelaxedBernoulli', { temperature: t, logits: l });
      const ys = [[0.01, 0.5, 0.93], [0.7, 0.2, 0.999]];
      const r = ys.flatMap((row) => row.map((y, j) => ref(f(y), f(t[j]!), f(l[j]!))));
      expectClose(vals(d.logProb(tf.tensor2d(ys))), r, 1e-5, 1e-5);
      const dp = make('RelaxedBernoulli', { temperature: t, probs: l.map(sigmoidRef) });
      expectClose(vals(dp.logProb(tf.tensor2d(ys))), r, 1e-5, 1e-4);
    });
  });

  it('integrates to 1; P(y > 1/2) = sigmoid(l) at every temperature; sample mean matches the density', () => {
    tf.tidy(() => {
      const n = 2000;
      for (const [t, l] of [[1.5, 0.4], [3, -1]] as const) {
        const d = make('RelaxedBernoulli', { temperature: t, logits: l });
        const grid = Array.from({ length: n - 1 }, (_, i) => (i + 1) / n);
        const p = [0, ...vals(tf.exp(d.logProb(tf.tensor1d(grid)))), 0]; // p -> 0 at both ends for t > 1
        expect(Math.abs(simpson((x) => p[Math.round(x * n)]!, 0, 1, n) - 1)).toBeLessThan(1e-4);
        const xs = vals(d.sample(rng(20), [20000]));
        const m = simpson((x) => x * p[Math.round(x * n)]!, 0, 1, n);
        const v = simpson((x) => x * x * p[Math.round(x * n)]!, 0, 1, n) - m * m;
        expectMoments(xs, m, v);
      }
      for (const t of [0.1, 1, 5]) {
        const xs = vals(make('RelaxedBernoulli', { temperature: t, logits: 0.8 }).sample(rng(21), [20000]));
        const frac = xs.filter((x) => x > 0.5).length / xs.length;
        // SE = sqrt(0.69 * 0.31 / 20000) = 0.0033 -> tol 0.016
        expect(Math.abs(frac - sigmoidRef(0.8))).toBeLessThan(0.0165);
      }
    });
  });

  it('rsample gradients in temperature and logits match central differences', () => {
    tf.tidy(() => {
      const spec = getDistSpec('RelaxedBernoulli')!;
      const obj = (t: tf.Tensor, l: tf.Tensor): tf.Tensor => tf.mean(tf.sin(spec.create({ temperature: t, logits: l }, []).rsample!(rng(6), [2000])));
      const [gt, gl] = tf.grads(obj)([tf.scalar(0.7), tf.scalar(0.3)]);
      const h = 1e-2;
      const fdT = (vals(obj(tf.scalar(0.7 + h), tf.scalar(0.3)))[0]! - vals(obj(tf.scalar(0.7 - h), tf.scalar(0.3)))[0]!) / (2 * h);
      const fdL = (vals(obj(tf.scalar(0.7), tf.scalar(0.3 + h)))[0]! - vals(obj(tf.scalar(0.7), tf.scalar(0.3 - h)))[0]!) / (2 * h);
      expect(Math.abs(vals(gt!)[0]! - fdT)).toBeLessThan(1e-3);
      expect(Math.abs(vals(gl!)[0]! - fdL)).toBeLessThan(1e-3);
    });
  });
});

describe('DiscretizedLogistic', () => {
  const h = 0.5 / 255;
  // P(x) by CDF differences in double; the upper tail uses survival functions to avoid 1 - 1.
  const probRef = (x: number, mu: number, s: number): number => {
    const a = (x + h - mu) / s;
    const b = (x - h - mu) / s;
    if (x < h) return sigmoidRef(a);
    if (x > 1 - h) return sigmoidRef(-b);
    return b > 0 ? sigmoidRef(-b) - sigmoidRef(-a) : sigmoidRef(a) - sigmoidRef(b);
  };

  it('logProb matches CDF differences at the 0 and 1 edges, in the interior and in far tails', () => {
    tf.tidy(() => {
      const params = { loc: [0.5, 0.02, 0.98, 0.5, 0.1], scale: [0.01, 0.1, 2, 1e-3, 0.01] };
      const xs = [[0, 0, 1, 0, 200 / 255], [1, 1, 0, 1, 0], [128 / 255, 3 / 255, 254 / 255, 128 / 255, 26 / 255]];
      const d = make('DiscretizedLogistic', params);
      const ref = xs.flatMap((row) => row.map((x, j) => Math.log(probRef(f(x), f(params.loc[j]!), f(params.scale[j]!)))));
      // x = 0 with loc 0.5, scale 1e-3: log sigmoid((h - 0.5)/1e-3) = -498.04 (no underflow to -inf).
      expectClose(vals(d.logProb(tf.tensor2d(xs))), ref, 2e-5, 2e-5);
    });
  });

  it('the 256 level probabilities sum to 1, and samples hit the levels with those probabilities', () => {
    tf.tidy(() => {
      const levels = tf.linspace(0, 1, 256).expandDims(1); // [256, 1]
      const d = make('DiscretizedLogistic', { loc: [0.05, 0.5, 0.9, 0.3], scale: [0.05, 0.2, 0.001, 3] });
      expectClose(vals(tf.exp(d.logProb(levels)).sum(0)), [1, 1, 1, 1], 1e-5);
      const d0 = make('DiscretizedLogistic', { loc: 0.05, scale: 0.05 });
      const xs = vals(d0.sample(rng(30), [20000]));
      expect(xs.every((x) => Math.abs(x * 255 - Math.round(x * 255)) < 1e-3 && x >= 0 && x <= 1)).toBe(true);
      const p0 = Math.exp(vals(d0.logProb(tf.scalar(0)))[0]!);
      // P(0) = sigmoid((1/510 - 0.05)/0.05) = 0.277; SE = sqrt(.277 .723 / 20000) = 0.0032 -> tol 0.016
      expect(Math.abs(xs.filter((x) => x === 0).length / xs.length - p0)).toBeLessThan(5 * Math.sqrt((p0 * (1 - p0)) / 20000));
      const probs = vals(tf.exp(d0.logProb(levels.squeeze())));
      const m = probs.reduce((acc, p, i) => acc + (p * i) / 255, 0);
      const v = probs.reduce((acc, p, i) => acc + p * (i / 255) ** 2, 0) - m * m;
      expectMoments(xs, m, v);
    });
  });
});
