/**
 * Bernoulli(logits | probs):  p(x) = p^x (1 - p)^(1 - x), x in {0, 1}, p = sigmoid(logits).
 * From logits: log p(x) = x l - softplus(l). Elementwise; not reparameterized.
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from './softplus';
import { bernoulliLogitsLogProb } from './bernoulli-logits';
import type { Rng } from '../core/rng';
import { implement, ElementwiseDistribution, type Params } from './base';
import { Bernoulli as schema } from './schemas/discrete';
import { fusedBernoulliLogits } from '../kernels/ops';
import { BinaryParam } from './binary';
import { uniformOpen } from './sampling';
import { enumerateIndices, numel } from './shapes';
import type { DistSpec, Tensor } from './types';

/** Independent binary elements. */
export class BernoulliDist extends ElementwiseDistribution {
  readonly spec: DistSpec = Bernoulli;
  /** The logits-or-probs parameter. */
  readonly p: BinaryParam;

  constructor(params: Params, eventShape: readonly number[]) {
    const p = BinaryParam.from(params);
    super(params, eventShape, 'Bernoulli', [p.given.shape]);
    this.p = p;
  }

  /** log(p / (1 - p)), a new tensor of the parameter's shape. */
  logits(): Tensor {
    return tf.tidy(() => this.p.logits().clone()); // [...params]
  }

  /** p = P(x = 1), a new tensor of the parameter's shape. */
  probs(): Tensor {
    return tf.tidy(() => this.p.probs().clone()); // [...params]
  }

  /** log p summed over the event: from logits, one kernel forward and one backward on wasm (src/kernels). */
  override logProb(value: Tensor): Tensor {
    if (this.p.kind === 'logits') {
      const x = value.dtype === 'float32' ? value : tf.cast(value, 'float32');
      const fused = fusedBernoulliLogits(this.p.given, x, this.fullShape, this.eventShape); // [...batch]
      if (fused) return fused;
    }
    return super.logProb(value);
  }

  protected override logDensity(x: Tensor): Tensor {
    if (this.p.kind === 'logits') {
      return bernoulliLogitsLogProb(this.p.given, x); // [...batch, ...event]
    }
    const [lp, lq] = this.p.logProbs(); // [...params] each
    return tf.add(tf.mul(x, lp), tf.mul(tf.sub(1, x), lq)); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.cast(tf.less(uniformOpen(shape, rng.seed()), this.p.probs()), 'float32'); // [...shape]
  }

  /** p, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(this.p.probs())); // [...batch, ...event]
  }

  /** p (1 - p), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const p = this.p.probs(); // [...params]
      return this.full(tf.mul(p, tf.sub(1, p))); // [...batch, ...event]
    });
  }

  /** sum over the event of -p log p - (1 - p) log(1 - p), [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      if (this.p.kind === 'logits') {
        const l = this.p.given;
        return this.sumEntropy(tf.sub(softplus(l), tf.mul(tf.sigmoid(l), l))); // softplus(l) - p l
      }
      const p = this.p.probs(); // [...params]
      const [lp, lq] = this.p.logProbs(); // [...params] each
      return this.sumEntropy(tf.neg(tf.add(tf.mul(p, lp), tf.mul(tf.sub(1, p), lq)))); // [...batch]
    });
  }

  /** All 2^n binary vectors of the event, [2^n, ...event] float32 (n = event size <= 16). */
  enumerateSupport(): Tensor {
    const n = numel(this.eventShape);
    return tf.tensor(Float32Array.from(enumerateIndices(n, 2)), [2 ** n, ...this.eventShape], 'float32'); // [2^n, ...event]
  }
}

/** The Bernoulli family: its schema (schemas/discrete.ts) and implementation. */
export const Bernoulli: DistSpec = implement(schema, (params, eventShape) => new BernoulliDist(params, eventShape));
