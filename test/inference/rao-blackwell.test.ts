/**
 * The learning signal of a score-function site (Rao-Blackwellization): the plan lists the costs
 * that read the site or a guide site drawn from it (src/inference/dependencies.ts), and the
 * gradient with only those costs must equal the gradient with every cost, and the exact one.
 *
 *   model  y ~ Bernoulli(logits: 0.4)    a ~ N(2y − 1, 1)    x ~ N(a, 0.5)
 *   guide  y ~ Bernoulli(logits: t) @score    a ~ N(0.5x, 0.8)   (a does not read y)
 *
 * y's signal is {y, a}: log p(a | y) reads y; log p(x | a) reads only a, which the guide draws
 * without y, so it is left out (a transitive walk over the model would have kept it).
 * Exact gradient: with q1 = σ(t), c_y = log p(y) + E_q(a)[log N(a; 2y − 1, 1)] and
 * E_q(a)[log N(a; m, 1)] = −½log2π − ½((μa − m)² + σa²), μa = 0.5x, σa = 0.8,
 *   ∂ELBO/∂t = q1(1 − q1)[(c_1 − log q1) − (c_0 − log q0)].
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, Program } from '../../src/api';
import type { Plan } from '../../src/inference/plan';
import { copies, mean, perExample, se, variance } from './helpers';

const SOURCE = `data x: Real
data t: Real
model {
  y: Binary ~ Bernoulli(logits: 0.4)
  a ~ Normal(2 * y - 1, 1)
  x ~ Normal(a, 0.5)
}
guide {
  y ~ Bernoulli(logits: t) @score
  a ~ Normal(0.5 * x, 0.8)
}`;

const X = 2;
const T = 0.3;
const N = 20000;

function exactGradient(): number {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const q1 = sig(T);
  const p1 = sig(0.4);
  const mu = 0.5 * X;
  const ea = (m: number): number => -0.5 * Math.log(2 * Math.PI) - 0.5 * ((mu - m) ** 2 + 0.64);
  const r1 = Math.log(p1) + ea(1) - Math.log(q1);
  const r0 = Math.log(1 - p1) + ea(-1) - Math.log(1 - q1);
  return q1 * (1 - q1) * (r1 - r0);
}

describe('Rao-Blackwellized score-function signal', () => {
  const prog = compile(SOURCE, { seed: 1 });
  afterAll(() => prog.dispose());

  it('the plan lists the costs that read y or a guide site drawn from y', () => {
    const y = prog.plan.sites.find((s) => s.name === 'y')!;
    expect(y.estimator).toBe('score');
    expect(y.signal).toEqual(['y', 'a']);
    expect(prog.plan.sites.find((s) => s.name === 'a')!.signal).toBeNull();
  });

  it('the gradient with the plan signal equals the full-signal and the exact gradient, with less variance', () => {
    const full: Plan = { ...prog.plan, sites: prog.plan.sites.map((s) => (s.signal ? { ...s, signal: ['y', 'a', 'x'] } : s)) };
    const all = new Program(prog.checked, full, 1);
    const cols = { x: copies(X, N), t: copies(T, N) };
    try {
      const rb = perExample(prog, cols, ['t'], { seed: 3 }).grads.get('t')!; // [N] per-example ∂/∂t
      const fl = perExample(all, cols, ['t'], { seed: 3 }).grads.get('t')!; // [N]
      const g = exactGradient();
      // SE of the mean of N i.i.d. single-sample estimates: sd/√N (about 0.004 and 0.02 here).
      expect(Math.abs(mean(rb) - g)).toBeLessThan(4 * se(rb));
      expect(Math.abs(mean(fl) - g)).toBeLessThan(4 * se(fl));
      // Leaving log p(x | a) out removes its variance: Var[(∂ log q) · log N(x; a, 0.5)] > 0.
      expect(variance(rb)).toBeLessThan(0.8 * variance(fl));
    } finally {
      all.dispose();
      tf.dispose(Object.values(cols));
    }
  });
});
