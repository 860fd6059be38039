import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { findKlRule, KL_RULES, klDivergence } from '../../src/distributions/kl';
import { getDistSpec } from '../../src/distributions/registry';
import type { Distribution } from '../../src/distributions/types';
import { column, make, moments, rng, vals } from './helpers';

type P = Record<string, number[] | number[][]>;
// One (q, p) pair per rule: batch [3], the same event shape for q and p.
const PAIRS: { q: string; p: string; qp: P; pp: P; event?: number[] }[] = [
  { q: 'Normal', p: 'Normal', qp: { loc: [0, 1, -2], scale: [1, 0.3, 2] }, pp: { loc: [0.5, 0, -2], scale: [2, 1, 0.7] } },
  { q: 'LogNormal', p: 'LogNormal', qp: { loc: [0, 1, -2], scale: [1, 0.3, 2] }, pp: { loc: [0.5, 0, -2], scale: [2, 1, 0.7] } },
  { q: 'Laplace', p: 'Laplace', qp: { loc: [0, 1, -2], scale: [1, 0.3, 2] }, pp: { loc: [0.5, 0, -2], scale: [2, 1, 0.7] } },
  { q: 'Normal', p: 'Laplace', qp: { loc: [0, 1, -2], scale: [1, 0.3, 2] }, pp: { loc: [0.5, 0, -2], scale: [2, 1, 0.7] } },
  { q: 'Bernoulli', p: 'Bernoulli', qp: { logits: [0, 2, -3] }, pp: { probs: [0.3, 0.5, 0.9] } },
  { q: 'ContinuousBernoulli', p: 'ContinuousBernoulli', qp: { logits: [0, 2, -3] }, pp: { probs: [0.3, 0.5, 0.9] } },
  { q: 'Categorical', p: 'Categorical', qp: { logits: [[0, 1, 2], [3, 0, 0], [0, 0, 0]] }, pp: { probs: [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.6, 0.2, 0.2]] } },
  { q: 'OneHotCategorical', p: 'OneHotCategorical', qp: { logits: [[0, 1, 2], [3, 0, 0], [0, 0, 0]] }, pp: { probs: [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.6, 0.2, 0.2]] }, event: [3] },
  { q: 'Exponential', p: 'Exponential', qp: { rate: [1, 0.2, 5] }, pp: { rate: [2, 1, 0.5] } },
  { q: 'Gamma', p: 'Gamma', qp: { concentration: [0.5, 2, 7], rate: [1, 3, 0.5] }, pp: { concentration: [1, 0.7, 4], rate: [2, 1, 1] } },
  { q: 'Exponential', p: 'Gamma', qp: { rate: [1, 0.2, 5] }, pp: { concentration: [1, 0.7, 4], rate: [2, 1, 1] } },
  { q: 'Gamma', p: 'Exponential', qp: { concentration: [0.5, 2, 7], rate: [1, 3, 0.5] }, pp: { rate: [2, 1, 0.5] } },
  { q: 'Beta', p: 'Beta', qp: { concentration1: [0.5, 2, 7], concentration0: [1, 3, 0.5] }, pp: { concentration1: [1, 0.7, 4], concentration0: [2, 1, 1] } },
  { q: 'Uniform', p: 'Uniform', qp: { low: [0, -1, 2], high: [1, 0, 2.5] }, pp: { low: [-1, -1, 0], high: [1, 3, 10] } },
  { q: 'Poisson', p: 'Poisson', qp: { rate: [1, 0.2, 5] }, pp: { log_rate: [0.7, 0, -1] } },
  { q: 'Dirichlet', p: 'Dirichlet', qp: { concentration: [[0.5, 2, 3], [1, 1, 1], [5, 0.3, 2]] }, pp: { concentration: [[1, 1, 1], [0.5, 0.5, 0.5], [2, 2, 2]] }, event: [3] },
  ...vectorGaussianPairs(),
];

/** The eight Gaussian pairs among Normal, MultivariateNormal and LowRankMultivariateNormal (not Normal–Normal). */
function vectorGaussianPairs(): { q: string; p: string; qp: P; pp: P; event: number[] }[] {
  const G: Record<string, [P, P]> = {
    Normal: [{ loc: [[0, 1, -2], [0.5, 0.5, 0], [1, 0, 0]], scale: [[1, 0.3, 2], [0.5, 1, 1], [2, 2, 0.4]] }, { loc: [0.5, 0, -1], scale: [2, 1, 0.7] }],
    MultivariateNormal: [
      { loc: [[0, 1, -2], [0.5, 0.5, 0], [1, 0, 0]], scale_tril: [[1, 0, 0], [0.3, 0.5, 0], [-0.4, 0.2, 0.8]] as unknown as number[][] },
      { loc: [0.5, 0, -1], scale_tril: [[1.5, 0, 0], [-0.3, 1, 0], [0.2, 0.6, 0.9]] as unknown as number[][] },
    ],
    LowRankMultivariateNormal: [
      { loc: [[0, 1, -2], [0.5, 0.5, 0], [1, 0, 0]], cov_factor: [[0.5, 0.1], [-0.3, 0.4], [0.2, 0]], cov_diag: [0.6, 0.3, 1] },
      { loc: [0.5, 0, -1], cov_factor: [[1, 0], [0.5, 0.5], [0, -1]], cov_diag: [0.5, 1, 0.8] },
    ],
  };
  const names = Object.keys(G);
  return names.flatMap((q) => names.filter((p) => !(q === 'Normal' && p === 'Normal')).map((p) => ({ q, p, qp: G[q]![0], pp: G[p]![1], event: [3] })));
}

/** Rules whose KL is one number per vector rather than per element. */
const PER_VECTOR = new Set(['OneHotCategorical', 'Dirichlet', 'MultivariateNormal', 'LowRankMultivariateNormal']);

describe('analytic KL registry', () => {
  it('has one rule per listed pair, and lookups work both ways', () => {
    expect(KL_RULES.length).toBe(PAIRS.length);
    for (const c of PAIRS) expect(findKlRule(c.q, c.p)).toBeDefined();
    expect(findKlRule('Normal', 'Gamma')).toBeUndefined();
    tf.tidy(() => {
      expect(klDivergence(make('Normal', { loc: 0, scale: 1 }), make('Gamma', { concentration: 1, rate: 1 }))).toBeUndefined();
    });
  });

  for (const c of PAIRS) {
    it(`${c.q} || ${c.p} matches Monte Carlo within 5 SE; KL(q, q) = 0`, () => {
      tf.tidy(() => {
        const event = c.event ?? [];
        const q = make(c.q, c.qp as Record<string, number[]>, event);
        const p = make(c.p, c.pp as Record<string, number[]>, event);
        const r = klDivergence(q, p)!;
        expect(r.value.shape).toEqual([3]);
        expect(r.elementwise).toBe(!PER_VECTOR.has(c.q) && !PER_VECTOR.has(c.p));
        const N = 20000;
        const z = q.sample(rng(500), [N, 3]);
        const diff = vals(tf.sub(q.logProb(z), p.logProb(z))); // [N, 3]
        const kl = vals(r.value);
        for (let j = 0; j < 3; j++) {
          const s = moments(column(diff, 3, j));
          // MC standard error sd(log q - log p)/sqrt(20000); e.g. sd 1 -> 0.0071, tol 0.035.
          expect(Math.abs(kl[j]! - s.mean)).toBeLessThan(5 * s.seMean + 1e-4);
          expect(kl[j]!).toBeGreaterThanOrEqual(-1e-6);
        }
        const self = vals(klDivergence(q, q)!.value);
        self.forEach((v) => expect(Math.abs(v)).toBeLessThan(2e-6));
      });
    });
  }

  it('Uniform || Uniform is +Infinity when q is not inside p', () => {
    tf.tidy(() => {
      const q = make('Uniform', { low: [0, -2], high: [2, 0] });
      const p = make('Uniform', { low: [0, -1], high: [1, 1] });
      expect(vals(klDivergence(q, p)!.value)).toEqual([Infinity, Infinity]);
    });
  });

  it('is non-negative over random parameters (50 per rule)', () => {
    let state = 12345;
    const u = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pos = (): number[] => Array.from({ length: 50 }, () => Math.exp(4 * u() - 2));
    const real = (): number[] => Array.from({ length: 50 }, () => 6 * u() - 3);
    const gen: Record<string, () => Record<string, number[]>> = {
      Normal: () => ({ loc: real(), scale: pos() }),
      LogNormal: () => ({ loc: real(), scale: pos() }),
      Laplace: () => ({ loc: real(), scale: pos() }),
      Bernoulli: () => ({ logits: real() }),
      ContinuousBernoulli: () => ({ logits: real() }),
      Exponential: () => ({ rate: pos() }),
      Gamma: () => ({ concentration: pos(), rate: pos() }),
      Beta: () => ({ concentration1: pos(), concentration0: pos() }),
    };
    tf.tidy(() => {
      for (const rule of KL_RULES) {
        const gq = gen[rule.q];
        const gp = gen[rule.p];
        if (!gq || !gp) continue;
        const v = vals(rule.kl(make(rule.q, gq()), make(rule.p, gp())));
        v.forEach((x) => expect(x).toBeGreaterThanOrEqual(-1e-5));
      }
    });
  });

  it('broadcasts batch shapes and keeps the event axes for elementwise rules', () => {
    tf.tidy(() => {
      const q = make('Normal', { loc: [[0, 1, 2, 3], [1, 1, 1, 1]], scale: 1 }, [4]);
      const p = make('Normal', { loc: 0, scale: 1 }, [4]);
      const r = klDivergence(q, p)!;
      expect(r.value.shape).toEqual([2, 4]);
      expect(vals(r.value)).toEqual([0, 0.5, 2, 4.5, 0.5, 0.5, 0.5, 0.5]);
    });
  });

  it('every rule is differentiable in the parameters of q (finite gradients); Gamma KL matches differences', () => {
    tf.tidy(() => {
      for (const c of PAIRS) {
        const event = c.event ?? [];
        const p = make(c.p, c.pp as Record<string, number[]>, event);
        const names = Object.keys(c.qp);
        const base = names.map((n) => tf.tensor(c.qp[n] as number[]));
        const spec = getDistSpec(c.q)!;
        const grads = tf.grads((...ts: tf.Tensor[]) => {
          const q: Distribution = spec.create(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), event);
          return klDivergence(q, p)!.value.sum();
        })(base);
        grads.forEach((g) => vals(g).forEach((x) => expect(Number.isFinite(x)).toBe(true)));
      }
      const p = make('Gamma', { concentration: 1.3, rate: 0.8 });
      const kl = (a: tf.Tensor): tf.Tensor => klDivergence(getDistSpec('Gamma')!.create({ concentration: a, rate: tf.scalar(2) }, []), p)!.value;
      const g = vals(tf.grad(kl)(tf.scalar(0.6)))[0]!;
      const h = 1e-2;
      const fd = (vals(kl(tf.scalar(0.6 + h)))[0]! - vals(kl(tf.scalar(0.6 - h)))[0]!) / (2 * h);
      expect(Math.abs(g - fd)).toBeLessThan(2e-3);
    });
  });
});
