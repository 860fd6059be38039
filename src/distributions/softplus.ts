/**
 * softplus(x) = log(1 + e^x), fast on the WebAssembly backend.
 *
 * tfjs-backend-wasm evaluates exp/log/log1p/softplus with scalar libm code (~7-15 ns per element,
 * measured), while sigmoid, mul and add are vectorized (~1 ns). This version uses only the fast
 * ops: with t = sigmoid(−|x|) ∈ (0, ½] and u = t / (2 − t) ∈ (0, ⅓],
 *
 *   softplus(x) = max(x, 0) + log(1 + e^−|x|) = max(x, 0) − log sigmoid(|x|)
 *               = max(x, 0) + 2 atanh(u)           (since sigmoid(|x|) = (1 − u)/(1 + u)),
 *
 * and atanh(u) = u (1 + u²/3 + u⁴/5 + … + u¹²/13) + R with |R| < u¹⁵/(15 (1 − u²)) ≤ 1.7e-8·u
 * for u ≤ ⅓, below float32 resolution. Computing u from t = sigmoid(−|x|) (not from 1 − sigmoid)
 * keeps full relative accuracy for very negative x, where softplus(x) ≈ e^x is tiny: a Positive
 * scale from a net never rounds to 0 here when it would not in the exact formula.
 * The gradient is given in closed form: d softplus / dx = sigmoid(x) (one op in the backward pass).
 * Other backends use tf.softplus.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAct } from '../kernels/ops';

const COEFFS = [1 / 13, 1 / 11, 1 / 9, 1 / 7, 1 / 5, 1 / 3, 1];

function forward(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.sigmoid(tf.neg(tf.abs(x))); // [...x] in (0, 1/2]
    const u = tf.div(t, tf.sub(2, t)); // [...x] in (0, 1/3]
    const u2 = tf.square(u); // [...x]
    let p: tf.Tensor = tf.scalar(COEFFS[0]!); // []
    for (let i = 1; i < COEFFS.length; i++) p = tf.add(tf.mul(p, u2), COEFFS[i]!); // [...x] Horner in u²
    return tf.add(tf.relu(x), tf.mul(tf.mul(u, p), 2)); // [...x]
  });
}

const fast = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return { value: forward(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sigmoid(saved[0]!)) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/**
 * Below this many elements the ~20 cheap ops cost more in per-op overhead (~10 µs each) than
 * tf.softplus's slow per-element math (~15 ns each) saves.
 */
const FAST_MIN_SIZE = 16384;

/**
 * softplus(x), elementwise: vaelang's fused kernel where active (src/kernels, one op forward and
 * backward), else the fast form on wasm for large tensors (see the module comment).
 */
export function softplus(x: tf.Tensor): tf.Tensor {
  return fusedAct(x, 'softplus') ?? (tf.getBackend() === 'wasm' && x.size >= FAST_MIN_SIZE ? fast(x) : tf.softplus(x));
}

/** Exposed for tests: the fast formula on any backend. */
export function softplusFast(x: tf.Tensor): tf.Tensor {
  return fast(x);
}
