/**
 * The importance-weighted bound (Burda et al. 2015) on the conjugate Gaussian model
 * z ~ N(0, 1), x | z ~ N(z, 1), where log p(x) = log N(x; 0, 2) is known exactly and the
 * posterior is N(x/2, 1/2). At x = 1.5: log p(x) = −½log(4π) − x²/4 = −1.8280.
 *
 * Gradient estimators for the guide (Tucker et al. 2018): standard (reparam)
 * Σ_k w̃_k ∂log w_k/∂φ and DReG Σ_k w̃_k² ∂log w_k/∂z_k ∂z_k/∂φ, both unbiased for ∂IWAE_K/∂φ.
 * Their signal-to-noise ratios (Rainforth et al. 2018): ∂IWAE_K/∂φ = O(1/K) (the limit log p(x)
 * does not depend on φ); the standard estimator's sd is O(1/√K), so its SNR falls as O(1/√K);
 * DReG's terms carry w̃_k² = O(1/K²), its sd is O(K^−3/2) and its SNR grows as O(√K). The last
 * needs finite E_q[w⁴]: the guide must not be narrower than the posterior (with s² < ½ the weights
 * grow like exp(cz²) in the tails and DReG's variance is infinite), so those checks use
 * q = N(0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, gradients } from '../../src/api';
import { TEST_SEED } from '../helpers/seed';
import { copies, diff, logNormal, mean, note, perExample, se, setParam, snr, variance } from './helpers';

const X = 1.5;
const LOG_PX = logNormal(X, 0, Math.SQRT2); // −1.8280
const MODEL = `model { z ~ Normal(0, 1)
        x ~ Normal(z, 1) }`;
const paramSource = (m: number, logs: number, train = ''): string => `data x: Real
param m: Real = ${m}
param logs: Real = ${logs}
${MODEL}
guide { z ~ Normal(m, exp(logs)) }
${train}`;
const dataSource = `data x: Real
data mu: Real
data ls: Real
${MODEL}
guide { z ~ Normal(mu, exp(ls)) }`;

describe('iwae', () => {
  it('with K = 1 equals the ELBO (kl: mc) exactly, value and gradients, at the same seed', () => {
    const prog = compile(paramSource(0.5, -0.5, 'train { kl: mc }'));
    const x = copies(X, 1000);
    const batch = prog.batch({ x });
    const elbo = evaluate(prog, batch, { seed: TEST_SEED });
    const iwae = evaluate(prog, batch, { seed: TEST_SEED, objective: { kind: 'iwae', k: 1 } });
    // log-sum-exp over one particle minus log 1 is the identity: equal to float rounding
    for (let i = 0; i < 1000; i++) expect(Math.abs(iwae.perExample[i]! - elbo.perExample[i]!)).toBeLessThan(1e-5);
    const ge = gradients(prog, batch, { seed: TEST_SEED });
    const gi = gradients(prog, batch, { seed: TEST_SEED, objective: { kind: 'iwae', k: 1 } });
    for (const v of ['param.m', 'param.logs']) expect(Math.abs(gi.grads.get(v)![0]! - ge.grads.get(v)![0]!)).toBeLessThan(1e-5);
    x.dispose();
    prog.dispose();
  });

  it('is non-decreasing in K on average (K = 1, 5, 50) and stays below log p(x), with a poor guide', () => {
    // q = N(−1, e^−2) against the posterior N(0.75, 0.5). Differences of means of independent
    // runs, n = 2000 examples each; each step must exceed 5 SE of the difference.
    const prog = compile(paramSource(-1, -1));
    const n = 2000;
    const x = copies(X, n);
    const batch = prog.batch({ x });
    const runs = [1, 5, 50].map((k, i) => evaluate(prog, batch, { seed: TEST_SEED + i, objective: { kind: 'iwae', k } }).perExample);
    const means = runs.map(mean);
    const ses = runs.map(se);
    note('IWAE K = 1, 5, 50:', means, 'SE', ses, 'log p(x)', LOG_PX);
    for (let i = 1; i < runs.length; i++) expect(means[i]! - means[i - 1]!).toBeGreaterThan(5 * Math.hypot(ses[i]!, ses[i - 1]!));
    for (let i = 0; i < runs.length; i++) expect(means[i]!).toBeLessThan(LOG_PX);
    x.dispose();
    prog.dispose();
  });

  it('at K = 1000 is within 0.01 nats of log p(x) = log N(x; 0, 2)', () => {
    // q = N(0.5, e^−1): χ² = E_q[w²]/p(x)² − 1 = 0.397 (numerical integral), so the bias is
    // ≈ χ²/(2K) = 2e−4 and the sd of one IWAE_1000 ≈ sqrt(χ²/K) = 0.020; n = 200 -> SE = 0.0014.
    const prog = compile(paramSource(0.5, -0.5));
    const x = copies(X, 200);
    const r = evaluate(prog, prog.batch({ x }), { seed: TEST_SEED, objective: { kind: 'iwae', k: 1000 } });
    note('IWAE_1000', r.mean, 'log p(x)', LOG_PX, 'SE', se(r.perExample));
    expect(Math.abs(r.mean - LOG_PX)).toBeLessThan(0.01);
    expect(se(r.perExample)).toBeLessThan(0.002);
    x.dispose();
    prog.dispose();
  });

  it('DReG and the standard gradient have the same mean for the guide parameters (K = 10)', () => {
    // Paired per-example differences at the same seed (the same z_k), n = 20000; 5 SE of the mean difference.
    const std = compile(dataSource, { objective: { kind: 'iwae', k: 10 } });
    const dreg = compile(dataSource, { objective: { kind: 'iwae', k: 10 }, estimators: { z: 'dreg' } });
    expect(dreg.plan.sites[0]!.estimator).toBe('dreg');
    for (const [m, ls] of [
      [0, 0],
      [1.5, 0.3],
    ] as const) {
      const n = 20000;
      const cols = { x: copies(X, n), mu: copies(m, n), ls: copies(ls, n) };
      const a = perExample(std, cols, ['mu', 'ls'], { seed: TEST_SEED });
      const b = perExample(dreg, cols, ['mu', 'ls'], { seed: TEST_SEED });
      for (const v of ['mu', 'ls']) {
        const dd = diff(a.grads.get(v)!, b.grads.get(v)!);
        note(`guide (${m}, ${ls}) d/d${v}: standard`, mean(a.grads.get(v)!), 'dreg', mean(b.grads.get(v)!), 'paired diff', mean(dd), 'SE', se(dd));
        expect(Math.abs(mean(dd))).toBeLessThan(5 * se(dd));
        // the estimates differ per example (DReG is not the standard estimator in disguise)
        expect(variance(dd)).toBeGreaterThan(1e-3);
      }
      // the bound itself does not depend on the gradient estimator
      for (let i = 0; i < 100; i++) expect(b.bound[i]).toBeCloseTo(a.bound[i]!, 5);
      tf.dispose(Object.values(cols));
    }
    std.dispose();
    dreg.dispose();
  });

  it("DReG's SNR for m grows with K while the standard estimator's shrinks (K = 1, 10, 100)", () => {
    // q = N(0, 1). SNR = |mean|/sd over n = 10000 examples; SE(SNR) ≈ sqrt((1 + SNR²/2)/n) ≈ 0.010
    // to 0.045; each step must exceed 3 SE of the difference of the two independent estimates.
    // At K = 1 DReG is not defined by the plan (k ≥ 2) but reduces to STL (w̃ = 1), which stands in.
    const n = 10000;
    const cols = { x: copies(X, n), mu: copies(0, n), ls: copies(0, n) };
    const stdSnr: number[] = [];
    const dregSnr: number[] = [];
    for (const [i, k] of [1, 10, 100].entries()) {
      const std = compile(dataSource, { objective: { kind: 'iwae', k } });
      const dreg = k === 1 ? compile(`${dataSource}\ntrain { kl: mc }`, { estimators: { z: 'stl' } }) : compile(dataSource, { objective: { kind: 'iwae', k }, estimators: { z: 'dreg' } });
      stdSnr.push(snr(perExample(std, cols, ['mu'], { seed: TEST_SEED + 10 * i }).grads.get('mu')!));
      dregSnr.push(snr(perExample(dreg, cols, ['mu'], { seed: TEST_SEED + 10 * i + 1 }).grads.get('mu')!));
      std.dispose();
      dreg.dispose();
    }
    note('SNR d/dm, K = 1, 10, 100: standard', stdSnr, 'dreg', dregSnr);
    const seSnr = (r: number): number => Math.sqrt((1 + (r * r) / 2) / n);
    for (let i = 1; i < 3; i++) {
      expect(stdSnr[i - 1]! - stdSnr[i]!).toBeGreaterThan(3 * Math.hypot(seSnr(stdSnr[i]!), seSnr(stdSnr[i - 1]!)));
      expect(dregSnr[i]! - dregSnr[i - 1]!).toBeGreaterThan(3 * Math.hypot(seSnr(dregSnr[i]!), seSnr(dregSnr[i - 1]!)));
    }
    tf.dispose(Object.values(cols));
  });

  it.each(['vimco', 'score'] as const)('%s for a discrete site is unbiased for ∂IWAE_K/∂a (K = 5, exact expectation by enumeration)', (est) => {
    // Mixture: c ~ Categorical(½, ½), x | c ~ N(μ_c, 1), μ = (−1, 2); guide q = softmax(a), a a data
    // column (per-example gradients). With w_c = p_c N(x; μ_c, 1)/q_c, IWAE_K depends only on
    // the number m of particles with c = 1:
    //   IWAE_K(a) = Σ_m C(K, m) q_1^m q_0^(K−m) log((m·w_1 + (K − m)·w_0)/K),
    // differentiated by a central difference in double precision. VIMCO (Mnih & Rezende 2016):
    // Σ_k ∂log q(c_k)·(L − L_−k) + ∂L|_c; score: Σ_k ∂log q(c_k)·(L − b) + ∂L|_c, b = 0.
    const K = 5;
    const xv = 0.5;
    const A = [0.3, -0.4];
    const SOURCE = `data x: Real
data a: Real[2]
net mean: OneHot[2] -> Real = linear()
model { c ~ Categorical(probs: uniform(2))
        x ~ Normal(mean(onehot(c)), 1) }
guide { c ~ Categorical(probs: softmax(a)) }`;
    const prog = compile(SOURCE, { objective: { kind: 'iwae', k: K }, estimators: { c: est } });
    expect(prog.plan.sites[0]!.estimator).toBe(est);
    setParam(prog, 'mean.l0.w0', [-1, 2]);
    setParam(prog, 'mean.l0.b', [0]);
    const iwae = (a: readonly number[]): number => {
      const e = a.map(Math.exp);
      const q = e.map((t) => t / (e[0]! + e[1]!));
      const w = [0, 1].map((c) => (0.5 * Math.exp(logNormal(xv, [-1, 2][c]!, 1))) / q[c]!);
      let total = 0;
      let binom = 1;
      for (let m = 0; m <= K; m++) {
        total += binom * q[1]! ** m * q[0]! ** (K - m) * Math.log((m * w[1]! + (K - m) * w[0]!) / K);
        binom = (binom * (K - m)) / (m + 1);
      }
      return total;
    };
    const h = 1e-5;
    const exactGrad = [0, 1].map((j) => {
      const up = [...A];
      const dn = [...A];
      up[j]! += h;
      dn[j]! -= h;
      return (iwae(up) - iwae(dn)) / (2 * h);
    });
    const n = est === 'vimco' ? 10000 : 40000; // VIMCO's sd is ≈ 12x smaller than the baseline-free score's
    const cols = { x: copies(xv, n), a: tf.tensor2d(Array.from({ length: n }, () => A).flat(), [n, 2]) };
    const pe = perExample(prog, cols, ['a'], { seed: TEST_SEED });
    const flat = pe.grads.get('a')!;
    // the bound's own mean checks the enumeration formula above
    expect(Math.abs(mean(pe.bound) - iwae(A))).toBeLessThan(5 * se(pe.bound));
    for (const j of [0, 1]) {
      const g = Float64Array.from({ length: n }, (_, i) => flat[2 * i + j]!);
      note(`${est} d/da_${j}`, mean(g), 'exact', exactGrad[j], 'SE', se(g));
      expect(Math.abs(mean(g) - exactGrad[j]!)).toBeLessThan(5 * se(g));
    }
    tf.dispose(Object.values(cols));
    prog.dispose();
  });
});
