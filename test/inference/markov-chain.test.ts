// Variable elimination along a Markov chain (src/inference/markov.ts, objectives/chain.ts): an
// HMM whose guide enumerates a discrete state per step. With T = 5 and K = 3 (243 joint
// configurations) the chain-eliminated ELBO and IWAE equal a brute-force float64 sum over every
// configuration, and so do their gradients (central differences of the float64 sums); with
// T = 3 they equal the generic joint enumeration (each step on its own axis). A program that
// breaks the condition is refused for the chain form with its reason; T = 20, K = 4 (4^20
// configurations) checks and trains with a flat tensor count.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, evaluate, gradients, Program } from '../../src/api';
import { checkText } from '../../src/check';
import { enumeratedConfigurations } from '../../src/eval/chunking';
import { formatPlan } from '../../src/cli/check';
import { Categorical } from '../../src/distributions/categorical';
import { logNormal } from './helpers';

const hmm = (T: number, K = 3): string => `
data x: Real[T]
const T = ${T}
param init: Real[${K}] = Normal(0, 1)
param trans: Real[${K}, ${K}] = Normal(0, 1)
param mus: Real[${K}] = Normal(0, 2)
param g0: Real[${K}] = Normal(0, 1)
param gtrans: Real[${K}, ${K}] = Normal(0, 1)
param gemit: Real[${K}] = Normal(0, 1)
model {
  y[0]: Category[${K}] ~ Categorical(logits: init)
  for t in 1..T {
    y[t] ~ Categorical(logits: trans[y[t - 1]])
  }
  for t in 0..T {
    x[t] ~ Normal(mus[y[t]], 1)
  }
}
guide {
  y[0] ~ Categorical(logits: g0 + gemit * x[0])
  for t in 1..T {
    y[t] ~ Categorical(logits: gtrans[y[t - 1]] + gemit * x[t])
  }
}
`;

type Params = Record<string, number[]>;
const NAMES = ['init', 'trans', 'mus', 'g0', 'gtrans', 'gemit'];

function logSoftmax(v: readonly number[]): number[] {
  const m = Math.max(...v);
  const lse = m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
  return v.map((x) => x - lse);
}

function lse(v: readonly number[]): number {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
}

/** ELBO and log p(x) of one sequence by summing all K^T configurations, in float64. */
function bruteForce(p: Params, x: readonly number[], K: number): { elbo: number; logpx: number } {
  const T = x.length;
  const row = (m: number[], i: number) => m.slice(K * i, K * i + K);
  const init = logSoftmax(p['init']!);
  let elbo = 0;
  const lps: number[] = [];
  const y = new Array<number>(T).fill(0);
  for (let c = 0; c < K ** T; c++) {
    for (let t = 0, r = c; t < T; t++, r = Math.floor(r / K)) y[t] = r % K;
    let lp = init[y[0]!]!;
    let lq = logSoftmax(p['g0']!.map((g, k) => g + p['gemit']![k]! * x[0]!))[y[0]!]!;
    for (let t = 0; t < T; t++) {
      lp += logNormal(x[t]!, p['mus']![y[t]!]!, 1);
      if (t === 0) continue;
      lp += logSoftmax(row(p['trans']!, y[t - 1]!))[y[t]!]!;
      lq += logSoftmax(row(p['gtrans']!, y[t - 1]!).map((g, k) => g + p['gemit']![k]! * x[t]!))[y[t]!]!;
    }
    elbo += Math.exp(lq) * (lp - lq);
    lps.push(lp);
  }
  return { elbo, logpx: lse(lps) };
}

const programs: Program[] = [];
afterAll(() => programs.forEach((p) => p.dispose()));

function setup(T: number, K = 3, n = 3) {
  const prog = compile(hmm(T, K), { seed: 7 });
  programs.push(prog);
  const params: Params = Object.fromEntries(NAMES.map((name) => [name, Array.from(prog.param(`param.${name}`).dataSync())]));
  const xs = Array.from({ length: n }, (_, i) => Array.from({ length: T }, (_, t) => 2 * Math.sin(0.9 * (t + T * i)) + 0.3 * i));
  return { prog, params, xs, cols: () => ({ x: tf.tensor2d(xs.flat(), [n, T]) }) };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('a chain of enumerated steps (T = 5, K = 3: 243 configurations)', () => {
  const { prog, params, xs, cols } = setup(5);
  const exact = (p: Params) => xs.map((x) => bruteForce(p, x, 3));

  it('is planned as a chain on two axes', () => {
    expect(prog.plan.chain?.sites).toEqual(['y[0]', 'y[1]', 'y[2]', 'y[3]', 'y[4]']);
    expect([...prog.plan.chain!.slots.values()]).toEqual([0, 1, 0, 1, 0]);
    expect(prog.plan.sites[2]!.reason).toContain('eliminated along the chain y[0..4] (forward algorithm)');
    expect(prog.plan.diagnostics).toEqual([]);
    // Evaluation chunks are sized by the configurations a value holds: two adjacent steps' 3 × 3, not 3^5.
    expect(enumeratedConfigurations(prog.plan)).toBe(9);
  });

  it('the ELBO and the IWAE equal the float64 sums over all configurations, per example', () => {
    const c = cols();
    const batch = prog.batch(c);
    const elbo = evaluate(prog, batch, { particles: 2, seed: 1 }).perExample;
    const iwae = evaluate(prog, batch, { objective: { kind: 'iwae', k: 3 }, particles: 3, seed: 1 }).perExample;
    tf.dispose(Object.values(c));
    exact(params).forEach((r, i) => {
      expect(elbo[i]!).toBeCloseTo(r.elbo, 4);
      expect(iwae[i]!).toBeCloseTo(r.logpx, 4);
    });
  });

  it('their gradients equal central differences of the float64 sums', () => {
    const c = cols();
    const batch = prog.batch(c);
    const gE = gradients(prog, batch, { particles: 1, seed: 1 }).grads;
    const gI = gradients(prog, batch, { objective: { kind: 'iwae', k: 1 }, particles: 1, seed: 1 }).grads;
    tf.dispose(Object.values(c));
    // float64 differences at h = 1e-5: truncation O(h²) and rounding O(1e-16/h), both far below
    // float32's 1e-5 relative error of the engine.
    const h = 1e-5;
    let checked = 0;
    for (const name of NAMES) {
      for (let j = 0; j < params[name]!.length; j++) {
        const at = (d: number) => {
          const p = { ...params, [name]: params[name]!.map((v, k) => (k === j ? v + d : v)) };
          const r = exact(p);
          return { elbo: mean(r.map((e) => e.elbo)), logpx: mean(r.map((e) => e.logpx)) };
        };
        const up = at(h);
        const down = at(-h);
        const dE = (up.elbo - down.elbo) / (2 * h);
        const dI = (up.logpx - down.logpx) / (2 * h);
        expect(Math.abs(gE.get(`param.${name}`)![j]! - dE)).toBeLessThan(2e-4 * (1 + Math.abs(dE)));
        // The model's log p(x) does not depend on the guide: its guide gradients are 0.
        expect(Math.abs(gI.get(`param.${name}`)![j]! - dI)).toBeLessThan(2e-4 * (1 + Math.abs(dI)));
        checked++;
      }
    }
    expect(checked).toBe(3 + 9 + 3 + 3 + 9 + 3);
  });
});

describe('wider states (T = 3, K = 16: 4,096 configurations)', () => {
  it('the ELBO and the IWAE equal the float64 sums', () => {
    const { prog, params, xs, cols } = setup(3, 16, 2);
    const c = cols();
    const batch = prog.batch(c);
    const elbo = evaluate(prog, batch, { particles: 1, seed: 1 }).perExample;
    const iwae = evaluate(prog, batch, { objective: { kind: 'iwae', k: 1 }, particles: 1, seed: 1 }).perExample;
    const joint = new Program(prog.checked, { ...prog.plan, chain: null }, 7);
    programs.push(joint);
    const jointElbo = evaluate(joint, batch, { particles: 1, seed: 1 }).perExample;
    tf.dispose(Object.values(c));
    xs.forEach((x, i) => {
      const r = bruteForce(params, x, 16);
      expect(elbo[i]!).toBeCloseTo(r.elbo, 3);
      expect(jointElbo[i]!).toBeCloseTo(r.elbo, 3);
      expect(iwae[i]!).toBeCloseTo(r.logpx, 3);
    });
  });
});

describe('the chain against the generic joint enumeration (T = 3)', () => {
  it('gives the same ELBO, IWAE and gradients', () => {
    const { prog, cols } = setup(3);
    expect(prog.plan.chain).not.toBeNull();
    const joint = new Program(prog.checked, { ...prog.plan, chain: null }, 7);
    programs.push(joint);
    const c = cols();
    const batch = prog.batch(c);
    for (const o of [{ particles: 2, seed: 1 }, { objective: { kind: 'iwae' as const, k: 2 }, particles: 2, seed: 1 }]) {
      const a = evaluate(prog, batch, o).perExample;
      const b = evaluate(joint, batch, o).perExample;
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
      const ga = gradients(prog, batch, o).grads;
      const gb = gradients(joint, batch, o).grads;
      for (const [name, g] of ga) g.forEach((v, i) => expect(v).toBeCloseTo(gb.get(name)![i]!, 4));
    }
    tf.dispose(Object.values(c));
  });
});

describe('a chain beside a sampled site that reads no state (T = 3)', () => {
  // A global shift s of the emission means, drawn by the guide without reading y: the chain's
  // terms read s, the chain form holds. Same seed, same draw of s: chain and joint agree per
  // example, for a reparameterized s and for a score-function s (whose learning signal then holds
  // the chain's expected costs).
  const src = hmm(3)
    .replace('param gemit', 'param sa: Real = 0.3\nparam gemit')
    .replace('model {', 'model {\n  s ~ Normal(0, 1)')
    .replace('x[t] ~ Normal(mus[y[t]], 1)', 'x[t] ~ Normal(mus[y[t]] + s, 1)')
    .replace('guide {', 'guide {\n  s ~ Normal(sa, 0.5)');
  for (const estimator of ['reparam', 'score']) {
    it(`${estimator}: the same bound and gradients as joint enumeration`, () => {
      const prog = compile(src.replace('s ~ Normal(sa, 0.5)', `s ~ Normal(sa, 0.5) @${estimator}`), { seed: 7 });
      programs.push(prog);
      expect(prog.plan.chain?.sites).toEqual(['y[0]', 'y[1]', 'y[2]']);
      const joint = new Program(prog.checked, { ...prog.plan, chain: null }, 7);
      programs.push(joint);
      const x = tf.tensor2d([0.5, -1, 2, 1.5, 0, -0.5], [2, 3]);
      const batch = prog.batch({ x });
      for (const o of [{ particles: 2, seed: 3 }, { objective: { kind: 'iwae' as const, k: 2 }, particles: 2, seed: 3 }]) {
        const a = evaluate(prog, batch, o).perExample;
        const b = evaluate(joint, batch, o).perExample;
        a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
        const ga = gradients(prog, batch, o).grads;
        const gb = gradients(joint, batch, o).grads;
        for (const [name, g] of ga) g.forEach((v, i) => expect(v, name).toBeCloseTo(gb.get(name)![i]!, 3));
        expect(Math.abs(ga.get('param.sa')![0]!)).toBeGreaterThan(0);
      }
      x.dispose();
    });
  }
});

describe('the chain condition', () => {
  const codes = (src: string) => checkText(src, 'hmm.vae');
  it('refuses a factor that reads two steps back, with the reason', () => {
    const src = hmm(5).replace('x[t] ~ Normal(mus[y[t]], 1)', 'x[t] ~ Normal(mus[y[t]] + mus[y[t - 2]], 1)').replace('for t in 0..T {\n    x[t]', 'x[0] ~ Normal(mus[y[0]], 1)\n  x[1] ~ Normal(mus[y[1]], 1)\n  for t in 2..T {\n    x[t]');
    const r = codes(src);
    const d = r.diagnostics.find((x) => x.code === 'VAE503');
    expect(d?.message).toContain('not eliminated as a Markov chain: the factor of `x[2]` reads `y[0]`, `y[2]`, not at most two adjacent steps');
  });

  it('refuses a sampled site that reads a state', () => {
    const src = hmm(4)
      .replace('for t in 0..T {\n    x[t] ~ Normal(mus[y[t]], 1)', 'for t in 0..T {\n    z[t] ~ Normal(mus[y[t]], 1)\n    x[t] ~ Normal(z[t], 1)')
      .replace('guide {', 'guide {\n  for t in 0..T {\n    z[t] ~ Normal(x[t], 1)\n  }');
    const r = codes(src);
    const d = r.diagnostics.find((x) => x.code === 'VAE503');
    expect(d?.message).toContain('`z[0]` is sampled but its distribution reads `y[0]` (a site that reads a state must be observed or enumerated)');
  });

  it('keeps joint enumeration (and says why) within the old limits', () => {
    const src = hmm(3).replace('x[t] ~ Normal(mus[y[t]], 1)', 'x[t] ~ Normal(mus[y[t]] + mus[y[0]], 1)');
    const prog = compile(src, { seed: 1 });
    programs.push(prog);
    expect(prog.plan.chain).toBeNull();
    expect(prog.plan.chainRefused).toContain('the factor of `x[2]` reads `y[0]`, `y[2]`');
    expect(formatPlan(prog.plan)).toContain('note: the enumerated steps of `y` are not eliminated as a Markov chain: the factor of `x[2]` reads `y[0]`, `y[2]`, not at most two adjacent steps');
  });
});

describe('a long chain (T = 20, K = 4: 4^20 configurations)', () => {
  it('checks, trains a few steps with a flat tensor count, and its bound improves', () => {
    const { prog, cols } = setup(20, 4, 8);
    expect(prog.plan.diagnostics).toEqual([]);
    expect(prog.plan.chain?.sites.length).toBe(20);
    const c = cols();
    const batch = prog.batch(c);
    const opt = tf.train.adam(0.05);
    const counts: number[] = [];
    const values: number[] = [];
    for (let step = 0; step < 8; step++) {
      const g = gradients(prog, batch, { particles: 1, seed: step });
      values.push(g.value);
      tf.tidy(() => {
        const named = prog.store.list().map((e) => ({ name: e.variable.name, tensor: tf.neg(tf.tensor(g.grads.get(e.name)!, e.variable.shape)) }));
        opt.applyGradients(named);
      });
      counts.push(tf.memory().numTensors);
    }
    tf.dispose(Object.values(c));
    opt.dispose();
    expect(new Set(counts.slice(2)).size).toBe(1);
    expect(values[7]!).toBeGreaterThan(values[0]!);
  });
});

describe('log p of a whole enumerated support at once (Categorical.logProbSupport)', () => {
  it('equals logProb of the support on its own axis, for parameters with other batch axes', () => {
    // (Ranks of at most 5: the wasm backend's binary ops are wrong at 7 axes, plan.ts MAX_ENUMERATED_SITES.)
    const logits = tf.randomNormal([4, 2, 5, 3], 0, 1, 'float32', 3); // [n_prev, K, B, k]
    const d = Categorical.create({ logits }, []);
    const support = tf.range(0, 3, 1, 'int32').reshape([3, 1, 1, 1]); // [k, 1 x 3]
    const fast = d.logProbSupport!(4)!; // [3, 4, 2, 5] = broadcast([3, 1, 1, 1], [4, 2, 5])
    const slow = d.logProb(support);
    expect(fast.shape).toEqual(slow.shape);
    expect(tf.max(tf.abs(tf.sub(fast, slow))).dataSync()[0]).toBeLessThan(1e-6);
    // Parameters that vary along the support's axis: no fast path.
    expect(Categorical.create({ logits: tf.zeros([3, 2, 5, 3]) }, []).logProbSupport!(3)).toBeNull();
    // A support axis right of another parameter axis (a recycled chain slot): [n_prev, 1, K, B, k] and values [k, 1, 1].
    const l2 = tf.randomNormal([4, 1, 1, 5, 3], 0, 1, 'float32', 4);
    const d2 = Categorical.create({ logits: l2 }, []);
    const s2 = tf.range(0, 3, 1, 'int32').reshape([3, 1, 1]);
    const f2 = d2.logProbSupport!(3)!;
    const g2 = d2.logProb(s2);
    expect(f2.shape).toEqual([4, 3, 1, 5]); // broadcast([3, 1, 1], [4, 1, 1, 5])
    expect(tf.max(tf.abs(tf.sub(f2, g2))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([l2, s2, f2, g2]);
    tf.dispose([logits, support, fast, slow]);
  });
});
