/**
 * Closed-form KLs of the vector families: Dirichlet–Dirichlet, and every pair among the
 * Gaussians Normal (diagonal, over the site's last axis), MultivariateNormal and
 * LowRankMultivariateNormal. For Gaussians q = N(mq, Sq Sq^T) and p = N(mp, Sigma_p):
 *   KL(q || p) = (tr(Sigma_p^-1 Sq Sq^T) + d^T Sigma_p^-1 d - k + log det Sigma_p - log det Sigma_q) / 2
 * with d = mp - mq and k the vector length; tr(Sigma_p^-1 Sq Sq^T) = sum(Sq * Sigma_p^-1 Sq).
 * Each family gives a factor S of its covariance, its log-determinant and products with its
 * precision (a diagonal division, two triangular solves, or Woodbury). Rules return [...batch]
 * (the outer event axes summed).
 */
import * as tf from '@tensorflow/tfjs';
import type { DirichletDist } from './dirichlet';
import { broadcastPair, triangularSolve } from './linalg';
import type { LowRankMultivariateNormalDist } from './low-rank-multivariate-normal';
import { digamma64, lgamma64, trigamma64 } from './special64';
import { lastAxis64 } from './vector64';
import type { MultivariateNormalDist } from './multivariate-normal';
import type { NormalDist } from './normal';
import { broadcastShapes, sumRightmost } from './shapes';
import type { Distribution, KlRule, Tensor } from './types';

/** A Gaussian vector seen through its mean, a covariance factor, log det and precision products. */
interface GaussianView {
  /** [..., k] */
  readonly mean: Tensor;
  /** S with Sigma = S S^T, [..., k, m]. */
  factor(): Tensor;
  /** log det Sigma, [...]. */
  logDet(): Tensor;
  /** Sigma^-1 B for B [..., k, c]. */
  precisionTimes(B: Tensor): Tensor;
}

const GAUSSIANS = ['Normal', 'MultivariateNormal', 'LowRankMultivariateNormal'] as const;

function view(d: Distribution): GaussianView {
  switch (d.spec.name) {
    case 'Normal': {
      const n = d as NormalDist;
      const full = [...n.batchShape, ...n.eventShape];
      const sd = tf.broadcastTo(n.scale, full); // [..., k]
      const k = full[full.length - 1]!;
      return {
        mean: tf.broadcastTo(n.loc, full), // [..., k]
        factor: () => tf.mul(tf.expandDims(sd, -1), tf.eye(k)), // [..., k, k]
        logDet: () => tf.mul(2, tf.sum(tf.log(sd), -1)), // [...]
        precisionTimes: (B) => tf.div(B, tf.expandDims(tf.square(sd), -1)), // [..., k, c]
      };
    }
    case 'MultivariateNormal': {
      const m = d as MultivariateNormalDist;
      return {
        mean: m.loc,
        factor: () => m.tril(), // [..., k, k]
        logDet: () => m.logDet(), // [...]
        precisionTimes: (B) => triangularSolve(m.scaleTril, triangularSolve(m.scaleTril, B), true), // [..., k, c]
      };
    }
    case 'LowRankMultivariateNormal': {
      const l = d as LowRankMultivariateNormalDist;
      return {
        mean: l.loc,
        factor: () => {
          const k = l.d;
          const diag = tf.mul(tf.expandDims(tf.sqrt(l.covDiag), -1), tf.eye(k)); // [..., k, k]
          const [w, dg] = broadcastPair(l.covFactor, diag);
          return tf.concat([w, dg], -1); // [..., k, r + k]
        },
        logDet: () => l.logDet(), // [...]
        precisionTimes: (B) => l.precisionTimes(B), // [..., k, c]
      };
    }
    default:
      throw new Error(`no Gaussian view of ${d.spec.name}`);
  }
}

/** KL(q || p) per vector [..., outer], summed over the outer event axes: [...batch]. */
function gaussianKl(dq: Distribution, dp: Distribution): Tensor {
  return tf.tidy(() => {
    const q = view(dq);
    const p = view(dp);
    const k = dq.eventShape[dq.eventShape.length - 1]!;
    const sq = q.factor(); // [..., k, m]
    const trace = tf.sum(tf.mul(sq, p.precisionTimes(sq)), [-2, -1]); // [...]
    const delta = tf.expandDims(tf.sub(p.mean, q.mean), -1); // [..., k, 1]
    const maha = tf.sum(tf.mul(delta, p.precisionTimes(delta)), [-2, -1]); // [...]
    const kl = tf.mul(0.5, tf.add(tf.sub(tf.add(trace, maha), k), tf.sub(p.logDet(), q.logDet()))); // [..., ...outer]
    return sumOuter(kl, dq, dp); // [...batch]
  });
}

/** Broadcasts a per-vector tensor to [...batch(q, p), ...outer] and sums the outer event axes. */
function sumOuter(t: Tensor, q: Distribution, p: Distribution): Tensor {
  const outer = q.eventShape.slice(0, -1);
  const shape = [...broadcastShapes(q.batchShape, p.batchShape), ...outer];
  return sumRightmost(tf.broadcastTo(t, shape), outer.length); // [...batch]
}

/** Every Gaussian pair but Normal–Normal (elementwise, in kl.ts). */
export const GAUSSIAN_KL_RULES: readonly KlRule[] = GAUSSIANS.flatMap((q) =>
  GAUSSIANS.filter((p) => !(q === 'Normal' && p === 'Normal')).map((p): KlRule => ({ q, p, elementwise: false, kl: gaussianKl })),
);

/**
 * lgamma(a0q) - sum lgamma(aq) - lgamma(a0p) + sum lgamma(ap) + sum (aq - ap)(psi(aq) - psi(a0q)),
 * per vector in float64 on the host (vector64.ts): at concentrations of 1e4 the float32 sums of
 * lgamma terms cancel to ~1e-2 nats. Gradients: d/daq_j = (aq_j - ap_j) psi'(aq_j) -
 * psi'(a0q) sum_i (aq_i - ap_i); d/dap_j = psi(ap_j) - psi(a0p) - psi(aq_j) + psi(a0q).
 */
export const DIRICHLET_KL_RULE: KlRule = {
  q: 'Dirichlet',
  p: 'Dirichlet',
  elementwise: false,
  kl: (dq, dp) =>
    tf.tidy(() => {
      const q = dq as DirichletDist;
      const p = dp as DirichletDist;
      const ones = tf.ones([q.d]); // [k]
      const kl = lastAxis64(
        [tf.mul(q.concentration, ones), tf.mul(p.concentration, ones)],
        ([aq, ap]) => {
          let q0 = 0;
          let p0 = 0;
          let s = 0;
          for (let j = 0; j < aq!.length; j++) {
            q0 += aq![j]!;
            p0 += ap![j]!;
            s += lgamma64(ap![j]!) - lgamma64(aq![j]!);
          }
          const dq0 = digamma64(q0);
          let cross = 0;
          for (let j = 0; j < aq!.length; j++) cross += (aq![j]! - ap![j]!) * (digamma64(aq![j]!) - dq0);
          return lgamma64(q0) - lgamma64(p0) + s + cross;
        },
        ([aq, ap], [gq, gp]) => {
          let q0 = 0;
          let p0 = 0;
          let diff = 0;
          for (let j = 0; j < aq!.length; j++) {
            q0 += aq![j]!;
            p0 += ap![j]!;
            diff += aq![j]! - ap![j]!;
          }
          const tq0 = trigamma64(q0);
          const dq0 = digamma64(q0);
          const dp0 = digamma64(p0);
          for (let j = 0; j < aq!.length; j++) {
            gq![j] = (aq![j]! - ap![j]!) * trigamma64(aq![j]!) - tq0 * diff;
            gp![j] = digamma64(ap![j]!) - dp0 - digamma64(aq![j]!) + dq0;
          }
        },
      ); // [..., ...outer]
      return sumOuter(kl, dq, dp); // [...batch]
    }),
};
