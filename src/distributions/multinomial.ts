/**
 * Multinomial(total_count?, logits | probs): counts x [..., k] over the site's last axis of n
 * draws from the class probabilities p = softmax(logits) (or probs, renormalized):
 *   p(x) = n! / prod_i x_i! prod_i p_i^x_i,   sum_i x_i = n.
 * Without total_count, n is each value's own total (the density of x given its length, the
 * usual likelihood of a bag of words); with it, values of another total have density 0.
 * Shape rule 'vector'; discrete with a finite but usually huge support: not reparameterized.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { compare, detached } from './autodiff';
import {type Params, implement } from './base';
import { ClassParam } from './classes';
import { multinomialInto } from './count-sampling';
import { lgamma } from './math';
import { SamplingError } from './sampling-error';
import { Multinomial as schema } from './schemas/counts';
import type { DistSpec, Tensor } from './types';
import { VectorDistribution } from './vector-base';

/** Independent multinomial count vectors over the site's last axis. */
export class MultinomialDist extends VectorDistribution {
  readonly spec: DistSpec = Multinomial;
  readonly p: ClassParam;
  /** n per vector, [...] (not owned), or null: each value's own total. */
  readonly totalCount: Tensor | null;

  constructor(params: Params, eventShape: readonly number[]) {
    const p = ClassParam.from(params, 'Multinomial');
    const n = params['total_count'] ?? null;
    super(params, eventShape, 'Multinomial', [{ name: p.kind, t: p.given, rankOffset: 0 }, ...(n ? [{ name: 'total_count', t: n, rankOffset: -1 as const }] : [])]);
    this.p = p;
    this.totalCount = n;
  }

  protected logProbVectors(x: Tensor): Tensor {
    return tf.tidy(() => {
      const n = tf.sum(x, -1); // [...] the value's total
      const lp = tf.add(tf.sub(lgamma(tf.add(n, 1)), tf.sum(lgamma(tf.add(x, 1)), -1)), tf.sum(tf.mul(x, this.p.logProbs()), -1)); // [...]
      if (!this.totalCount) return lp;
      return tf.where(compare('equal', tf.broadcastTo(n, lp.shape), tf.broadcastTo(this.totalCount, lp.shape)), lp, -Infinity); // [...]
    });
  }

  /** n conditional binomial draws per vector, float32 [...batchShape, ...event]. Needs total_count. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    if (!this.totalCount) {
      throw new SamplingError('a Multinomial without `total_count` cannot be sampled: its total is taken from the observed counts', 'give `total_count:` (e.g. the number of words per document) to draw new counts, or use --mode mean');
    }
    const shape = this.sampleShape(batchShape);
    const n = this.totalCount;
    return detached(this.paramList(), () => {
      const probs = tf.broadcastTo(this.p.probs(), shape).dataSync(); // read once
      const counts = tf.broadcastTo(n, shape.slice(0, -1)).dataSync(); // read once
      const u = rng.uniforms();
      const out = new Float32Array(probs.length);
      for (let v = 0; v < counts.length; v++) multinomialInto(Math.round(counts[v]!), probs, v * this.d, this.d, out, u);
      return tf.tensor(out, shape, 'float32'); // [...shape]
    });
  }

  /** n p (or p itself without total_count: the expected proportions), [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => {
      const p = this.p.probs(); // [..., k]
      const m = this.totalCount ? tf.mul(p, tf.expandDims(this.totalCount, -1)) : p; // [..., k]
      return tf.broadcastTo(m, [...this.vectorsShape, this.d]); // [...batch, ...event]
    });
  }
}

/** The Multinomial family. */
export const Multinomial: DistSpec = implement(schema, (params, eventShape) => new MultinomialDist(params, eventShape));
