/**
 * Affine coupling layer (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real NVP",
 * §3.2-3.4), for vectors. With a binary mask b ∈ {0, 1}^d (1 = passed through and conditioned on):
 *
 *   forward:  y = b ⊙ z + (1 − b) ⊙ (z ⊙ exp(s(b ⊙ z)) + t(b ⊙ z)),    log|det ∂y/∂z| = Σ_i (1 − b_i) s_i
 *   inverse:  z = b ⊙ y + (1 − b) ⊙ ((y − t(b ⊙ y)) ⊙ exp(−s(b ⊙ y))),  log|det ∂z/∂y| = −Σ_i (1 − b_i) s_i
 *
 * (b ⊙ y = b ⊙ z, so the inverse sees the same s, t.) The Jacobian is triangular with diagonal
 * 1 (kept dims) and exp(s_i) (transformed dims). s and t come from an MLP of b ⊙ z (and an
 * optional per-example context c [..., c], unmasked into the first hidden layer); the log-scale is
 * tanh-bounded with a learned per-dimension factor, s = scale ⊙ tanh(ŝ) (as in the Real NVP code),
 * so |s_i| ≤ |scale_i|. Masks: 'checkerboard' (b_i = 1 for even i) or 'half' (b_i = 1 for
 * i < ⌈d/2⌉); `flip` swaps the halves — alternate it in stacks so every dimension is transformed.
 * Being exactly invertible, coupling stacks give densities at any point: used for flow priors.
 *
 * Parameters (global, ParamStore): l{i}.w, l{i}.b (hidden, Glorot/zeros), l0.wc [c, H_0] with a
 * context, heads s.w, t.w [H_last, d] and s.b, t.b [d] (zeros: the layer starts as the identity),
 * scale [d] (ones).
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

/** Which dimensions are conditioned on (b_i = 1). */
export type CouplingMask = 'checkerboard' | 'half';

/** Options of a coupling layer (the same options must be given to `paramShapes` and `build`). */
export interface CouplingOptions {
  /** Hidden sizes of the s/t net (default [2d]). */
  readonly hidden?: readonly number[];
  /** Size c of a per-example context (default 0: none). */
  readonly contextDim?: number;
  /** The mask pattern (default 'checkerboard'). */
  readonly mask?: CouplingMask;
  /** Swap the kept and transformed dimensions (alternate in stacks). */
  readonly flip?: boolean;
  /** Hidden activation (default 'elu'). */
  readonly activation?: Activation;
}

/** The default hidden sizes for vectors of size d. */
export function defaultHidden(d: number): number[] {
  return [2 * d];
}

/**
 * The mask b ∈ {0, 1}^d (1 = kept and conditioned on).
 * @example couplingMask(5, 'checkerboard') // [1, 0, 1, 0, 1];  couplingMask(5, 'half', true) // [0, 0, 0, 1, 1]
 */
export function couplingMask(d: number, mask: CouplingMask = 'checkerboard', flip = false): number[] {
  const half = Math.ceil(d / 2);
  return Array.from({ length: d }, (_, i) => ((mask === 'checkerboard' ? i % 2 === 0 : i < half) !== flip ? 1 : 0));
}

/** The global parameters: Glorot hidden weights, zero heads (identity at init), scale = 1. */
export function paramShapes(d: number, options: CouplingOptions = {}): ParamShapes {
  const hidden = options.hidden ?? defaultHidden(d);
  checkHidden(hidden, 'coupling');
  const last = hidden[hidden.length - 1]!;
  return {
    ...hiddenShapes(d, hidden, options.contextDim ?? 0),
    's.w': { shape: [last, d], init: { kind: 'zeros' }, doc: 'log-scale head weights (before tanh)' },
    's.b': { shape: [d], init: { kind: 'zeros' }, doc: 'log-scale head bias' },
    't.w': { shape: [last, d], init: { kind: 'zeros' }, doc: 'shift head weights' },
    't.b': { shape: [d], init: { kind: 'zeros' }, doc: 'shift head bias' },
    scale: { shape: [d], init: { kind: 'constant', value: 1 }, doc: 'bound of the log-scale, s = scale * tanh(ŝ)' },
  };
}

/** A coupling layer: invertible, with both directions. */
export interface CouplingLayer extends FlowLayer {
  readonly kind: 'coupling';
  /** The mask b (1 = kept). */
  readonly mask: readonly number[];
  inverse(y: Tensor): LayerOutput;
}

/**
 * Builds a coupling layer from its parameters (not owned) and an optional context [..., c].
 * @example const layer = build(ps, { flip: true }); const back = layer.inverse(layer.forward(z).z);
 */
export function build(params: Readonly<Record<string, Tensor>>, options: CouplingOptions = {}, context?: Tensor): CouplingLayer {
  const d = need(params, 'l0.w', 'coupling').shape[0]!; // l0.w is [d, H0]
  const hidden = options.hidden ?? defaultHidden(d);
  checkParamShapes('coupling', params, paramShapes(d, options), false);
  const batchShape = checkContext(context, params, 'coupling');
  const act = options.activation ?? 'elu';
  const mask = couplingMask(d, options.mask, options.flip);
  const all: Record<string, Tensor> = { ...params };
  if (context !== undefined) all['context'] = context;

  /** {kept, s, t, free} for an input whose kept half is that of x [...batch, d]. */
  const net = (x: Tensor): { kept: Tensor; s: Tensor; t: Tensor; free: Tensor } => {
    const b = tf.tensor1d(mask); // [d]
    const free = tf.sub(1, b); // [d]  1 − b
    const kept = tf.mul(x, b); // [...batch, d]
    const h = hiddenStack(kept, params, hidden.length, null, context, act, 'coupling'); // [...batch', H_last]
    const sHat = tf.add(matMulND(h, need(params, 's.w', 'coupling')), need(params, 's.b', 'coupling')); // [...batch', d]
    const s = tf.mul(tf.mul(need(params, 'scale', 'coupling'), tf.tanh(sHat)), free); // [...batch', d]
    const t = tf.mul(tf.add(matMulND(h, need(params, 't.w', 'coupling')), need(params, 't.b', 'coupling')), free); // [...batch', d]
    return { kept, s, t, free };
  };

  return {
    kind: 'coupling',
    dim: d,
    batchShape,
    params: all,
    mask,
    forward(z: Tensor): LayerOutput {
      return tf.tidy(() => {
        checkInput(z, d, 'coupling');
        const { kept, s, t, free } = net(z);
        const moved = tf.mul(free, tf.add(tf.mul(z, tf.exp(s)), t)); // [...batch', d]
        return { z: tf.add(kept, moved), logDet: tf.sum(s, -1) }; // [...batch', d], [...batch']
      });
    },
    inverse(y: Tensor): LayerOutput {
      return tf.tidy(() => {
        checkInput(y, d, 'coupling');
        const { kept, s, t, free } = net(y);
        const moved = tf.mul(free, tf.mul(tf.sub(y, t), tf.exp(tf.neg(s)))); // [...batch', d]
        return { z: tf.add(kept, moved), logDet: tf.neg(tf.sum(s, -1)) }; // [...batch', d], [...batch']
      });
    },
  };
}
