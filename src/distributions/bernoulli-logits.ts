/**
 * The Bernoulli log-likelihood from logits, x·l − softplus(l), elementwise, with its gradient in
 * closed form (∂/∂l = x − sigmoid(l), ∂/∂x = l) instead of tfjs's chain through mul, softplus and
 * sub: the likelihood of a 784-pixel image is the largest elementwise term of a VAE step (and of
 * IWAE evaluation), so its backward pass matters.
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from './softplus';

/** Sums `g` over the axes along which a tensor of shape `shape` was broadcast to g's shape. */
function reduceTo(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return tf.sum(g, axes).reshape([...shape]); // [...shape]
}

const bernoulliLogits = tf.customGrad(((l: tf.Tensor, x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([l, x]);
  return {
    value: tf.sub(tf.mul(x, l), softplus(l)), // [...broadcast(l, x)]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ls, xs] = saved as [tf.Tensor, tf.Tensor];
      return [reduceTo(tf.mul(dy, tf.sub(xs, tf.sigmoid(ls))), ls.shape), reduceTo(tf.mul(dy, ls), xs.shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (l: tf.Tensor, x: tf.Tensor) => tf.Tensor;

/** x·l − softplus(l), elementwise (broadcasting l against x). */
export function bernoulliLogitsLogProb(l: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return bernoulliLogits(l, x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}
