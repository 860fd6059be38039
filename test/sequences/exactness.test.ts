// Sequences of up to T steps (`data x: Real[..T, D]`): each example's bound equals the bound of
// the same program over exactly its own steps (a fixed-length program with T = its length).
//
// 1. The deep Markov model of models/dmm-ragged.vae (a backward GRU, analytic KLs given z[t − 1]),
//    one padded example at a time, against the program with `data x: Real[T, D]` and T = its
//    length. The draws are made the same: the fixed program's sites take the site ids (hence the
//    random streams, seed handler) of the padded program's sites of the same name, and its
//    parameters are the padded program's. ELBO (K = 1, 3) and IWAE-8 agree to float32 rounding.
// 2. A batch of mixed lengths in a program whose bound is deterministic (the guide is the exact
//    posterior of each step: z ~ N(0, 1), x | z ~ N(z, 1), q(z | x) = N(x/2, 1/2)): every draw
//    gives log p(x_{0:L-1}) = Σ_{t<L} log N(x_t; 0, 2), for the ELBO and IWAE alike.
// 3. Enumerated steps: z[t] ~ Bernoulli enumerated per step; the enumerated ELBO is exact (no
//    sampling), and equals the fixed-length program's, so the masked steps' weights still sum to 1.
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, Program } from '../../src/api';
import type { CheckedProgram, SiteInfo } from '../../src/dsl/checked';

const D = 3;
const T = 10;
const ragged = fs.readFileSync('models/dmm-ragged.vae', 'utf8');

/** The model of dmm-ragged.vae with a fixed length `len` (`data x: Real[T, D]`, `const T = len`). */
function fixedSource(len: number): string {
  return ragged.replace('data x: Real[..T, D]', 'data x: Real[T, D]').replace('const T = 10', `const T = ${len}`);
}

/** The fixed program with the site ids of `like` (same names): the same random stream per site. */
function withIds(fixed: Program, like: Program, seed: number): Program {
  const ids = (sites: readonly SiteInfo[]) => new Map(sites.map((s) => [s.name, s.id]));
  const m = ids(like.checked.model.sites);
  const g = ids(like.checked.guide.sites);
  const remap = (sites: readonly SiteInfo[], byName: Map<string, number>) => sites.map((s) => ({ ...s, id: byName.get(s.name)! }));
  const cp: CheckedProgram = { ...fixed.checked, model: { ...fixed.checked.model, sites: remap(fixed.checked.model.sites, m) }, guide: { ...fixed.checked.guide, sites: remap(fixed.checked.guide.sites, g) } };
  const out = new Program(cp, fixed.plan, seed);
  for (const { name } of out.store.list()) out.store.get(name).assign(like.store.get(name));
  return out;
}

/** Sequences [n, T, D] with N(0, 1) entries, cut at `lengths` (NaN after). */
function padded(lengths: readonly number[], seed: number): Float32Array {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
  const x = new Float32Array(lengths.length * T * D).map(() => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  lengths.forEach((L, b) => x.fill(NaN, (b * T + L) * D, (b + 1) * T * D));
  return x;
}

describe('a padded example has the bound of the fixed-length program of its length', () => {
  it('models/dmm-ragged.vae: ELBO (K = 1, 3) and IWAE-8, same draws, to float32 rounding', () => {
    const prog = compile(ragged, { seed: 3 });
    const lengths = [T, 3, 1, 6];
    const x = padded(lengths, 11);
    try {
      lengths.forEach((L, b) => {
        const one = x.slice(b * T * D, (b + 1) * T * D);
        const fixed0 = compile(fixedSource(L), { seed: 3 });
        const fixed = withIds(fixed0, prog, 3);
        fixed0.dispose();
        for (const o of [{ objective: { kind: 'elbo' as const }, particles: 1 }, { objective: { kind: 'elbo' as const }, particles: 3 }, { objective: { kind: 'iwae' as const, k: 8 }, particles: 1 }]) {
          for (const seed of [0, 5]) {
            const bp = prog.batch({ x: tf.tensor3d(one, [1, T, D]) });
            const bf = fixed.batch({ x: tf.tensor3d(one.slice(0, L * D), [1, L, D]) });
            const a = evaluate(prog, bp, { ...o, seed }).perExample[0]!;
            const f = evaluate(fixed, bf, { ...o, seed }).perExample[0]!;
            tf.dispose([...bp.data.values(), ...bf.data.values(), ...(bp.lengths?.values() ?? [])]);
            expect(Number.isFinite(a)).toBe(true);
            expect(Math.abs(a - f), `length ${L}, ${JSON.stringify(o)}, seed ${seed}: ${a} vs ${f}`).toBeLessThan(1e-4 * (1 + Math.abs(f)));
          }
        }
        fixed.dispose();
      });
    } finally {
      prog.dispose();
    }
  });
});

const EXACT = (ragged: boolean, len: number) => `
data x: Real[${ragged ? '..' : ''}T]
const T = ${len}
model {
  for t in 0..T {
    z[t] ~ Normal(0, 1)
    x[t] ~ Normal(z[t], 1)
  }
}
guide {
  for t in 0..T {
    z[t] ~ Normal(x[t] / 2, 0.7071067811865476)
  }
}
train { kl: mc }
`;

describe('a batch of mixed lengths', () => {
  it('the exact-posterior guide: every draw gives log p(x_{0:L-1}) per example (ELBO and IWAE-4)', () => {
    const prog = compile(EXACT(true, T), { seed: 1 });
    const lengths = [T, 3, 1, 7, 2];
    const x = padded(lengths, 5).filter((_, i) => i % D === 0); // [n, T]
    const want = lengths.map((L, b) => {
      let s = 0;
      for (let t = 0; t < L; t++) s += -0.5 * Math.log(2 * Math.PI * 2) - x[b * T + t]! ** 2 / 4;
      return s;
    });
    for (const o of [{ objective: { kind: 'elbo' as const }, particles: 2 }, { objective: { kind: 'iwae' as const, k: 4 }, particles: 1 }]) {
      const batch = prog.batch({ x: tf.tensor2d(x, [lengths.length, T]) });
      const got = evaluate(prog, batch, { ...o, seed: 2 }).perExample;
      tf.dispose([...batch.data.values(), ...(batch.lengths?.values() ?? [])]);
      lengths.forEach((L, b) => expect(Math.abs(got[b]! - want[b]!), `length ${L}: ${got[b]} vs ${want[b]}`).toBeLessThan(1e-4 * (1 + Math.abs(want[b]!))));
    }
    prog.dispose();
  });

  const ENUM = (ragged: boolean, len: number) => `
data x: Real[${ragged ? '..' : ''}T]
const T = ${len}
model {
  for t in 0..T {
    z[t] ~ Bernoulli(probs: 0.3)
    x[t] ~ Normal(3 * z[t] - 1, 1)
  }
}
guide {
  for t in 0..T {
    z[t] ~ Bernoulli(logits: x[t] - 0.5) @enumerate
  }
}
`;

  it('enumerated steps: the exact enumerated ELBO equals the fixed-length program\u2019s (masked steps weigh 1/n per value)', () => {
    const n = 3; // at most 3 enumerated sites, each on its own axis
    const prog = compile(ENUM(true, n), { seed: 1 });
    const lengths = [n, 2, 1, 3, 1];
    const x = padded(lengths, 9).filter((_, i) => i % D === 0 && Math.floor(i / D) % T < n); // [5, n]
    const batch = prog.batch({ x: tf.tensor2d(x, [lengths.length, n]) });
    const got = evaluate(prog, batch, { objective: { kind: 'elbo' }, particles: 1, seed: 2 }).perExample;
    tf.dispose([...batch.data.values(), ...(batch.lengths?.values() ?? [])]);
    prog.dispose();
    lengths.forEach((L, b) => {
      const fixed = compile(ENUM(false, L), { seed: 1 });
      const bf = fixed.batch({ x: tf.tensor2d(x.slice(b * n, b * n + L), [1, L]) });
      const want = evaluate(fixed, bf, { objective: { kind: 'elbo' }, particles: 1, seed: 2 }).perExample[0]!;
      tf.dispose([...bf.data.values()]);
      fixed.dispose();
      expect(Math.abs(got[b]! - want), `length ${L}: ${got[b]} vs ${want}`).toBeLessThan(1e-4 * (1 + Math.abs(want)));
    });
  });
});

const HMM = (ragged: boolean, len: number, K = 3) => `
data x: Real[${ragged ? '..' : ''}T]
const T = ${len}
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

describe('a Markov chain of enumerated steps (variable elimination) over padded sequences', () => {
  it('the exact ELBO and IWAE per example equal the fixed-length program\u2019s (T = 6, lengths 6, 4, 1, 2)', () => {
    const n = 6;
    const prog = compile(HMM(true, n), { seed: 2 });
    const lengths = [n, 4, 1, 2];
    const x = padded(lengths, 13).filter((_, i) => i % D === 0 && Math.floor(i / D) % T < n); // [4, n]
    for (const objective of [{ kind: 'elbo' as const }, { kind: 'iwae' as const, k: 1 }]) {
      const batch = prog.batch({ x: tf.tensor2d(x, [lengths.length, n]) });
      const got = evaluate(prog, batch, { objective, particles: 1, seed: 2 }).perExample;
      tf.dispose([...batch.data.values(), ...(batch.lengths?.values() ?? [])]);
      lengths.forEach((L, b) => {
        const fixed = compile(HMM(false, L), { seed: 2 });
        for (const { name } of fixed.store.list()) fixed.store.get(name).assign(prog.store.get(name));
        const bf = fixed.batch({ x: tf.tensor2d(x.slice(b * n, b * n + L), [1, L]) });
        const want = evaluate(fixed, bf, { objective, particles: 1, seed: 2 }).perExample[0]!;
        tf.dispose([...bf.data.values()]);
        fixed.dispose();
        expect(Math.abs(got[b]! - want), `${objective.kind}, length ${L}: ${got[b]} vs ${want}`).toBeLessThan(1e-4 * (1 + Math.abs(want)));
      });
    }
    prog.dispose();
  });
});

describe('missing entries inside a sequence (`?`)', () => {
  const src = (ragged: boolean) => EXACT(ragged, 4).replace(/data x: Real\[(\.\.)?T\]/, (m) => `${m}?`);
  for (const ragged of [false, true]) {
    it(`leave the step's likelihood out (${ragged ? 'Real[..T]?' : 'Real[T]?'}): the bound with x[1] missing exceeds the bound with x[1] = 0 (its fill value) by −log N(0; z[1], 1) ≥ log √(2π)`, () => {
      const prog = compile(src(ragged), { seed: 1 });
      const bound = (x1: number) => {
        const batch = prog.batch({ x: tf.tensor2d([0.5, x1, -0.3, ragged ? NaN : 0.2], [1, 4]) });
        const v = evaluate(prog, batch, { objective: { kind: 'elbo' }, particles: 1, seed: 7 }).perExample[0]!;
        tf.dispose([...batch.data.values(), ...(batch.lengths?.values() ?? []), ...[...batch.observations.values()].flatMap((o) => (o.present ? [o.present] : []))]);
        return v;
      };
      const missing = bound(NaN);
      const zero = bound(0);
      expect(missing - zero).toBeGreaterThan(0.5 * Math.log(2 * Math.PI) - 1e-5);
      prog.dispose();
    });
  }
});
