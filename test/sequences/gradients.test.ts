// Gradients through sequences of up to T steps (`data x: Real[..T]`).
//
// 1. A parameter only the steps past every example's length touch (mu[t], g[t] for t >= 4 when
//    no example is longer than 4) gets a gradient of exactly 0, with reparameterized and
//    score-function guide steps alike; the steps before the lengths get non-zero gradients.
// 2. The gradient of shared parameters for one padded example equals the fixed-length program's
//    (T = its length) at the same draws (the fixed program's sites take the padded program's
//    site ids, hence random streams): with `@score` guide steps, the Rao-Blackwellized learning
//    signals hold no cost of a masked step, and with `@reparam` the paths match.
// A gradient step over padded data leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, gradients, Program } from '../../src/api';
import type { CheckedProgram, SiteInfo } from '../../src/dsl/checked';

const T = 6;

const PER_STEP = (estimator: string) => `
data x: Real[..T]
const T = ${T}
param mu: Real[T] = Normal(0, 1)
param g: Real[T] = Normal(0, 1)
model {
  for t in 0..T {
    z[t] ~ Normal(mu[t], 1)
    x[t] ~ Normal(z[t], 1)
  }
}
guide {
  for t in 0..T {
    z[t] ~ Normal(g[t], 1) @${estimator}
  }
}
`;

const SHARED = (ragged: boolean, len: number, estimator: string) => `
data x: Real[${ragged ? '..' : ''}T]
const T = ${len}
param a: Real = 0.5
param c: Real = 0.3
param s: Positive = 0.8
model {
  z[0] ~ Normal(0, 1)
  for t in 1..T {
    z[t] ~ Normal(a * z[t - 1], 1)
  }
  for t in 0..T {
    x[t] ~ Normal(z[t], s)
  }
}
guide {
  for t in 0..T {
    z[t] ~ Normal(c * x[t], 1) @${estimator}
  }
}
train { kl: mc }
`;

/** The fixed program with the site ids of `like` (same names) and its parameter values. */
function withIds(fixed: Program, like: Program): Program {
  const ids = (sites: readonly SiteInfo[]) => new Map(sites.map((s) => [s.name, s.id]));
  const remap = (sites: readonly SiteInfo[], byName: Map<string, number>) => sites.map((s) => ({ ...s, id: byName.get(s.name)! }));
  const cp: CheckedProgram = {
    ...fixed.checked,
    model: { ...fixed.checked.model, sites: remap(fixed.checked.model.sites, ids(like.checked.model.sites)) },
    guide: { ...fixed.checked.guide, sites: remap(fixed.checked.guide.sites, ids(like.checked.guide.sites)) },
  };
  const out = new Program(cp, fixed.plan, 1);
  for (const { name } of out.store.list()) out.store.get(name).assign(like.store.get(name));
  return out;
}

const xs = [0.3, -1.2, 0.8, 1.5, -0.4, 0.9];

describe('gradients of padded steps', () => {
  for (const estimator of ['reparam', 'score']) {
    it(`are exactly 0 for parameters only padded steps touch (@${estimator})`, () => {
      const prog = compile(PER_STEP(estimator), { seed: 1 });
      const lengths = [4, 2, 1, 3];
      const x = new Float32Array(lengths.length * T).map((_, i) => (i % T < lengths[Math.floor(i / T)]! ? xs[i % T]! : NaN));
      const batch = prog.batch({ x: tf.tensor2d(x, [lengths.length, T]) });
      gradients(prog, batch, { objective: { kind: 'elbo' }, particles: 4, seed: 3 }); // warm-up (baseline variables)
      const before = tf.memory().numTensors;
      const { grads } = gradients(prog, batch, { objective: { kind: 'elbo' }, particles: 4, seed: 3 });
      expect(tf.memory().numTensors).toBe(before); // the step masks live in the step's scope
      tf.dispose([...batch.data.values(), ...(batch.lengths?.values() ?? [])]);
      prog.dispose();
      for (const name of ['param.mu', 'param.g']) {
        const gr = grads.get(name)!;
        for (let t = 0; t < T; t++) {
          if (t >= 4) expect(gr[t], `${name}[${t}]`).toBe(0);
          else expect(Math.abs(gr[t]!), `${name}[${t}]`).toBeGreaterThan(1e-6);
        }
      }
    });

    it(`of shared parameters equal the fixed-length program's at the same draws (@${estimator})`, () => {
      const prog = compile(SHARED(true, T, estimator), { seed: 1 });
      for (const L of [1, 3, 5]) {
        const x = Float32Array.from({ length: T }, (_, t) => (t < L ? xs[t]! : NaN));
        const fixed0 = compile(SHARED(false, L, estimator), { seed: 1 });
        const fixed = withIds(fixed0, prog);
        fixed0.dispose();
        const bp = prog.batch({ x: tf.tensor2d(x, [1, T]) });
        const bf = fixed.batch({ x: tf.tensor2d(x.slice(0, L), [1, L]) });
        const gp = gradients(prog, bp, { objective: { kind: 'elbo' }, particles: 8, seed: 4 });
        const gf = gradients(fixed, bf, { objective: { kind: 'elbo' }, particles: 8, seed: 4 });
        tf.dispose([...bp.data.values(), ...bf.data.values(), ...(bp.lengths?.values() ?? [])]);
        fixed.dispose();
        expect(Math.abs(gp.value - gf.value)).toBeLessThan(1e-4 * (1 + Math.abs(gf.value)));
        for (const name of ['param.a', 'param.c', 'param.s']) {
          const a = gp.grads.get(name)![0]!;
          const f = gf.grads.get(name)![0]!;
          expect(Math.abs(a - f), `length ${L}, ${name}: ${a} vs ${f}`).toBeLessThan(1e-4 * (1 + Math.abs(f)));
        }
      }
      prog.dispose();
    });
  }
});
