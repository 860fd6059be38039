/**
 * OneHotCategorical(logits | probs):  p(x) = prod_j p_j^{x_j} for one-hot x, p = softmax(logits).
 * Shape rule 'onehot': logits/probs and values share the event shape S = [..., k]; each
 * length-k row is one independent draw. log p(x) = sum over the event of x * log-softmax(logits).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import { BaseDistribution, implement, type Params } from './base';
import { OneHotCategorical as schema } from './schemas/discrete';
import { ClassParam, oneHotFloat } from './classes';
import { gumbel } from './sampling';
import { broadcastShapes, enumerateIndices, expandTo, numel, splitBatch, sumRightmost } from './shapes';
import type { DistSpec, Tensor } from './types';

/** Independent one-hot rows over the event. */
export class OneHotCategoricalDist extends BaseDistribution {
  readonly spec: DistSpec = OneHotCategorical;
  readonly batchShape: readonly number[];
  /** The logits-or-probs parameter, [...batch, ...event] up to broadcasting. */
  readonly p: ClassParam;
  private readonly fullShape: readonly number[];

  constructor(params: Params, eventShape: readonly number[]) {
    super(params, eventShape);
    this.p = ClassParam.from(params, 'OneHotCategorical');
    if (eventShape.length === 0 || eventShape[eventShape.length - 1] !== this.p.k) {
      throw new Error(`OneHotCategorical: event shape [${eventShape.join(',')}] must end with the class count ${this.p.k}`);
    }
    this.fullShape = broadcastShapes(this.p.given.shape, eventShape);
    this.batchShape = splitBatch(this.fullShape, eventShape, 'OneHotCategorical');
  }

  /** The number of classes. */
  get k(): number {
    return this.p.k;
  }

  /** Normalized log-probabilities, [...params]. */
  logits(): Tensor {
    return this.p.logProbs();
  }

  /** Normalized probabilities, [...params]. */
  probs(): Tensor {
    return this.p.probs();
  }

  /** sum over the event of x * log p: [...broadcast(value batch, batch)]. */
  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const t = tf.mul(value, this.p.logProbs()); // [...broadcast(value, params)]
      return sumRightmost(expandTo(t, broadcastShapes(t.shape, this.fullShape)), this.eventShape.length);
    });
  }

  /** Gumbel-max draws, one-hot float32 [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape);
    return detached(this.paramList(), () => {
      const idx = tf.argMax(tf.add(this.p.logProbs(), gumbel(shape, rng.seed())), -1); // [...shape[:-1]] int32
      return oneHotFloat(idx, this.k); // [...shape]
    });
  }

  /** The class probabilities, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => expandTo(this.p.probs(), this.fullShape)); // [...batch, ...event]
  }

  /** p (1 - p), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const p = this.p.probs(); // [...params]
      return expandTo(tf.mul(p, tf.sub(1, p)), this.fullShape); // [...batch, ...event]
    });
  }

  /** -sum over the event of p log p, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const t = tf.neg(tf.mul(this.p.probs(), this.p.logProbs())); // [...params]
      return sumRightmost(expandTo(t, this.fullShape), this.eventShape.length);
    });
  }

  /** Every one-hot assignment of the event's rows, [k^m, ...event] (m = rows). */
  enumerateSupport(): Tensor {
    const m = numel(this.eventShape) / this.k;
    return tf.tidy(() => {
      const idx = tf.tensor(enumerateIndices(m, this.k), [this.k ** m * m], 'int32'); // [k^m * m]
      return tf.reshape(oneHotFloat(idx, this.k), [this.k ** m, ...this.eventShape]); // [k^m, ...event]
    });
  }
}

/** The OneHotCategorical family: its schema (schemas/discrete.ts) and implementation. */
export const OneHotCategorical: DistSpec = implement(schema, (params, eventShape) => new OneHotCategoricalDist(params, eventShape));
