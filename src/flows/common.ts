/**
 * Shared pieces of the normalizing-flow layers: the layer contract, parameter descriptions
 * (name -> shape + initializer) and their creation in a ParamStore, and small dense-net helpers.
 *
 * A flow layer is a bijection f: R^d -> R^d applied to the last axis of z [...batch, d]. Its
 * `forward(z)` returns f(z) [...batch, d] and logDet = log|det ∂f/∂z| [...batch], one value per
 * batch element (the Jacobian is d x d per element: batch elements never interact). Invertible
 * layers also give `inverse(y)` = f⁻¹(y) with logDet = log|det ∂f⁻¹/∂y| = −log|det ∂f/∂z| at z = f⁻¹(y).
 * A stack z_L = f_L ∘ … ∘ f_1(z_0) has, by the change of variables (Rezende & Mohamed 2015, eq. 7),
 *   log q_L(z_L) = log q_0(z_0) − Σ_l log|det ∂f_l/∂z_{l−1}|.
 *
 * Parameters are either global (tf.Variables from a ParamStore, created by the caller from the
 * layer's `paramShapes(d, options)` with {@link createParams}) or amortized (per-example tensors,
 * e.g. a net output [..., B, n], whose leading axes broadcast against z's batch axes).
 * Layers never create or dispose their parameters.
 *
 * References: Rezende & Mohamed 2015 (Variational Inference with Normalizing Flows, ICML);
 * Glorot & Bengio 2010 (uniform init with limit sqrt(6 / (fanIn + fanOut))).
 */
import * as tf from '@tensorflow/tfjs';
import { matMulND } from '../engine/matmul';
import { broadcastShapes, sameShape } from '../distributions/shapes';
import type { ParamStore } from '../inference/params';
import type { Rng } from '../core/rng';

export type Tensor = tf.Tensor;

/** The result of a layer pass: the transformed value and log|det J| per batch element. */
export type LayerOutput = {
  /** The transformed value, [...batch, d]. */
  z: Tensor;
  /** log|det ∂out/∂in| per batch element, [...batch]. */
  logDet: Tensor;
};

/** The layer families. */
export const FLOW_LAYER_KINDS = ['planar', 'radial', 'iaf', 'coupling'] as const;
export type FlowLayerKind = (typeof FLOW_LAYER_KINDS)[number];

/** One flow layer on vectors of size `dim` (the last axis). */
export interface FlowLayer {
  readonly kind: FlowLayerKind;
  /** d, the size of the event axis. */
  readonly dim: number;
  /** The broadcast of the leading (per-example) axes of the parameters and context; [] for global layers. */
  readonly batchShape: readonly number[];
  /** The parameters (and context) as given, not owned. */
  readonly params: Readonly<Record<string, Tensor>>;
  /** f(z) and log|det ∂f/∂z|: z [...batch, d] -> {z: [...batch', d], logDet: [...batch']} with batch' = broadcast(batch, batchShape). */
  forward(z: Tensor): LayerOutput;
  /** f⁻¹(y) and log|det ∂f⁻¹/∂y| (= −forward logDet at f⁻¹(y)); present only for invertible layers. */
  inverse?(y: Tensor): LayerOutput;
}

/** How a parameter's initial value is drawn. */
export type Initializer =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'constant'; readonly value: number }
  /** N(0, std²). */
  | { readonly kind: 'normal'; readonly std: number }
  /** Glorot/Xavier uniform on [−l, l], l = sqrt(6 / (fanIn + fanOut)). */
  | { readonly kind: 'glorot'; readonly fanIn: number; readonly fanOut: number };

/** The description of one global parameter. */
export interface ParamShape {
  readonly shape: readonly number[];
  readonly init: Initializer;
  readonly doc: string;
}

/** name -> description, in creation order. */
export type ParamShapes = Readonly<Record<string, ParamShape>>;

/** Hidden-layer activations of the IAF/coupling nets. */
export type Activation = 'elu' | 'relu' | 'tanh';

/**
 * The initial value of one parameter, deterministic given `rng` (a float32 tensor of `p.shape`).
 * @example initialValue({ shape: [3, 4], init: { kind: 'glorot', fanIn: 3, fanOut: 4 }, doc: '' }, rng)
 */
export function initialValue(p: ParamShape, rng: Rng): Tensor {
  const shape = [...p.shape];
  switch (p.init.kind) {
    case 'zeros':
      return tf.zeros(shape); // [...shape]
    case 'constant':
      return tf.fill(shape, p.init.value); // [...shape]
    case 'normal':
      return tf.randomNormal(shape, 0, p.init.std, 'float32', rng.seed()); // [...shape]
    case 'glorot': {
      const limit = Math.sqrt(6 / (p.init.fanIn + p.init.fanOut));
      return tf.randomUniform(shape, -limit, limit, 'float32', rng.seed()); // [...shape]
    }
  }
}

/**
 * Creates (or fetches, when they exist) the variables `${prefix}.${name}` in `store` under
 * `group`, each initialized from `rng.foldName(name)`. Returns name -> variable, ready for a
 * layer's `build`.
 * @example const ps = createParams(store, 'q_z.flow0', 'q_z', planar.paramShapes(8), rng.fold(3));
 *          const layer = planar.build(ps);
 */
export function createParams(store: ParamStore, prefix: string, group: string, shapes: ParamShapes, rng: Rng): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, p] of Object.entries(shapes)) {
    out[name] = store.create(`${prefix}.${name}`, group, () => initialValue(p, rng.foldName(name)));
  }
  return out;
}

/** A required parameter, or an Error naming the layer. */
export function need(params: Readonly<Record<string, Tensor>>, name: string, layer: string): Tensor {
  const t = params[name];
  if (t === undefined) throw new Error(`${layer} flow layer: missing parameter '${name}'`);
  return t;
}

/**
 * Checks every parameter of `shapes` is present with its shape; with `batched`, leading
 * per-example axes are allowed in front (amortized parameters). Unknown names are errors.
 * Returns the broadcast of the leading axes ([] for global parameters).
 */
export function checkParamShapes(layer: string, params: Readonly<Record<string, Tensor>>, shapes: ParamShapes, batched: boolean): number[] {
  for (const name of Object.keys(params)) {
    if (!(name in shapes)) throw new Error(`${layer} flow layer: unknown parameter '${name}' (expected ${Object.keys(shapes).join(', ')})`);
  }
  const leads: number[][] = [];
  for (const [name, p] of Object.entries(shapes)) {
    const t = need(params, name, layer); // [...lead, ...p.shape]
    const k = t.rank - p.shape.length;
    const ok = batched ? k >= 0 && sameShape(t.shape.slice(k), p.shape) : sameShape(t.shape, p.shape);
    if (!ok) {
      const want = batched ? `[..., ${p.shape.join(', ')}]` : `[${p.shape.join(', ')}]`;
      throw new Error(`${layer} flow layer: parameter '${name}' has shape [${t.shape.join(', ')}], expected ${want}`);
    }
    leads.push(t.shape.slice(0, k));
  }
  try {
    return broadcastShapes(...leads);
  } catch {
    throw new Error(`${layer} flow layer: the per-example axes of the parameters do not broadcast (${leads.map((s) => `[${s.join(', ')}]`).join(', ')})`);
  }
}

/** Throws unless z is [...batch, d] with rank >= 1. */
export function checkInput(z: Tensor, d: number, layer: string): void {
  if (z.rank < 1 || z.shape[z.rank - 1] !== d) {
    throw new Error(`${layer} flow layer: input has shape [${z.shape.join(', ')}], expected [..., ${d}]`);
  }
}

/** The size of the last axis of t. */
export function lastDim(t: Tensor): number {
  const n = t.shape[t.rank - 1];
  if (n === undefined) throw new Error('expected a tensor of rank >= 1');
  return n;
}

/** x [...batch, n] @ w [n, m] -> [...batch, m] (engine/matmul.ts: one implementation for nets and flows). */
export { matMulND };

/** The hidden activation. */
export function activate(x: Tensor, a: Activation): Tensor {
  switch (a) {
    case 'elu':
      return tf.elu(x); // [...x]
    case 'relu':
      return tf.relu(x); // [...x]
    case 'tanh':
      return tf.tanh(x); // [...x]
  }
}

/**
 * The hidden layers shared by the IAF (MADE) and coupling nets:
 *   h_0 = act(x (W_0 ⊙ M_0) + b_0 [+ c W_c]),  h_l = act(h_{l−1} (W_l ⊙ M_l) + b_l),
 * with masks M_l (all ones when `masks` is null) and an optional unmasked context c [...cbatch, c].
 * Parameters are named `l{i}.w`, `l{i}.b`, `l0.wc`. Returns h_L [...broadcast(batch, cbatch), H_L].
 */
export function hiddenStack(
  x: Tensor,
  params: Readonly<Record<string, Tensor>>,
  depth: number,
  masks: readonly Tensor[] | null,
  context: Tensor | undefined,
  act: Activation,
  layer: string,
): Tensor {
  let h = x; // [...batch, d]
  for (let l = 0; l < depth; l++) {
    const w = need(params, `l${l}.w`, layer); // [H_{l-1}, H_l]
    const wm = masks ? tf.mul(w, masks[l]!) : w; // [H_{l-1}, H_l]
    let pre = tf.add(matMulND(h, wm), need(params, `l${l}.b`, layer)); // [...batch, H_l]
    if (l === 0 && context !== undefined) {
      pre = tf.add(pre, matMulND(context, need(params, 'l0.wc', layer))); // [...broadcast(batch, cbatch), H_0]
    }
    h = activate(pre, act); // [...batch, H_l]
  }
  return h;
}

/**
 * The shapes of the hidden stack: l{i}.w (Glorot), l{i}.b (zeros), l0.wc when contextDim > 0.
 */
export function hiddenShapes(d: number, hidden: readonly number[], contextDim: number): Record<string, ParamShape> {
  const out: Record<string, ParamShape> = {};
  let prev = d;
  hidden.forEach((h, l) => {
    out[`l${l}.w`] = { shape: [prev, h], init: { kind: 'glorot', fanIn: prev, fanOut: h }, doc: `hidden layer ${l} weights` };
    out[`l${l}.b`] = { shape: [h], init: { kind: 'zeros' }, doc: `hidden layer ${l} bias` };
    if (l === 0 && contextDim > 0) {
      out['l0.wc'] = { shape: [contextDim, h], init: { kind: 'glorot', fanIn: contextDim, fanOut: h }, doc: 'context weights into the first hidden layer (unmasked)' };
    }
    prev = h;
  });
  return out;
}

/** Checks hidden sizes: a non-empty list of positive integers. */
export function checkHidden(hidden: readonly number[], layer: string): void {
  if (hidden.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new Error(`${layer} flow layer: hidden sizes must be a non-empty list of positive integers, got [${hidden.join(', ')}]`);
  }
}

/** Checks the context against the parameters and returns its leading axes ([] when absent). */
export function checkContext(context: Tensor | undefined, params: Readonly<Record<string, Tensor>>, layer: string): number[] {
  const wc = params['l0.wc']; // [c, H0] or undefined
  if (context === undefined) {
    if (wc !== undefined) throw new Error(`${layer} flow layer: parameters include context weights 'l0.wc' but no context was given`);
    return [];
  }
  if (wc === undefined) throw new Error(`${layer} flow layer: a context was given but there are no context weights (set contextDim)`);
  if (context.rank < 1 || context.shape[context.rank - 1] !== wc.shape[0]) {
    throw new Error(`${layer} flow layer: context has shape [${context.shape.join(', ')}], expected [..., ${wc.shape[0]}]`);
  }
  return context.shape.slice(0, -1);
}
