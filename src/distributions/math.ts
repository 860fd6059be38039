/**
 * Special functions and numerically careful elementwise helpers shared by the families.
 *
 * tfjs has no lgamma/digamma, and the wasm backend computes `log1p(x)` as `log(1 + x)`
 * (relative error ~5e-2 at x = 1e-6), so this module provides float32-accurate versions.
 * The piecewise forward passes run inside `tf.customGrad`, whose forward function is not
 * recorded on the gradient tape: branch selection there is free of the NaN-gradient and
 * "no gradient for Less" pitfalls, and the gradient is given explicitly
 * (lgamma' = digamma, digamma' = trigamma, log1p' = 1 / (1 + x)).
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from './softplus';
import type { Tensor } from './types';

/** log(2 pi). */
export const LOG_2PI = Math.log(2 * Math.PI);
/** log(pi). */
export const LOG_PI = Math.log(Math.PI);
/** The Euler–Mascheroni constant gamma = -digamma(1). */
export const EULER_GAMMA = 0.5772156649015329;
/** float32 machine epsilon, 2^-23. */
export const FLOAT32_EPS = 1.1920928955078125e-7;
/** The smallest normal float32, 2^-126. */
export const FLOAT32_TINY = 1.1754943508222875e-38;

/** zeta(k) - 1 for k = 2..17 (Abramowitz & Stegun table 23.3). */
export const ZETA_MINUS_ONE: readonly number[] = [
  0.6449340668482264, 0.2020569031595943, 0.0823232337111382, 0.0369277551433699,
  0.0173430619844491, 0.0083492773819228, 0.0040773561979443, 0.0020083928260822,
  0.0009945751278181, 0.0004941886041195, 0.000246086553308, 0.0001227133475785,
  0.0000612481350587, 0.000030588236307, 0.0000152822594087, 0.0000076371976379,
];

/** Horner evaluation of sum_i coef[i] * t^i for a tensor t and number coefficients. */
function horner(t: Tensor, coef: readonly number[]): Tensor {
  let acc: Tensor = tf.scalar(coef[coef.length - 1] ?? 0); // []
  for (let i = coef.length - 2; i >= 0; i--) acc = tf.add(tf.mul(acc, t), coef[i] ?? 0); // [...x]
  return acc;
}

// lgamma(2 + e) = sum_{k>=1} c_k e^k with c_1 = 1 - gamma, c_k = (-1)^k (zeta(k) - 1) / k (A&S 6.1.33).
const LGAMMA2_COEF = [0, 1 - EULER_GAMMA, ...ZETA_MINUS_ONE.map((z, i) => ((i % 2 === 0 ? 1 : -1) * z) / (i + 2))];
// digamma(2 + e) = 1 - gamma + sum_{k>=2} (-1)^k (zeta(k) - 1) e^(k-1): the derivative of the above.
const DIGAMMA2_COEF = [1 - EULER_GAMMA, ...ZETA_MINUS_ONE.map((z, i) => (i % 2 === 0 ? 1 : -1) * z)];
const MAX_SHIFT = 8; // x in [2.5, 10) is reduced by up to 8 unit steps into [1.5, 2.5)
const ASYMPTOTIC_FROM = 10;

/**
 * Reduces x < 10 to y = x - n in [1.5, 2.5) (n in -2..8) and returns e = y - 2, n and the
 * per-step factors (x - i) for i = 1..n (1 where unused). Forward-only (inside customGrad).
 */
function reduce(x: Tensor): { e: Tensor; n: Tensor; factors: Tensor[] } {
  const n = tf.clipByValue(tf.floor(tf.sub(x, 1.5)), -2, MAX_SHIFT); // [...x]
  const e = tf.sub(x, tf.add(n, 2)); // [...x] y - 2, exact (Sterbenz) rather than (x - n) - 2
  const factors: Tensor[] = [];
  for (let i = 1; i <= MAX_SHIFT; i++) factors.push(tf.where(tf.lessEqual(i, n), tf.sub(x, i), 1)); // [...x]
  return { e, n, factors };
}

function lgammaForward(x: Tensor): Tensor {
  return tf.tidy(() => {
    const { e, n, factors } = reduce(x);
    const series = horner(e, LGAMMA2_COEF); // [...x] lgamma(y)
    const up = tf.log(factors.reduce((a, b) => tf.mul(a, b))); // [...x] log prod (x - i)
    const down = tf.add( // [...x]
      tf.where(tf.lessEqual(n, -1), tf.log(x), 0),
      tf.where(tf.lessEqual(n, -2), log1pForward(x), 0),
    ); // [...x] log x (+ log(1 + x))
    const small = tf.sub(tf.add(series, up), down); // [...x]
    const z = tf.maximum(x, ASYMPTOTIC_FROM); // [...x]
    const zi = tf.reciprocal(z); // [...x]
    const zi2 = tf.square(zi); // [...x]
    const corr = tf.mul(zi, horner(zi2, [1 / 12, -1 / 360, 1 / 1260, -1 / 1680])); // [...x]
    const stirling = tf.add(tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z), tf.add(corr, 0.5 * LOG_2PI)); // [...x]
    return tf.where(tf.less(x, ASYMPTOTIC_FROM), small, stirling); // [...x]
  });
}

function digammaForward(x: Tensor): Tensor {
  return tf.tidy(() => {
    const { e, n, factors } = reduce(x);
    const series = horner(e, DIGAMMA2_COEF); // [...x] digamma(y)
    let up: Tensor = tf.zerosLike(x); // [...x] sum 1 / (x - i) over used steps
    for (let i = 0; i < factors.length; i++) {
      up = tf.add(up, tf.where(tf.lessEqual(i + 1, n), tf.reciprocal(factors[i]!), 0)); // [...x]
    }
    const down = tf.add( // [...x]
      tf.where(tf.lessEqual(n, -1), tf.reciprocal(x), 0),
      tf.where(tf.lessEqual(n, -2), tf.reciprocal(tf.add(x, 1)), 0),
    ); // [...x]
    const small = tf.sub(tf.add(series, up), down); // [...x]
    const z = tf.maximum(x, ASYMPTOTIC_FROM); // [...x]
    const zi2 = tf.reciprocal(tf.square(z)); // [...x]
    const tail = tf.mul(zi2, horner(zi2, [-1 / 12, 1 / 120, -1 / 252, 1 / 240, -1 / 132])); // [...x]
    const asym = tf.add(tf.sub(tf.log(z), tf.div(0.5, z)), tail); // [...x]
    return tf.where(tf.less(x, ASYMPTOTIC_FROM), small, asym); // [...x]
  });
}

function log1pForward(x: Tensor): Tensor {
  // Goldberg's trick: with u = fl(1 + x), log1p(x) = log(u) * x / (u - 1), exact to a few ulp.
  return tf.tidy(() => {
    const u = tf.add(x, 1); // [...x]
    const d = tf.sub(u, 1); // [...x]
    const safeD = tf.where(tf.equal(d, 0), 1, d); // [...x]
    return tf.where(tf.equal(d, 0), x, tf.mul(tf.log(u), tf.div(x, safeD))); // [...x]
  });
}

const lgammaOp = tf.customGrad((x, save) => {
  const xt = x as Tensor;
  (save as tf.GradSaveFunc)([xt]);
  return { value: lgammaForward(xt), gradFunc: (dy, saved) => tf.mul(dy, digamma(saved[0]!)) }; // grad [...x]
});

const digammaOp = tf.customGrad((x, save) => {
  const xt = x as Tensor;
  (save as tf.GradSaveFunc)([xt]);
  return { value: digammaForward(xt), gradFunc: (dy, saved) => tf.mul(dy, trigamma(saved[0]!)) }; // grad [...x]
});

const log1pOp = tf.customGrad((x, save) => {
  const xt = x as Tensor;
  (save as tf.GradSaveFunc)([xt]);
  return { value: log1pForward(xt), gradFunc: (dy, saved) => tf.div(dy, tf.add(saved[0]!, 1)) }; // grad [...x]
});

/**
 * log Gamma(x) for x > 0, float32-accurate (relative ~1e-7, also near the zeros at 1 and 2);
 * differentiable, with gradient digamma(x).
 * @example lgamma(tf.tensor([0.5, 1, 10])) // [log sqrt(pi), 0, log 362880]
 */
export function lgamma(x: Tensor | number): Tensor {
  return tf.tidy(() => lgammaOp(toFloat(x))); // [...x]
}

/** digamma(x) = d/dx log Gamma(x) for x > 0 (absolute error ~1e-7); gradient trigamma(x). */
export function digamma(x: Tensor | number): Tensor {
  return tf.tidy(() => digammaOp(toFloat(x))); // [...x]
}

/**
 * trigamma(x) = d^2/dx^2 log Gamma(x) for x > 0: six upward recurrence steps, then the
 * asymptotic series at x + 6 (all terms positive, so no cancellation). Plain differentiable ops.
 */
export function trigamma(x: Tensor | number): Tensor {
  return tf.tidy(() => {
    const xt = toFloat(x);
    let acc: Tensor = tf.zerosLike(xt); // [...x]
    for (let i = 0; i < 6; i++) acc = tf.add(acc, tf.reciprocal(tf.square(tf.add(xt, i)))); // [...x]
    const z = tf.add(xt, 6); // [...x]
    const zi = tf.reciprocal(z); // [...x]
    const zi2 = tf.square(zi); // [...x]
    // 1/z + 1/(2z^2) + 1/(6z^3) - 1/(30z^5) + 1/(42z^7) - 1/(30z^9) + 5/(66z^11)
    const odd = tf.mul(zi, horner(zi2, [1, 1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66])); // [...x]
    return tf.add(acc, tf.add(odd, tf.mul(0.5, zi2))); // [...x]
  });
}

/** log(1 + x), accurate for small |x| on every backend; gradient 1 / (1 + x). */
export function log1p(x: Tensor | number): Tensor {
  return tf.tidy(() => log1pOp(toFloat(x))); // [...x]
}

/** log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b). */
export function lbeta(a: Tensor | number, b: Tensor | number): Tensor {
  return tf.tidy(() => tf.sub(tf.add(lgamma(a), lgamma(b)), lgamma(tf.add(a, b)))); // [...broadcast(a, b)]
}

/**
 * log(1 - exp(-x)) for x > 0 as log(-expm1(-x)): relative accuracy for small x, absolute
 * ~1e-7 for large x (where the value is ~0). Differentiable.
 */
export function log1mexp(x: Tensor | number): Tensor {
  return tf.tidy(() => tf.log(tf.neg(tf.expm1(tf.neg(toFloat(x)))))); // [...x]
}

/** log sigmoid(x) = -softplus(-x), never log(sigmoid(x)). */
export function logSigmoid(x: Tensor): Tensor {
  return tf.tidy(() => tf.neg(softplus(tf.neg(x)))); // [...x]
}

/** A float32 tensor from a number or tensor (tensors pass through unchanged). */
export function toFloat(x: Tensor | number): Tensor {
  if (typeof x === 'number') return tf.scalar(x); // []
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32'); // [...x]
}
