/**
 * Dirichlet(concentration): a probability vector x on the simplex with
 *   p(x) = Gamma(a0) / prod_i Gamma(a_i) prod_i x_i^(a_i - 1),  a0 = sum_i a_i,
 * concentration a [..., k] over the site's last axis (shape rule 'vector'). Sampled as
 * normalized Gamma(a_i, 1) variates, combined in log space (log x_i = log G_i - logsumexp log G);
 * reparameterized through the Gammas' implicit gradients (Figurnov et al. 2018).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { detached } from './autodiff';
import {type Params, implement, param } from './base';
import { logGammaRsample } from './implicit-reparam';
import { digamma, FLOAT32_TINY } from './math';
import { digamma64, lgamma64 } from './special64';
import { lastAxis64 } from './vector64';
import { Dirichlet as schema } from './schemas/multivariate';
import type { DistSpec, Tensor } from './types';
import { VectorDistribution } from './vector-base';

/** Independent Dirichlet vectors over the site's last axis. */
export class DirichletDist extends VectorDistribution {
  readonly spec: DistSpec = Dirichlet;
  /** a, [..., k] (not owned). */
  readonly concentration: Tensor;

  constructor(params: Params, eventShape: readonly number[]) {
    const concentration = param(params, 'concentration');
    super(params, eventShape, 'Dirichlet', [{ name: 'concentration', t: concentration, rankOffset: 0 }]);
    this.concentration = concentration;
  }

  /** a broadcast over the site's vector axis, [..., k]. */
  private alpha(): Tensor {
    return tf.mul(this.concentration, tf.ones([this.d])); // [..., k]
  }

  /** log Gamma(a0) - sum_i log Gamma(a_i), [...], in float64 on the host (vector64.ts). */
  logNormalizer(): Tensor {
    return dirichletLogNormalizer(this.alpha()); // [...]
  }

  /** In float64 on the host: at large concentrations the terms are ~a log x and cancel to O(1). */
  protected logProbVectors(x: Tensor): Tensor {
    return tf.tidy(() => dirichletLogDensity(tf.maximum(x, FLOAT32_TINY), this.alpha())); // [..., ...outer]
  }

  private draw(rng: Rng, batchShape: readonly number[] | undefined, differentiable: boolean): Tensor {
    const shape = this.sampleShape(batchShape); // [...batch, ...outer, k]
    const lg = logGammaRsample(this.concentration, shape, rng, differentiable); // [...shape] log G
    const logX = tf.sub(lg, tf.logSumExp(lg, -1, true)); // [...shape]
    return tf.exp(tf.maximum(logX, Math.log(FLOAT32_TINY))); // [...shape]
  }

  /** Draws without gradient: [...batchShape, ...event]. */
  sample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return detached(this.paramList(), () => this.draw(rng, batchShape, false)); // [...batch, ...event]
  }

  /** Normalized Gamma variates with implicit gradients; the same values as `sample`. */
  rsample(rng: Rng, batchShape?: readonly number[]): Tensor {
    return tf.tidy(() => this.draw(rng, batchShape, true)); // [...batch, ...event]
  }

  /** a / a0, [...batch, ...event]. */
  mean(): Tensor {
    return tf.tidy(() => {
      const a = this.alpha(); // [..., k]
      return tf.broadcastTo(tf.div(a, tf.sum(a, -1, true)), [...this.vectorsShape, this.d]); // [...batch, ...event]
    });
  }

  /** a_i (a0 - a_i) / (a0^2 (a0 + 1)), [...batch, ...event]. */
  variance(): Tensor {
    return tf.tidy(() => {
      const a = this.alpha(); // [..., k]
      const a0 = tf.sum(a, -1, true); // [..., 1]
      const v = tf.div(tf.mul(a, tf.sub(a0, a)), tf.mul(tf.square(a0), tf.add(a0, 1))); // [..., k]
      return tf.broadcastTo(v, [...this.vectorsShape, this.d]); // [...batch, ...event]
    });
  }

  /** -logNormalizer + (a0 - k) psi(a0) - sum_i (a_i - 1) psi(a_i), summed over the outer axes: [...batch]. */
  entropy(): Tensor {
    return tf.tidy(() => {
      const a = this.alpha(); // [..., k]
      const a0 = tf.sum(a, -1); // [...]
      const h = tf.sub(tf.add(tf.neg(this.logNormalizer()), tf.mul(tf.sub(a0, this.d), digamma(a0))), tf.sum(tf.mul(tf.sub(a, 1), digamma(a)), -1)); // [...]
      return this.sumOuter(h); // [...batch]
    });
  }
}

/** log Gamma(sum a) - sum log Gamma(a_i) per row of a [..., k]; gradient psi(a0) - psi(a_i). */
export function dirichletLogNormalizer(a: Tensor): Tensor {
  return lastAxis64(
    [a],
    ([r]) => {
      let a0 = 0;
      let s = 0;
      for (const v of r!) {
        a0 += v;
        s += lgamma64(v);
      }
      return lgamma64(a0) - s;
    },
    ([r], [g]) => {
      let a0 = 0;
      for (const v of r!) a0 += v;
      const d0 = digamma64(a0);
      r!.forEach((v, j) => (g![j] = d0 - digamma64(v)));
    },
  ); // [...]
}

/**
 * log Dir(x; a) = lgamma(a0) - sum lgamma(a_i) + sum (a_i - 1) log x_i per row, in float64;
 * gradients d/da_i = log x_i + psi(a0) - psi(a_i), d/dx_i = (a_i - 1) / x_i.
 */
export function dirichletLogDensity(x: Tensor, a: Tensor): Tensor {
  return lastAxis64(
    [x, a],
    ([xr, ar]) => {
      let a0 = 0;
      let s = 0;
      for (let j = 0; j < ar!.length; j++) {
        const aj = ar![j]!;
        a0 += aj;
        s += (aj === 1 ? 0 : (aj - 1) * Math.log(xr![j]!)) - lgamma64(aj);
      }
      return lgamma64(a0) + s;
    },
    ([xr, ar], [gx, ga]) => {
      let a0 = 0;
      for (const v of ar!) a0 += v;
      const d0 = digamma64(a0);
      for (let j = 0; j < ar!.length; j++) {
        gx![j] = (ar![j]! - 1) / xr![j]!;
        ga![j] = Math.log(xr![j]!) + d0 - digamma64(ar![j]!);
      }
    },
  ); // [...]
}

/** The Dirichlet family. */
export const Dirichlet: DistSpec = implement(schema, (params, eventShape) => new DirichletDist(params, eventShape));
