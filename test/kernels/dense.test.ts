// Fused dense layers and activations (src/kernels/c/dense.c, vmath.h) against the generic tfjs
// ops: values and gradients to 1e-5 relative on random shapes, in both builds, and the
// activations against float64 references over their whole range (tails included).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FusedActivation } from '../../src/kernels/exports';
import { fusedAct, fusedBiasAct, fusedDense } from '../../src/kernels/ops';
import { compareGrads, expectNormRel, expectRel, expectRelScaled, uniform, useBuild, withFused } from './helpers';

const SELU_A = 1.6732632423543772;
const SELU_L = 1.0507009873554805;

/** The generic path: tfjs's own op for each activation. */
function generic(x: tf.Tensor, a: FusedActivation): tf.Tensor {
  switch (a) {
    case 'softplus':
      return tf.softplus(x);
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.01);
    case 'linear':
      return x;
  }
}

/** float64 references and their derivatives. */
const REF: Record<Exclude<FusedActivation, 'linear'>, [(x: number) => number, (x: number) => number]> = {
  softplus: [(x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), (x) => 1 / (1 + Math.exp(-x))],
  relu: [(x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0)],
  tanh: [Math.tanh, (x) => 1 - Math.tanh(x) ** 2],
  sigmoid: [(x) => 1 / (1 + Math.exp(-x)), (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
  elu: [(x) => (x > 0 ? x : Math.expm1(x)), (x) => (x > 0 ? 1 : Math.exp(x))],
  selu: [(x) => SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x)), (x) => SELU_L * (x > 0 ? 1 : SELU_A * Math.exp(x))],
  leakyRelu: [(x) => (x > 0 ? x : 0.01 * x), (x) => (x > 0 ? 1 : 0.01)],
};
const ACTS = Object.keys(REF) as Exclude<FusedActivation, 'linear'>[];

for (const build of ['relaxed', 'simd'] as const) {
  describe(`fused dense layers, ${build} build`, () => {
    beforeAll(async () => expect(await useBuild(build)).toBe(true));
    afterAll(async () => void (await useBuild('relaxed')));

    it.each([...ACTS, 'linear' as const])('act(x·W + b) and its gradients for %s', (act) => {
      for (const [M, K, N] of [[13, 37, 21], [100, 60, 50], [3, 300, 7]] as [number, number, number][]) {
        tf.tidy(() => {
          const x = uniform(M * 3 + K, [M, K]);
          const w = uniform(N * 5 + K, [K, N], -0.3, 0.3);
          const b = uniform(N, [N]);
          const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor => fusedDense(xx, ww, bb, act) ?? generic(tf.add(tf.matMul(xx, ww), bb), act);
          const fused = withFused(true, () => fusedDense(x, w, b, act));
          expect(fused).not.toBeNull();
          const pre = withFused(false, () => tf.add(tf.matMul(x, w), b));
          const scale = withFused(false, () => tf.add(tf.matMul(tf.abs(x), tf.abs(w)), tf.abs(b)));
          // the activation's slope bounds how a pre-activation error moves the output (≤ 1.06 for selu)
          expectRelScaled(fused!, withFused(false, () => generic(pre, act)), tf.mul(scale, 1.06));
          const { fused: gf, generic: gg } = compareGrads([x, w, b], f);
          gf.forEach((t, j) => expectNormRel(t, gg[j]!));
        });
      }
    });

    it.each(ACTS)('act(x + b) and act(x) for %s, any rank, odd widths', (act) => {
      tf.tidy(() => {
        const x = uniform(7, [2, 3, 11], -4, 4);
        const b = uniform(8, [11]);
        expectRel(withFused(true, () => fusedBiasAct(x, b, act))!, withFused(false, () => generic(tf.add(x, b), act)));
        expectRel(withFused(true, () => fusedAct(x, act))!, withFused(false, () => generic(x, act)));
        const { fused, generic: gg } = compareGrads([x, b], (xx, bb) => fusedBiasAct(xx!, bb!, act) ?? generic(tf.add(xx!, bb!), act));
        fused.forEach((t, j) => expectNormRel(t, gg[j]!));
      });
    });

    it.each(ACTS)('%s and its derivative match float64 over [-110, 90], the tails included', (act) => {
      const xs = Float32Array.from({ length: 4001 }, (_, i) => -110 + i * 0.05);
      const [f, df] = REF[act];
      tf.tidy(() => {
        const x = tf.tensor1d(xs);
        const y = withFused(true, () => fusedAct(x, act))!.dataSync();
        const g = withFused(true, () => tf.grad((t: tf.Tensor) => tf.sum(fusedAct(t, act)!))(x)).dataSync();
        for (let i = 0; i < xs.length; i++) {
          const v = xs[i]!;
          const ref = f(v);
          // relative 1e-6 (a few float32 ulps); results below float32's smallest normal are judged absolutely
          if (!(Math.abs(y[i]! - ref) <= 1e-6 * Math.abs(ref) + 1e-44)) throw new Error(`${act}(${v}) = ${y[i]}, expected ${ref}`);
          const dref = df(v);
          // the derivative is computed from the output: 1e-5 relative (2e-6 absolute where it underflows to the output's precision)
          if (!(Math.abs(g[i]! - dref) <= 1e-5 * Math.abs(dref) + 2e-7 * Math.abs(ref) + 1e-38)) throw new Error(`${act}'(${v}) = ${g[i]}, expected ${dref}`);
        }
      });
    });
  });
}

describe('fused activations: special values', () => {
  it('propagate NaN and saturate at ±Infinity like the generic ops', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([NaN, Infinity, -Infinity, 0, -0]);
      for (const act of ACTS) {
        const got = Array.from(withFused(true, () => fusedAct(x, act))!.dataSync());
        const want = Array.from(withFused(false, () => generic(x, act)).dataSync());
        expect(got.map((v) => (Object.is(v, -0) ? 0 : v)), act).toEqual(want.map((v) => (Object.is(v, -0) ? 0 : v)));
      }
    });
  });
});
