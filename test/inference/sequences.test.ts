// Sequences (`for t in a..b`, src/dsl/unroll.ts): the unrolled program is the program written
// step by step, with the same numbers; the planner's conditions hold step by step (analytic KL
// of a forward guide, sampled KL of a backward one, score signals Rao-Blackwellized along time);
// --estimator on a sequence applies to all its steps.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, evaluate, gradients, type Program } from '../../src/api';
import { checkText } from '../../src/check';

const NETS = `
net trans: Real[2] -> Real[2] = mlp(hidden: [4])
net emit: Real[2] -> Real[2] = mlp(hidden: [4])
net enc: (Real[2], Real[2]) -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [4])
`;

const LOOPED = `
data x: Real[3, 2]
${NETS}
model {
  z[0]: Real[2] ~ Normal(0, 1)
  for t in 1..3 {
    z[t] ~ Normal(trans(z[t - 1]), 0.5)
  }
  for t in 0..3 {
    x[t] ~ Normal(emit(z[t]), 1)
  }
}
guide {
  let q0 = enc(x[0], x[0])
  z[0] ~ Normal(q0.loc, q0.scale)
  for t in 1..3 {
    let q = enc(z[t - 1], x[t])
    z[t] ~ Normal(q.loc, q.scale)
  }
}
`;

// The same model with one name per step: x0, x1, x2 are three data declarations.
const WRITTEN_OUT = `
data x0: Real[2]
data x1: Real[2]
data x2: Real[2]
${NETS}
model {
  z0: Real[2] ~ Normal(0, 1)
  z1 ~ Normal(trans(z0), 0.5)
  z2 ~ Normal(trans(z1), 0.5)
  x0 ~ Normal(emit(z0), 1)
  x1 ~ Normal(emit(z1), 1)
  x2 ~ Normal(emit(z2), 1)
}
guide {
  let q0 = enc(x0, x0)
  z0 ~ Normal(q0.loc, q0.scale)
  let q1 = enc(z0, x1)
  z1 ~ Normal(q1.loc, q1.scale)
  let q2 = enc(z1, x2)
  z2 ~ Normal(q2.loc, q2.scale)
}
`;

const B = 5;
const programs: Program[] = [];
afterAll(() => programs.forEach((p) => p.dispose()));

function data(): Float32Array {
  return Float32Array.from({ length: B * 3 * 2 }, (_, i) => Math.sin(1.7 * i) * 1.5);
}

function batches(looped: Program, written: Program) {
  const x = data();
  const whole = tf.tensor3d(x, [B, 3, 2]); // [B, T, D]
  const steps = tf.unstack(whole, 1); // T x [B, D]
  return {
    looped: looped.batch({ x: whole }),
    written: written.batch({ x0: steps[0]!, x1: steps[1]!, x2: steps[2]! }),
  };
}

describe('a for loop is the program written step by step', () => {
  it('gives the same ELBO, IWAE and gradients (same seeds, same parameters)', () => {
    const looped = compile(LOOPED, { seed: 3 });
    const written = compile(WRITTEN_OUT, { seed: 3 });
    programs.push(looped, written);
    expect(looped.plan.sites.map((s) => [s.name, s.estimator, s.kl])).toEqual(written.plan.sites.map((s) => [s.name.replace(/(\d)$/, '[$1]'), s.estimator, s.kl]));
    const b = batches(looped, written);
    for (const objective of [{ kind: 'elbo' as const }, { kind: 'iwae' as const, k: 7 }]) {
      const a = evaluate(looped, b.looped, { objective, particles: 3, seed: 11 }).perExample;
      const c = evaluate(written, b.written, { objective, particles: 3, seed: 11 }).perExample;
      for (let i = 0; i < B; i++) expect(a[i]!).toBeCloseTo(c[i]!, 4);
    }
    const ga = gradients(looped, b.looped, { seed: 5 }).grads;
    const gc = gradients(written, b.written, { seed: 5 }).grads;
    for (const [name, g] of ga) {
      const h = gc.get(name)!;
      for (let i = 0; i < g.length; i++) expect(g[i]!).toBeCloseTo(h[i]!, 4);
    }
  });
});

describe('planner conditions along time', () => {
  const plan = (src: string, estimators: Record<string, string> = {}) => {
    const p = compile(src, { estimators });
    programs.push(p);
    return p.plan;
  };

  it('a forward guide q(z[t] | z[t-1], x) has every KL in closed form', () => {
    expect(plan(LOOPED).sites.map((s) => s.kl)).toEqual(['analytic', 'analytic', 'analytic']);
  });

  it('a backward guide q(z[t] | z[t+1], x) samples the KL of every step with a parent', () => {
    const backward = LOOPED.replace(/guide \{[\s\S]*\}\s*$/, `guide {
  let q2 = enc(x[2], x[2])
  z[2] ~ Normal(q2.loc, q2.scale)
  for s in 0..2 {
    let q = enc(z[2 - s], x[1 - s])
    z[1 - s] ~ Normal(q.loc, q.scale)
  }
}
`);
    const p = plan(backward);
    const byName = new Map(p.sites.map((s) => [s.name, s]));
    expect(byName.get('z[0]')!.kl).toBe('analytic');
    expect(byName.get('z[1]')!.kl).toBe('mc');
    expect(byName.get('z[1]')!.klReason).toBe('the prior of z[1] depends on z[0], which the guide draws from z[1]');
    expect(byName.get('z[2]')!.kl).toBe('mc');
    expect(byName.get('z[2]')!.klReason).toBe('the prior of z[2] depends on z[1], which the guide draws from z[2]');
  });

  it('--estimator z=score applies to every step, and each step\'s signal is its own future', () => {
    const p = plan(LOOPED, { z: 'score' });
    expect(p.diagnostics).toEqual([]);
    expect(p.sites.map((s) => s.estimator)).toEqual(['score', 'score', 'score']);
    // z[1]'s costs: itself, z[2] (drawn from it), and x[1], x[2] (which read them); never z[0] or x[0].
    expect(p.sites[1]!.signal).toEqual(['z[1]', 'z[2]', 'x[1]', 'x[2]']);
    expect(p.sites[2]!.signal).toEqual(['z[2]', 'x[2]']);
    const one = plan(LOOPED, { 'z[1]': 'score' });
    expect(one.sites.map((s) => s.estimator)).toEqual(['reparam', 'score', 'reparam']);
  });
});

describe('sequence checks', () => {
  it('reads steps before the loop and reports bad steps at their location', () => {
    const r = checkText(LOOPED.replace('z[t - 1]), 0.5)', 'z[t + 1]), 0.5)'), 'seq.vae');
    expect(r.diagnostics.map((d) => d.code)).toContain('VAE208');
  });
});

// A hidden Markov model with every step enumerated: under iwae(k: 1) the log-weight of a
// particle is log Σ_z p(x, z) over all 3^3 joint configurations (q cancels in the stratified
// sum), which is exactly log p(x): the forward algorithm's value. The steps form a Markov chain
// (src/inference/markov.ts), so a fourth step shares the axes of the first two; without the chain
// form a fourth enumerated step is VAE503 (MAX_ENUMERATED_SITES: on wasm its values would need
// more axes than the kernels handle). test/inference/markov-chain.test.ts checks the chain.
const HMM = `
data x: Real[T]
const T = 3
param init: Real[3] = Normal(0, 1)
param trans: Real[3, 3] = Normal(0, 1)
param mus: Real[3] = Normal(0, 2)
param g: Real[T, 3]
model {
  z[0]: Category[3] ~ Categorical(logits: init)
  for t in 1..T {
    z[t] ~ Categorical(logits: trans[z[t - 1]])
  }
  for t in 0..T {
    x[t] ~ Normal(mus[z[t]], 1)
  }
}
guide {
  for t in 0..T {
    z[t] ~ Categorical(logits: g[t]) @enumerate
  }
}
train { objective: iwae(k: 1) }
`;

function logSoftmax(v: number[]): number[] {
  const m = Math.max(...v);
  const lse = m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
  return v.map((x) => x - lse);
}

describe('enumerating a discrete state per step', () => {
  it('gives the exact log-likelihood of an HMM (the forward algorithm), per example', () => {
    const p = compile(HMM, { seed: 4 });
    programs.push(p);
    const read = (n: string) => Array.from(p.param(n).dataSync());
    const init = logSoftmax(read('param.init'));
    const tr = read('param.trans');
    const trans = [0, 1, 2].map((i) => logSoftmax(tr.slice(3 * i, 3 * i + 3)));
    const mus = read('param.mus');
    const T = 3;
    const xs = Float32Array.from({ length: 4 * T }, (_, i) => 2 * Math.sin(0.9 * i));
    const logN = (x: number, m: number) => -0.5 * Math.log(2 * Math.PI) - 0.5 * (x - m) ** 2;
    const forward = (x: Float32Array): number => {
      let a = init.map((l, k) => l + logN(x[0]!, mus[k]!));
      for (let t = 1; t < T; t++) {
        a = [0, 1, 2].map((k) => {
          const terms = [0, 1, 2].map((j) => a[j]! + trans[j]![k]!);
          const m = Math.max(...terms);
          return m + Math.log(terms.reduce((s, v) => s + Math.exp(v - m), 0)) + logN(x[t]!, mus[k]!);
        });
      }
      const m = Math.max(...a);
      return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
    };
    const batch = p.batch({ x: tf.tensor2d(xs, [4, T]) });
    const got = evaluate(p, batch, { objective: { kind: 'iwae', k: 1 }, particles: 1, seed: 1 }).perExample;
    for (let i = 0; i < 4; i++) expect(got[i]!).toBeCloseTo(forward(xs.subarray(T * i, T * i + T)), 4);
  });

  it('a fourth enumerated step is eliminated along the chain; outside the chain form it is VAE503', () => {
    const chain = checkText(HMM.replace('const T = 3', 'const T = 4'), 'hmm.vae');
    expect(chain.diagnostics.map((d) => d.code)).not.toContain('VAE503');
    const joint = checkText(HMM.replace('const T = 3', 'const T = 4').replace('mus[z[t]], 1)', 'mus[z[t]] + mus[z[0]], 1)'), 'hmm.vae');
    expect(joint.diagnostics.map((d) => d.code)).toContain('VAE503');
  });
});
