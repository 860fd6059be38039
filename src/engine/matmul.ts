/**
 * vaelang's matrix products: on a backend where the fast-gradient kernel is installed
 * (fast-gradients.ts, the wasm backend), through that kernel; elsewhere tfjs's matMul. Nets and
 * flows multiply through here, so the choice lives in one place and tfjs's own BatchMatMul
 * gradient is never replaced.
 */
import * as tf from '@tensorflow/tfjs';
import { FAST_MATMUL } from '../fast-gradients';

/** op(a)·op(b), [..., m, n]: the fast-gradient kernel when the current backend has it. */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (tf.getKernel(FAST_MATMUL, tf.getBackend()) === undefined) return tf.matMul(a, b, transposeA, transposeB); // [..., m, n]
  if (a.rank < 2 || b.rank < 2) throw new Error(`matMul needs operands of rank >= 2, got ${a.rank} and ${b.rank}`);
  // tf.matMul upcasts mixed or integer operands (a one-hot label is int32); the kernel takes float32 only.
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return tf.tidy(() => matMul(tf.cast(a, 'float32'), tf.cast(b, 'float32'), transposeA, transposeB)); // [..., m, n]
  return tf.engine().runKernel(FAST_MATMUL, { a, b } as unknown as tf.NamedTensorMap, { transposeA, transposeB } as unknown as tf.NamedAttrMap) as tf.Tensor; // [..., m, n]
}

/** x [...batch, d] · w [d, h] -> [...batch, h], flattening the batch axes around a 2-D product. */
export function matMulND(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return matMul(x, w); // [B, h]
  const batch = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [batch.reduce((p, q) => p * q, 1), x.shape[x.rank - 1]!]); // [prod(batch), d]
  return tf.reshape(matMul(flat, w), [...batch, w.shape[w.rank - 1]!]); // [...batch, h]
}
