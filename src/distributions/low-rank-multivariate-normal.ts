/**
 * LowRankMultivariateNormal(loc, cov_factor, cov_diag): a Gaussian vector with mean loc
 * [..., d] and covariance W W^T + D, W = cov_factor [..., d, r], D = diag(cov_diag) [..., d].
 * Shape rule 'vector'. Reparameterized as x = loc + W eps_r + sqrt(D) eps_d. The density uses
 * the capacitance C = I_r + W^T D^-1 W (r x r) with its Cholesky factor Lc:
 *   Sigma^-1 = D^-1 - D^-1 W C^-1 W^T D^-1        (Woodbury)
 *   log det Sigma = log det C + sum_i log D_i      (matrix determinant lemma)
 * so a density costs O(d r^2), never a d x d factorization.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import {type Params, implement, param } from './base';
import { broadcastPair, cholesky, diagPart, matVec, triangularSolve } from './linalg';
import { LOG_2PI } from './math';
import { standardNormal } from './sampling';
import { LowRankMultivariateNormal as schema } from './schemas/multivariate';
import type { DistSpec, Tensor } from './types';
import { VectorDistribution } from './vector-base';

/** A Gaussian vector with a low-rank-plus-diagonal covariance. */
export class LowRankMultivariateNormalDist extends VectorDistribution {
  readonly spec: DistSpec = LowRankMultivariateNormal;
  /** [..., d] (not owned). */
  readonly loc: Tensor;
  /** W, [..., d, r] (not owned). */
  readonly covFactor: Tensor;
  /** D's diagonal, [..., d] (not owned). */
  readonly covDiag: Tensor;
  /** The rank r. */
  readonly rank: number;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const covFactor = param(params, 'cov_factor');
    const covDiag = param(params, 'cov_diag');
    super(params, eventShape, 'LowRankMultivariateNormal', [
      { name: 'loc', t: loc, rankOffset: 0 },
      { name: 'cov_factor', t: covFactor, rankOffset: 1 },
      { name: 'cov_diag', t: covDiag, rankOffset: 0 },
    ]);
    if (covFactor.rank < 2) throw new Error(`LowRankMultivariateNormal: cov_factor must be [..., ${this.d}, r], found [${covFactor.shape.join(',')}]`);
    this.loc = loc;
    this.covFactor = covFactor;
    this.covDiag = covDiag;
    this.rank = covFactor.shape[covFactor.rank - 1]!;
  }

  /** D^-1 W [..., d, r], the capacitance's Cholesky factor Lc [..., r, r], and log det Sigma [...]. */
  factors(): { dinvW: Tensor; lc: Tensor; logDet: Tensor } {
    const dinvW = tf.div(this.covFactor, tf.expandDims(this.covDiag, -1)); // [..., d, r]
    const [w, dw] = broadcastPair(this.covFactor, dinvW);
    const wtDinvW = tf.matMul(w, dw, true, false); // [..., r, r]
    const cap = tf.add(wtDinvW, tf.eye(this.rank)); // [..., r, r] C = I + W^T D^-1 W
    const lc = cholesky(cap); // [..., r, r]
    const logDet = tf.add(tf.mul(2, tf.sum(tf.log(diagPart(lc)), -1)), tf.sum(tf.log(this.covDiag), -1)); // [...]
    return { dinvW, lc, logDet };
  }

  /** Sigma^-1 B for B [..., d, m], by Woodbury. */
  precisionTimes(B: Tensor): Tensor {
    return tf.tidy(() => {
      const { dinvW, lc } = this.factors();
      const dinvB = tf.div(B, tf.expandDims(this.covDiag, -1)); // [..., d, m]
      const [w, db] = broadcastPair(this.covFactor, dinvB);
      const wtDinvB = tf.matMul(w, db, true, false); // [..., r, m]
      const cInv = triangularSolve(lc, triangularSolve(lc, wtDinvB), true); // [..., r, m] C^-1 W^T D^-1 B
      const [dw, ci] = broadcastPair(dinvW, cInv);
      return tf.sub(dinvB, tf.matMul(dw, ci)); // [..., d, m]
    });
  }

  /** log det Sigma, [...params]. */
  logDet(): Tensor {
    return tf.tidy(() => this.factors().logDet); // [...]
  }

  protected logProbVectors(x: Tensor): Tensor {
    return tf.tidy(() => {
      const { dinvW, lc, logDet } = this.factors();
      const delta = tf.sub(x, this.loc); // [..., d]
      const dDinvD = tf.sum(tf.div(tf.square(delta), this.covDiag), -1); // [...] delta^T D^-1 delta
      const wtDinvDelta = tf.sum(tf.mul(dinvW, tf.expandDims(delta, -1)), -2); // [..., r] W^T D^-1 delta
      const y = triangularSolve(lc, tf.expandDims(wtDinvDelta, -1)); // [..., r, 1] Lc^-1 W^T D^-1 delta
      const maha = tf.sub(dDinvD, tf.sum(tf.square(y), [-2, -1])); // [...] delta^T Sigma^-1 delta
      return tf.mul(-0.5, tf.add(tf.add(maha, logDet), this.d * LOG_2PI)); // [..., ...outer]
    });
  }

  private draw(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape); // [...batch, ...outer, d]
    const epsR = standardNormal([...shape.slice(0, -1), this.rank], rng.fold(0).seed()); // [...batch, ...outer, r]
    const epsD = standardNormal(shape, rng.fold(1).seed()); // [...batch, ...outer, d]
    return tf.add(tf.add(this.loc, matVec(this.covFactor, epsR)), tf.mul(tf.sqrt(this.covDiag), epsD)); // [...batch, ...outer, d]
  }

  /** Draws without gradient: [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return detached(this.paramList(), () => this.draw(rng, batchShape)); // [...batch, ...event]
  }

  /** loc + W eps_r + sqrt(D) eps_d, differentiable in all parameters. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, batchShape)); // [...batch, ...event]
  }

  /** loc, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [...this.vectorsShape, this.d])); // [...batch, ...event]
  }

  /** sum_j W_ij^2 + D_i, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(tf.sum(tf.square(this.covFactor), -1), this.covDiag), [...this.vectorsShape, this.d])); // [...batch, ...event]
  }

  /** sum over the outer axes of log det Sigma / 2 + d (1 + log 2 pi) / 2, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumOuter(tf.add(tf.mul(0.5, this.logDet()), 0.5 * this.d * (1 + LOG_2PI)))); // [...batch]
  }
}

/** The LowRankMultivariateNormal family. */
export const LowRankMultivariateNormal: DistSpec = implement(schema, (params, eventShape) => new LowRankMultivariateNormalDist(params, eventShape));
