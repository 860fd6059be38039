/**
 * Helpers for the kernel tests: run the same computation with vaelang's wasm kernels on and
 * off (the generic tfjs path), random inputs from a seeded stream, and the tolerance check.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { nodeKernelOptions } from '../../src/kernels/node-host';
import { FUSED_FEATURES, installKernels, kernelsInfo, setFused, type FusedFeature } from '../../src/kernels/index';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';

/** Runs `f` with the kernel groups `on` switched on (all others off), restoring every group after. */
export function withFused<T>(on: boolean | FusedFeature[], f: () => T): T {
  setFused(on);
  try {
    return f();
  } finally {
    setFused(true);
  }
}

/** Uniform(lo, hi) float32 values from the test stream `n`. */
export function uniform(n: number, shape: number[], lo = -1, hi = 1): tf.Tensor {
  const u = Rng.fromSeed(TEST_SEED).fold(n).uniforms();
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => lo + (hi - lo) * u()), shape, 'float32');
}

/**
 * The kernels' tolerance against the generic path: |a − b| ≤ 1e-5 (|b| + s) elementwise, with
 * s = 1e-2 max|b| so that elements that cancel to near zero (sums of products in a GEMM) are
 * judged against the size of the result, and ‖a − b‖₂ ≤ 1e-5 ‖b‖₂ overall.
 */
export function expectRel(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>, rel = 1e-5): void {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  if (a instanceof tf.Tensor && b instanceof tf.Tensor) expect(a.shape).toEqual(b.shape);
  expect(x.length).toBe(y.length);
  let big = 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) big = Math.max(big, Math.abs(y[i]!));
  for (let i = 0; i < y.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    const tol = rel * (Math.abs(y[i]!) + 1e-2 * big) + 1e-30;
    if (!(d <= tol)) throw new Error(`element ${i} of ${y.length}: ${x[i]} vs ${y[i]} (|diff| ${d.toExponential(2)} > ${tol.toExponential(2)})`);
    num += d * d;
    den += y[i]! * y[i]!;
  }
  expect(Math.sqrt(num)).toBeLessThanOrEqual(rel * Math.sqrt(den) + 1e-30);
}

/**
 * For products (GEMM): |a − b| ≤ rel · scale elementwise, where scale is the product of the
 * operands' absolute values (|A|·|B|, the standard bound for a sum of products, which does not
 * penalize cancellation), and ‖a − b‖₂ ≤ rel ‖b‖₂ overall.
 */
export function expectRelScaled(a: tf.Tensor, b: tf.Tensor, scale: tf.Tensor, rel = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  const s = scale.dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (!(d <= rel * s[i]! + 1e-30)) throw new Error(`element ${i} of ${y.length}: ${x[i]} vs ${y[i]} (|diff| ${d.toExponential(2)} > ${(rel * s[i]!).toExponential(2)})`);
    num += d * d;
    den += y[i]! * y[i]!;
  }
  expect(Math.sqrt(num)).toBeLessThanOrEqual(rel * Math.sqrt(den) + 1e-30);
}

/** Expects ‖a − b‖₂ ≤ rel ‖b‖₂ for each pair (gradients that are sums of products). */
export function expectNormRel(a: tf.Tensor, b: tf.Tensor, rel = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num += (x[i]! - y[i]!) ** 2;
    den += y[i]! ** 2;
  }
  if (!(Math.sqrt(num) <= rel * Math.sqrt(den) + 1e-30)) throw new Error(`relative error ${(Math.sqrt(num) / Math.sqrt(den)).toExponential(2)} > ${rel}`);
}

/** Value and gradients of `f` with the kernels on and off. */
export function compareGrads(xs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor, groups: FusedFeature[] = [...FUSED_FEATURES]): { fused: tf.Tensor[]; generic: tf.Tensor[] } {
  const run = (): tf.Tensor[] => {
    const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => {
      const y = f(...a);
      return tf.sum(tf.mul(y, weights(y.shape)));
    })(xs);
    return [value, ...grads];
  };
  return { fused: withFused(groups, run), generic: withFused(false, run) };
}

/** Fixed pseudo-random weights for a scalar loss Σ w ⊙ f, so every output element matters differently. */
function weights(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => 0.5 + ((i * 7919) % 1000) / 1000), shape);
}

/** Loads the given build (simd or relaxed) for the tests that run both; returns false when unavailable. */
export async function useBuild(build: 'simd' | 'relaxed'): Promise<boolean> {
  const info = await installKernels({ build, ...nodeKernelOptions() });
  return info.build === build;
}

export { kernelsInfo };
