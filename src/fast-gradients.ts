/**
 * Faster matmul gradients for the WebAssembly backend.
 *
 * tfjs differentiates C = A·B with transposed matmuls (dA = dC·Bᵀ via `transposeB`, dB = Aᵀ·dC
 * via `transposeA`). On tfjs-backend-wasm 4.22 a matmul with a transpose flag is 12-14x slower
 * than an explicit transpose followed by a plain matmul (measured: 100x784 by 784x400, 28-31 ms
 * against 2.2 + 0.3-1.0 ms), and that made the backward pass ~90% of a VAE step. This module
 * registers a matmul kernel of vaelang's own, `VaeMatMul`, whose gradient transposes
 * explicitly; its forward pass is whatever BatchMatMul kernel the backend has. vaelang's
 * matmuls call it (engine/matmul.ts); tfjs's own BatchMatMul and its gradient stay untouched,
 * so other tfjs code in the same process or page is unaffected. The gradient thunks stay lazy,
 * so no gradient is computed for an input that does not need one (e.g. the data x).
 * Only installed on the wasm backend; native TensorFlow handles transposed matmuls well.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelsActive } from './kernels/runtime';

/** Swaps the last two axes. */
function t2(x: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.transpose(x); // [n, m]
  const perm = [...Array(x.rank).keys()];
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return tf.transpose(x, perm); // [..., n, m]
}

/**
 * A plain matmul after explicit transposes: op(a)·op(b).
 *
 * XNNPACK packs the right operand on every call whose right operand is a new tensor (in
 * training, every call), and packing costs more per element than the multiplication's share.
 * For a·bᵀ with a large b (dX = dY·Wᵀ of a wide layer, a [M, N] and b = W [K, N] with K·N large
 * against M), (b·aᵀ)ᵀ moves the packing to the small aᵀ: on wasm, 100×784 by (400×784)ᵀ went
 * from 6.4 to 4.2 ms, and a vae.vae step from 32.3 to 30.8 ms (in-process A/B, 6 alternations
 * of 20 steps; M2 unchanged, its 2,000-row gradients keep the plain path). The choice is by the elements transposed and packed on each side.
 */
function mm(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  if (kernelsActive()) {
    // vaelang's GEMM (src/kernels) reads transposed operands in place; Aᵀ·Bᵀ = (B·A)ᵀ.
    return ta && tb ? t2(tf.matMul(b, a)) : tf.matMul(a, b, ta, tb); // [..., n, m]
  }
  if (!ta && tb && a.rank === 2 && b.rank === 2) {
    const [m, n] = a.shape as [number, number];
    const k = b.shape[0]!;
    // a·bᵀ: transpose and pack b (2·k·n); (b·aᵀ)ᵀ: transpose and pack a (2·m·n), transpose the output (m·k).
    if (2 * k * n > 2 * m * n + m * k) return tf.transpose(tf.matMul(b, tf.transpose(a))); // [m, k]
  }
  return tf.matMul(ta ? t2(a) : a, tb ? t2(b) : b); // [..., n, m]
}

/** Sums `grad` down to `shape` over broadcast batch axes (batched matmul broadcasting). */
function reduceTo(grad: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (grad.rank === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank - 2; i++) {
    const target = i - lead >= 0 ? shape[i - lead]! : 1;
    if (i < lead || (target === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? tf.sum(grad, axes, true) : grad;
  return summed.reshape([...shape]);
}

/** The kernel name of vaelang's matmul (forward: the backend's BatchMatMul; gradient: below). */
export const FAST_MATMUL = 'VaeMatMul';

/** Registers {@link FAST_MATMUL} for `backend` (idempotent; tfjs's kernel registry is the record). */
export function installFastGradients(backend = 'wasm'): void {
  if (tf.getKernel(FAST_MATMUL, backend) !== undefined) return;
  tf.registerKernel({
    kernelName: FAST_MATMUL,
    backendName: backend,
    // Forward to the BatchMatMul kernel registered at call time (tfjs's, or a faster one that wraps it).
    kernelFunc: (args) => tf.getKernel('BatchMatMul', backend)!.kernelFunc(args),
  });
  if (tf.getGradient(FAST_MATMUL) !== undefined) return;
  tf.registerGradient({
    kernelName: FAST_MATMUL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const g = dy as tf.Tensor;
      if (!transposeA && !transposeB) return { a: () => reduceTo(mm(g, b, false, true), a.shape), b: () => reduceTo(mm(a, g, true, false), b.shape) };
      if (!transposeA && transposeB) return { a: () => reduceTo(mm(g, b, false, false), a.shape), b: () => reduceTo(mm(g, a, true, false), b.shape) };
      if (transposeA && !transposeB) return { a: () => reduceTo(mm(b, g, false, true), a.shape), b: () => reduceTo(mm(a, g, false, false), b.shape) };
      return { a: () => reduceTo(mm(b, g, true, true), a.shape), b: () => reduceTo(mm(g, a, true, true), b.shape) };
    },
  });
}
