/**
 * NegativeBinomial(mean | logits | probs, concentration): the Gamma–Poisson mixture
 * x ~ Poisson(lambda), lambda ~ Gamma(r, r / mean), with r = concentration (the inverse
 * dispersion, scVI's theta; torch's total_count). With p = mean / (mean + r) (probs, or
 * sigmoid(logits)):
 *   p(x) = Gamma(x + r) / (Gamma(r) x!) p^x (1 - p)^r,   mean r p / (1 - p),  variance mean + mean^2 / r.
 * The mean form is scVI's (Lopez et al., Deep generative modeling for single-cell
 * transcriptomics, Nature Methods 2018); logits/probs follow torch.distributions. Elementwise;
 * discrete with an infinite support, so not reparameterized.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import {ElementwiseDistribution, type Params, implement, param } from './base';
import { poissonVariate } from './count-sampling';
import { elementwise64 } from './host64';
import { FLOAT32_TINY, log1p } from './math';
import { digamma64, lgamma64, lgammaDiff64 } from './special64';
import { logGammaVariates } from './sampling';
import { softplus } from './softplus';
import { NegativeBinomial as schema } from './schemas/counts';
import type { DistSpec, Tensor } from './types';

/** The success-probability parameter of a negative binomial, in one of its three forms. */
export class NbParam {
  constructor(
    readonly kind: 'mean' | 'logits' | 'probs',
    readonly given: Tensor,
    /** r > 0. */
    readonly concentration: Tensor,
  ) {}

  static from(params: Params): NbParam {
    const r = param(params, 'concentration');
    for (const kind of ['mean', 'logits', 'probs'] as const) {
      const t = params[kind];
      if (t !== undefined) return new NbParam(kind, t, r);
    }
    throw new Error('give mean, logits or probs');
  }

  /** [log p, log(1 - p)], each [...broadcast(given, concentration)]. */
  logProbs(): [Tensor, Tensor] {
    const r = this.concentration;
    switch (this.kind) {
      case 'mean': {
        const m = tf.maximum(this.given, FLOAT32_TINY); // [...]
        const lse = tf.log(tf.add(m, r)); // [...] log(mean + r)
        // log(1 - p) = -log1p(mean / r): exact for r >> mean (the Poisson limit).
        return [tf.sub(tf.log(m), lse), tf.neg(log1p(tf.div(m, r)))];
      }
      case 'logits':
        return [tf.neg(softplus(tf.neg(this.given))), tf.neg(softplus(this.given))];
      case 'probs': {
        const p = tf.clipByValue(this.given, FLOAT32_TINY, 1); // [...]
        return [tf.log(p), log1p(tf.neg(tf.minimum(this.given, 1 - 2 ** -24)))];
      }
    }
  }

  /** The mean r p / (1 - p), [...]. */
  mean(): Tensor {
    const r = this.concentration;
    switch (this.kind) {
      case 'mean':
        return tf.mul(this.given, tf.onesLike(r)); // [...broadcast]
      case 'logits':
        return tf.mul(r, tf.exp(this.given)); // [...]
      case 'probs':
        return tf.div(tf.mul(r, this.given), tf.sub(1, this.given)); // [...]
    }
  }

  /** log p(x) per element: lgamma(x + r) - lgamma(r) - lgamma(x + 1) + x log p + r log(1 - p). */
  logDensity(x: Tensor): Tensor {
    const r = this.concentration;
    const [lp, lq] = this.logProbs(); // [...params] each
    const comb = logChoose(x, r); // [...batch, ...event] log C(x + r - 1, x)
    return tf.add(comb, tf.add(tf.mul(x, lp), tf.mul(r, lq))); // [...batch, ...event]
  }

  /** Gamma–Poisson draws of `shape` in JS (no gradient). */
  draw(rng: Rng, shape: readonly number[]): Tensor {
    return tf.tidy(() => {
      const r = tf.broadcastTo(this.concentration, [...shape]).dataSync(); // read once
      const m = tf.broadcastTo(this.mean(), [...shape]).dataSync(); // read once
      const lg = logGammaVariates(r, rng.fold(0));
      const u = rng.fold(1).uniforms();
      const out = new Float32Array(r.length);
      for (let i = 0; i < out.length; i++) out[i] = poissonVariate(Math.exp(lg[i]!) * (m[i]! / r[i]!), u);
      return tf.tensor(out, [...shape], 'float32'); // [...shape]
    });
  }
}

/**
 * log C(x + r - 1, x) = lgamma(x + r) - lgamma(r) - lgamma(x + 1), elementwise in float64 on the
 * host: the float32 difference of lgamma(x + r) and lgamma(r) loses ~4e-3 nats at r = 1e4
 * (host64.ts). Gradients d/dr = psi(x + r) - psi(r), d/dx = psi(x + r) - psi(x + 1).
 */
function logChoose(x: Tensor, r: Tensor): Tensor {
  return elementwise64(
    [x, r],
    (v) => lgammaDiff64(v[1]!, v[0]!) - lgamma64(v[0]! + 1),
    (v, g) => {
      const d = digamma64(v[0]! + v[1]!);
      g[0] = d - digamma64(v[0]! + 1);
      g[1] = d - digamma64(v[1]!);
    },
  ); // [...broadcast(x, r)]
}

/** Independent negative-binomial counts. */
export class NegativeBinomialDist extends ElementwiseDistribution {
  readonly spec: DistSpec = NegativeBinomial;
  readonly p: NbParam;

  constructor(params: Params, eventShape: readonly number[]) {
    const p = NbParam.from(params);
    super(params, eventShape, 'NegativeBinomial', [p.given.shape, p.concentration.shape]);
    this.p = p;
  }

  protected override logDensity(x: Tensor): Tensor {
    return this.p.logDensity(x); // [...batch, ...event]
  }

  protected override draw(rng: Rng, shape: readonly number[]): Tensor {
    return this.p.draw(rng, shape); // [...shape]
  }

  /** [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => this.full(this.p.mean())); // [...batch, ...event]
  }

  /** mean + mean^2 / r, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const m = this.p.mean(); // [...params]
      return this.full(tf.add(m, tf.div(tf.square(m), this.p.concentration))); // [...batch, ...event]
    });
  }
}

/** The NegativeBinomial family. */
export const NegativeBinomial: DistSpec = implement(schema, (params, eventShape) => new NegativeBinomialDist(params, eventShape));
