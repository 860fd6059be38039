/**
 * Missing entries of `?` data sites of every kind (src/inference/missing.ts): NaN marks a missing
 * entry, the likelihood is masked elementwise (per example for a joint family), and the bound
 * covers the observed entries only, with no constant for the missing ones.
 *
 * Brute-force references, exact (no Monte Carlo error):
 *  1. Linear Gaussian, z ~ N(0, 1), x_d | z ~ N(w_d z, 1), d = 1..3. For an observed set O,
 *     x_O ~ N(0, w_O w_Oᵀ + I) and p(z | x_O) = N(Σ_O w_d x_d / P, 1/P), P = 1 + Σ_O w_d².
 *     With the guide set to that posterior (the missing x_d read 0, so Σ_d a_d x_d needs no
 *     mask), log p(x_O, z) − log q(z) = log p(x_O) for every z: the ELBO and the IWAE equal
 *     log N(x_O; 0, w_O w_Oᵀ + I) exactly, for each row, whatever the draws (`kl: mc`: a closed
 *     form KL with one draw of log p(x | z) would not cancel per draw).
 *  2. Enumerated mixtures, c ~ Categorical(π) with K = 2 classes, summed exactly by the guide's
 *     enumeration (the IWAE of an enumerated site is exact: q(c) cancels):
 *     log p(x_O) = log Σ_c π_c Π_{d ∈ O} f(x_d | θ_c), written out here for
 *     Bernoulli (Binary), Poisson (Count) and a MultivariateNormal (a joint family: a row is
 *     observed or missing whole, and a missing row contributes 0).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, elbo, gradients, iwae } from '../../src/api';
import { checkText } from '../../src/check';
import { setParam } from './helpers';

const W = [0.8, -1.5, 0.4];
const LOG2PI = Math.log(2 * Math.PI);

/** log N(x; 0, w wᵀ + I) over the entries where `x` is not NaN (matrix determinant lemma, Sherman–Morrison). */
function linearGaussianLogp(x: readonly number[]): number {
  const o = x.map((v, d) => [v, W[d]!] as const).filter(([v]) => !Number.isNaN(v));
  const ww = o.reduce((s, [, w]) => s + w * w, 0);
  const wx = o.reduce((s, [v, w]) => s + w * v, 0);
  const xx = o.reduce((s, [v]) => s + v * v, 0);
  // (I + w wᵀ)^-1 = I − w wᵀ / (1 + wᵀw); det = 1 + wᵀw.
  return -0.5 * o.length * LOG2PI - 0.5 * Math.log(1 + ww) - 0.5 * (xx - (wx * wx) / (1 + ww));
}

const LINEAR = `data x: Real[3]?
param w: Real[3] = 0.5
param a: Real[3] = 0
param ls: Real = 0
model {
  z ~ Normal(0, 1)
  x ~ Normal(w * z, 1)
}
guide { z ~ Normal(sum(a * x), exp(ls)) }
train { kl: mc }`;

describe('`?` on a Real site: the masked bound equals log p(x_obs) exactly', () => {
  // Rows share one missing pattern per batch, so the guide's exact posterior is one setting.
  const patterns: boolean[][] = [[true, true, true], [true, false, true], [false, true, false], [false, false, false]];
  const rows = [[0.3, -1.2, 2.0], [1.5, 0.7, -0.4], [-2.2, 0.1, 0.9]];

  for (const obs of patterns) {
    it(`observed entries ${obs.map((b) => (b ? 'x' : '·')).join('')}`, () => {
      const prog = compile(LINEAR, { seed: 3 });
      try {
        const P = 1 + W.reduce((s, w, d) => s + (obs[d] ? w * w : 0), 0);
        setParam(prog, 'param.w', W);
        setParam(prog, 'param.a', W.map((w) => w / P)); // posterior mean Σ_O w_d x_d / P; missing x_d read 0
        setParam(prog, 'param.ls', [-0.5 * Math.log(P)]);
        const data = rows.map((r) => r.map((v, d) => (obs[d] ? v : NaN)));
        const before = tf.memory().numTensors;
        const x = tf.tensor2d(data);
        const batch = prog.batch({ x });
        const e = elbo(prog, batch, { seed: 11 });
        const k = iwae(prog, batch, 7, { seed: 12 });
        const g = gradients(prog, batch, { seed: 13 });
        const want = data.map(linearGaussianLogp);
        for (let b = 0; b < rows.length; b++) {
          expect(e.perExample[b]).toBeCloseTo(want[b]!, 4);
          expect(k.perExample[b]).toBeCloseTo(want[b]!, 4);
        }
        // No NaN reaches a gradient, and an entry missing in every row gets none from the likelihood.
        for (const [name, v] of g.grads) expect(Array.from(v).every(Number.isFinite), name).toBe(true);
        W.forEach((_, d) => {
          if (!obs[d]) expect(g.grads.get('param.w')![d]).toBe(0);
        });
        tf.dispose([x, ...batch.data.values(), ...[...batch.observations.values()].flatMap((o) => [o.value, o.mask, o.present ?? null].filter((t): t is tf.Tensor => t !== null))]);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        prog.dispose();
      }
    });
  }
});

const PI = [0.3, 0.7];

/** log Σ_c π_c Π_d f(x_d | c) over the non-NaN entries of `x`. */
function mixtureLogp(x: readonly number[], logf: (v: number, c: number, d: number) => number): number {
  const terms = PI.map((p, c) => Math.log(p) + x.reduce((s, v, d) => (Number.isNaN(v) ? s : s + logf(v, c, d)), 0));
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0));
}

function mixtureProgram(decl: string, lik: string): string {
  return `${decl}
param lp: Real[2] = 0
param t: Real[2, 3] = Normal(0, 1)
model {
  c ~ Categorical(probs: softmax(lp))
  x ~ ${lik}
}
guide { c ~ Categorical(probs: softmax(lp)) @enumerate }`;
}

function runMixture(src: string, data: number[][], table: number[][], seed: number): Float32Array {
  const prog = compile(src, { seed });
  try {
    setParam(prog, 'param.lp', PI.map(Math.log));
    setParam(prog, 'param.t', table.flat());
    const x = tf.tensor2d(data);
    const r = iwae(prog, prog.batch({ x }), 3, { seed: seed + 1 }); // with c enumerated, IWAE's q(c) cancels: log p(x_obs) exactly
    x.dispose();
    return r.perExample;
  } finally {
    prog.dispose();
  }
}

describe('`?` on Binary, Count and a joint family: exact against the enumerated sum', () => {
  const T = [[-1.0, 0.5, 2.0], [1.2, -0.3, -2.0]];

  it('Binary[3]? with Bernoulli(logits): entries masked one by one', () => {
    const data = [[1, NaN, 0], [NaN, NaN, NaN], [0, 1, 1], [NaN, 0, 1]];
    const got = runMixture(mixtureProgram('data x: Binary[3]?', 'Bernoulli(logits: t[c])'), data, T, 5);
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const want = data.map((r) => mixtureLogp(r, (v, c, d) => Math.log(v === 1 ? sig(T[c]![d]!) : 1 - sig(T[c]![d]!))));
    data.forEach((_, b) => expect(got[b]).toBeCloseTo(want[b]!, 4));
    expect(want[1]).toBeCloseTo(0, 12); // a row with nothing observed contributes log 1, no constant
    expect(got[1]).toBeCloseTo(0, 5);
  });

  it('Count[3]? with Poisson(log_rate)', () => {
    const data = [[0, NaN, 4], [7, 2, NaN], [NaN, NaN, NaN]];
    const got = runMixture(mixtureProgram('data x: Count[3]?', 'Poisson(log_rate: t[c])'), data, T, 7);
    const lgam = (n: number): number => Array.from({ length: n }, (_, i) => Math.log(i + 1)).reduce((s, v) => s + v, 0);
    const want = data.map((r) => mixtureLogp(r, (v, c, d) => v * T[c]![d]! - Math.exp(T[c]![d]!) - lgam(v)));
    data.forEach((_, b) => expect(got[b]).toBeCloseTo(want[b]!, 4));
  });

  it('Real[3]? with MultivariateNormal: a row is observed or missing whole', () => {
    const data = [[NaN, NaN, NaN], [0.2, -1.0, 1.5], [1.0, 0.0, -0.5]];
    const got = runMixture(mixtureProgram('data x: Real[3]?', 'MultivariateNormal(loc: t[c], scale_tril: eye(3))'), data, T, 9);
    const want = data.map((r) => (r.every(Number.isNaN) ? 0 : mixtureLogp(r, (v, c, d) => -0.5 * LOG2PI - 0.5 * (v - T[c]![d]!) ** 2)));
    data.forEach((_, b) => expect(got[b]).toBeCloseTo(want[b]!, 4));
  });
});

describe('`?` checks on every kind but Category (labels) and LowerCholesky', () => {
  const cases: [string, string][] = [
    ['Real[4]?', 'Normal(loc: w * z, scale: 1)'],
    ['Positive[4]?', 'LogNormal(w * z, 1)'],
    ['Unit[4]?', 'Beta(exp(w * z), 1)'],
    ['Binary[4]?', 'Bernoulli(logits: w * z)'],
    ['Count[4]?', 'Poisson(log_rate: w * z)'],
    ['Simplex[4]?', 'Dirichlet(exp(w * z))'],
    ['OneHot[4]?', 'OneHotCategorical(logits: w * z)'],
  ];
  for (const [type, lik] of cases) {
    it(`data x: ${type}`, () => {
      const r = checkText(`data x: ${type}\nparam w: Real[4] = 0.5\nmodel { z ~ Normal(0, 1)\n x ~ ${lik} }\nguide { z ~ Normal(sum(w * x), 1) }`);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      const d = r.checked!.data[0]!;
      expect([d.partial, d.masked]).toEqual([false, true]);
      expect(r.checked!.model.sites.find((s) => s.name === 'x')!.observed).toBe('yes');
    });
  }
});
