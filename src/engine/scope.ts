/**
 * Tensor scopes for code that reads numbers out of tensors: `scoped(f)` runs `f` in a tfjs
 * scope, so every tensor it creates is freed when it returns, and returns f's plain result.
 * Unlike tf.tidy, `f` may return anything (numbers, typed arrays, records); a tensor returned
 * from `f` is freed too, so read it out inside `f`.
 */
import * as tf from '@tensorflow/tfjs';

/** Runs `f` in a tfjs scope: every tensor it creates is freed when it returns (or throws). */
export function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}
