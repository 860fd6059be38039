/**
 * A VAE training step written op by op in plain tfjs, shared by the wasm-threads benchmark's
 * single-process modes and its data-parallel replicas (dp-worker.ts).
 *
 * Model (the Pyro VAE tutorial's shape, batch 100): encoder x[B,784] → softplus(x·W1+b1)[B,400]
 * → one head ·W2+b2 [B,100] split into loc and softplus-scale of q(z|x) (z: 50); decoder
 * z → softplus(z·W3+b3)[B,400] → logits ·W4+b4 [B,784], Bernoulli likelihood; analytic KL to
 * N(0, I); reparameterized z = loc + scale·eps; Adam(1e-3). Plain matmuls only: the project's
 * BatchMatMul gradient (src/fast-gradients.ts) transposes explicitly, because a matmul with a
 * transpose flag is ~12x slower on tfjs-backend-wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';

export const B = 100;
export const X = 784;
export const H = 400;
export const Z = 50;

/** Parameter names in a fixed order (the flattening order for exchange and hashing). */
export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'W4', 'b4'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];
export const PARAM_SHAPES: Record<ParamName, number[]> = {
  W1: [X, H], b1: [H], W2: [H, 2 * Z], b2: [2 * Z], W3: [Z, H], b3: [H], W4: [H, X], b4: [X],
};
export const PARAM_SIZES = PARAM_NAMES.map((n) => PARAM_SHAPES[n].reduce((a, b) => a * b, 1));
export const PARAM_TOTAL = PARAM_SIZES.reduce((a, b) => a + b, 0);

let uid = 0;

/** Deterministic initial parameters (tfjs's seeded random ops run in JS: backend-independent). */
export function makeParams(seed = 1): Record<ParamName, tf.Variable> {
  const prefix = `wt${uid++}_`;
  const out = {} as Record<ParamName, tf.Variable>;
  PARAM_NAMES.forEach((name, i) => {
    const shape = PARAM_SHAPES[name];
    const init = shape.length === 2
      ? tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[0]!), 'float32', seed * 100 + i) // [in, out]
      : tf.zeros(shape); // [out]
    out[name] = tf.variable(init, true, prefix + name);
    init.dispose();
  });
  return out;
}

/** A synthetic binarized-MNIST-like batch: Bernoulli(0.13) pixels, [B, 784]. */
export function makeBatch(seed = 7, rows = B): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.less(tf.randomUniform([rows, X], 0, 1, 'float32', seed), 0.13), 'float32')) as tf.Tensor2D;
}

/** The reparameterization noise of step `step`, [B, 50] (rows split between replicas in dp mode). */
export function makeEps(step: number, rows = B): tf.Tensor2D {
  return tf.randomNormal([rows, Z], 0, 1, 'float32', 1000 + step) as tf.Tensor2D;
}

/**
 * The negative ELBO of the rows in `x` divided by `total` (the full batch size, so that the
 * gradients of two half-batch replicas sum to the full-batch gradient). Scalar.
 */
export function loss(p: Record<ParamName, tf.Variable>, x: tf.Tensor2D, eps: tf.Tensor2D, total = B): tf.Scalar {
  const h = tf.softplus(tf.add(tf.matMul(x, p.W1), p.b1)); // [b, 400]
  const head = tf.add(tf.matMul(h as tf.Tensor2D, p.W2), p.b2); // [b, 100]
  const loc = tf.slice(head, [0, 0], [-1, Z]); // [b, 50]
  const scale = tf.softplus(tf.slice(head, [0, Z], [-1, Z])); // [b, 50]
  const z = tf.add(loc, tf.mul(scale, eps)); // [b, 50]
  const h2 = tf.softplus(tf.add(tf.matMul(z as tf.Tensor2D, p.W3), p.b3)); // [b, 400]
  const logits = tf.add(tf.matMul(h2 as tf.Tensor2D, p.W4), p.b4); // [b, 784]
  const loglik = tf.sum(tf.sub(tf.mul(x, logits), tf.softplus(logits))); // Bernoulli log p(x|z)
  const kl = tf.sum(tf.sub(tf.mul(0.5, tf.sub(tf.add(tf.square(loc), tf.square(scale)), 1)), tf.log(scale)));
  return tf.div(tf.sub(kl, loglik), total) as tf.Scalar;
}

/** Gradients of {@link loss} in PARAM_NAMES order, and the loss value tensor. */
export function grads(p: Record<ParamName, tf.Variable>, x: tf.Tensor2D, eps: tf.Tensor2D, total = B): { value: tf.Scalar; grads: tf.Tensor[] } {
  const vars = PARAM_NAMES.map((n) => p[n]);
  const r = tf.variableGrads(() => loss(p, x, eps, total), vars);
  return { value: r.value, grads: PARAM_NAMES.map((n) => r.grads[p[n].name]!) };
}

/** Applies gradients given in PARAM_NAMES order. */
export function apply(opt: tf.Optimizer, p: Record<ParamName, tf.Variable>, g: tf.Tensor[]): void {
  const named: tf.NamedTensorMap = {};
  PARAM_NAMES.forEach((n, i) => { named[p[n].name] = g[i]!; });
  opt.applyGradients(named);
}

/** One full single-process step: forward, backward, Adam. Returns the loss. */
export function step(opt: tf.Optimizer, p: Record<ParamName, tf.Variable>, x: tf.Tensor2D, eps: tf.Tensor2D): number {
  return tf.tidy(() => {
    const r = grads(p, x, eps);
    apply(opt, p, r.grads);
    return r.value;
  }).dataSync()[0]!;
}

/** The parameters flattened in PARAM_NAMES order. */
export function flatParams(p: Record<ParamName, tf.Variable>): Float32Array {
  const out = new Float32Array(PARAM_TOTAL);
  let off = 0;
  for (const n of PARAM_NAMES) {
    const v = p[n].dataSync() as Float32Array;
    out.set(v, off);
    off += v.length;
  }
  return out;
}

export function hashFloats(a: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16);
}
