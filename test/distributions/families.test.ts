/**
 * The count, simplex and Gaussian-vector families against float64 reference values
 * (fixtures/families.json, written by fixtures/make-families.ts from textbook formulas and
 * cross-checked with scipy), and their samplers against exact moments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { klDivergence } from '../../src/distributions/kl';
import { getDistSpec } from '../../src/distributions/registry';
import type { Distribution, Tensor } from '../../src/distributions/types';
import { column, expectClose, expectMoments, moments, rng, vals } from './helpers';

type Params = Record<string, number | number[] | number[][]>;
interface Fixtures {
  logProb: { family: string; params: Params; x: number; logProb: number | string }[];
  vectorLogProb: { family: string; params: Params; x: number[]; logProb: number | string }[];
  moments: { family: string; params: Params; mean: number; variance: number }[];
  vectorMoments: { family: string; params: Params; mean: number[]; variance?: number[]; entropy?: number }[];
  kl: { q: string; qp: Params; p: string; pp: Params; elementwise: boolean; kl: number }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const F = JSON.parse(fs.readFileSync(path.join(here, 'fixtures/families.json'), 'utf8'), (_k, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as Fixtures;

function build(family: string, params: Params, event: number[]): Distribution {
  const ts: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(params)) ts[k] = tf.tensor(v as number[], undefined, 'float32');
  return getDistSpec(family)!.create(ts, event);
}

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

describe('log-densities against float64 references', () => {
  it('Poisson, NegativeBinomial (mean, logits, probs) and ZINB (gate, gate_logits), per element', () => {
    // float32 lgamma of counts up to ~2000: absolute error ~1e-7 * lgamma(x) (up to ~1e-3 at x = 1000).
    for (const c of F.logProb) {
      tf.tidy(() => {
        const d = build(c.family, c.params, []);
        const got = vals(d.logProb(tf.scalar(c.x)))[0]!;
        const scale = 1 + c.x * Math.log(c.x + 2);
        expect(Math.abs(got - num(c.logProb)), `${c.family} ${JSON.stringify(c.params)} at ${c.x}: ${got} vs ${c.logProb}`).toBeLessThan(2e-6 * scale + 1e-5 * Math.abs(num(c.logProb)));
      });
    }
  });

  it('Dirichlet, Multinomial (with and without total_count), MultivariateNormal, LowRankMultivariateNormal, Normal', () => {
    for (const c of F.vectorLogProb) {
      tf.tidy(() => {
        const d = build(c.family, c.params, [c.x.length]);
        const got = vals(d.logProb(tf.tensor(c.x)))[0]!;
        expectClose([got], [num(c.logProb)], 2e-5, 2e-5);
      });
    }
  });

  it('a batch of vectors with outer event axes: Dirichlet over Simplex[2, 3] sums two vectors', () => {
    tf.tidy(() => {
      const [a, b] = F.vectorLogProb.filter((c) => c.family === 'Dirichlet');
      const d = build('Dirichlet', { concentration: [a!.params['concentration'] as number[], [0.5, 2, 3]] }, [2, 3]);
      const x = tf.tensor([[a!.x, [0.2, 0.3, 0.5]], [a!.x, a!.x]]); // [2 batch, 2, 3]
      expect(d.batchShape).toEqual([]);
      void b;
      expectClose(vals(d.logProb(x)), [2 * num(a!.logProb), 2 * num(a!.logProb)], 2e-5, 2e-5);
    });
  });
});

describe('means, variances and entropies', () => {
  it('count families', () => {
    for (const c of F.moments) {
      tf.tidy(() => {
        const d = build(c.family, c.params, []);
        expectClose(vals(d.mean!()), [c.mean], 1e-5);
        expectClose(vals(d.variance!()), [c.variance], 1e-5);
      });
    }
  });

  it('vector families', () => {
    for (const c of F.vectorMoments) {
      tf.tidy(() => {
        const d = build(c.family, c.params, [c.mean.length]);
        expectClose(vals(d.mean!()), c.mean, 1e-5);
        if (c.variance) expectClose(vals(d.variance!()), c.variance, 1e-5);
        if (c.entropy !== undefined) expectClose(vals(d.entropy!()), [c.entropy], 1e-5, 1e-5);
      });
    }
  });
});

describe('closed-form KLs against float64 references', () => {
  it('Poisson, Dirichlet, and every Gaussian pair but Normal–Normal', () => {
    expect(F.kl.filter((c) => c.q !== 'Poisson' && c.q !== 'Dirichlet')).toHaveLength(12);
    for (const c of F.kl) {
      tf.tidy(() => {
        const event = c.q === 'Poisson' ? [] : [3];
        const r = klDivergence(build(c.q, c.qp, event), build(c.p, c.pp, event))!;
        expect(r, `${c.q} || ${c.p}`).toBeDefined();
        expect(r.elementwise).toBe(c.elementwise);
        expectClose(vals(r.value), [c.kl], 2e-5, 2e-5);
      });
    }
  });

  it('the Dirichlet KL (float64 on the host) has the gradient of its central differences in both concentrations', () => {
    tf.tidy(() => {
      const spec = getDistSpec('Dirichlet')!;
      const kl = (a: Tensor, b: Tensor): Tensor => klDivergence(spec.create({ concentration: a }, [3]), spec.create({ concentration: b }, [3]))!.value;
      for (const [aq, ap] of [[[0.5, 2, 3], [1, 1, 1]], [[300, 120, 80], [250, 150, 60]]]) {
        const [ga, gb] = tf.grads((a: Tensor, b: Tensor) => kl(a, b))([tf.tensor(aq!), tf.tensor(ap!)]).map(vals);
        const f = (q: number[], p: number[]): number => vals(kl(tf.tensor(q), tf.tensor(p)))[0]!;
        for (let j = 0; j < 3; j++) {
          const h = 1e-2 * aq![j]!;
          const up = [...aq!];
          const dn = [...aq!];
          up[j]! += h;
          dn[j]! -= h;
          const fd = (f(up, ap!) - f(dn, ap!)) / (2 * h);
          expect(Math.abs(ga![j]! - fd), `d/daq[${j}]`).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
          const hp = 1e-2 * ap![j]!;
          const upp = [...ap!];
          const dnp = [...ap!];
          upp[j]! += hp;
          dnp[j]! -= hp;
          const fdp = (f(aq!, upp) - f(aq!, dnp)) / (2 * hp);
          expect(Math.abs(gb![j]! - fdp), `d/dap[${j}]`).toBeLessThan(2e-3 * (1 + Math.abs(fdp)));
        }
      }
    });
  });

  it('Gaussian KLs broadcast a batch of guides against one prior: q [4, 3] vs p [3]', () => {
    tf.tidy(() => {
      const c = F.kl.find((k) => k.q === 'MultivariateNormal' && k.p === 'LowRankMultivariateNormal')!;
      const qp = { loc: [c.qp['loc'] as number[], c.qp['loc'] as number[], c.qp['loc'] as number[], c.qp['loc'] as number[]], scale_tril: c.qp['scale_tril']! };
      const r = klDivergence(build(c.q, qp, [3]), build(c.p, c.pp, [3]))!;
      expect(r.value.shape).toEqual([4]);
      expectClose(vals(r.value), [c.kl, c.kl, c.kl, c.kl], 2e-5, 2e-5);
    });
  });
});

describe('samplers against exact moments (5 SE of the sample moments, N = 20000)', () => {
  const N = 20000;
  it('Poisson, NegativeBinomial and ZINB: mean and variance, small and large means', () => {
    const cases: [string, Params, number, number][] = [
      ['Poisson', { rate: [0.3, 4, 150] }, 0, 0],
      ['NegativeBinomial', { mean: [0.3, 4, 150], concentration: [0.5, 2, 30] }, 0, 0],
      ['ZeroInflatedNegativeBinomial', { mean: [0.3, 4, 150], concentration: [0.5, 2, 30], gate: [0.1, 0.5, 0.3] }, 0, 0],
    ];
    for (const [family, params] of cases) {
      const [xs, m, v] = tf.tidy(() => {
        const d = build(family, params, [3]);
        return [vals(d.sample(rng(40), [N])), vals(d.mean!()), vals(d.variance!())];
      });
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      for (let j = 0; j < 3; j++) expectMoments(column(xs, 3, j), m[j]!, v[j]!);
    }
  });

  it('Multinomial: counts sum to total_count; mean n p and variance n p (1 - p)', () => {
    const p = [0.05, 0.25, 0.7];
    const xs = tf.tidy(() => vals(build('Multinomial', { total_count: 40, probs: p }, [3]).sample(rng(41), [N])));
    let bad = 0;
    for (let i = 0; i < N; i++) if (xs[3 * i]! + xs[3 * i + 1]! + xs[3 * i + 2]! !== 40) bad++;
    expect(bad).toBe(0);
    for (let j = 0; j < 3; j++) expectMoments(column(xs, 3, j), 40 * p[j]!, 40 * p[j]! * (1 - p[j]!));
  });

  it('Dirichlet: on the simplex, with the exact mean and variance (also tiny concentrations)', () => {
    for (const a of [[0.5, 2, 3], [0.05, 0.2, 1]]) {
      const [xs, m, v] = tf.tidy(() => {
        const d = build('Dirichlet', { concentration: a }, [3]);
        return [vals(d.sample(rng(42), [N])), vals(d.mean!()), vals(d.variance!())];
      });
      let off = 0;
      for (let i = 0; i < N; i++) off = Math.max(off, Math.abs(xs[3 * i]! + xs[3 * i + 1]! + xs[3 * i + 2]! - 1));
      expect(off).toBeLessThan(1e-5);
      for (let j = 0; j < 3; j++) expectMoments(column(xs, 3, j), m[j]!, v[j]!);
    }
  });

  it('MultivariateNormal and LowRankMultivariateNormal: sample covariance = the covariance (5 SE per entry)', () => {
    for (const c of F.vectorMoments.filter((k) => k.family.includes('MultivariateNormal'))) {
      const [xs, cov] = tf.tidy(() => {
        const d = build(c.family, c.params, [3]);
        const p = c.params;
        const covT = c.family === 'MultivariateNormal'
          ? tf.matMul(tf.linalg.bandPart(tf.tensor(p['scale_tril'] as number[][]), -1, 0), tf.linalg.bandPart(tf.tensor(p['scale_tril'] as number[][]), -1, 0), false, true)
          : tf.add(tf.matMul(tf.tensor(p['cov_factor'] as number[][]), tf.tensor(p['cov_factor'] as number[][]), false, true), tf.diag(tf.tensor(p['cov_diag'] as number[])));
        return [vals(d.rsample!(rng(43), [N])), vals(covT)];
      });
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j <= i; j++) {
          const xi = column(xs, 3, i);
          const xj = column(xs, 3, j);
          const prod = xi.map((x, n) => (x - c.mean[i]!) * (xj[n]! - c.mean[j]!));
          const s = moments(prod);
          expect(Math.abs(s.mean - cov[i * 3 + j]!)).toBeLessThan(5 * s.seMean);
        }
      }
    }
  });
});
