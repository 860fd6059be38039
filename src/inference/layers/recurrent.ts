/**
 * `gru` and `lstm` nets over a time axis. Every input is [...batch, T, d_i]; the inputs are
 * joined per step, projected for all steps in one matmul, then the cell runs step by step
 * (reversed with `reverse: true`, so the state at t has read steps t..T-1, as the guide of a deep
 * Markov model needs). An output declared with the time axis [T, ...] gets a linear head at every
 * step ([...batch, T, ...]); one without it reads the final state (after step T-1, or after step 0
 * when reversed).
 *
 * Cells (PyTorch's equations):
 *   GRU (Cho et al. 2014):   r = σ(x W_ir + h W_hr + b_r), z = σ(x W_iz + h W_hz + b_z),
 *                            n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h
 *   LSTM (Hochreiter & Schmidhuber 1997): [i, f, g, o] = x W_i + h W_h + b,
 *                            c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c')
 * Over a sequence axis declared `[..T, ...]` the net gets each example's length and holds its
 * state (h and c) past it: a forward net's final state is the state after the last step, a
 * reversed one starts at the last step, exactly as over the unpadded sequence.
 * The initial state is zero. Parameters: `${net}.wi` [D, G·H], `${net}.wh` [H, G·H], `${net}.bi`,
 * `${net}.bh` [G·H] (G = 3 for GRU, 4 for LSTM; gate order as above), initialized U(−1/√H, 1/√H)
 * as PyTorch does, except the LSTM forget-gate bias, which starts at 1 (Jozefowicz et al. 2015);
 * the heads `${net}.head.w` / `.b`.
 */
import * as tf from '@tensorflow/tfjs';
import { matMul } from '../../engine/matmul';
import type { NetInfo } from '../../dsl/checked';
import type { RecurrentBody } from '../../dsl/net-bodies';
import { numel } from '../../dsl/types';
import type { ParamStore } from '../params';
import type { Rng } from '../../core/rng';
import { type CompiledNet, createHead, matMulND, outputSizes, reader, splitOutputs } from './common';

/** Joins the inputs [...batch_i, T, d_i] per step: [N, T, D] with the common batch shape. */
function joinSteps(inputs: readonly tf.Tensor[], steps: number): { x: tf.Tensor3D; batch: number[] } {
  const batches = inputs.map((x) => x.shape.slice(0, x.rank - 2));
  const n = Math.max(...batches.map((b) => b.length));
  const batch = Array.from({ length: n }, (_, i) => Math.max(...batches.map((b) => b[b.length - n + i] ?? 1)));
  const parts = inputs.map((x) => {
    const d = x.shape[x.rank - 1]!;
    const padded = x.reshape([...new Array<number>(n - (x.rank - 2)).fill(1), ...x.shape]); // [1.., ...batch_i, T, d]
    return tf.broadcastTo(padded, [...batch, steps, d]); // [...batch, T, d]
  });
  const joined = parts.length === 1 ? parts[0]! : tf.concat(parts, -1); // [...batch, T, D]
  return { x: joined.reshape([numel(batch), steps, joined.shape[joined.rank - 1]!]) as tf.Tensor3D, batch }; // [N, T, D]
}

export function compileRecurrent(info: NetInfo, body: RecurrentBody, store: ParamStore, rng: Rng): CompiledNet {
  const name = info.name;
  const H = body.hidden;
  const G = body.kind === 'gru' ? 3 : 4;
  const D = info.inputs.reduce((n, t) => n + t.shape[1]!, 0);
  const T = body.steps;
  const perStep = info.outputs[0]!.type.shape.length >= 2 && info.outputs[0]!.type.shape[0] === T;
  const r = rng.foldName(name);
  const k = 1 / Math.sqrt(H);
  const uniform = (shape: number[], i: number) => () => tf.randomUniform(shape, -k, k, 'float32', r.fold(i).seed()); // [...shape]
  store.create(`${name}.wi`, name, uniform([D, G * H], 0));
  store.create(`${name}.wh`, name, uniform([H, G * H], 1));
  store.create(`${name}.bi`, name, () =>
    tf.tidy(() => {
      const b = uniform([G * H], 2)(); // [G·H]
      if (body.kind !== 'lstm') return b;
      const forget = tf.concat([tf.zeros([H]), tf.ones([H]), tf.zeros([2 * H])]); // [4H]: the f gate starts at 1
      return tf.add(tf.mul(b, tf.sub(1, forget)), forget);
    }),
  );
  store.create(`${name}.bh`, name, uniform([G * H], 3));
  const total = outputSizes(info).reduce((a, b) => a + b, 0);
  createHead(store, info, `${name}.head`, H, perStep ? total / T : total, r.foldName('head'));

  return {
    info,
    apply(inputs, s, detach = false, lengths) {
      const p = reader(s, detach);
      const { x, batch } = joinSteps(inputs, T); // [N, T, D]
      const N = x.shape[0];
      // Sequences of up to T steps: the state holds past each example's length, so the state at
      // t < length (and the final state) is the one a net over exactly `length` steps computes.
      const len = lengths ? tf.broadcastTo(lengths, batch).reshape([N, 1]) : null; // [N, 1]
      const xp = tf.add(matMulND(x, p(`${name}.wi`)), p(`${name}.bi`)); // [N, T, G·H]
      const xs = tf.unstack(xp, 1); // T x [N, G·H]
      const wh = p(`${name}.wh`); // [H, G·H]
      const bh = p(`${name}.bh`); // [G·H]
      let h: tf.Tensor = tf.zeros([N, H]); // [N, H]
      let c: tf.Tensor = tf.zeros([N, H]); // [N, H] (LSTM)
      const states: tf.Tensor[] = new Array<tf.Tensor>(T);
      for (let i = 0; i < T; i++) {
        const t = body.reverse ? T - 1 - i : i;
        const hPrev = h;
        const cPrev = c;
        const hp = tf.add(matMul(h, wh), bh); // [N, G·H]
        if (body.kind === 'gru') {
          const [xr, xz, xn] = tf.split(xs[t]!, 3, 1); // each [N, H]
          const [hr, hz, hn] = tf.split(hp, 3, 1); // each [N, H]
          const rg = tf.sigmoid(tf.add(xr!, hr!)); // [N, H]
          const zg = tf.sigmoid(tf.add(xz!, hz!)); // [N, H]
          const ng = tf.tanh(tf.add(xn!, tf.mul(rg, hn!))); // [N, H]
          h = tf.add(tf.mul(tf.sub(1, zg), ng), tf.mul(zg, h)); // [N, H]
        } else {
          const [ig, fg, gg, og] = tf.split(tf.add(xs[t]!, hp), 4, 1); // each [N, H]
          c = tf.add(tf.mul(tf.sigmoid(fg!), c), tf.mul(tf.sigmoid(ig!), tf.tanh(gg!))); // [N, H]
          h = tf.mul(tf.sigmoid(og!), tf.tanh(c)); // [N, H]
        }
        if (len) {
          const live = tf.greater(len, t); // [N, 1] bool: step t is before the length
          h = tf.where(tf.broadcastTo(live, [N, H]), h, hPrev); // [N, H]
          if (body.kind === 'lstm') c = tf.where(tf.broadcastTo(live, [N, H]), c, cPrev); // [N, H]
        }
        states[t] = h;
      }
      if (perStep) {
        const hs = tf.stack(states, 1); // [N, T, H]
        const out = tf.add(matMulND(hs, p(`${name}.head.w`)), p(`${name}.head.b`)); // [N, T, Σ per-step outputs]
        return splitOutputs(info, out.reshape([...batch, T, out.shape[2]!]), 1); // each [...batch, T, ...]
      }
      const out = tf.add(matMulND(h, p(`${name}.head.w`)), p(`${name}.head.b`)); // [N, Σ outputs]
      return splitOutputs(info, out.reshape([...batch, out.shape[1]!])); // each [...batch, ...outShape]
    },
  };
}
