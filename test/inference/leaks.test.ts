/**
 * No tensor leaks: tf.memory().numTensors is the same before and after 20 training steps of each
 * objective and estimator. A step is what `gradients()` in src/api.ts does plus the update:
 * tf.variableGrads on the (negated) surrogate, Adam's applyGradients, the baseline updates, and
 * disposing every tensor the step returned. Two warm-up steps come first: Adam creates its
 * moment variables and the score estimator its baseline variable on first use, once.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, gradients, type Program } from '../../src/api';
import type { Objective } from '../../src/dsl/train-config';
import { runObjective } from '../../src/inference/objectives/index';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';
import { CONJ } from './helpers';


const MIX = `data x: Real
param a: Real[2] = 0
net mean: OneHot[2] -> Real = linear()
model { c ~ Categorical(probs: uniform(2))
        x ~ Normal(mean(onehot(c)), 1) }
guide { c ~ Categorical(probs: softmax(a)) }`;

const M2 = `data x: Real
data y: Category[2]?
net mean: OneHot[2] -> Real = linear()
net cls: Real -> Simplex[2] = mlp(hidden: [4])
net enc: (Real, OneHot[2]) -> (loc: Real, scale: Positive) = mlp(hidden: [4])
model { y ~ Categorical(probs: uniform(2))
        z ~ Normal(0, 1)
        x ~ Normal(z + mean(onehot(y)), 1) }
guide { y ~ Categorical(probs: cls(x))
        let q = enc(x, onehot(y))
        z ~ Normal(q.loc, q.scale) }
train { classify: y weight 2 }`;

interface Case {
  readonly name: string;
  readonly source: string;
  readonly objective: Objective;
  readonly estimators?: Record<string, string>;
  readonly site: string;
  readonly estimator: string;
}

const CASES: readonly Case[] = [
  { name: 'elbo, reparam', source: CONJ, objective: { kind: 'elbo' }, site: 'z', estimator: 'reparam' },
  { name: 'elbo, score', source: CONJ, objective: { kind: 'elbo' }, estimators: { z: 'score' }, site: 'z', estimator: 'score' },
  { name: 'elbo, enumerate', source: MIX, objective: { kind: 'elbo' }, site: 'c', estimator: 'enumerate' },
  { name: 'elbo, stl', source: CONJ, objective: { kind: 'elbo' }, estimators: { z: 'stl' }, site: 'z', estimator: 'stl' },
  { name: 'elbo, partly observed y + classify', source: M2, objective: { kind: 'elbo' }, site: 'y', estimator: 'enumerate' },
  { name: 'iwae(5), reparam', source: CONJ, objective: { kind: 'iwae', k: 5 }, site: 'z', estimator: 'reparam' },
  { name: 'iwae(5), dreg', source: CONJ, objective: { kind: 'iwae', k: 5 }, estimators: { z: 'dreg' }, site: 'z', estimator: 'dreg' },
  { name: 'iwae(5), vimco', source: MIX, objective: { kind: 'iwae', k: 5 }, estimators: { c: 'vimco' }, site: 'c', estimator: 'vimco' },
  { name: 'iwae(5), partly observed y', source: M2, objective: { kind: 'iwae', k: 5 }, site: 'y', estimator: 'enumerate' },
];

function columns(c: Case): Record<string, tf.Tensor> {
  const x = tf.randomNormal([64], 0.5, 1.5, 'float32', TEST_SEED);
  if (c.source !== M2) return { x };
  return { x, y: tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i % 3 === 2 ? -1 : i % 2)), 'int32') };
}

function step(prog: Program, batch: ReturnType<Program['batch']>, opt: tf.Optimizer, objective: Objective, seed: number): number {
  let kept: tf.Tensor[] = [];
  let updates = new Map<string, tf.Tensor>();
  const cfg = prog.checked.train.config;
  const { value, grads } = tf.variableGrads(() => {
    const out = runObjective(objective, {
      prog: prog.compiled,
      store: prog.store,
      plan: prog.plan,
      batch,
      rng: Rng.fromSeed(seed),
      settings: { particles: 1, beta: 1, freeBits: 0, classify: cfg.classify },
      state: prog.state,
    });
    kept = out.keep;
    updates = out.baselineUpdates;
    return tf.neg(out.surrogate) as tf.Scalar;
  }, prog.store.variables());
  opt.applyGradients(grads);
  prog.state.apply(updates);
  const v = value.dataSync()[0]!;
  tf.dispose([value, ...kept, ...Object.values(grads)]);
  return v;
}

describe('no tensor leaks over 20 training steps', () => {
  it.each(CASES)('$name', (c) => {
    const prog = compile(c.source, { objective: c.objective, ...(c.estimators ? { estimators: c.estimators } : {}) });
    expect(prog.plan.sites.find((s) => s.name === c.site)!.estimator).toBe(c.estimator);
    const cols = columns(c);
    const batch = prog.batch(cols);
    const opt = tf.train.adam(1e-2);
    const before = prog.store.snapshot();
    step(prog, batch, opt, c.objective, TEST_SEED);
    step(prog, batch, opt, c.objective, TEST_SEED + 1);
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) expect(Number.isFinite(step(prog, batch, opt, c.objective, TEST_SEED + 2 + i))).toBe(true);
    expect(tf.memory().numTensors).toBe(n0);
    // the steps did train: some variable moved
    const moved = prog.store.list().some((e) => tf.tidy(() => tf.max(tf.abs(tf.sub(e.variable, before.get(e.name)!))).dataSync()[0]!) > 1e-4);
    expect(moved).toBe(true);
    tf.dispose([...before.values(), ...Object.values(cols)]);
    opt.dispose();
    prog.dispose();
  });

  it('evaluate() and gradients() leave nothing behind', () => {
    const prog = compile(M2, { objective: { kind: 'elbo' } });
    const cols = columns(CASES[4]!);
    const batch = prog.batch(cols);
    evaluate(prog, batch, { seed: TEST_SEED });
    gradients(prog, batch, { seed: TEST_SEED });
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      evaluate(prog, batch, { seed: TEST_SEED + i });
      evaluate(prog, batch, { seed: TEST_SEED + i, objective: { kind: 'iwae', k: 3 } });
      gradients(prog, batch, { seed: TEST_SEED + i });
      gradients(prog, batch, { seed: TEST_SEED + i, objective: { kind: 'iwae', k: 3 } });
    }
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose(Object.values(cols));
    prog.dispose();
  });
});
