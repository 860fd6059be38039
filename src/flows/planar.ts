/**
 * Planar flow (Rezende & Mohamed 2015, "Variational Inference with Normalizing Flows", §4.1
 * and appendix A.1):
 *
 *   f(z) = z + û h(wᵀz + b),   h = tanh,
 *   û = u + (m(wᵀu) − wᵀu) w / ‖w‖²,   m(a) = −1 + softplus(a),
 *   log|det ∂f/∂z| = log|1 + ûᵀψ(z)|,   ψ(z) = h'(wᵀz + b) w,  h' = 1 − tanh².
 *
 * The reparameterization makes wᵀû = m(wᵀu) > −1, so 1 + ûᵀψ = 1 + h'·wᵀû > 0 for every z
 * (h' ∈ (0, 1]) and f is invertible; the inverse has no closed form (use it for posteriors).
 * Parameters: u [..., d], w [..., d], b [..., 1] — global ([d], [d], [1]) or amortized (leading
 * per-example axes, e.g. split from a net output [..., B, 2d + 1] by {@link fromNetOutput}).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInput, checkParamShapes, lastDim, need, type FlowLayer, type LayerOutput, type ParamShapes, type Tensor } from './common';

/** Planar layers take no options. */
export type PlanarOptions = Readonly<Record<string, never>>;

/** Added to ‖w‖² so w = 0 gives û = u instead of NaN (negligible otherwise). */
const W2_EPS = 1e-12;

/**
 * The global parameters for vectors of size d: u, w ~ N(0, 1/d) (so ‖w‖ ≈ 1 and û is well
 * scaled), b = 0.
 */
export function paramShapes(d: number, _options: PlanarOptions = {}): ParamShapes {
  const std = 1 / Math.sqrt(d);
  return {
    u: { shape: [d], init: { kind: 'normal', std }, doc: 'direction of the expansion/contraction (before the invertibility reparameterization)' },
    w: { shape: [d], init: { kind: 'normal', std }, doc: 'normal of the hyperplane' },
    b: { shape: [1], init: { kind: 'zeros' }, doc: 'offset of the hyperplane' },
  };
}

/** The number of net outputs an amortized planar layer needs: 2d + 1 (u, w, b). */
export function amortizedSize(d: number): number {
  return 2 * d + 1;
}

/** Splits a net output [..., 2d + 1] into amortized parameters u [..., d], w [..., d], b [..., 1]. */
export function fromNetOutput(out: Tensor, d: number): { u: Tensor; w: Tensor; b: Tensor } {
  if (lastDim(out) !== amortizedSize(d)) throw new Error(`planar flow layer: net output has shape [${out.shape.join(', ')}], expected [..., ${amortizedSize(d)}]`);
  const [u, w, b] = tf.split(out, [d, d, 1], -1); // [..., d], [..., d], [..., 1]
  return { u: u!, w: w!, b: b! };
}

/**
 * û = u + (m(wᵀu) − wᵀu) w / ‖w‖², m(a) = softplus(a) − 1: the u that makes f invertible.
 * u, w [..., d] -> [..., d].
 */
export function constrainU(u: Tensor, w: Tensor): Tensor {
  return tf.tidy(() => {
    const wu = tf.sum(tf.mul(w, u), -1, true); // [..., 1]
    const m = tf.sub(tf.softplus(wu), 1); // [..., 1]
    const w2 = tf.add(tf.sum(tf.square(w), -1, true), W2_EPS); // [..., 1]
    return tf.add(u, tf.mul(tf.div(tf.sub(m, wu), w2), w)); // [..., d]
  });
}

/** A planar layer. */
export interface PlanarLayer extends FlowLayer {
  readonly kind: 'planar';
  /**
   * 1 + ûᵀψ(z), the signed Jacobian determinant, [...batch]: positive everywhere by construction
   * (exposed for tests and diagnostics).
   */
  detTerm(z: Tensor): Tensor;
}

/**
 * Builds a planar layer from u, w [..., d] and b [..., 1] (global or amortized; not owned).
 * @example const layer = build({ u, w, b }); const { z, logDet } = layer.forward(z0); // [K, B, d], [K, B]
 */
export function build(params: Readonly<Record<string, Tensor>>, _options: PlanarOptions = {}): PlanarLayer {
  const u = need(params, 'u', 'planar'); // [...P, d]
  const w = need(params, 'w', 'planar'); // [...P, d]
  const b = need(params, 'b', 'planar'); // [...P, 1]
  const d = lastDim(u);
  const batchShape = checkParamShapes('planar', params, paramShapes(d), true);

  /** {out, det}: f(z) [...batch, d] and 1 + ûᵀψ(z) [...batch, 1]. */
  const pass = (z: Tensor): { out: Tensor; det: Tensor } => {
    checkInput(z, d, 'planar');
    const uHat = constrainU(u, w); // [...P, d]
    const a = tf.add(tf.sum(tf.mul(w, z), -1, true), b); // [...batch, 1]
    const h = tf.tanh(a); // [...batch, 1]
    const out = tf.add(z, tf.mul(uHat, h)); // [...batch, d]
    const hPrime = tf.sub(1, tf.square(h)); // [...batch, 1]
    const wu = tf.sum(tf.mul(w, uHat), -1, true); // [...P, 1]  (= m(wᵀu) up to W2_EPS)
    const det = tf.add(1, tf.mul(hPrime, wu)); // [...batch, 1]
    return { out, det };
  };

  return {
    kind: 'planar',
    dim: d,
    batchShape,
    params: { u, w, b },
    forward(z: Tensor): LayerOutput {
      return tf.tidy(() => {
        const { out, det } = pass(z);
        return { z: out, logDet: tf.squeeze(tf.log(tf.abs(det)), [-1]) }; // [...batch, d], [...batch]
      });
    },
    detTerm(z: Tensor): Tensor {
      return tf.tidy(() => tf.squeeze(pass(z).det, [-1])); // [...batch]
    },
  };
}
