/**
 * The runtime: an explicit handler stack per execution (no global stack, after NumPyro's
 * compact handlers but passed explicitly). `applyStack` follows Pyro's order: `process` from
 * the innermost handler outward until one sets `stop`, then the default action, then
 * `postprocess` in reverse over the handlers visited.
 */
import * as tf from '@tensorflow/tfjs';
import type { Handler, Message } from './messages';
import { broadcastShape } from './align';
import { isPathwise } from './estimators/index';
import { plateShape } from './layout';

export class Runtime {
  /** handlers[0] is the outermost; the last is the innermost. */
  constructor(readonly handlers: readonly Handler[]) {}

  apply(msg: Message): void {
    const visited: Handler[] = [];
    for (let i = this.handlers.length - 1; i >= 0; i--) {
      const h = this.handlers[i]!;
      visited.push(h);
      h.process?.(msg);
      if (msg.stop) break;
    }
    defaultAction(msg);
    for (let i = visited.length - 1; i >= 0; i--) visited[i]!.postprocess?.(msg);
  }
}

/** Draws a value when no handler supplied one: rsample where the site's estimator rule draws with a path derivative. */
export function defaultAction(msg: Message): void {
  if (msg.done || msg.value !== null) return;
  if (!msg.rng) throw new Error(`site '${msg.site.name}' has no random seed (missing seed handler)`);
  const shape = broadcastShape(msg.dist.batchShape, plateShape(msg.plates)); // [...batch]
  const useR = isPathwise(msg.estimator) && msg.dist.rsample !== undefined;
  msg.value = useR ? msg.dist.rsample!(msg.rng, shape) : msg.dist.sample(msg.rng, shape); // [...batch, ...event]
  if (msg.observation?.mask) msg.value = mergeObserved(msg.observation.value, msg.observation.mask, msg.value);
}

/** where(mask, observed, latent), broadcasting the observed value to the latent's shape. */
export function mergeObserved(observed: tf.Tensor, mask: tf.Tensor, latent: tf.Tensor): tf.Tensor {
  const shape = broadcastShape(observed.shape, latent.shape);
  const m = tf.broadcastTo(tf.cast(mask, 'bool'), shape); // [...batch]
  return tf.where(m, tf.broadcastTo(tf.cast(observed, latent.dtype), shape), tf.broadcastTo(latent, shape)); // [...batch]
}
