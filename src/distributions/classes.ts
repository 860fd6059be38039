/**
 * The logits-or-probs parameter of the class-valued families (Categorical, OneHotCategorical,
 * RelaxedOneHotCategorical): shape [..., k], the last axis over the k classes. Logits need
 * not be normalized (log-softmax with the max shift); probs are renormalized and clipped at
 * 2^-126 before the log so zero-probability classes give a finite -87 rather than NaN.
 */
import * as tf from '@tensorflow/tfjs';
import { FLOAT32_TINY } from './math';
import type { Tensor } from './types';

/** The class-probability parameter [..., k]. */
export class ClassParam {
  /** The given tensor (not owned). */
  readonly given: Tensor;
  /** The number of classes (the last axis). */
  readonly k: number;

  constructor(readonly kind: 'logits' | 'probs', given: Tensor, family: string) {
    if (given.rank === 0) throw new Error(`${family}: ${kind} must have a class axis, got a scalar`);
    this.given = given;
    this.k = given.shape[given.rank - 1]!;
  }

  /** From the params record (exactly one of logits/probs present). */
  static from(params: Readonly<Record<string, Tensor>>, family: string): ClassParam {
    const l = params['logits'];
    if (l !== undefined) return new ClassParam('logits', l, family);
    const p = params['probs'];
    if (p === undefined) throw new Error(`${family}: give logits or probs`);
    return new ClassParam('probs', p, family);
  }

  /** The shape without the class axis. */
  get outerShape(): number[] {
    return this.given.shape.slice(0, -1);
  }

  /** Normalized log-probabilities, [..., k]. */
  logProbs(): Tensor {
    return tf.tidy(() => {
      if (this.kind === 'logits') return tf.logSoftmax(this.given, -1); // [..., k]
      const p = tf.clipByValue(this.given, FLOAT32_TINY, Infinity); // [..., k]
      return tf.sub(tf.log(p), tf.log(tf.sum(this.given, -1, true))); // [..., k]
    });
  }

  /** Normalized probabilities, [..., k]. */
  probs(): Tensor {
    return tf.tidy(() => {
      if (this.kind === 'logits') return tf.softmax(this.given, -1); // [..., k]
      return tf.div(this.given, tf.sum(this.given, -1, true)); // [..., k]
    });
  }
}

/** log((k - 1)!) as a number. */
export function logFactorialOf(k: number): number {
  let s = 0;
  for (let i = 2; i < k; i++) s += Math.log(i);
  return s;
}

/**
 * A float32 one-hot encoding [..., k] of int32 indices. (Casts after `tf.oneHot`: the wasm
 * kernel ignores dtype 'float32' and writes integer bit patterns.)
 */
export function oneHotFloat(indices: Tensor, k: number): Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(indices, 'int32'), k), 'float32')); // [...indices, k]
}
