/**
 * Radial flow (Rezende & Mohamed 2015, "Variational Inference with Normalizing Flows", §4.1
 * and appendix A.2): contracts/expands around a reference point z0,
 *
 *   f(z) = z + β h(α, r) (z − z0),   r = ‖z − z0‖,   h(α, r) = 1 / (α + r),
 *   α = softplus(α̂) > 0,   β = −α + softplus(β̂) > −α   (the invertibility condition β ≥ −α),
 *   log|det ∂f/∂z| = (d − 1) log(1 + βh) + log(1 + βh + βh'(α, r) r),   h' = −1 / (α + r)².
 *
 * Both logs are of positive numbers: 1 + βh > 1 − α/(α + r) = r/(α + r) ≥ 0 and
 * 1 + βh + βh'r = 1 + βα/(α + r)² > 1 − α²/(α + r)² ≥ 0. No closed-form inverse.
 * Parameters: z0 [..., d], alpha (α̂) [..., 1], beta (β̂) [..., 1] — global ([d], [1], [1]) or
 * amortized (leading per-example axes; split from a net output [..., d + 2] by {@link fromNetOutput}).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInput, checkParamShapes, lastDim, need, type FlowLayer, type LayerOutput, type ParamShapes, type Tensor } from './common';

/** Radial layers take no options. */
export type RadialOptions = Readonly<Record<string, never>>;

/** Added to r² so the gradient of r = sqrt(r²) stays finite at z = z0 (r ≥ 1e-15 changes nothing else). */
const R2_EPS = 1e-30;

/** The global parameters: z0 ~ N(0, 1), α̂ = 0 (α = log 2), β̂ = 0 (β = 0: the identity at init). */
export function paramShapes(d: number, _options: RadialOptions = {}): ParamShapes {
  return {
    z0: { shape: [d], init: { kind: 'normal', std: 1 }, doc: 'reference point' },
    alpha: { shape: [1], init: { kind: 'zeros' }, doc: 'unconstrained α̂, α = softplus(α̂)' },
    beta: { shape: [1], init: { kind: 'zeros' }, doc: 'unconstrained β̂, β = −α + softplus(β̂)' },
  };
}

/** The number of net outputs an amortized radial layer needs: d + 2 (z0, α̂, β̂). */
export function amortizedSize(d: number): number {
  return d + 2;
}

/** Splits a net output [..., d + 2] into amortized parameters z0 [..., d], alpha [..., 1], beta [..., 1]. */
export function fromNetOutput(out: Tensor, d: number): { z0: Tensor; alpha: Tensor; beta: Tensor } {
  if (lastDim(out) !== amortizedSize(d)) throw new Error(`radial flow layer: net output has shape [${out.shape.join(', ')}], expected [..., ${amortizedSize(d)}]`);
  const [z0, alpha, beta] = tf.split(out, [d, 1, 1], -1); // [..., d], [..., 1], [..., 1]
  return { z0: z0!, alpha: alpha!, beta: beta! };
}

/** A radial layer. */
export interface RadialLayer extends FlowLayer {
  readonly kind: 'radial';
}

/**
 * Builds a radial layer from z0 [..., d], alpha [..., 1] and beta [..., 1] (α̂, β̂; not owned).
 * @example const layer = build({ z0, alpha, beta }); const { z, logDet } = layer.forward(zPrev);
 */
export function build(params: Readonly<Record<string, Tensor>>, _options: RadialOptions = {}): RadialLayer {
  const z0 = need(params, 'z0', 'radial'); // [...P, d]
  const alphaHat = need(params, 'alpha', 'radial'); // [...P, 1]
  const betaHat = need(params, 'beta', 'radial'); // [...P, 1]
  const d = lastDim(z0);
  const batchShape = checkParamShapes('radial', params, paramShapes(d), true);

  return {
    kind: 'radial',
    dim: d,
    batchShape,
    params: { z0, alpha: alphaHat, beta: betaHat },
    forward(z: Tensor): LayerOutput {
      return tf.tidy(() => {
        checkInput(z, d, 'radial');
        const alpha = tf.softplus(alphaHat); // [...P, 1]
        const beta = tf.sub(tf.softplus(betaHat), alpha); // [...P, 1]
        const diff = tf.sub(z, z0); // [...batch, d]
        const r = tf.sqrt(tf.add(tf.sum(tf.square(diff), -1, true), R2_EPS)); // [...batch, 1]
        const h = tf.reciprocal(tf.add(alpha, r)); // [...batch, 1]
        const bh = tf.mul(beta, h); // [...batch, 1]
        const out = tf.add(z, tf.mul(bh, diff)); // [...batch, d]
        const hPrimeR = tf.mul(tf.neg(tf.square(h)), r); // [...batch, 1]  h'(α, r) r
        const logDet = tf.add(
          tf.mul(d - 1, tf.log(tf.add(1, bh))), // [...batch, 1]
          tf.log(tf.add(tf.add(1, bh), tf.mul(beta, hPrimeR))), // [...batch, 1]
        ); // [...batch, 1]
        return { z: out, logDet: tf.squeeze(logDet, [-1]) }; // [...batch, d], [...batch]
      });
    },
  };
}
