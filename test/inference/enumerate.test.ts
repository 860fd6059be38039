/**
 * Enumeration on a two-component mixture, where the ELBO is a finite sum:
 *   model  c ~ Categorical(p),  p = softmax(π);   x | c ~ N(μ_c, 1),  μ_c = w_c + b  (a linear net on onehot(c))
 *   guide  c ~ Categorical(q),  q = softmax(a)
 *   ELBO(x) = Σ_c q_c r_c,   r_c = log p_c + log N(x; μ_c, 1) − log q_c
 * Gradients (∂q_c/∂a_j = q_c(δ_cj − q_j); ∂ELBO/∂q_c = r_c − 1, and Σ_c q_c(δ_cj − q_j) = 0):
 *   ∂/∂a_j = q_j (r_j − r̄),  r̄ = Σ_c q_c r_c = ELBO
 *   ∂/∂π_j = Σ_c q_c (δ_cj − p_j) = q_j − p_j
 *   ∂/∂w_c = q_c (x − μ_c),   ∂/∂b = Σ_c q_c (x − μ_c)
 * `gradients()` returns the batch mean of these. The IWAE with c enumerated sums p(x, c) over c
 * inside every log-weight (q cancels), so it is log p(x) = log Σ_c p_c N(x; μ_c, 1) for any K.
 * The score estimator for c, with the analytic Categorical KL (auto) or kl: mc, is unbiased
 * and its variance is a finite sum over c (see the last test).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, evaluate, gradients, withObjective, type Program } from '../../src/api';
import { TEST_SEED } from '../helpers/seed';
import { logNormal, note, setParam } from './helpers';

const SOURCE = `data x: Real
param a: Real[2] = 0
param pi: Real[2] = 0
net mean: OneHot[2] -> Real = linear()
model { c ~ Categorical(probs: softmax(pi))
        x ~ Normal(mean(onehot(c)), 1) }
guide { c ~ Categorical(probs: softmax(a)) }`;

const A = [0.3, -0.4];
const PI = [0.2, -0.3];
const W = [-1, 2];
const BIAS = 0.25;
const XS = [-2, 0, 0.5, 3, 1.2];

function softmax(v: readonly number[]): number[] {
  const mx = Math.max(...v);
  const e = v.map((t) => Math.exp(t - mx));
  const s = e.reduce((u, t) => u + t, 0);
  return e.map((t) => t / s);
}

/** The closed forms at one x, in double precision. */
function exact(x: number, a = A, pi = PI) {
  const q = softmax(a);
  const p = softmax(pi);
  const mu = W.map((w) => w + BIAS);
  const r = [0, 1].map((c) => Math.log(p[c]!) + logNormal(x, mu[c]!, 1) - Math.log(q[c]!));
  const elbo = q[0]! * r[0]! + q[1]! * r[1]!;
  return {
    elbo,
    logpx: Math.log(p[0]! * Math.exp(logNormal(x, mu[0]!, 1)) + p[1]! * Math.exp(logNormal(x, mu[1]!, 1))),
    da: [0, 1].map((j) => q[j]! * (r[j]! - elbo)),
    dpi: [0, 1].map((j) => q[j]! - p[j]!),
    dw: [0, 1].map((c) => q[c]! * (x - mu[c]!)),
    db: q[0]! * (x - mu[0]!) + q[1]! * (x - mu[1]!),
    q,
    r,
  };
}

function avg(f: (x: number) => number): number {
  return XS.reduce((s, x) => s + f(x), 0) / XS.length;
}

function setParams(prog: Program): void {
  setParam(prog, 'param.a', A);
  setParam(prog, 'param.pi', PI);
  setParam(prog, 'mean.l0.w0', W);
  setParam(prog, 'mean.l0.b', [BIAS]);
}

describe('enumeration on a two-component mixture', () => {
  let prog: Program;
  let x: tf.Tensor1D;
  beforeAll(() => {
    prog = compile(SOURCE);
    setParams(prog);
    x = tf.tensor1d(XS);
  });
  afterAll(() => {
    prog.dispose();
    x.dispose();
  });

  it('enumerates c automatically', () => {
    expect(prog.plan.sites[0]!.estimator).toBe('enumerate');
    expect(prog.plan.sites[0]!.kl).toBe('exact');
  });

  it('the ELBO equals Σ_c q(c)[log p(c) + log p(x|c) − log q(c)] to float precision, for any seed', () => {
    for (const seed of [TEST_SEED, TEST_SEED + 1]) {
      const r = evaluate(prog, prog.batch({ x }), { seed, particles: 3 });
      XS.forEach((xv, i) => expect(r.perExample[i]).toBeCloseTo(exact(xv).elbo, 5));
    }
  });

  it('the gradients equal the closed forms', () => {
    const g = gradients(prog, prog.batch({ x }), { seed: TEST_SEED });
    const ga = g.grads.get('param.a')!;
    const gpi = g.grads.get('param.pi')!;
    const gw = g.grads.get('mean.l0.w0')!;
    const gb = g.grads.get('mean.l0.b')!;
    note('enumerate d/da', Array.from(ga), 'exact', [0, 1].map((j) => avg((xv) => exact(xv).da[j]!)));
    for (const j of [0, 1]) {
      expect(ga[j]).toBeCloseTo(avg((xv) => exact(xv).da[j]!), 5);
      expect(gpi[j]).toBeCloseTo(avg((xv) => exact(xv).dpi[j]!), 5);
      expect(gw[j]).toBeCloseTo(avg((xv) => exact(xv).dw[j]!), 5);
    }
    expect(gb[0]).toBeCloseTo(avg((xv) => exact(xv).db), 5);
  });

  it('the gradient matches a central finite difference of the engine value', () => {
    // The enumerated ELBO is deterministic, so (f(a + h) − f(a − h))/2h is accurate to
    // O(h²) ≈ 1e-4 plus float32 rounding ≈ 2e-7·|f|/h ≈ 1e-4 at h = 1e-2.
    const g = gradients(prog, prog.batch({ x }), { seed: TEST_SEED }).grads.get('param.a')!;
    const h = 1e-2;
    for (const j of [0, 1]) {
      const at = (delta: number): number => {
        const v = [...A];
        v[j]! += delta;
        setParam(prog, 'param.a', v);
        return evaluate(prog, prog.batch({ x }), { seed: TEST_SEED }).mean;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      setParam(prog, 'param.a', A);
      expect(Math.abs(fd - g[j]!)).toBeLessThan(1e-3);
    }
  });

  it('the IWAE with c enumerated is log p(x) exactly, for any K, with its exact gradient', () => {
    // log p(x) = log Σ_c p_c N(x; μ_c, 1): ∂/∂π_j = post_j − p_j, ∂/∂w_c = post_c (x − μ_c) with
    // post = p(c | x), and ∂/∂a = 0 (q cancels from the stratified sum).
    const post = (xv: number): number[] => {
      const p = softmax(PI);
      const joint = [0, 1].map((c) => p[c]! * Math.exp(logNormal(xv, W[c]! + BIAS, 1)));
      return joint.map((j) => j / (joint[0]! + joint[1]!));
    };
    for (const k of [1, 3]) {
      const r = evaluate(prog, prog.batch({ x }), { seed: TEST_SEED, objective: { kind: 'iwae', k } });
      XS.forEach((xv, i) => expect(r.perExample[i]).toBeCloseTo(exact(xv).logpx, 5));
      const g = gradients(prog, prog.batch({ x }), { seed: TEST_SEED, objective: { kind: 'iwae', k } }).grads;
      for (const j of [0, 1]) {
        expect(g.get('param.a')![j]).toBeCloseTo(0, 6);
        expect(g.get('param.pi')![j]).toBeCloseTo(avg((xv) => post(xv)[j]! - softmax(PI)[j]!), 5);
        expect(g.get('mean.l0.w0')![j]).toBeCloseTo(avg((xv) => post(xv)[j]! * (xv - W[j]! - BIAS)), 5);
      }
    }
  });

  it('the IWAE reports the ELBO parts of its particles under q: recon − KL = ELBO', () => {
    // Regression: the enumerated [2, 1, B] terms used to reach a [K, B] broadcast and throw.
    withObjective(prog, prog.batch({ x }), { seed: TEST_SEED, objective: { kind: 'iwae', k: 2 } }, (out) => {
      const recon = out.recon.dataSync();
      const kl = out.kl.dataSync();
      XS.forEach((xv, i) => expect(recon[i]! - kl[i]!).toBeCloseTo(exact(xv).elbo, 5));
    });
  });

  it.each(['auto', 'mc'] as const)('the score estimator for c (kl: %s) is unbiased for d/da (5 SE)', (kl) => {
    // One x = 0.5 repeated n = 40000 times; the batch mean of the per-draw estimates (c ~ q, b = 0):
    //  kl: mc   — cost log p_c − log q_c + ℓ_c with c fixed gives −(δ_cj − q_j); the signal is r_c:
    //             g_j(c) = (δ_cj − q_j)(r_c − 1)
    //  analytic — cost −KL + ℓ_c, KL = Σ_c q_c k_c, k_c = log(q_c/p_c), ∂KL/∂a_j = q_j(k_j − KL);
    //             the signal is D = ℓ_c − KL:  g_j(c) = −q_j(k_j − KL) + (δ_cj − q_j)(ℓ_c − KL)
    // Both average to q_j(r_j − r̄); Var = Σ_c q_c g_j(c)² − (Σ_c q_c g_j(c))², a finite sum.
    const score = compile(kl === 'mc' ? `${SOURCE}\ntrain { kl: mc }` : SOURCE, { estimators: { c: 'score' } });
    expect(score.plan.sites[0]!.kl).toBe(kl === 'mc' ? 'mc' : 'analytic');
    setParams(score);
    const n = 40000;
    const xv = 0.5;
    const xs = tf.fill([n], xv);
    const ex = exact(xv);
    const p = softmax(PI);
    const k = [0, 1].map((c) => Math.log(ex.q[c]! / p[c]!));
    const KL = ex.q[0]! * k[0]! + ex.q[1]! * k[1]!;
    const ell = [0, 1].map((c) => ex.r[c]! + k[c]!);
    const g = gradients(score, score.batch({ x: xs }), { seed: TEST_SEED }).grads.get('param.a')!;
    for (const j of [0, 1]) {
      const d = (c: number): number => (c === j ? 1 : 0) - ex.q[j]!;
      const per = [0, 1].map((c) => (kl === 'mc' ? d(c) * (ex.r[c]! - 1) : -ex.q[j]! * (k[j]! - KL) + d(c) * (ell[c]! - KL)));
      const m = ex.q[0]! * per[0]! + ex.q[1]! * per[1]!;
      const v = ex.q[0]! * per[0]! ** 2 + ex.q[1]! * per[1]! ** 2 - m * m;
      const SE = Math.sqrt(v / n);
      note(`score (kl: ${kl}) d/da`, j, g[j], 'exact', ex.da[j], 'SE', SE);
      expect(m).toBeCloseTo(ex.da[j]!, 12);
      expect(Math.abs(g[j]! - ex.da[j]!)).toBeLessThan(5 * SE);
    }
    xs.dispose();
    score.dispose();
  });
});
