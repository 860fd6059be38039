/**
 * ZeroInflatedNegativeBinomial(mean | logits | probs, concentration, gate | gate_logits):
 * with probability pi = gate (or sigmoid(gate_logits)) a structural zero, otherwise a
 * NegativeBinomial count:
 *   p(0) = pi + (1 - pi) NB(0),   p(x) = (1 - pi) NB(x) for x > 0,
 * computed from log pi and log(1 - pi) with log-sum-exp at zero (as scVI's log_zinb_positive).
 * Elementwise; discrete, not reparameterized.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { compare } from './autodiff';
import {ElementwiseDistribution, type Params, implement } from './base';
import { FLOAT32_TINY, log1p } from './math';
import { NbParam } from './negative-binomial';
import { uniformOpen } from './sampling';
import { softplus } from './softplus';
import { ZeroInflatedNegativeBinomial as schema } from './schemas/counts';
import type { DistSpec, Tensor } from './types';

/** Independent zero-inflated negative-binomial counts. */
export class ZeroInflatedNegativeBinomialDist extends ElementwiseDistribution {
  readonly spec: DistSpec = ZeroInflatedNegativeBinomial;
  readonly p: NbParam;
  readonly gate: { readonly kind: 'gate' | 'gate_logits'; readonly t: Tensor };

  constructor(params: Params, eventShape: readonly number[]) {
    const p = NbParam.from(params);
    const g = params['gate'];
    const gate = g !== undefined ? { kind: 'gate' as const, t: g } : { kind: 'gate_logits' as const, t: params['gate_logits']! };
    super(params, eventShape, 'ZeroInflatedNegativeBinomial', [p.given.shape, p.concentration.shape, gate.t.shape]);
    this.p = p;
    this.gate = gate;
  }

  /** [log pi, log(1 - pi)], [...params] each. */
  private logGate(): [Tensor, Tensor] {
    const g = this.gate.t;
    if (this.gate.kind === 'gate_logits') return [tf.neg(softplus(tf.neg(g))), tf.neg(softplus(g))];
    return [tf.log(tf.maximum(g, FLOAT32_TINY)), log1p(tf.neg(tf.minimum(g, 1 - 2 ** -24)))];
  }

  /** The zero-inflation probability pi, [...params]. */
  gateProbs(): Tensor {
    return tf.tidy(() => (this.gate.kind === 'gate' ? this.gate.t.clone() : tf.sigmoid(this.gate.t))); // [...params]
  }

  protected override logDensity(x: Tensor): Tensor {
    const [lpi, l1pi] = this.logGate(); // [...params] each
    const nb = this.p.logDensity(x); // [...batch, ...event]
    const positive = tf.add(l1pi, nb); // [...batch, ...event] log((1 - pi) NB(x))
    const zero = tf.logSumExp(tf.stack([tf.broadcastTo(lpi, positive.shape), positive]), 0); // [...batch, ...event] log(pi + (1 - pi) NB(0))
    return tf.where(compare('equal', tf.broadcastTo(x, positive.shape), 0), zero, positive); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    const counts = this.p.draw(rng.fold(0), shape); // [...shape]
    const keep = tf.greaterEqual(uniformOpen(shape, rng.fold(1).seed()), this.gateProbs()); // [...shape] bool: not a structural zero
    return tf.where(keep, counts, 0); // [...shape]
  }

  /** (1 - pi) mean, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(tf.mul(tf.sub(1, this.gateProbs()), this.p.mean()))); // [...batch, ...event]
  }

  /** (1 - pi)(m + m^2 / r) + pi (1 - pi) m^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const pi = this.gateProbs(); // [...params]
      const m = this.p.mean(); // [...params]
      const m2 = tf.square(m); // [...params]
      const nbVar = tf.add(m, tf.div(m2, this.p.concentration)); // [...params]
      return this.full(tf.mul(tf.sub(1, pi), tf.add(nbVar, tf.mul(pi, m2)))); // [...batch, ...event]
    });
  }
}

/** The ZeroInflatedNegativeBinomial family. */
export const ZeroInflatedNegativeBinomial: DistSpec = implement(schema, (params, eventShape) => new ZeroInflatedNegativeBinomialDist(params, eventShape));
