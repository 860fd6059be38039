/**
 * Categorical(logits | probs):  p(x = j) = softmax(logits)_j, x in {0, ..., k-1} (int32).
 * Shape rule 'categorical': logits/probs [...S, k], values of shape S (one index per site
 * element, independent). log p via log-softmax with the max shift. Sampled by Gumbel-max.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { BaseDistribution, implement, type Params } from './base';
import { Categorical as schema } from './schemas/discrete';
import { ClassParam, oneHotFloat } from './classes';
import { gumbel } from './sampling';
import { broadcastShapes, enumerateIndices, expandTo, numel, splitBatch, sumRightmost } from './shapes';
import type { DistSpec, Tensor } from './types';

/** Independent class indices over the event. */
export class CategoricalDist extends BaseDistribution {
  readonly spec: DistSpec = Categorical;
  readonly batchShape: readonly number[];
  /** The logits-or-probs parameter, [...batch, ...event, k] up to broadcasting. */
  readonly p: ClassParam;
  private readonly fullShape: readonly number[];

  constructor(params: Params, eventShape: readonly number[]) {
    super(params, eventShape);
    this.p = ClassParam.from(params, 'Categorical');
    this.fullShape = broadcastShapes(this.p.outerShape, eventShape);
    this.batchShape = splitBatch(this.fullShape, eventShape, 'Categorical');
  }

  /** The number of classes. */
  get k(): number {
    return this.p.k;
  }

  /** Normalized log-probabilities, [...params, k]. */
  logits(): Tensor {
    return this.p.logProbs();
  }

  /** Normalized probabilities, [...params, k]. */
  probs(): Tensor {
    return this.p.probs();
  }

  /** log p(x) per event element: [...broadcast(value batch, batch), ...event]. */
  logProbElementwise(value: Tensor): Tensor {
    return tf.tidy(() => {
      const lp = this.p.logProbs(); // [...params, k]
      const oh = oneHotFloat(value, this.k); // [...value, k]
      const out = tf.sum(tf.mul(oh, lp), -1); // [...broadcast(value, params)]
      return expandTo(out, broadcastShapes(out.shape, value.shape, this.fullShape));
    });
  }

  /**
   * Every class's log p with the class on the first axis of an enumerated value of batch rank
   * `valueRank` ([k, 1, ...]): the log-softmax's class axis moved there (scalar events only).
   */
  logProbSupport(valueRank: number): Tensor | null {
    if (this.eventShape.length !== 0) return null;
    const lp = this.p.logProbs(); // [...P, k]
    const P = lp.shape.slice(0, -1);
    const R = Math.max(P.length, valueRank);
    const a = R - valueRank; // the value's support axis
    const padded = [...new Array<number>(R - P.length).fill(1), ...P];
    if (padded[a] !== 1) return null;
    // Merged to rank 4 before the transpose (the wasm backend's kernels mishandle high ranks).
    const pre = padded.slice(0, a).reduce((x, y) => x * y, 1);
    const post = padded.slice(a + 1).reduce((x, y) => x * y, 1);
    const moved = tf.transpose(lp.reshape([pre, 1, post, this.k]), [0, 3, 2, 1]); // [pre, k, post, 1]
    return moved.reshape([...padded.slice(0, a), this.k, ...padded.slice(a + 1)]); // [...broadcast([k, 1..], P)]
  }

  /** log p(x) summed over the event axes: [...broadcast(value batch, batch)]. */
  logProb(value: Tensor): Tensor {
    return tf.tidy(() => sumRightmost(this.logProbElementwise(value), this.eventShape.length)); // [...broadcast(value batch, batch)]
  }

  /** Gumbel-max draws, int32 [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape);
    return detached(this.paramList(), () => {
      const scores = tf.add(this.p.logProbs(), gumbel([...shape, this.k], rng.seed())); // [...shape, k]
      return tf.argMax(scores, -1); // [...shape] int32
    });
  }

  /** sum over the event of -sum_j p_j log p_j, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const h = tf.neg(tf.sum(tf.mul(this.p.probs(), this.p.logProbs()), -1)); // [...params]
      return sumRightmost(expandTo(h, this.fullShape), this.eventShape.length);
    });
  }

  /** Every assignment of classes to the event elements, int32 [k^m, ...event] (m = event size). */
  enumerateSupport(): Tensor {
    const m = numel(this.eventShape);
    return tf.tensor(enumerateIndices(m, this.k), [this.k ** m, ...this.eventShape], 'int32'); // [k^m, ...event]
  }
}

/** The Categorical family: its schema (schemas/discrete.ts) and implementation. */
export const Categorical: DistSpec = implement(schema, (params, eventShape) => new CategoricalDist(params, eventShape));
