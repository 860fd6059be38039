/**
 * The JS-kernel tfjs ops of src/distributions/linalg.ts: forward values against dense float64
 * algebra written here, and gradients against float64 central differences of that algebra
 * (h = 1e-6, truncation error ~1e-12; the ops run in float32, so agreement is to ~1e-4).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cholesky, triangularSolve } from '../../src/distributions/linalg';
import { getDistSpec } from '../../src/distributions/registry';
import type { Tensor } from '../../src/distributions/types';
import { expectClose, vals } from './helpers';

type Mat = number[][];

function solve64(L: Mat, B: Mat, transpose: boolean): Mat {
  const n = L.length;
  const m = B[0]!.length;
  const X: Mat = B.map((r) => [...r]);
  const rows = transpose ? [...Array(n).keys()].reverse() : [...Array(n).keys()];
  for (const i of rows) {
    for (let c = 0; c < m; c++) {
      let s = B[i]![c]!;
      if (!transpose) for (let k = 0; k < i; k++) s -= L[i]![k]! * X[k]![c]!;
      else for (let k = i + 1; k < n; k++) s -= L[k]![i]! * X[k]![c]!;
      X[i]![c] = s / L[i]![i]!;
    }
  }
  return X;
}

function chol64(A: Mat): Mat {
  const n = A.length;
  const L: Mat = A.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let s = A[j]![j]!;
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2;
    L[j]![j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = A[i]![j]!;
      for (let k = 0; k < j; k++) t -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = t / L[j]![j]!;
    }
  }
  return L;
}

/** sum(W * f(M)) and its float64 central-difference gradient in M (symmetric perturbations when `sym`). */
function fdGrad(M: Mat, W: Mat, f: (m: Mat) => Mat, sym = false): Mat {
  const h = 1e-6;
  const obj = (m: Mat): number => f(m).reduce((a, row, i) => a + row.reduce((b, v, j) => b + v * W[i]![j]!, 0), 0);
  return M.map((row, i) =>
    row.map((_, j) => {
      const plus = M.map((r) => [...r]);
      const minus = M.map((r) => [...r]);
      plus[i]![j]! += h;
      minus[i]![j]! -= h;
      if (sym && i !== j) {
        plus[j]![i]! += h;
        minus[j]![i]! -= h;
      }
      return (obj(plus) - obj(minus)) / (2 * h);
    }),
  );
}

const L0: Mat = [[1.2, 0, 0], [0.4, 0.9, 0], [-0.7, 0.3, 1.5]];
const B0: Mat = [[1, 0.5], [-2, 0.1], [0.3, 3]];
const W0: Mat = [[0.3, -1], [2, 0.5], [-0.4, 1.1]];
const A0: Mat = [[2, 0.6, -0.3], [0.6, 1.5, 0.2], [-0.3, 0.2, 1]];
const WA: Mat = [[0.5, 0.2, -0.1], [0.7, 1, 0.3], [0.05, -0.6, 0.4]];

describe('triangularSolve', () => {
  for (const transpose of [false, true]) {
    it(`${transpose ? 'L^T X = B' : 'L X = B'}: values and gradients in L and B`, () => {
      tf.tidy(() => {
        const f = (l: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(triangularSolve(l, b, transpose), tf.tensor(W0)));
        expectClose(vals(triangularSolve(tf.tensor(L0), tf.tensor(B0), transpose)), solve64(L0, B0, transpose).flat(), 1e-5, 1e-6);
        const [gl, gb] = tf.grads(f)([tf.tensor(L0), tf.tensor(B0)]);
        const refL = fdGrad(L0, W0, (l) => solve64(l, B0, transpose)).map((r, i) => r.map((v, j) => (j <= i ? v : 0)));
        expectClose(vals(gl!), refL.flat(), 1e-4, 1e-5);
        expectClose(vals(gb!), fdGrad(B0, W0, (b) => solve64(L0, b, transpose)).flat(), 1e-4, 1e-5);
      });
    });
  }

  it('broadcasts batch axes: L [3, 3] against B [4, 2, 3, 2]', () => {
    tf.tidy(() => {
      const B = tf.tile(tf.reshape(tf.tensor(B0), [1, 1, 3, 2]), [4, 2, 1, 1]);
      const X = triangularSolve(tf.tensor(L0), B);
      expect(X.shape).toEqual([4, 2, 3, 2]);
      expectClose(vals(X).slice(-6), solve64(L0, B0, false).flat(), 1e-5, 1e-6);
    });
  });
});

describe('cholesky', () => {
  it('values and the gradient in the matrix (Murray 2016), against symmetric differences', () => {
    tf.tidy(() => {
      expectClose(vals(cholesky(tf.tensor(A0))), chol64(A0).flat(), 1e-5, 1e-6);
      const g = tf.grad((a: Tensor) => tf.sum(tf.mul(cholesky(a), tf.tensor(WA))))(tf.tensor(A0));
      // A symmetric perturbation of (i, j) moves A_ij and A_ji: it sees g_ij + g_ji.
      const ref = fdGrad(A0, WA, chol64, true);
      const gv = vals(g);
      const sym = A0.map((r, i) => r.map((_, j) => (i === j ? gv[i * 3 + j]! : gv[i * 3 + j]! + gv[j * 3 + i]!)));
      expectClose(sym.flat(), ref.flat(), 1e-4, 1e-5);
    });
  });
});

describe('the Gaussian vector families reduce to Normal', () => {
  it('MultivariateNormal with a diagonal scale_tril and LowRank with a zero factor give Normal log-densities and gradients', () => {
    tf.tidy(() => {
      const loc = tf.tensor([[0.5, -1, 2], [0, 0, 0]]);
      const sd = tf.tensor([0.7, 1.3, 2]);
      const x = tf.tensor([[[0.1, 0.2, 0.3], [1, -1, 0.5]]]); // [1, 2, 3]
      const normal = (l: Tensor, s: Tensor): Tensor => getDistSpec('Normal')!.create({ loc: l, scale: s }, [3]).logProb(x);
      const mvn = (l: Tensor, s: Tensor): Tensor => getDistSpec('MultivariateNormal')!.create({ loc: l, scale_tril: tf.mul(tf.expandDims(s, -1), tf.eye(3)) }, [3]).logProb(x);
      const lr = (l: Tensor, s: Tensor): Tensor => getDistSpec('LowRankMultivariateNormal')!.create({ loc: l, cov_factor: tf.zeros([3, 1]), cov_diag: tf.square(s) }, [3]).logProb(x);
      const ref = vals(normal(loc, sd));
      expectClose(vals(mvn(loc, sd)), ref, 1e-5, 1e-5);
      expectClose(vals(lr(loc, sd)), ref, 1e-5, 1e-5);
      const gRef = tf.grads((l: Tensor, s: Tensor) => tf.sum(normal(l, s)))([loc, sd]).map(vals);
      for (const f of [mvn, lr]) {
        const g = tf.grads((l: Tensor, s: Tensor) => tf.sum(f(l, s)))([loc, sd]).map(vals);
        expectClose(g[0]!, gRef[0]!, 1e-4, 1e-5);
        expectClose(g[1]!, gRef[1]!, 1e-4, 1e-5);
      }
    });
  });
});
