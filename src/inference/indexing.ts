/**
 * `a[i]` at run time: entry i of the first event axis of a value [...batch, n, ...rest].
 *
 * A compile-time index is a slice. A label index (int32 [...batch_i], e.g. an enumerated y of
 * shape [n_y, 1, 1] or data [B]) selects by a one-hot product, so the batch axes of the table and
 * of the labels broadcast against each other and the gradient reaches the table (a gather's
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks): a table without batch axes
 * (a `param`) is one matmul, onehot(i) [M, n] @ a [n, R]; a per-example table (a net output) is
 * a product with onehot(i) [..., n, 1...] summed over the n axis.
 */
import * as tf from '@tensorflow/tfjs';

/** Entry `i`, a whole number in [0, n), of the first event axis of t (event rank `rank`). */
export function entryAt(t: tf.Tensor, rank: number, i: number): tf.Tensor {
  const axis = t.rank - rank;
  const begin = t.shape.map((_, a) => (a === axis ? i : 0));
  const size = t.shape.map((d, a) => (a === axis ? 1 : d));
  return tf.slice(t, begin, size).reshape(t.shape.filter((_, a) => a !== axis)); // [...batch, ...rest]
}

/** Entry `labels` (int32 [...batch_i], each in [0, n)) of the first event axis of t (event rank `rank`). */
export function entryOf(t: tf.Tensor, rank: number, labels: tf.Tensor): tf.Tensor {
  const axis = t.rank - rank;
  const n = t.shape[axis]!;
  const rest = t.shape.slice(axis + 1);
  const oh = tf.oneHot(labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32'), n); // [...batch_i, n] (int32)
  const onehot = tf.cast(oh, t.dtype); // [...batch_i, n]
  if (axis === 0) {
    // A table without batch axes: one matmul.
    const ib = labels.shape;
    const R = rest.reduce((a, b) => a * b, 1);
    const rows = tf.matMul(onehot.reshape([ib.reduce((a, b) => a * b, 1), n]), t.reshape([n, R])); // [M, R]
    return rows.reshape([...ib, ...rest]); // [...batch_i, ...rest]
  }
  const shaped = onehot.reshape([...labels.shape, n, ...new Array<number>(rest.length).fill(1)]); // [...batch_i, n, 1...]
  const prod = tf.mul(shaped, t); // [...batch, n, ...rest]
  return tf.sum(prod, prod.rank - rank); // [...batch, ...rest]
}
