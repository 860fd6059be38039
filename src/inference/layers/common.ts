/**
 * Pieces every net body shares: activations, the batched matmul, Glorot initialization, and
 * the output heads (one linear map for all outputs, split per output and transformed onto its
 * type by the transform the checker recorded, inference/transforms.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from '../../distributions/softplus';
import { applyTransform } from '../transforms';
import { matMulND } from '../../engine/matmul';
import type { NetInfo } from '../../dsl/checked';
import type { Activation } from '../../dsl/net-bodies';
import { numel } from '../../dsl/types';
import type { ParamStore } from '../params';
import type { Rng } from '../../core/rng';
import { stopGradient } from '../stop-gradient';

/** A compiled net. */
export interface CompiledNet {
  readonly info: NetInfo;
  /**
   * inputs[i] is [...batch_i, ...inShape_i]; returns one tensor per output, [...batch, ...outShape].
   * `lengths` [B] (recurrent nets over a sequence axis declared `[..T, ...]`): each example's length.
   */
  apply(inputs: readonly tf.Tensor[], store: ParamStore, detach?: boolean, lengths?: tf.Tensor): tf.Tensor[];
}

export function activate(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'softplus':
      return softplus(x);
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.01);
    case 'linear':
      return x;
  }
}

/** x [...batch, d] @ w [d, h] -> [...batch, h] (engine/matmul.ts: one implementation for nets and flows). */
export { matMulND };

/** Glorot-uniform weights of `shape`, limit sqrt(6 / (fanIn + fanOut)). */
export function glorot(rng: Rng, shape: readonly number[], fanIn: number, fanOut: number): () => tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return () => tf.randomUniform([...shape], -limit, limit, 'float32', rng.seed()); // [...shape]
}

/** A parameter reader: detached (stopped gradients) for STL/DReG's guide evaluations. */
export function reader(s: ParamStore, detach: boolean): (name: string) => tf.Tensor {
  return (n) => (detach ? stopGradient(s.get(n)) : s.get(n));
}

/** The number of values of each output. */
export function outputSizes(info: NetInfo): number[] {
  return info.outputs.map((o) => numel(o.type.shape));
}

/** Creates a linear head `${prefix}.w` [d, total], `${prefix}.b` [total]. */
export function createHead(store: ParamStore, info: NetInfo, prefix: string, d: number, total: number, rng: Rng): void {
  store.create(`${prefix}.w`, info.name, glorot(rng, [d, total], d, total));
  store.create(`${prefix}.b`, info.name, () => tf.zeros([total])); // [Σ outputs]
}

/**
 * Splits h [...batch, Σ outputs] into the outputs, each reshaped to [...batch, ...lead, ...outShape]
 * where `lead` are axes of h kept per output (a recurrent net's time axis), and transformed.
 */
export function splitOutputs(info: NetInfo, h: tf.Tensor, lead = 0): tf.Tensor[] {
  const sizes = outputSizes(info).map((n, j) => (lead > 0 ? n / numel(info.outputs[j]!.type.shape.slice(0, lead)) : n));
  const batch = h.shape.slice(0, h.rank - 1 - lead);
  const parts = sizes.length === 1 ? [h] : tf.split(h, sizes, h.rank - 1); // each [...batch, ...lead, d_j]
  return parts.map((part, j) => {
    const out = info.outputs[j]!;
    const shaped = out.type.shape.length === 1 + lead ? part : part.reshape([...batch, ...out.type.shape]); // [...batch, ...outShape]
    return applyTransform(out.transform, shaped); // [...batch, ...outShape]
  });
}
