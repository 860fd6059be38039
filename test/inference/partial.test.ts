/**
 * Partly observed sites (`data y: Category[2]?`, -1 = missing), M2-style (Kingma et al. 2014):
 * a labelled row contributes the ELBO with y observed, log p(x, y) − KL terms of the other latents;
 * an unlabelled row the ELBO with y enumerated, Σ_y q(y|x)[log p(x, y, ...) − log q(y|x) ...];
 * `classify: y weight α` adds α·log q(y|x) on labelled rows only (eq. 9 of the paper).
 *
 * Toy 1 (no z, everything exact):
 *   model  y ~ Categorical(½, ½),  x | y ~ N(μ_y, 1),  μ_y = w_y + b (linear net on onehot(y))
 *   guide  y ~ Categorical(q),  q = softmax(x·u + v) (linear net cls: Real -> Simplex[2])
 *   labelled   L(x, y) = log ½ + log N(x; μ_y, 1)
 *   unlabelled U(x)    = Σ_y q_y r_y,  r_y = log ½ + log N(x; μ_y, 1) − log q_y
 *   surrogate = mean_b[bound_b] + α·mean_b[labelled_b · log q(y_b | x_b)]
 *   ∂/∂(logits_j): unlabelled q_j(r_j − Σ q r) (see enumerate.test.ts); labelled α(δ_{y j} − q_j);
 *   logits = x·u + v, so ∂/∂u_j = x·∂/∂logits_j and ∂/∂v_j = ∂/∂logits_j.
 *   ∂/∂μ_c: labelled δ_{y c}(x − μ_c); unlabelled q_c(x − μ_c).
 *   IWAE (y enumerated, q cancels): labelled log p(x, y), unlabelled log p(x).
 *
 * Toy 2 (M2 with z): z ~ N(0, 1), x | y, z ~ N(z + μ_y, 1); guide q(z | x, y) = N(m_y, s²),
 *   m_y = enc(x, onehot(y)), s = 0.6, analytic KL for z. With x' = x − μ_y and e_y = x' − m_y
 *   (the conjugate formulas of conjugate.test.ts with x -> x'):
 *   E_z(x, y) = −½log2π − ½m_y² − ½e_y² − s² + ½ + log s;  one draw has Var = s²e_y² + ½s⁴.
 *   labelled log ½ + E_z(x, y); unlabelled Σ_y q_y(log ½ − log q_y + E_z(x, y)) with independent
 *   draws per enumerated y: Var = Σ_y q_y²(s²e_y² + ½s⁴). A labelled row still runs on the
 *   enumeration grid: both copies hold y_obs, each with its own z draw, weighted ½ each, so its
 *   estimate is the mean of 2 draws: Var = (s²e_y² + ½s⁴)/2.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, evaluate, gradients, type Program } from '../../src/api';
import { TEST_SEED } from '../helpers/seed';
import { logNormal, mean, note, se, setParam, sumVarAndSe, variance, type Poly } from './helpers';

const W = [-1, 2];
const BIAS = 0.25;
const U = [0.8, -0.6];
const V = [0.1, -0.2];
const ALPHA = 2;
const LOG_HALF = Math.log(0.5);

const TOY1 = `data x: Real
data y: Category[2]?
net mean: OneHot[2] -> Real = linear()
net cls: Real -> Simplex[2] = linear()
model { y ~ Categorical(probs: uniform(2))
        x ~ Normal(mean(onehot(y)), 1) }
guide { y ~ Categorical(probs: cls(x)) }
train { classify: y weight ${ALPHA} }`;

function setToy1(prog: Program): void {
  setParam(prog, 'mean.l0.w0', W);
  setParam(prog, 'mean.l0.b', [BIAS]);
  setParam(prog, 'cls.l0.w0', U);
  setParam(prog, 'cls.l0.b', V);
}

function q(x: number): number[] {
  const l = [0, 1].map((j) => x * U[j]! + V[j]!);
  const mx = Math.max(...l);
  const e = l.map((t) => Math.exp(t - mx));
  return e.map((t) => t / (e[0]! + e[1]!));
}
const mu = (c: number): number => W[c]! + BIAS;
const labelled = (x: number, y: number): number => LOG_HALF + logNormal(x, mu(y), 1);
function r(x: number): number[] {
  const qq = q(x);
  return [0, 1].map((c) => labelled(x, c) - Math.log(qq[c]!));
}
const unlabelled = (x: number): number => q(x)[0]! * r(x)[0]! + q(x)[1]! * r(x)[1]!;

const XS = [-2, 0, 0.5, 3, 1.2, -0.7, 0.9, 2.2];
const YS = [0, -1, 1, -1, 1, 0, -1, 0];

describe('partly observed y, toy without z (exact)', () => {
  let prog: Program;
  let x: tf.Tensor1D;
  let y: tf.Tensor1D;
  beforeAll(() => {
    prog = compile(TOY1);
    setToy1(prog);
    x = tf.tensor1d(XS);
    y = tf.tensor1d(YS, 'int32');
  });
  afterAll(() => {
    prog.dispose();
    tf.dispose([x, y]);
  });

  it('plans enumeration where the label is missing', () => {
    expect(prog.plan.sites[0]!.estimator).toBe('enumerate');
    expect(prog.plan.sites[0]!.reason).toMatch(/missing/);
  });

  it('the bound of a mixed batch is the labelled formula on labelled rows and the unlabelled one elsewhere', () => {
    const r = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED, classify: null });
    XS.forEach((xv, i) => expect(r.perExample[i]).toBeCloseTo(YS[i]! >= 0 ? labelled(xv, YS[i]!) : unlabelled(xv), 5));
    expect(r.surrogate).toBeCloseTo(mean(r.perExample), 5);
  });

  it('classify adds α·log q(y|x) on labelled rows only', () => {
    const withCls = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED });
    const without = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED, classify: null });
    const term = XS.reduce((s, xv, i) => s + (YS[i]! >= 0 ? ALPHA * Math.log(q(xv)[YS[i]!]!) : 0), 0) / XS.length;
    expect(withCls.surrogate - without.surrogate).toBeCloseTo(term, 5);
    // the bound itself is unchanged, and an all-unlabelled batch gets no classification term
    expect(Array.from(withCls.perExample)).toEqual(Array.from(without.perExample));
    const none = tf.fill([XS.length], -1, 'int32');
    const u1 = evaluate(prog, prog.batch({ x, y: none }), { seed: TEST_SEED });
    const u0 = evaluate(prog, prog.batch({ x, y: none }), { seed: TEST_SEED, classify: null });
    expect(u1.surrogate).toBe(u0.surrogate);
    none.dispose();
  });

  it('the gradients of the mixed batch are the labelled and unlabelled closed forms added', () => {
    const g = gradients(prog, prog.batch({ x, y }), { seed: TEST_SEED }).grads;
    const B = XS.length;
    const dLogits = (xv: number, yv: number): number[] => {
      const qq = q(xv);
      if (yv >= 0) return [0, 1].map((j) => ALPHA * ((j === yv ? 1 : 0) - qq[j]!));
      const rr = r(xv);
      const rbar = unlabelled(xv);
      return [0, 1].map((j) => qq[j]! * (rr[j]! - rbar));
    };
    const dMu = (xv: number, yv: number): number[] => [0, 1].map((c) => (yv >= 0 ? (c === yv ? 1 : 0) : q(xv)[c]!) * (xv - mu(c)));
    for (const j of [0, 1]) {
      const du = XS.reduce((s, xv, i) => s + xv * dLogits(xv, YS[i]!)[j]!, 0) / B;
      const dv = XS.reduce((s, xv, i) => s + dLogits(xv, YS[i]!)[j]!, 0) / B;
      const dw = XS.reduce((s, xv, i) => s + dMu(xv, YS[i]!)[j]!, 0) / B;
      expect(g.get('cls.l0.w0')![j]).toBeCloseTo(du, 5);
      expect(g.get('cls.l0.b')![j]).toBeCloseTo(dv, 5);
      expect(g.get('mean.l0.w0')![j]).toBeCloseTo(dw, 5);
    }
  });

  it('the IWAE of a mixed batch: log p(x, y) on labelled rows, log p(x) on unlabelled rows', () => {
    const logpx = (xv: number): number => Math.log(Math.exp(labelled(xv, 0)) + Math.exp(labelled(xv, 1)));
    for (const k of [1, 2]) {
      const r = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED, objective: { kind: 'iwae', k }, classify: null });
      XS.forEach((xv, i) => expect(r.perExample[i]).toBeCloseTo(YS[i]! >= 0 ? labelled(xv, YS[i]!) : logpx(xv), 5));
    }
  });
});

const TOY2 = `data x: Real
data y: Category[2]?
net mean: OneHot[2] -> Real = linear()
net cls: Real -> Simplex[2] = linear()
net enc: (Real, OneHot[2]) -> Real = linear()
model { y ~ Categorical(probs: uniform(2))
        z ~ Normal(0, 1)
        x ~ Normal(z + mean(onehot(y)), 1) }
guide { y ~ Categorical(probs: cls(x))
        z ~ Normal(enc(x, onehot(y)), 0.6) }
train { classify: y weight ${ALPHA} }`;

const ENC_U = 0.5;
const ENC_V = [-0.3, 0.4];
const S = 0.6;

describe('partly observed y, M2 toy with z', () => {
  const X = 1;
  const n = 20000; // rows of each kind: y = 0, y = 1, missing
  let prog: Program;
  let x: tf.Tensor1D;
  let y: tf.Tensor1D;
  beforeAll(() => {
    prog = compile(TOY2);
    setToy1(prog);
    setParam(prog, 'enc.l0.w0', [ENC_U]);
    setParam(prog, 'enc.l0.w1', ENC_V);
    setParam(prog, 'enc.l0.b', [0]);
    x = tf.fill([3 * n], X) as tf.Tensor1D;
    y = tf.concat([tf.fill([n], 0, 'int32'), tf.fill([n], 1, 'int32'), tf.fill([n], -1, 'int32')]) as tf.Tensor1D;
  });
  afterAll(() => {
    prog.dispose();
    tf.dispose([x, y]);
  });

  const m = (c: number): number => X * ENC_U + ENC_V[c]!;
  const e = (c: number): number => X - mu(c) - m(c);
  const Ez = (c: number): number => -0.5 * Math.log(2 * Math.PI) - 0.5 * m(c) ** 2 - 0.5 * e(c) ** 2 - S * S + 0.5 + Math.log(S);

  it('each kind of row matches its formula within 5 SE', () => {
    // SE = sqrt(Var/n), n = 20000: e.g. labelled y = 0: Var = (0.36·e² + 0.065)/2 = 0.47 -> SE = 0.0048.
    const r = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED, classify: null });
    const qq = q(X);
    const expected = [LOG_HALF + Ez(0), LOG_HALF + Ez(1), qq[0]! * (LOG_HALF - Math.log(qq[0]!) + Ez(0)) + qq[1]! * (LOG_HALF - Math.log(qq[1]!) + Ez(1))];
    // one draw of E_z(x, y) is A + s·e·ε − ½s²ε² (the analytic-KL polynomial of conjugate.test.ts)
    const f = (c: number): Poly => [0, S * e(c), -0.5 * S * S];
    const spread = [
      sumVarAndSe([{ p: f(0), w: 0.5 }, { p: f(0), w: 0.5 }], n),
      sumVarAndSe([{ p: f(1), w: 0.5 }, { p: f(1), w: 0.5 }], n),
      sumVarAndSe([{ p: f(0), w: qq[0]! }, { p: f(1), w: qq[1]! }], n),
    ];
    const variances = spread.map((t) => t.v);
    for (let kind = 0; kind < 3; kind++) {
      const rows = r.perExample.subarray(kind * n, (kind + 1) * n);
      const SE = Math.sqrt(variances[kind]! / n);
      note('M2 toy rows', ['y=0', 'y=1', 'missing'][kind], mean(rows), 'exact', expected[kind], 'SE', SE, 'sample SE', se(rows));
      expect(Math.abs(mean(rows) - expected[kind]!)).toBeLessThan(5 * SE);
      // the spread is the closed form's: 5 SE of a sample variance (exact fourth moment)
      expect(Math.abs(variance(rows) - variances[kind]!)).toBeLessThan(5 * spread[kind]!.se);
    }
  });

  it('a mixed batch gives, row by row, the all-labelled and all-unlabelled results (same seed)', () => {
    // Every row draws z on the same [2, K, B] enumeration grid whether or not its label is
    // observed, so at one seed the rows must agree exactly: nothing leaks across the mask.
    const mixed = evaluate(prog, prog.batch({ x, y }), { seed: TEST_SEED + 1, classify: null }).perExample;
    const noneY = tf.fill([3 * n], -1, 'int32');
    const allY = tf.concat([tf.fill([n], 0, 'int32'), tf.fill([2 * n], 1, 'int32')]);
    const unl = evaluate(prog, prog.batch({ x, y: noneY }), { seed: TEST_SEED + 1, classify: null }).perExample;
    const lab = evaluate(prog, prog.batch({ x, y: allY }), { seed: TEST_SEED + 1, classify: null }).perExample;
    for (let i = 0; i < 3 * n; i += 97) {
      if (i < 2 * n) expect(mixed[i]).toBeCloseTo(lab[i]!, 5);
      else expect(mixed[i]).toBeCloseTo(unl[i]!, 5);
    }
    tf.dispose([noneY, allY]);
  });

  it('classify adds α·log q(y|x) on the labelled rows only', () => {
    // 100 rows of each kind (a float32 mean over 60000 rows would blur the 5th decimal)
    const xs = tf.fill([300], X);
    const ys = tf.concat([tf.fill([100], 0, 'int32'), tf.fill([100], 1, 'int32'), tf.fill([100], -1, 'int32')]);
    const withCls = evaluate(prog, prog.batch({ x: xs, y: ys }), { seed: TEST_SEED });
    const without = evaluate(prog, prog.batch({ x: xs, y: ys }), { seed: TEST_SEED, classify: null });
    const term = (100 * ALPHA * Math.log(q(X)[0]!) + 100 * ALPHA * Math.log(q(X)[1]!)) / 300;
    expect(withCls.surrogate - without.surrogate).toBeCloseTo(term, 5);
    tf.dispose([xs, ys]);
  });
});
