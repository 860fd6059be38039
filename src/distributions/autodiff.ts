/**
 * Gradient-tape helpers.
 *
 * tfjs throws "gradient function not found for Less" when a comparison of a differentiated
 * tensor lies between the parameters and the loss, even when it only feeds `tf.where`'s
 * condition or a sampler. These helpers run such code as one opaque op (a `tf.customGrad`
 * whose forward pass is not recorded) with a zero gradient for its inputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from './types';

/**
 * Evaluates `f` as one op whose gradient with respect to `inputs` is zero: a stop-gradient
 * for samplers and masks. `f` may use any op (comparisons, argMax, data reads).
 * @example const x = detached([probs], () => tf.less(u, probs).toFloat());
 */
export function detached(inputs: readonly Tensor[], f: () => Tensor): Tensor {
  const floats = inputs.filter((t) => t.dtype === 'float32');
  if (floats.length === 0) return tf.tidy(f); // [...f()]
  const op = tf.customGrad((...args) => {
    const xs = args.slice(0, floats.length) as Tensor[];
    return { value: f(), gradFunc: () => xs.map((x) => tf.zeros(x.shape, 'float32')) }; // zero gradients, [...input] each
  });
  return op(...floats);
}

const CMP = {
  less: (a: Tensor, b: Tensor | number) => tf.less(a, b),
  lessEqual: (a: Tensor, b: Tensor | number) => tf.lessEqual(a, b),
  greater: (a: Tensor, b: Tensor | number) => tf.greater(a, b),
  greaterEqual: (a: Tensor, b: Tensor | number) => tf.greaterEqual(a, b),
  equal: (a: Tensor, b: Tensor | number) => tf.equal(a, b),
};
type Cmp = keyof typeof CMP;

/**
 * A boolean comparison that is safe on the gradient tape (zero gradient), for `tf.where`
 * conditions on parameter-dependent tensors.
 * @example tf.where(compare('less', tf.abs(l), 0.04), taylor, closed)
 */
export function compare(op: Cmp, a: Tensor, b: Tensor | number): Tensor {
  const inputs = typeof b === 'number' ? [a] : [a, b];
  return detached(inputs, () => CMP[op](a, b)); // bool, broadcast(a, b)
}
