/**
 * Gradient plumbing that tfjs-core lacks. `stopGradient(x)` is the identity whose gradient is
 * zero (tfjs has no StopGradient op outside the model converter), built with customGrad.
 * `scaleGradient(x, holder)` is the identity whose gradient is multiplied by a tensor known
 * only later in the forward pass (DReG's second importance weight): the holder is filled after
 * the weights are computed and read during backprop.
 */
import * as tf from '@tensorflow/tfjs';

type Unary = (x: tf.Tensor) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor };

function customUnary(f: Unary): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
}

const stopGrad = customUnary((x) => ({ value: x.clone(), gradFunc: (dy) => tf.zerosLike(dy) }));

/** The identity, with a zero gradient: what is "detached" in each estimator. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGrad(x) as T;
}

/** A slot filled during the forward pass, read during backprop. The owner disposes `value`. */
export interface GradScaleHolder {
  value: tf.Tensor | null;
}

/**
 * Identity forward; backward multiplies the incoming gradient by `holder.value` (broadcast
 * against x's leading axes). Used for DReG (Tucker et al. 2018): the path derivative through a
 * reparameterized sample gets a second factor of the normalized importance weight.
 */
export function scaleGradient(x: tf.Tensor, holder: GradScaleHolder, eventRank: number): tf.Tensor {
  const f = customUnary((t) => ({
    value: t.clone(),
    gradFunc: (dy) => {
      const w = holder.value;
      if (!w) return dy;
      // w: [...batch] importance weights; pad with event axes to broadcast against dy.
      const padded = w.reshape([...w.shape, ...new Array<number>(eventRank).fill(1)]); // [...batch, 1...]
      return tf.mul(dy, padded); // [...batch, ...event]
    },
  }));
  return f(x);
}
