/**
 * Nets compiled from their checked signatures and bodies. `mlp` and `linear` (here): inputs are
 * flattened over their event axes and concatenated (implemented as a sum of per-input matmuls,
 * so an input with fewer batch axes is not copied: M2's x [B, 784] and onehot(y) [10, 1, B, 10]
 * meet only after the first layer), then hidden layers, then one linear head for all outputs,
 * split per output and transformed by output type (Positive -> softplus, Unit -> sigmoid,
 * Simplex -> softmax). `sequential` layer stacks are in layers/sequential.ts, `gru` and `lstm`
 * in layers/recurrent.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBiasAct, fusedDense } from '../kernels/ops';
import type { NetInfo } from '../dsl/checked';
import type { Activation, MlpBody } from '../dsl/net-bodies';
import { numel } from '../dsl/types';
import { activate, type CompiledNet, matMulND, outputSizes, reader, splitOutputs } from './layers/common';
import { compileRecurrent } from './layers/recurrent';
import { compileSequential } from './layers/sequential';
import type { ParamStore } from './params';
import type { Rng } from '../core/rng';

export type { CompiledNet } from './layers/common';

/**
 * act(x·w + b) for x [...batch, d]: one fused kernel on wasm (src/kernels: GEMM, bias and
 * activation forward; activation derivative, bias sum and two GEMMs backward), else tfjs ops.
 */
function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, a: Activation): tf.Tensor {
  const x2 = x.rank === 2 ? x : x.reshape([-1, x.shape[x.rank - 1]!]); // [prod(batch), d]
  const y = fusedDense(x2, w, b, a); // [prod(batch), h] or null
  if (y) return x.rank === 2 ? y : y.reshape([...x.shape.slice(0, -1), w.shape[1]!]); // [...batch, h]
  return activate(tf.add(matMulND(x, w), b), a); // [...batch, h]
}

/** act(x + b) for x [...batch, h]: fused on wasm, else tfjs ops. */
function biasAct(x: tf.Tensor, b: tf.Tensor, a: Activation): tf.Tensor {
  return fusedBiasAct(x, b, a) ?? activate(tf.add(x, b), a); // [...batch, h]
}

function glorotSlice(rng: Rng, fanIn: number, fanOut: number): () => tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return () => tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', rng.seed()); // [fanIn, fanOut]
}

function compileMlp(info: NetInfo, body: MlpBody, store: ParamStore, rng: Rng): CompiledNet {
  const name = info.name;
  const inSizes = info.inputs.map((t) => numel(t.shape));
  const outSizes = outputSizes(info);
  const widths = [...body.hidden, outSizes.reduce((a, b) => a + b, 0)];
  const fanIn0 = inSizes.reduce((a, b) => a + b, 0);
  const r = rng.foldName(name);
  // Layer 0 has one weight block per input (the concatenation written as a sum); later layers one.
  inSizes.forEach((d, i) => store.create(`${name}.l0.w${i}`, name, () => tf.tidy(() => glorotSlice(r.fold(i), fanIn0, widths[0]!)().slice([0, 0], [d, widths[0]!]))));
  store.create(`${name}.l0.b`, name, () => tf.zeros([widths[0]!])); // [h0]
  for (let l = 1; l < widths.length; l++) {
    store.create(`${name}.l${l}.w`, name, glorotSlice(r.fold(100 + l), widths[l - 1]!, widths[l]!));
    store.create(`${name}.l${l}.b`, name, () => tf.zeros([widths[l]!])); // [h_l]
  }
  const depth = widths.length;
  const activation = body.activation;

  return {
    info,
    apply(inputs, s, detach = false) {
      const p = reader(s, detach);
      const flat = inputs.map((x, i) => {
        const rank = info.inputs[i]!.shape.length;
        const batch = x.shape.slice(0, x.rank - rank);
        return rank === 1 ? x : x.reshape([...batch, inSizes[i]!]); // [...batch_i, d_i]
      });
      const last0 = depth === 1;
      const act0: Activation = last0 ? 'linear' : activation;
      // Without vaelang's kernels: plain matMul + add (not tf.fused.matMul), whose gradient uses
      // transposed matmuls, which tfjs's wasm backend runs an order of magnitude slower (see fast-gradients.ts).
      let h: tf.Tensor;
      if (flat.length === 1) h = dense(flat[0]!, p(`${name}.l0.w0`), p(`${name}.l0.b`), act0); // [...batch, h0]
      else {
        let acc: tf.Tensor | null = null;
        flat.forEach((x, i) => {
          const y = matMulND(x, p(`${name}.l0.w${i}`)); // [...batch_i, h0]
          acc = acc === null ? y : tf.add(acc, y); // [...batch, h0]
        });
        h = biasAct(acc!, p(`${name}.l0.b`), act0); // [...batch, h0]
      }
      for (let l = 1; l < depth; l++) {
        const a: Activation = l === depth - 1 ? 'linear' : activation;
        h = dense(h, p(`${name}.l${l}.w`), p(`${name}.l${l}.b`), a); // [...batch, h_l]
      }
      return splitOutputs(info, h); // each [...batch, ...outShape]
    },
  };
}

export function compileNet(info: NetInfo, store: ParamStore, rng: Rng): CompiledNet {
  const body = info.body;
  switch (body.kind) {
    case 'mlp':
    case 'linear':
      return compileMlp(info, body, store, rng);
    case 'sequential':
      return compileSequential(info, body, store, rng);
    case 'gru':
    case 'lstm':
      return compileRecurrent(info, body, store, rng);
  }
}
