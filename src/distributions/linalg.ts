/**
 * Batched triangular solves and Cholesky factorizations as differentiable tfjs ops. tfjs has
 * neither, so each op runs a float64 JS kernel on the matrices' values and states its
 * gradient explicitly (also with JS kernels):
 *
 *   X = L^-1 B      dB = L^-T dX,  dL = -tril(dB X^T)          (triangularSolve)
 *   X = L^-T B      dB = L^-1 dX,  dL = -tril(X dB^T)          (triangularSolve, transpose)
 *   L = chol(A)     P = Phi(L^T dL),  dA = sym(L^-T P L^-1)     (cholesky; Murray 2016)
 *
 * with Phi = the lower triangle with its diagonal halved and sym(S) = (S + S^T) / 2.
 * I. Murray, "Differentiation of the Cholesky decomposition", arXiv:1602.07527 (2016).
 *
 * Shapes: L and A are [..., n, n] (only the lower triangle of L is read), B is [..., n, m];
 * the batch axes of L and B broadcast. The matrices are small (a latent dimension, a rank):
 * an O(n^2 m) loop in JS per matrix is faster than a chain of tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { broadcastShapes } from './shapes';
import type { Tensor } from './types';

type F64 = Float64Array;

/** Solves L x = b (or L^T x = b) in place for one matrix: L n x n at `lo`, B n x m at `bo`. */
function solveInto(L: ArrayLike<number>, lo: number, B: F64, bo: number, n: number, m: number, transpose: boolean): void {
  if (!transpose) {
    for (let i = 0; i < n; i++) {
      const d = L[lo + i * n + i]!;
      for (let c = 0; c < m; c++) {
        let s = B[bo + i * m + c]!;
        for (let k = 0; k < i; k++) s -= L[lo + i * n + k]! * B[bo + k * m + c]!;
        B[bo + i * m + c] = s / d;
      }
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const d = L[lo + i * n + i]!;
      for (let c = 0; c < m; c++) {
        let s = B[bo + i * m + c]!;
        for (let k = i + 1; k < n; k++) s -= L[lo + k * n + i]! * B[bo + k * m + c]!;
        B[bo + i * m + c] = s / d;
      }
    }
  }
}

/** Lower Cholesky factor of one SPD matrix (NaN where it is not positive definite). */
function cholInto(A: ArrayLike<number>, ao: number, L: F64, lo: number, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = A[ao + j * n + j]!;
    for (let k = 0; k < j; k++) s -= L[lo + j * n + k]! ** 2;
    const d = s > 0 ? Math.sqrt(s) : NaN;
    L[lo + j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[ao + i * n + j]!;
      for (let k = 0; k < j; k++) t -= L[lo + i * n + k]! * L[lo + j * n + k]!;
      L[lo + i * n + j] = t / d;
    }
    for (let i = 0; i < j; i++) L[lo + i * n + j] = 0;
  }
}

/** Solves every matrix of a batch: count matrices L (n x n) and right-hand sides B (n x m). */
function solveBatch(L: ArrayLike<number>, B: ArrayLike<number>, count: number, n: number, m: number, transpose: boolean): F64 {
  const X = Float64Array.from(B);
  for (let b = 0; b < count; b++) solveInto(L, b * n * n, X, b * n * m, n, m, transpose);
  return X;
}

/** [..., n, m] with batch axes broadcast to `batch`. */
function broadcastBatch(t: Tensor, batch: readonly number[]): Tensor {
  return tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]); // [...batch, r, c]
}

/**
 * X with L X = B (or L^T X = B when `transpose`): L [..., n, n] lower-triangular with a
 * nonzero diagonal, B [..., n, m]; returns [...broadcast batch, n, m], differentiable in both.
 */
export function triangularSolve(L: Tensor, B: Tensor, transpose = false): Tensor {
  return tf.tidy(() => {
    const n = L.shape[L.rank - 1]!;
    const m = B.shape[B.rank - 1]!;
    if (L.shape[L.rank - 2] !== n || B.shape[B.rank - 2] !== n) {
      throw new Error(`triangularSolve: L [${L.shape.join(',')}] and B [${B.shape.join(',')}] do not fit`);
    }
    const batch = broadcastShapes(L.shape.slice(0, -2), B.shape.slice(0, -2));
    const Lb = broadcastBatch(L, batch); // [...batch, n, n]
    const Bb = broadcastBatch(B, batch); // [...batch, n, m]
    const count = batch.reduce((a, b) => a * b, 1);
    const op = tf.customGrad((lt, bt, save) => {
      const lv = (lt as Tensor).dataSync();
      const X = solveBatch(lv, (bt as Tensor).dataSync(), count, n, m, transpose);
      const x = tf.tensor(Float32Array.from(X), [...batch, n, m], 'float32'); // [...batch, n, m]
      (save as tf.GradSaveFunc)([lt as Tensor, x]);
      return {
        value: x,
        gradFunc: (dy, saved) => {
          const [ls, xs] = saved as Tensor[];
          const lvv = ls!.dataSync();
          const xv = xs!.dataSync();
          const dB = solveBatch(lvv, (dy as Tensor).dataSync(), count, n, m, !transpose);
          const dL = new Float64Array(count * n * n);
          for (let b = 0; b < count; b++) {
            const o = b * n * m;
            for (let i = 0; i < n; i++) {
              for (let j = 0; j <= i; j++) {
                let s = 0;
                // not transposed: -(dB X^T)_ij; transposed: -(X dB^T)_ij
                if (!transpose) for (let c = 0; c < m; c++) s += dB[o + i * m + c]! * xv[o + j * m + c]!;
                else for (let c = 0; c < m; c++) s += xv[o + i * m + c]! * dB[o + j * m + c]!;
                dL[b * n * n + i * n + j] = -s;
              }
            }
          }
          return [tf.tensor(Float32Array.from(dL), [...batch, n, n], 'float32'), tf.tensor(Float32Array.from(dB), [...batch, n, m], 'float32')];
        },
      };
    });
    return op(Lb, Bb); // [...batch, n, m]
  });
}

/** The lower Cholesky factor of symmetric positive-definite matrices A [..., n, n]; differentiable. */
export function cholesky(A: Tensor): Tensor {
  return tf.tidy(() => {
    const n = A.shape[A.rank - 1]!;
    const batch = A.shape.slice(0, -2);
    const count = batch.reduce((a, b) => a * b, 1);
    const op = tf.customGrad((at, save) => {
      const av = (at as Tensor).dataSync();
      const Lv = new Float64Array(count * n * n);
      for (let b = 0; b < count; b++) cholInto(av, b * n * n, Lv, b * n * n, n);
      const L = tf.tensor(Float32Array.from(Lv), [...batch, n, n], 'float32'); // [...batch, n, n]
      (save as tf.GradSaveFunc)([L]);
      return {
        value: L,
        gradFunc: (dy, saved) => {
          const lv = saved[0]!.dataSync();
          const gl = (dy as Tensor).dataSync();
          const out = new Float64Array(count * n * n);
          const P = new Float64Array(n * n);
          for (let b = 0; b < count; b++) {
            const o = b * n * n;
            // P = Phi(L^T dL)
            for (let i = 0; i < n; i++) {
              for (let j = 0; j <= i; j++) {
                let s = 0;
                for (let k = 0; k < n; k++) s += lv[o + k * n + i]! * gl[o + k * n + j]!;
                P[i * n + j] = i === j ? 0.5 * s : s;
              }
              for (let j = i + 1; j < n; j++) P[i * n + j] = 0;
            }
            // S = L^-T P L^-1: solve L^T Y = P, then S^T = L^-T Y^T.
            solveInto(lv, o, P, 0, n, n, true); // P <- L^-T P
            const Yt = new Float64Array(n * n);
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Yt[i * n + j] = P[j * n + i]!;
            solveInto(lv, o, Yt, 0, n, n, true); // Yt <- L^-T (L^-T P)^T = S^T
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[o + i * n + j] = 0.5 * (Yt[i * n + j]! + Yt[j * n + i]!);
          }
          return tf.tensor(Float32Array.from(out), [...batch, n, n], 'float32'); // [...batch, n, n]
        },
      };
    });
    return op(A); // [...batch, n, n]
  });
}

/** The diagonals of matrices [..., n, n], as [..., n]. */
export function diagPart(M: Tensor): Tensor {
  return tf.tidy(() => {
    const n = M.shape[M.rank - 1]!;
    return tf.sum(tf.mul(M, tf.eye(n)), -1); // [..., n]
  });
}

/** The lower triangles (diagonal included) of matrices [..., n, n]. */
export function lowerTriangle(M: Tensor): Tensor {
  return tf.tidy(() => {
    const n = M.shape[M.rank - 1]!;
    return tf.mul(M, tf.linalg.bandPart(tf.ones([n, n]), -1, 0)); // [..., n, n]
  });
}

/** Matrices [..., n, m] times vectors [..., m] -> [..., n] (batch axes broadcast). */
export function matVec(M: Tensor, v: Tensor): Tensor {
  return tf.tidy(() => tf.sum(tf.mul(M, tf.expandDims(v, -2)), -1)); // [..., n]
}

/** Two stacks of matrices with their batch axes broadcast to a common shape (for tf.matMul). */
export function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [tf.broadcastTo(a, [...batch, ...a.shape.slice(-2)]), tf.broadcastTo(b, [...batch, ...b.shape.slice(-2)])]; // [...batch, ., .] each
}
