/**
 * Nets compiled from their checked signatures: inputs are flattened over their event axes and
 * concatenated (implemented as a sum of per-input matmuls, so an input with fewer batch axes is
 * not copied: M2's x [B, 784] and onehot(y) [10, 1, B, 10] meet only after the first layer),
 * then hidden layers, then one linear head for all outputs, split per output and transformed
 * onto its type by the transform the checker recorded (inference/transforms.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { softplus } from '../distributions/softplus';
import type { NetInfo } from '../dsl/checked';
import type { Activation } from '../dsl/net-bodies';
import { numel } from '../dsl/types';
import type { ParamStore } from './params';
import type { Rng } from '../core/rng';
import { stopGradient } from './stop-gradient';
import { applyTransform } from './transforms';

export interface CompiledNet {
  readonly info: NetInfo;
  /** inputs[i] is [...batch_i, ...inShape_i]; returns one tensor per output, [...batch, ...outShape]. */
  apply(inputs: readonly tf.Tensor[], store: ParamStore, detach?: boolean): tf.Tensor[];
}

function activate(x: tf.Tensor, a: Activation): tf.Tensor {
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

/** x [...batch, d] @ w [d, h] -> [...batch, h], flattening the batch axes around a 2-D matmul. */
function matMulND(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D); // [B, h]
  const batch = x.shape.slice(0, -1);
  const flat = x.reshape([numel(batch), x.shape[x.rank - 1]!]); // [prod(batch), d]
  return tf.matMul(flat as tf.Tensor2D, w as tf.Tensor2D).reshape([...batch, w.shape[1]!]); // [...batch, h]
}

function glorot(rng: Rng, fanIn: number, fanOut: number): () => tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return () => tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', rng.seed()); // [fanIn, fanOut]
}

export function compileNet(info: NetInfo, store: ParamStore, rng: Rng): CompiledNet {
  const name = info.name;
  const inSizes = info.inputs.map((t) => numel(t.shape));
  const outSizes = info.outputs.map((o) => numel(o.type.shape));
  const widths = [...info.body.hidden, outSizes.reduce((a, b) => a + b, 0)];
  const fanIn0 = inSizes.reduce((a, b) => a + b, 0);
  const r = rng.foldName(name);
  // Layer 0 has one weight block per input (the concatenation written as a sum); later layers one.
  inSizes.forEach((d, i) => store.create(`${name}.l0.w${i}`, name, () => tf.tidy(() => glorot(r.fold(i), fanIn0, widths[0]!)().slice([0, 0], [d, widths[0]!]))));
  store.create(`${name}.l0.b`, name, () => tf.zeros([widths[0]!])); // [h0]
  for (let l = 1; l < widths.length; l++) {
    store.create(`${name}.l${l}.w`, name, glorot(r.fold(100 + l), widths[l - 1]!, widths[l]!));
    store.create(`${name}.l${l}.b`, name, () => tf.zeros([widths[l]!])); // [h_l]
  }
  const depth = widths.length;
  const activation = info.body.activation;

  return {
    info,
    apply(inputs, s, detach = false) {
      const p = (n: string): tf.Tensor => (detach ? stopGradient(s.get(n)) : s.get(n));
      const flat = inputs.map((x, i) => {
        const rank = info.inputs[i]!.shape.length;
        const batch = x.shape.slice(0, x.rank - rank);
        return rank === 1 ? x : x.reshape([...batch, inSizes[i]!]); // [...batch_i, d_i]
      });
      const last0 = depth === 1;
      const act0: Activation = last0 ? 'linear' : activation;
      // Plain matMul + add (not tf.fused.matMul): the fused op's gradient uses transposed
      // matmuls, which the wasm backend runs an order of magnitude slower (see fast-gradients.ts).
      let acc: tf.Tensor | null = null;
      flat.forEach((x, i) => {
        const y = matMulND(x, p(`${name}.l0.w${i}`)); // [...batch_i, h0]
        acc = acc === null ? y : tf.add(acc, y); // [...batch, h0]
      });
      let h = activate(tf.add(acc!, p(`${name}.l0.b`)), act0); // [...batch, h0]
      for (let l = 1; l < depth; l++) {
        const a: Activation = l === depth - 1 ? 'linear' : activation;
        h = activate(tf.add(matMulND(h, p(`${name}.l${l}.w`)), p(`${name}.l${l}.b`)), a); // [...batch, h_l]
      }
      const batch = h.shape.slice(0, -1);
      const parts = outSizes.length === 1 ? [h] : tf.split(h, outSizes, h.rank - 1); // each [...batch, d_j]
      return parts.map((part, j) => {
        const out = info.outputs[j]!;
        const shaped = out.type.shape.length === 1 ? part : part.reshape([...batch, ...out.type.shape]); // [...batch, ...outShape]
        return applyTransform(out.transform, shaped); // [...batch, ...outShape]
      });
    },
  };
}
