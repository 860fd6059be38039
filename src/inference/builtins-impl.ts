/**
 * Run-time implementations of the built-in functions, under the same names as the typing
 * rules in dsl/builtins.ts. Each takes the argument tensors and their static event ranks.
 */
import * as tf from '@tensorflow/tfjs';
import { log1p } from '../distributions/math';
import { padEvent } from './align';

export interface BuiltinArg {
  readonly t: tf.Tensor;
  readonly rank: number;
  readonly value?: number;
}

type Impl = (args: readonly BuiltinArg[], resultShape: readonly number[]) => tf.Tensor;

const unary = (f: (t: tf.Tensor) => tf.Tensor): Impl => (args) => f(args[0]!.t);

export const BUILTIN_IMPLS: ReadonlyMap<string, Impl> = new Map<string, Impl>([
  [
    'onehot',
    (args, shape) => {
      const a = args[0]!;
      if (a.t.dtype !== 'int32') return a.t; // already one-hot
      return tf.oneHot(a.t as tf.Tensor1D, shape[shape.length - 1]!).cast('float32'); // [...batch, k]
    },
  ],
  ['uniform', (_args, shape) => tf.fill([...shape], 1 / shape[shape.length - 1]!)], // [k]
  ['zeros', (_args, shape) => tf.zeros([...shape])], // [...shape]
  ['ones', (_args, shape) => tf.ones([...shape])], // [...shape]
  ['exp', unary(tf.exp)],
  ['log', unary(tf.log)],
  ['softplus', unary(tf.softplus)],
  ['sigmoid', unary(tf.sigmoid)],
  ['tanh', unary(tf.tanh)],
  ['sqrt', unary(tf.sqrt)],
  ['square', unary(tf.square)],
  ['abs', unary(tf.abs)],
  ['softmax', unary((t) => tf.softmax(t))],
  ['log1p', unary((t) => log1p(t))],
  ['sum', unary((t) => tf.sum(t, -1))], // [...batch, ...event[:-1]]
  [
    'lower_cholesky',
    unary((m) => {
      const d = m.shape[m.rank - 1]!;
      const strict = tf.sub(tf.linalg.bandPart(tf.ones([d, d]), -1, 0), tf.eye(d)); // [d, d] strictly lower
      const diag = tf.sum(tf.mul(m, tf.eye(d)), -1); // [..., d]
      return tf.add(tf.mul(m, strict), tf.mul(tf.expandDims(tf.softplus(diag), -1), tf.eye(d))); // [..., d, d]
    }),
  ],
  ['diag', unary((s) => tf.mul(tf.expandDims(s, -1), tf.eye(s.shape[s.rank - 1]!)))], // [..., d, d]
  ['eye', (_args, shape) => tf.eye(shape[0]!)], // [d, d]
  [
    'concat',
    (args, shape) => {
      const rank = shape.length;
      const padded = args.map((a) => padEvent(a.t, a.rank, rank)); // each [...batch_i, ..., d_i]
      // Broadcast every batch and leading event axis to a common shape, then join the last axis.
      const lead = padded.reduce<number[]>((acc, t) => {
        const s = t.shape.slice(0, -1);
        const n = Math.max(acc.length, s.length);
        return Array.from({ length: n }, (_, i) => Math.max(acc[acc.length - n + i] ?? 1, s[s.length - n + i] ?? 1));
      }, []);
      const expanded = padded.map((t) => tf.broadcastTo(t, [...lead, t.shape[t.rank - 1]!])); // [...lead, d_i]
      return tf.concat(expanded, -1); // [...lead, sum d_i]
    },
  ],
]);
