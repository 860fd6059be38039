/**
 * `stepMask(lengths)`: a step of a sequence over an axis declared `[..T, ...]` (a site written in
 * a loop `for t in a..T`, src/dsl/unroll.ts) counts for example b only where t < length_b. The
 * handler sets the message's `mask` to that [B] float mask (Pyro's `poutine.mask`); the objective
 * terms multiply every log-density of the site by it (log p and log q, the analytic KL, the
 * per-dimension KL), and an enumerated masked step weighs its values uniformly
 * (objectives/terms.ts, objectives/common.ts). Masks of nested handlers multiply.
 */
import * as tf from '@tensorflow/tfjs';
import type { Handler, SampleMsg } from '../messages';

/** The [B] float mask of step `index` of an axis whose lengths are `lengths` [B]: 1 where index < length. */
export function stepMaskOf(lengths: tf.Tensor, index: number): tf.Tensor {
  return tf.cast(tf.greater(lengths, index), 'float32'); // [B]
}

export function stepMask(lengths: ReadonlyMap<string, tf.Tensor>): Handler {
  const cache = new Map<string, tf.Tensor>();
  return {
    process(msg: SampleMsg) {
      const step = msg.site.step;
      const len = step?.upTo !== undefined ? lengths.get(step.upTo) : undefined;
      if (!step || !len) return;
      const key = `${step.upTo}[${step.index}]`;
      let m = cache.get(key);
      if (!m) {
        m = stepMaskOf(len, step.index); // [B]
        cache.set(key, m);
      }
      msg.mask = msg.mask ? tf.mul(msg.mask, m) : m; // [B]
    },
  };
}
