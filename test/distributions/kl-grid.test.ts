/**
 * Every analytic KL rule against a sampled estimate over a grid of parameters, from small to
 * large concentrations, scales and rates: KL(q ‖ p) = E_q[log q(z) − log p(z)].
 *
 * Per grid cell, N = 4000 draws z ~ q give the sampled estimate with SE = sd(log q − log p)/√N;
 * the closed form must lie within 5 SE (+ 1e-5 relative, float32 output). 5 SE is a two-sided
 * false-alarm rate of 6e-7 per cell (about 3e-4 for the ~450 cells; the seed is fixed). The
 * grid stays where float32 can hold the draws: a Beta or Gamma concentration below ~0.1 puts
 * mass below the smallest float32 (1e-38), where every sampler clamps, so those cells are
 * checked against double-precision references instead (below), as are concentrations up to 1e6.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KL_RULES, klDivergence } from '../../src/distributions/kl';
import { getDistSpec } from '../../src/distributions/registry';
import { digamma64, lbeta64, lgamma64, trigamma64 } from '../../src/distributions/special64';
import { digammaRef, lgammaRef, make, rng, vals } from './helpers';

type P = Record<string, number[] | number[][]>;
interface Grid {
  readonly q: string;
  readonly p: string;
  readonly qp: P;
  readonly pp: P;
  readonly event?: number[];
}

/** The cross product of named value lists, as columns. */
function cross(axes: Record<string, readonly number[]>): Record<string, number[]> {
  const names = Object.keys(axes);
  let rows: number[][] = [[]];
  for (const n of names) rows = rows.flatMap((r) => axes[n]!.map((v) => [...r, v]));
  return Object.fromEntries(names.map((n, i) => [n, rows.map((r) => r[i]!)]));
}

/** Each q cell paired with each p cell: q columns repeated, p columns tiled. */
function pairs(q: Record<string, number[]>, p: Record<string, number[]>): { qp: P; pp: P } {
  const nq = Object.values(q)[0]!.length;
  const np = Object.values(p)[0]!.length;
  const rep = (xs: number[]): number[] => xs.flatMap((x) => new Array<number>(np).fill(x));
  const tile = (xs: number[]): number[] => Array.from({ length: nq }, () => xs).flat();
  return { qp: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, rep(v)])), pp: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tile(v)])) };
}

const LOCS = [-3, 0, 2.5];
const SCALES = [0.01, 0.3, 1, 20];
const POS = [0.1, 0.5, 1, 7, 300, 1e4];
// Bernoulli logits stay within ±5 so both outcomes occur among the draws (a rare outcome never
// drawn would make the sampled SE zero); the continuous Bernoulli takes the extremes.
const LOGITS = [-5, -1, 1e-4, 2, 5];
const CLASS_LOGITS = [
  [0, 0, 0],
  [3, -2, 0.5],
  [20, 0, -20],
];

const loc = cross({ loc: LOCS, scale: SCALES });
const concentrations = cross({ concentration1: POS, concentration0: POS.slice(1, 5) });
const gammaQ = cross({ concentration: POS, rate: [0.01, 1, 50] });
const logits = { logits: LOGITS };

// Dirichlet concentrations from 0.3 to 1e4, against p near q and against fixed priors. (Below
// ~0.3 a Dirichlet's small coordinates underflow float32, as for Beta above.)
const DIRICHLET_Q = [[0.3, 0.5, 1], [1, 1, 1], [7, 2, 0.5], [300, 100, 50], [1e4, 3e3, 5e3]];
const DIRICHLET_GRIDS: Grid[] = [
  { q: 'Dirichlet', p: 'Dirichlet', qp: { concentration: DIRICHLET_Q }, pp: { concentration: DIRICHLET_Q.map((r) => r.map((a, j) => a * [1.2, 0.9, 1.1][j]!)) }, event: [3] },
  { q: 'Dirichlet', p: 'Dirichlet', qp: { concentration: DIRICHLET_Q.flatMap((r) => [r, r]) }, pp: { concentration: DIRICHLET_Q.flatMap(() => [[1, 1, 1], [0.5, 4, 20]]) }, event: [3] },
];

/** The Gaussian vectors (d = 3) at scales from 0.01 to 20, in every guide/prior pair but Normal–Normal. */
const GAUSSIAN_GRIDS: Grid[] = (() => {
  const scales = [0.01, 0.3, 1, 20];
  const locs = scales.map((s, i) => [i - 1, 0.5 * s, -s]);
  const tril = (s: number): number[][] => [[s, 0, 0], [0.3 * s, 0.8 * s, 0], [-0.5 * s, 0.1 * s, 1.3 * s]];
  const params: Record<string, (s: number, i: number) => Record<string, number[] | number[][]>> = {
    Normal: (s, i) => ({ loc: locs[i]!, scale: [s, 2 * s, 0.5 * s] }),
    MultivariateNormal: (s, i) => ({ loc: locs[i]!, scale_tril: tril(s) }),
    LowRankMultivariateNormal: (s, i) => ({ loc: locs[i]!, cov_factor: [[s, 0], [0.5 * s, -s], [0, 0.3 * s]], cov_diag: [s * s, 0.5 * s * s, 2 * s * s] }),
  };
  const names = Object.keys(params);
  const col = (f: string, idx: number[]): P => {
    const rows = idx.map((i) => params[f]!(scales[i]!, i));
    return Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k]!) as number[] | number[][]]));
  };
  // Each q scale against each p scale: 16 cells per pair.
  const qi = scales.flatMap((_, i) => scales.map(() => i));
  const pi = scales.flatMap(() => scales.map((_, j) => j));
  return names.flatMap((q) => names.filter((p) => q !== 'Normal' || p !== 'Normal').map((p) => ({ q, p, qp: col(q, qi), pp: col(p, pi), event: [3] })));
})();

const GRIDS: Grid[] = [
  { q: 'Normal', p: 'Normal', ...pairs(loc, { loc: [0, 1], scale: [1, 0.2] }) },
  { q: 'LogNormal', p: 'LogNormal', ...pairs(loc, { loc: [0, 1], scale: [1, 0.2] }) },
  { q: 'Laplace', p: 'Laplace', ...pairs(loc, { loc: [0, 1], scale: [1, 0.2] }) },
  { q: 'Normal', p: 'Laplace', ...pairs(loc, { loc: [0, 1], scale: [1, 0.2] }) },
  { q: 'Bernoulli', p: 'Bernoulli', ...pairs(logits, { logits: [-3, 0, 4] }) },
  { q: 'ContinuousBernoulli', p: 'ContinuousBernoulli', ...pairs({ logits: [-15, ...LOGITS, 12] }, { logits: [-3, 1e-3, 4] }) },
  { q: 'Categorical', p: 'Categorical', qp: { logits: CLASS_LOGITS.flatMap((l) => [l, l, l]) }, pp: { logits: CLASS_LOGITS.flatMap(() => CLASS_LOGITS) } },
  { q: 'OneHotCategorical', p: 'OneHotCategorical', qp: { logits: CLASS_LOGITS.flatMap((l) => [l, l, l]) }, pp: { logits: CLASS_LOGITS.flatMap(() => CLASS_LOGITS) }, event: [3] },
  { q: 'Exponential', p: 'Exponential', ...pairs({ rate: [1e-3, 0.1, 1, 30, 1e4] }, { rate: [1, 0.05, 200] }) },
  // p near q (the hard case: large terms cancel to a small KL) and p fixed at moderate values.
  { q: 'Gamma', p: 'Gamma', qp: gammaQ, pp: { concentration: gammaQ['concentration']!.map((a) => a * 1.3), rate: gammaQ['rate']!.map((b) => b * 0.8) } },
  { q: 'Gamma', p: 'Gamma', ...pairs(gammaQ, { concentration: [2, 0.7], rate: [1, 3] }) },
  { q: 'Exponential', p: 'Gamma', ...pairs({ rate: [1e-2, 1, 30] }, cross({ concentration: [0.5, 1, 20], rate: [0.1, 2] })) },
  { q: 'Gamma', p: 'Exponential', ...pairs(gammaQ, { rate: [0.5, 20] }) },
  { q: 'Beta', p: 'Beta', qp: concentrations, pp: { concentration1: concentrations['concentration1']!.map((a) => a * 1.2), concentration0: concentrations['concentration0']!.map((b) => b * 0.9) } },
  { q: 'Beta', p: 'Beta', ...pairs(concentrations, { concentration1: [1, 2], concentration0: [1, 5] }) },
  { q: 'Uniform', p: 'Uniform', ...pairs({ low: [0, -1, 2], high: [1, 0, 2.5] }, { low: [-1, -5], high: [3, 10] }) },
  { q: 'Poisson', p: 'Poisson', ...pairs({ rate: [1e-3, 0.1, 1, 30, 1e4] }, { rate: [1, 0.05, 200] }) },
  ...DIRICHLET_GRIDS,
  ...GAUSSIAN_GRIDS,
];

describe('analytic KL against sampled estimates over a parameter grid', () => {
  it('covers every rule of the registry', () => {
    const covered = new Set(GRIDS.map((g) => `${g.q}|${g.p}`));
    expect(KL_RULES.map((r) => `${r.q}|${r.p}`).filter((k) => !covered.has(k))).toEqual([]);
  });

  GRIDS.forEach((g, gi) => {
    const cells = (Object.values(g.qp)[0] as unknown[]).length;
    it(`${g.q} ‖ ${g.p}: ${cells} cells within 5 SE; KL ≥ 0; KL(q ‖ q) = 0`, () => {
      tf.tidy(() => {
        const event = g.event ?? [];
        const q = make(g.q, g.qp as Record<string, number[]>, event);
        const p = make(g.p, g.pp as Record<string, number[]>, event);
        const kl = vals(klDivergence(q, p)!.value); // [G]
        const N = 4000;
        const z = q.sample(rng(900 + gi), [N, cells]); // [N, G, ...event]
        const d = vals(tf.sub(q.logProb(z), p.logProb(z))); // [N, G]
        for (let j = 0; j < cells; j++) {
          let m = 0;
          for (let i = 0; i < N; i++) m += d[i * cells + j]!;
          m /= N;
          let v = 0;
          for (let i = 0; i < N; i++) v += (d[i * cells + j]! - m) ** 2;
          const se = Math.sqrt(v / (N - 1) / N);
          const where = `cell ${j}: q ${JSON.stringify(Object.fromEntries(Object.entries(g.qp).map(([k, x]) => [k, x[j]])))} p ${JSON.stringify(Object.fromEntries(Object.entries(g.pp).map(([k, x]) => [k, x[j]])))}`;
          expect(Math.abs(kl[j]! - m), `${where}: analytic ${kl[j]} sampled ${m} ± ${se}`).toBeLessThanOrEqual(5 * se + 1e-5 * (1 + Math.abs(kl[j]!)));
          expect(kl[j]!, where).toBeGreaterThanOrEqual(-1e-6 * (1 + Math.abs(m)));
        }
        const self = vals(klDivergence(q, q)!.value);
        self.forEach((x) => expect(Math.abs(x)).toBeLessThan(1e-5));
      });
    });
  });
});

// ---- double-precision references, independent of src (Lanczos lgamma, finite-difference digamma) ----
const lbetaRef = (a: number, b: number): number => lgammaRef(a) + lgammaRef(b) - lgammaRef(a + b);
const betaKlRef = (a: number, b: number, c: number, d: number): number => lbetaRef(c, d) - lbetaRef(a, b) + (a - c) * digammaRef(a) + (b - d) * digammaRef(b) + (c + d - a - b) * digammaRef(a + b);
const gammaKlRef = (a: number, b: number, c: number, d: number): number => (a - c) * digammaRef(a) - lgammaRef(a) + lgammaRef(c) + c * Math.log(b / d) + (a * (d - b)) / b;

describe('Beta and Gamma numerics in double precision', () => {
  const GRID = [1e-3, 0.05, 0.5, 1, 3, 9.9, 10, 50, 1e3, 1e5, 1e6];

  it('lgamma, digamma, trigamma and log B match independent references from 1e-3 to 1e6', () => {
    for (const x of GRID) {
      expect(Math.abs(lgamma64(x) - lgammaRef(x))).toBeLessThan(1e-13 * (1 + Math.abs(lgammaRef(x))));
      // digammaRef is a central difference (error ~1e-9 relative); trigamma by a difference of digamma64.
      if (x >= 0.05) expect(Math.abs(digamma64(x) - digammaRef(x))).toBeLessThan(1e-8 * (1 + Math.abs(digamma64(x))));
      const h = 1e-4 * x;
      expect(Math.abs(trigamma64(x) - (digamma64(x + h) - digamma64(x - h)) / (2 * h))).toBeLessThan(1e-6 * trigamma64(x));
      // The reference's own cancellation: ~1e-15 of lgamma(x + y).
      for (const y of [0.3, 4, 2 * x]) expect(Math.abs(lbeta64(x, y) - lbetaRef(x, y))).toBeLessThan(1e-12 * (1 + Math.abs(lbetaRef(x, y))) + 1e-15 * Math.abs(lgammaRef(x + y)));
    }
    // Known values: lgamma(0.5) = log √π, digamma(1) = −γ, trigamma(1) = π²/6.
    expect(lgamma64(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(digamma64(1)).toBeCloseTo(-0.5772156649015329, 14);
    expect(trigamma64(1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
  });

  it('the Beta–Beta and Gamma–Gamma KLs match the references from 1e-3 to 1e6 (float32 was off by 0.4 nats at 1e5)', () => {
    tf.tidy(() => {
      const a: number[] = [];
      const b: number[] = [];
      for (const x of GRID) for (const y of [0.5, 3, x]) {
        a.push(x);
        b.push(y);
      }
      const scaleA = a.map((x) => x * 1.1);
      const scaleB = b.map((y) => y * 0.9);
      const beta = vals(klDivergence(make('Beta', { concentration1: a, concentration0: b }), make('Beta', { concentration1: scaleA, concentration0: scaleB }))!.value);
      const betaFlat = vals(klDivergence(make('Beta', { concentration1: a, concentration0: b }), make('Beta', { concentration1: 1, concentration0: 1 }))!.value);
      const gamma = vals(klDivergence(make('Gamma', { concentration: a, rate: b }), make('Gamma', { concentration: scaleA, rate: scaleB }))!.value);
      a.forEach((x, i) => {
        const y = b[i]!;
        const refs = [betaKlRef(x, y, scaleA[i]!, scaleB[i]!), betaKlRef(x, y, 1, 1), gammaKlRef(x, y, scaleA[i]!, scaleB[i]!)];
        [beta[i]!, betaFlat[i]!, gamma[i]!].forEach((v, k) => {
          // The references lose ~1e-9 relative to their lgamma terms (~x log x) at 1e6.
          const tol = 2e-6 * Math.abs(refs[k]!) + 1e-9 * x * Math.log(x + 2) + 1e-6;
          expect(Math.abs(v - refs[k]!), `${['beta', 'beta-flat', 'gamma'][k]} (${x}, ${y}): ${v} vs ${refs[k]}`).toBeLessThan(tol);
        });
      });
    });
  });

  it('Beta and Gamma log-densities match the references at large concentrations (float32 was off by 0.5 nats at 1e5)', () => {
    tf.tidy(() => {
      for (const c of [10, 1e3, 1e5, 1e6]) {
        const m = 0.4;
        const sd = Math.sqrt((m * (1 - m)) / (2.5 * c));
        const xs = [m - 2 * sd, m, m + sd].map(Math.fround);
        const beta = vals(make('Beta', { concentration1: [c], concentration0: [1.5 * c] }).logProb(tf.tensor(xs)));
        xs.forEach((x, i) => {
          const ref = (c - 1) * Math.log(x) + (1.5 * c - 1) * Math.log1p(-x) - lbetaRef(c, 1.5 * c);
          expect(Math.abs(beta[i]! - ref)).toBeLessThan(1e-6 * (1 + Math.abs(ref)) + 1e-9 * c * Math.log(c));
        });
        const gx = [c / 2 - Math.sqrt(c) / 2, c / 2].map(Math.fround);
        const gamma = vals(make('Gamma', { concentration: [c], rate: [2] }).logProb(tf.tensor(gx)));
        gx.forEach((x, i) => {
          const ref = c * Math.log(2) - lgammaRef(c) + (c - 1) * Math.log(x) - 2 * x;
          expect(Math.abs(gamma[i]! - ref)).toBeLessThan(1e-6 * (1 + Math.abs(ref)) + 1e-9 * c * Math.log(c));
        });
      }
    });
  });

  it('their gradients match central differences (of the double-precision values checked above)', () => {
    const fd = (f: (x: number) => number, x: number): number => {
      const h = 1e-6 * Math.max(Math.abs(x), 1e-2);
      return (f(x + h) - f(x - h)) / (2 * h);
    };
    const betaKlRef = (a: number, b: number, c: number, d: number): number => lbeta64(c, d) - lbeta64(a, b) + (a - c) * (digamma64(a) - digamma64(a + b)) + (b - d) * (digamma64(b) - digamma64(a + b));
    const gammaKlRef = (a: number, b: number, c: number, d: number): number => (a - c) * digamma64(a) - lgamma64(a) + lgamma64(c) + c * Math.log(b / d) + (a * (d - b)) / b;
    const lbetaRef = lbeta64;
    const lgammaRef = lgamma64;
    tf.tidy(() => {
      for (const [aq, bq, ap, bp] of [[0.3, 2, 1, 1], [5, 0.7, 2, 3], [200, 300, 180, 330], [3e4, 1e4, 2e4, 1.5e4]] as const) {
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
          const q = getDistSpec('Beta')!.create({ concentration1: a, concentration0: b }, []);
          const p = getDistSpec('Beta')!.create({ concentration1: c, concentration0: d }, []);
          return klDivergence(q, p)!.value.sum();
        })([tf.scalar(aq), tf.scalar(bq), tf.scalar(ap), tf.scalar(bp)]).map((t) => vals(t)[0]!);
        const want = [fd((x) => betaKlRef(x, bq, ap, bp), aq), fd((x) => betaKlRef(aq, x, ap, bp), bq), fd((x) => betaKlRef(aq, bq, x, bp), ap), fd((x) => betaKlRef(aq, bq, ap, x), bp)];
        grads.forEach((g, k) => expect(Math.abs(g - want[k]!), `beta ∂${k} at ${[aq, bq, ap, bp]}`).toBeLessThan(1e-4 * (1 + Math.abs(want[k]!))));
        const gg = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
          const q = getDistSpec('Gamma')!.create({ concentration: a, rate: b }, []);
          const p = getDistSpec('Gamma')!.create({ concentration: c, rate: d }, []);
          return klDivergence(q, p)!.value.sum();
        })([tf.scalar(aq), tf.scalar(bq), tf.scalar(ap), tf.scalar(bp)]).map((t) => vals(t)[0]!);
        const wantG = [fd((x) => gammaKlRef(x, bq, ap, bp), aq), fd((x) => gammaKlRef(aq, x, ap, bp), bq), fd((x) => gammaKlRef(aq, bq, x, bp), ap), fd((x) => gammaKlRef(aq, bq, ap, x), bp)];
        gg.forEach((g, k) => expect(Math.abs(g - wantG[k]!), `gamma ∂${k} at ${[aq, bq, ap, bp]}`).toBeLessThan(1e-4 * (1 + Math.abs(wantG[k]!))));
      }
      // log-density gradients in x and both parameters.
      const [x, a, b] = [0.3, 2.5, 4];
      const lb = (xv: number, av: number, bv: number): number => (av - 1) * Math.log(xv) + (bv - 1) * Math.log1p(-xv) - lbetaRef(av, bv);
      const g = tf.grads((xt: tf.Tensor, at: tf.Tensor, bt: tf.Tensor) => getDistSpec('Beta')!.create({ concentration1: at, concentration0: bt }, []).logProb(xt).sum())([tf.scalar(x), tf.scalar(a), tf.scalar(b)]).map((t) => vals(t)[0]!);
      [fd((v) => lb(v, a, b), x), fd((v) => lb(x, v, b), a), fd((v) => lb(x, a, v), b)].forEach((w, k) => expect(Math.abs(g[k]! - w)).toBeLessThan(1e-4 * (1 + Math.abs(w))));
      const lg = (xv: number, av: number, bv: number): number => av * Math.log(bv) - lgammaRef(av) + (av - 1) * Math.log(xv) - bv * xv;
      const h = tf.grads((xt: tf.Tensor, at: tf.Tensor, bt: tf.Tensor) => getDistSpec('Gamma')!.create({ concentration: at, rate: bt }, []).logProb(xt).sum())([tf.scalar(x), tf.scalar(a), tf.scalar(b)]).map((t) => vals(t)[0]!);
      [fd((v) => lg(v, a, b), x), fd((v) => lg(x, v, b), a), fd((v) => lg(x, a, v), b)].forEach((w, k) => expect(Math.abs(h[k]! - w)).toBeLessThan(1e-4 * (1 + Math.abs(w))));
    });
  });
});
