/**
 * Property test of the planner: on random well-typed programs (random-programs.ts: one to three
 * latent layers, random model and guide orders and dependencies, families with closed-form KLs),
 * the ELBO the default plan estimates (analytic KLs where the plan allows them, enumeration of
 * small discrete sites) equals the all-sampled estimate (`kl: mc`, every discrete site sampled),
 * and the IWAE bound is at least the ELBO.
 *
 * Standard errors: each program is evaluated on the same B = 64 examples x_b; for each b the
 * default and the all-sampled estimates are means of P = 32 independent particles, drawn with
 * different seeds, so the differences d_b are independent across b and SE = sd(d) / √B. A
 * correct planner gives E[d_b] = 0: |mean d| < 4 SE has a two-sided false-alarm rate of 6e-5
 * per program (1.5e-3 for the 24 programs; the seeds are fixed, so the outcome is too).
 * The same arithmetic holds for IWAE_8(x_b) − ELBO(x_b), whose mean must be > −4 SE.
 *
 * All three estimates of a program share one seed (common random numbers: the same guide draws
 * wherever the plans draw the same sites), which keeps the d_b independent across b and makes
 * the comparison sharper.
 *
 * The test would have caught the analytic KL of z1 in Burda et al.'s two-layer VAE: the plan
 * that takes the closed form wherever the registry has one (ignoring dependencies) is also
 * evaluated, and it fails the same comparison (> 4 SE) on several of the programs where the
 * planner refused the closed form.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, evaluate, Program } from '../../src/api';
import { findKlRule } from '../../src/distributions/kl';
import type { Plan } from '../../src/inference/plan';
import { D, randomProgram } from './random-programs';

const B = 64;
const P = 32;
const PROGRAMS = 24;

/** mean and standard error of a − b over examples. */
function paired(a: Float32Array, b: Float32Array): { mean: number; se: number } {
  const d = Array.from(a, (x, i) => x - b[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const v = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1);
  return { mean, se: Math.sqrt(v / d.length) };
}

/** The plan the planner used to make: a closed-form KL wherever the registry has the pair. */
function dependencyBlind(plan: Plan): Plan {
  return { ...plan, sites: plan.sites.map((s) => (s.kl === 'mc' && findKlRule(s.guide.spec.name, s.model.spec.name) ? { ...s, kl: 'analytic' as const } : s)) };
}

describe('planner property: default plan ELBO = all-sampled ELBO, IWAE >= ELBO', () => {
  const xs = tf.randomNormal([B, D], 0, 1.5, 'float32', 7); // [B, D]
  afterAll(() => xs.dispose());
  const blocked: { seed: number; z: number }[] = [];

  for (let i = 0; i < PROGRAMS; i++) {
    const seed = 1000 + i;
    const layers = [1, 2, 3, 2, 3, 3][i % 6]!;
    it(`random program ${seed} (${layers} latent layer${layers > 1 ? 's' : ''})`, () => {
      const rp = randomProgram(seed, layers);
      const def = compile(rp.source, { seed: 1 });
      // All-sampled: every KL sampled and every enumerated site drawn by the score estimator.
      const enumerated = def.plan.sites.filter((s) => s.estimator === 'enumerate').map((s) => [s.name, 'score']);
      const ref = compile(rp.source, { seed: 1, sets: ['train { kl: mc }'], estimators: Object.fromEntries(enumerated) });
      expect(ref.plan.sites.every((s) => s.kl === 'mc')).toBe(true);
      const batch = def.batch({ x: xs }); // holds xs itself (no copy)
      try {
        const elbo = evaluate(def, batch, { particles: P, seed: 11 }).perExample; // [B]
        const sampled = evaluate(ref, batch, { particles: P, seed: 11 }).perExample; // [B]
        const d = paired(elbo, sampled);
        expect(Math.abs(d.mean), `${rp.source}\nELBO default − sampled = ${d.mean} ± ${d.se}`).toBeLessThan(4 * d.se);

        const iw = evaluate(def, batch, { objective: { kind: 'iwae', k: 8 }, seed: 13 }).perExample; // [B]
        const g = paired(iw, elbo);
        expect(g.mean, `${rp.source}\nIWAE_8 − ELBO = ${g.mean} ± ${g.se}`).toBeGreaterThan(-4 * g.se);

        if (def.plan.sites.some((s) => s.kl === 'mc' && findKlRule(s.guide.spec.name, s.model.spec.name))) {
          const blind = new Program(def.checked, dependencyBlind(def.plan), 1);
          try {
            const wrong = evaluate(blind, batch, { particles: P, seed: 11 }).perExample; // [B]
            const w = paired(wrong, sampled);
            blocked.push({ seed, z: Math.abs(w.mean) / w.se });
          } finally {
            blind.dispose();
          }
        }
      } finally {
        def.dispose();
        ref.dispose();
      }
    });
  }

  it('the dependency-blind plan fails the same comparison (the test would have caught the bug)', () => {
    // With these seeds, 7 of the 24 programs have a model parent that the guide draws from the
    // site; the blind plan's closed-form KL is off by more than 4 SE on 3 of them (z = 4.0, 4.6
    // and 6.6 when this was written; the others are biased too, by less than the test resolves).
    expect(blocked.length).toBeGreaterThanOrEqual(5);
    const caught = blocked.filter((b) => b.z > 4).length;
    expect(caught, JSON.stringify(blocked)).toBeGreaterThanOrEqual(2);
  });
});
