/**
 * `enumerate(plateRank)`: a guide site whose estimator rule draws `enumerate` takes its whole support
 * instead of a sample, on a new axis to the left of every batch axis: the j-th enumerated site
 * gets values of shape [n, 1 x (j + plateRank), ...event], so downstream computations broadcast
 * to [n_j, ..., n_1, K, B] (vectorized, as Pyro's parallel enumeration).
 */
import * as tf from '@tensorflow/tfjs';
import { ruleOf } from '../estimators/index';
import type { Handler, SampleMsg } from '../messages';

export class EnumerateHandler implements Handler {
  count = 0;
  constructor(private readonly plateRank: number) {}

  process(msg: SampleMsg): void {
    if (msg.estimator === null || ruleOf(msg.estimator).draw !== 'enumerate' || msg.value !== null || !msg.dist.enumerateSupport) return;
    const support = msg.dist.enumerateSupport(); // [n, ...event]
    const n = support.shape[0]!;
    const event = support.shape.slice(1);
    const j = this.count++;
    msg.value = support.reshape([n, ...new Array<number>(j + this.plateRank).fill(1), ...event]); // [n, 1.., ...event]
    msg.enumIndex = j;
    msg.done = true;
    if (msg.observation?.mask) msg.done = true;
    void tf;
  }
}
