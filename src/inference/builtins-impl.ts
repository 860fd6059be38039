/**
 * Run-time implementations of the built-in functions, under the same names as the typing
 * rules in dsl/builtins.ts. Each takes the argument tensors and their static event ranks.
 */
import * as tf from '@tensorflow/tfjs';
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
