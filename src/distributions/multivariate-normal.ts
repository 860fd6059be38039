/**
 * MultivariateNormal(loc, scale_tril): a Gaussian vector with mean loc [..., d] and covariance
 * L L^T, L = scale_tril [..., d, d] lower-triangular with a positive diagonal (only its lower
 * triangle is read). Shape rule 'vector'. Reparameterized as x = loc + L eps, eps ~ N(0, I).
 *   log p(x) = -||L^-1 (x - loc)||^2 / 2 - sum_i log L_ii - d log(2 pi) / 2.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import {type Params, implement, param } from './base';
import { diagPart, lowerTriangle, matVec, triangularSolve } from './linalg';
import { LOG_2PI } from './math';
import { standardNormal } from './sampling';
import { MultivariateNormal as schema } from './schemas/multivariate';
import type { DistSpec, Tensor } from './types';
import { VectorDistribution } from './vector-base';

/** A Gaussian vector with a full covariance given by its Cholesky factor. */
export class MultivariateNormalDist extends VectorDistribution {
  readonly spec: DistSpec = MultivariateNormal;
  /** The mean, [..., d] (not owned). */
  readonly loc: Tensor;
  /** The Cholesky factor as given, [..., d, d] (not owned). */
  readonly scaleTril: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const loc = param(params, 'loc');
    const scaleTril = param(params, 'scale_tril');
    super(params, eventShape, 'MultivariateNormal', [
      { name: 'loc', t: loc, rankOffset: 0 },
      { name: 'scale_tril', t: scaleTril, rankOffset: 1, square: true },
    ]);
    this.loc = loc;
    this.scaleTril = scaleTril;
  }

  /** L with its upper triangle zeroed, [..., d, d]. */
  tril(): Tensor {
    return lowerTriangle(this.scaleTril); // [..., d, d]
  }

  /** log det(L L^T) = 2 sum log L_ii, [...params]. */
  logDet(): Tensor {
    return tf.tidy(() => tf.mul(2, tf.sum(tf.log(diagPart(this.scaleTril)), -1))); // [...]
  }

  protected logProbVectors(x: Tensor): Tensor {
    return tf.tidy(() => {
      const delta = tf.sub(x, this.loc); // [..., d]
      const y = triangularSolve(this.scaleTril, tf.expandDims(delta, -1)); // [..., d, 1] L^-1 (x - loc)
      const maha = tf.sum(tf.square(y), [-2, -1]); // [...]
      return tf.mul(-0.5, tf.add(tf.add(maha, this.logDet()), this.d * LOG_2PI)); // [..., ...outer]
    });
  }

  private draw(rng: Rng, batchShape?: readonly number[]): Tensor {
    const shape = this.sampleShape(batchShape); // [...batch, ...outer, d]
    return tf.add(this.loc, matVec(this.tril(), standardNormal(shape, rng.seed()))); // [...batch, ...outer, d]
  }

  /** Draws without gradient: [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return detached(this.paramList(), () => this.draw(rng, batchShape)); // [...batch, ...event]
  }

  /** loc + L eps, differentiable in loc and L. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, batchShape)); // [...batch, ...event]
  }

  /** loc, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [...this.vectorsShape, this.d])); // [...batch, ...event]
  }

  /** The covariance's diagonal sum_j L_ij^2, [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.sum(tf.square(this.tril()), -1), [...this.vectorsShape, this.d])); // [...batch, ...event]
  }

  /** sum over the outer axes of log det(L L^T) / 2 + d (1 + log 2 pi) / 2, [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => this.sumOuter(tf.add(tf.mul(0.5, this.logDet()), 0.5 * this.d * (1 + LOG_2PI)))); // [...batch]
  }
}

/** The MultivariateNormal family. */
export const MultivariateNormal: DistSpec = implement(schema, (params, eventShape) => new MultivariateNormalDist(params, eventShape));
