/**
 * The wasm backend's matmul gradients (src/fast-gradients.ts: explicit transposes, and (b·aᵀ)ᵀ
 * for a·bᵀ with a large b) against the closed forms computed in float64 in plain JS:
 * for L = Σ (op(A)·op(B)) ⊙ W, dL/dA and dL/dB follow from dL/dC = W with C = op(A)·op(B).
 * Tolerance: float32 sums of up to 784 products of O(1) terms, relative error ~1e-6·√K; 1e-4
 * relative to the largest entry leaves a wide margin, and any wrong transpose or shape is O(1).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { matMul } from '../../src/engine/matmul';
import { FAST_MATMUL } from '../../src/fast-gradients';

function rand(shape: number[], rng: () => number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => 2 * rng() - 1), shape);
}

/** Row-major 2-D matrix as nested float64 arrays, transposed when `t`. */
function mat(x: tf.Tensor, t: boolean): number[][] {
  const [r, c] = x.shape as [number, number];
  const d = x.dataSync();
  return t ? Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => d[i * c + j]!)) : Array.from({ length: r }, (_, i) => Array.from(d.subarray(i * c, (i + 1) * c)));
}

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

function transpose(a: number[][]): number[][] {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

function expectClose(actual: tf.Tensor, expected: number[][]): void {
  const flat = expected.flat();
  const scale = Math.max(...flat.map(Math.abs));
  const got = actual.dataSync();
  expect(got.length).toBe(flat.length);
  let worst = 0;
  for (let i = 0; i < flat.length; i++) worst = Math.max(worst, Math.abs(got[i]! - flat[i]!));
  expect(worst / scale).toBeLessThan(1e-4);
}

describe('matmul gradients on the active backend', () => {
  const cases: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { name: 'A·B, a narrow batch and a wide weight (the (b·aᵀ)ᵀ path for dA)', a: [20, 300], b: [300, 200], ta: false, tb: false },
    { name: 'A·B, a tall batch (the plain path)', a: [300, 20], b: [20, 30], ta: false, tb: false },
    { name: 'A·Bᵀ', a: [20, 50], b: [40, 50], ta: false, tb: true },
    { name: 'Aᵀ·B', a: [50, 20], b: [50, 40], ta: true, tb: false },
    { name: 'Aᵀ·Bᵀ', a: [50, 20], b: [40, 50], ta: true, tb: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rng = Rng.fromSeed(5).uniforms();
      const a = rand(c.a, rng);
      const b = rand(c.b, rng);
      const rows = c.ta ? c.a[1]! : c.a[0]!;
      const cols = c.tb ? c.b[0]! : c.b[1]!;
      const w = rand([rows, cols], rng);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x, y, c.ta, c.tb), w)))([a, b]);
      // C = op(A)·op(B), dC = W: d op(A) = W·op(B)ᵀ, d op(B) = op(A)ᵀ·W.
      const opA = mat(a, c.ta);
      const opB = mat(b, c.tb);
      const W = mat(w, false);
      const dOpA = matmul(W, transpose(opB));
      const dOpB = matmul(transpose(opA), W);
      expectClose(da!, c.ta ? transpose(dOpA) : dOpA);
      expectClose(db!, c.tb ? transpose(dOpB) : dOpB);
      tf.dispose([a, b, w, da!, db!]);
    });
  }

  it('a batched matmul whose weight is broadcast over the batch sums its gradient over it', () => {
    const rng = Rng.fromSeed(6).uniforms();
    const a = rand([3, 4, 6], rng); // [batch, m, k]
    const b = rand([6, 5], rng); // [k, n], broadcast over the batch
    const w = rand([3, 4, 5], rng);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x, y), w)))([a, b]);
    expect(da!.shape).toEqual([3, 4, 6]);
    expect(db!.shape).toEqual([6, 5]);
    const B = mat(b, false);
    let dB = B.map((row) => row.map(() => 0));
    for (let i = 0; i < 3; i++) {
      const Ai = mat(a.slice([i, 0, 0], [1, 4, 6]).reshape([4, 6]), false);
      const Wi = mat(w.slice([i, 0, 0], [1, 4, 5]).reshape([4, 5]), false);
      expectClose(da!.slice([i, 0, 0], [1, 4, 6]).reshape([4, 6]), matmul(Wi, transpose(B)));
      const part = matmul(transpose(Ai), Wi);
      dB = dB.map((row, r) => row.map((v, q) => v + part[r]![q]!));
    }
    expectClose(db!, dB);
  });
});

describe('the fast gradient is vaelang\'s own kernel', () => {
  it('leaves tfjs\'s BatchMatMul gradient as tfjs registered it, and is what vaelang\'s matmuls use on wasm', () => {
    const stock = tf.getGradient('BatchMatMul')!;
    expect(stock.gradFunc.toString()).not.toMatch(/reduceTo/);
    const ours = tf.getGradient(FAST_MATMUL)!;
    expect(ours.gradFunc.toString()).toMatch(/reduceTo/);
    expect(tf.getKernel(FAST_MATMUL, 'wasm') !== undefined).toBe(tf.getBackend() === 'wasm');
  });
});
