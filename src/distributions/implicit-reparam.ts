/**
 * Implicit reparameterization gradients for Gamma variates (Figurnov, Mohamed & Mnih,
 * Implicit Reparameterization Gradients, NeurIPS 2018), and through them for Beta and
 * Dirichlet, which are normalized Gamma variates.
 *
 * A variate x ~ Gamma(a, 1) is drawn by Marsaglia–Tsang (no differentiable noise transform
 * exists), and its gradient comes from differentiating the CDF equation F(x; a) = u at fixed u:
 *   dx/da = -(dF(x; a)/da) / p(x; a).
 * Both factors are computed per element in float64 (math64.ts), in log space: the op returns
 * log x with gradient d log x / da, so concentrations down to ~1e-3 (where x underflows
 * float32) still give finite, exact gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { dLogGammaDa } from './math64';
import { logGammaVariates } from './sampling';
import type { Tensor } from './types';

/**
 * log of Gamma(alpha, 1) variates of `shape` (alpha broadcast to it), differentiable in alpha
 * by implicit reparameterization when `differentiable` (the default); otherwise a constant.
 * Both draw the same values from `rng` (the stream of {@link logGammaVariates}).
 */
export function logGammaRsample(alpha: Tensor, shape: readonly number[], rng: Rng, differentiable = true): Tensor {
  const full = tf.broadcastTo(alpha, [...shape]); // [...shape], gradient sums back to alpha
  const a = full.dataSync();
  const lg = logGammaVariates(a, rng);
  const value = Float32Array.from(lg);
  if (!differentiable) return tf.tensor(value, [...shape], 'float32'); // [...shape] log x
  const grad = new Float32Array(lg.length);
  for (let i = 0; i < lg.length; i++) grad[i] = dLogGammaDa(a[i]!, lg[i]!);
  const op = tf.customGrad((x) => ({
    value: tf.tensor(value, [...(x as Tensor).shape], 'float32'), // [...shape] log x
    gradFunc: (dy) => tf.mul(dy, tf.tensor(grad, [...shape], 'float32')), // [...shape] d log x / d alpha
  }));
  return op(full); // [...shape]
}
