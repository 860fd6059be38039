/**
 * Inverse autoregressive flow step (Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling 2016,
 * "Improved Variational Inference with Inverse Autoregressive Flow", §4 and algorithm 1), with a
 * MADE autoregressive net (Germain et al. 2015; masks in ./made.ts):
 *
 *   [m, s] = MADE(z, h),   σ = sigmoid(s + b_σ)   (the numerically stable "LSTM-style" update),
 *   z' = σ ⊙ z + (1 − σ) ⊙ m,
 *   log|det ∂z'/∂z| = Σ_i log σ_i.
 *
 * m_i and s_i depend only on the z_j before i in the autoregressive order, so ∂z'/∂z is
 * triangular in that order with diagonal σ, and the log-determinant above is exact. b_σ (default
 * 2, as in the paper's forget-gate bias) starts σ near 0.88 so the step is close to the identity;
 * the learned output bias `s.b` adds to it. The optional context h [..., c] (per example, e.g. an
 * encoder output) enters the first hidden layer through an unmasked weight `l0.wc`. In a stack,
 * alternate `reverse` so consecutive steps use opposite orders. No closed-form inverse (the
 * inverse is sequential, d passes), so IAF is for posteriors, not priors.
 *
 * Parameters (global, ParamStore): l{i}.w [H_{i−1}, H_i], l{i}.b [H_i] (H_{−1} = d), l0.wc [c, H_0]
 * when contextDim = c > 0, and the heads m.w, s.w [H_last, d], m.b, s.b [d].
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkContext,
  checkHidden,
  checkInput,
  checkParamShapes,
  hiddenShapes,
  hiddenStack,
  matMulND,
  need,
  type Activation,
  type FlowLayer,
  type LayerOutput,
  type ParamShapes,
  type Tensor,
} from './common';
import { madeMasks, type Mask } from './made';

/** Options of an IAF step (the same options must be given to `paramShapes` and `build`). */
export interface IafOptions {
  /** Hidden sizes of the MADE (default [2d]). */
  readonly hidden?: readonly number[];
  /** Size c of the per-example context h (default 0: none). */
  readonly contextDim?: number;
  /** Use the reversed autoregressive order d, d−1, …, 1 (alternate in stacks). */
  readonly reverse?: boolean;
  /** The constant b_σ added to s before the sigmoid (default 2). */
  readonly sigmoidBias?: number;
  /** Hidden activation (default 'elu', as in the paper). */
  readonly activation?: Activation;
}

/** The default hidden sizes for vectors of size d. */
export function defaultHidden(d: number): number[] {
  return [2 * d];
}

/** The global parameters: Glorot weights, zero biases. */
export function paramShapes(d: number, options: IafOptions = {}): ParamShapes {
  const hidden = options.hidden ?? defaultHidden(d);
  checkHidden(hidden, 'iaf');
  const last = hidden[hidden.length - 1]!;
  return {
    ...hiddenShapes(d, hidden, options.contextDim ?? 0),
    'm.w': { shape: [last, d], init: { kind: 'glorot', fanIn: last, fanOut: d }, doc: 'shift head weights (masked)' },
    'm.b': { shape: [d], init: { kind: 'zeros' }, doc: 'shift head bias' },
    's.w': { shape: [last, d], init: { kind: 'glorot', fanIn: last, fanOut: d }, doc: 'gate head weights (masked)' },
    's.b': { shape: [d], init: { kind: 'zeros' }, doc: 'gate head bias (added to sigmoidBias)' },
  };
}

/** An IAF step. */
export interface IafLayer extends FlowLayer {
  readonly kind: 'iaf';
  /** The autoregressive order: order[k] is the index of the k-th dimension (the k-th input degree). */
  readonly order: readonly number[];
}

function maskTensor(m: Mask): Tensor {
  return tf.tensor2d(m.values, [m.shape[0], m.shape[1]]); // [rows, cols]
}

/**
 * Builds an IAF step from its parameters (not owned) and an optional context [..., c]
 * (per example; its leading axes broadcast against z's batch axes).
 * @example const layer = build(createParams(store, 'q.iaf0', 'q', paramShapes(8, opts), rng), opts, h);
 */
export function build(params: Readonly<Record<string, Tensor>>, options: IafOptions = {}, context?: Tensor): IafLayer {
  const d = need(params, 'l0.w', 'iaf').shape[0]!; // l0.w is [d, H0]
  const hidden = options.hidden ?? defaultHidden(d);
  checkParamShapes('iaf', params, paramShapes(d, options), false);
  const batchShape = checkContext(context, params, 'iaf');
  const reverse = options.reverse ?? false;
  const bias = options.sigmoidBias ?? 2;
  const act = options.activation ?? 'elu';
  const masks = madeMasks(d, hidden, reverse); // built once, as plain arrays; tensors per call
  const order = Array.from({ length: d }, (_, k) => (reverse ? d - 1 - k : k));
  const all: Record<string, Tensor> = { ...params };
  if (context !== undefined) all['context'] = context;

  return {
    kind: 'iaf',
    dim: d,
    batchShape,
    params: all,
    order,
    forward(z: Tensor): LayerOutput {
      return tf.tidy(() => {
        checkInput(z, d, 'iaf');
        const hm = masks.hidden.map(maskTensor); // [H_{l−1}, H_l] each
        const om = maskTensor(masks.output); // [H_last, d]
        const h = hiddenStack(z, params, hidden.length, hm, context, act, 'iaf'); // [...batch, H_last]
        const m = tf.add(matMulND(h, tf.mul(need(params, 'm.w', 'iaf'), om)), need(params, 'm.b', 'iaf')); // [...batch, d]
        const sRaw = tf.add(matMulND(h, tf.mul(need(params, 's.w', 'iaf'), om)), need(params, 's.b', 'iaf')); // [...batch, d]
        const s = tf.add(sRaw, bias); // [...batch, d]
        const sigma = tf.sigmoid(s); // [...batch, d]
        const out = tf.add(tf.mul(sigma, z), tf.mul(tf.sub(1, sigma), m)); // [...batch, d]
        const logSigma = tf.neg(tf.softplus(tf.neg(s))); // [...batch, d]  log sigmoid(s), stably
        return { z: out, logDet: tf.sum(logSigma, -1) }; // [...batch, d], [...batch]
      });
    },
  };
}

