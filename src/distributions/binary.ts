/**
 * The logits-or-probs parameter of the two-outcome families (Bernoulli, ContinuousBernoulli,
 * RelaxedBernoulli). Exactly one is given; the other is derived on demand. Probabilities
 * are clipped to [2^-126, 1 - 2^-24] only where a logarithm needs it.
 */
import * as tf from '@tensorflow/tfjs';
import { FLOAT32_TINY, log1p } from './math';
import type { Tensor } from './types';

const P_MAX = 1 - 2 ** -24;

/** p clipped away from exactly 0 and 1. */
export function clipProbs(p: Tensor): Tensor {
  return tf.clipByValue(p, FLOAT32_TINY, P_MAX); // [...p]
}

/** The logits or probs parameter of a two-outcome family. */
export class BinaryParam {
  /** The given tensor (not owned). */
  readonly given: Tensor;

  constructor(readonly kind: 'logits' | 'probs', given: Tensor) {
    this.given = given;
  }

  /** From the params record (exactly one of logits/probs present). */
  static from(params: Readonly<Record<string, Tensor>>): BinaryParam {
    const l = params['logits'];
    if (l !== undefined) return new BinaryParam('logits', l);
    const p = params['probs'];
    if (p === undefined) throw new Error('give logits or probs');
    return new BinaryParam('probs', p);
  }

  /** log(p / (1 - p)); may be the parameter itself: use inside a tidy, never dispose. */
  logits(): Tensor {
    if (this.kind === 'logits') return this.given;
    const p = clipProbs(this.given); // [...p]
    return tf.sub(tf.log(p), log1p(tf.neg(p))); // [...p]
  }

  /** P(x = 1); may be the parameter itself: use inside a tidy, never dispose. */
  probs(): Tensor {
    return this.kind === 'probs' ? this.given : tf.sigmoid(this.given); // [...p]
  }

  /** [log p, log(1 - p)] in the stable form for the given parameterization. */
  logProbs(): [Tensor, Tensor] {
    if (this.kind === 'logits') {
      const l = this.given;
      return [tf.neg(tf.softplus(tf.neg(l))), tf.neg(tf.softplus(l))]; // [...p] each
    }
    const p = clipProbs(this.given); // [...p]
    return [tf.log(p), log1p(tf.neg(p))]; // [...p] each
  }
}
