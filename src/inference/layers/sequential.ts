/**
 * `sequential(...)` nets: the checked layer list (dsl/layers.ts) run in order.
 *
 * Layout. Declared images are channels first ([C, H, W], or [H, W] for one channel); inside the
 * net they are NHWC, the layout of tfjs's convolution kernels, with every batch axis
 * (enumeration, particles, data) folded into N. A one-channel image needs only a reshape; more
 * channels cost one transpose on the way in and one on the way out.
 *
 * Parameters (Glorot-uniform weights, zero biases): layer i is `${net}.l${i}.w` / `.b` (a conv
 * or transposed conv filter [kh, kw, C_in, C_out], a dense weight
 * [n, units]); layers inside a residual block are `${net}.l${i}.${j}.w`; the linear heads of a
 * stack that ends flat are `${net}.head.w` / `.b`.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetInfo } from '../../dsl/checked';
import type { Layer } from '../../dsl/layers';
import type { SequentialBody } from '../../dsl/net-bodies';
import { numel } from '../../dsl/types';
import type { ParamStore } from '../params';
import type { Rng } from '../../core/rng';
import { conv2d, conv2dTranspose, pool, upsampleNearest } from './conv-ops';
import { activate, type CompiledNet, createHead, glorot, matMulND, outputSizes, reader, splitOutputs } from './common';
import { applyTransform } from '../transforms';

type Read = (name: string) => tf.Tensor;

/** A value between layers: an image batch [N, H, W, C] (with the batch axes it came from) or a flat [...batch, n]. */
type Value = { readonly kind: 'image'; readonly t: tf.Tensor4D; readonly batch: readonly number[] } | { readonly kind: 'flat'; readonly t: tf.Tensor };

function createLayer(store: ParamStore, net: string, prefix: string, l: Layer, rng: Rng): void {
  switch (l.kind) {
    case 'conv2d':
    case 'deconv2d': {
      const [kh, kw] = l.kernel;
      const cin = l.input[0]!;
      const cout = l.channels;
      const shape = [kh, kw, cin, cout];
      store.create(`${prefix}.w`, net, glorot(rng, shape, kh * kw * cin, kh * kw * cout));
      store.create(`${prefix}.b`, net, () => tf.zeros([cout])); // [C_out]
      return;
    }
    case 'dense': {
      const n = l.input[0]!;
      store.create(`${prefix}.w`, net, glorot(rng, [n, l.units], n, l.units));
      store.create(`${prefix}.b`, net, () => tf.zeros([l.units])); // [units]
      return;
    }
    case 'residual':
      l.layers.forEach((inner, j) => createLayer(store, net, `${prefix}.${j}`, inner, rng.fold(j)));
      return;
    default:
      return;
  }
}

/** An image value from a declared input [...batch, C, H, W] or [...batch, H, W]. */
function toImage(x: tf.Tensor, declared: readonly number[]): Value {
  const rank = declared.length;
  const batch = x.shape.slice(0, x.rank - rank);
  const n = numel(batch);
  if (rank === 2) return { kind: 'image', t: x.reshape([n, declared[0]!, declared[1]!, 1]) as tf.Tensor4D, batch }; // [N, H, W, 1]
  const nchw = x.reshape([n, declared[0]!, declared[1]!, declared[2]!]); // [N, C, H, W]
  return { kind: 'image', t: tf.transpose(nchw, [0, 2, 3, 1]) as tf.Tensor4D, batch }; // [N, H, W, C]
}

/** Broadcasts flat values to their common batch shape and joins them on the last axis. */
function concatFlat(parts: readonly tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0]!;
  const n = Math.max(...parts.map((p) => p.rank));
  const lead = Array.from({ length: n - 1 }, (_, i) => Math.max(...parts.map((p) => p.shape[p.rank - n + i] ?? 1)));
  return tf.concat(parts.map((p) => tf.broadcastTo(p.reshape([...new Array<number>(n - p.rank).fill(1), ...p.shape]), [...lead, p.shape[p.rank - 1]!])), -1); // [...batch, Σ d]
}

function runLayer(l: Layer, prefix: string, v: Value, p: Read, extra: readonly tf.Tensor[]): Value {
  switch (l.kind) {
    case 'conv2d':
    case 'deconv2d': {
      if (v.kind !== 'image') throw new Error(`${l.kind} got a flat value`);
      const w = p(`${prefix}.w`) as tf.Tensor4D;
      const y = l.kind === 'conv2d' ? conv2d(v.t, w, l.stride, l.padding) : conv2dTranspose(v.t, w, l.stride, l.padding, l.outputPadding); // [N, Ho, Wo, C_out]
      return { kind: 'image', t: activate(tf.add(y, p(`${prefix}.b`)), l.activation) as tf.Tensor4D, batch: v.batch };
    }
    case 'upsample':
      if (v.kind !== 'image') throw new Error('upsample got a flat value');
      return { kind: 'image', t: upsampleNearest(v.t, l.factor), batch: v.batch }; // [N, H·f, W·f, C]
    case 'maxpool':
    case 'avgpool':
      if (v.kind !== 'image') throw new Error(`${l.kind} got a flat value`);
      return { kind: 'image', t: pool(v.t, l.kind === 'maxpool' ? 'max' : 'avg', l.size, l.stride), batch: v.batch }; // [N, Ho, Wo, C]
    case 'flatten': {
      if (v.kind === 'flat') return { kind: 'flat', t: concatFlat([v.t, ...extra]) };
      const [c, h, w] = l.input as [number, number, number];
      // Back to channels first before flattening, so the order is the declared [C, H, W]'s.
      const chw = c === 1 ? v.t : tf.transpose(v.t, [0, 3, 1, 2]); // [N, C, H, W]
      const flat = chw.reshape([...v.batch, c * h * w]); // [...batch, C·H·W]
      return { kind: 'flat', t: concatFlat([flat, ...extra]) }; // [...batch, C·H·W + Σ extra]
    }
    case 'reshape': {
      const flat = v.kind === 'flat' ? v.t : undefined;
      if (!flat) throw new Error('reshape of an image');
      const batch = flat.shape.slice(0, -1);
      if (l.shape.length === 3) return toImage(flat.reshape([...batch, ...l.shape]), l.shape); // [N, H, W, C]
      return { kind: 'flat', t: flat.reshape([...batch, ...l.shape]) };
    }
    case 'dense': {
      if (v.kind !== 'flat') throw new Error('dense got an image');
      return { kind: 'flat', t: activate(tf.add(matMulND(v.t, p(`${prefix}.w`)), p(`${prefix}.b`)), l.activation) }; // [...batch, units]
    }
    case 'residual': {
      let u = v;
      l.layers.forEach((inner, j) => {
        u = runLayer(inner, `${prefix}.${j}`, u, p, []);
      });
      if (u.kind === 'image' && v.kind === 'image') return { kind: 'image', t: activate(tf.add(v.t, u.t), l.activation) as tf.Tensor4D, batch: v.batch };
      if (u.kind === 'flat' && v.kind === 'flat') return { kind: 'flat', t: activate(tf.add(v.t, u.t), l.activation) };
      throw new Error('a residual block changed its layout');
    }
  }
}

/** Splits an image-ending stack's [N, H, W, C] into the declared outputs, taking channels in order. */
function channelOutputs(info: NetInfo, v: Value): tf.Tensor[] {
  if (v.kind !== 'image') throw new Error('expected an image at the end of the stack');
  const widths = info.outputs.map((o) => (o.type.shape.length === 3 ? o.type.shape[0]! : 1));
  const parts = widths.length === 1 ? [v.t] : tf.split(v.t, widths, 3); // each [N, H, W, c_j]
  return parts.map((part, j) => {
    const out = info.outputs[j]!;
    const chw = out.type.shape.length === 3 && widths[j]! > 1 ? tf.transpose(part, [0, 3, 1, 2]) : part; // [N, c, H, W] or [N, H, W, 1]
    return applyTransform(out.transform, chw.reshape([...v.batch, ...out.type.shape])); // [...batch, ...outShape]
  });
}

export function compileSequential(info: NetInfo, body: SequentialBody, store: ParamStore, rng: Rng): CompiledNet {
  const name = info.name;
  const r = rng.foldName(name);
  body.layers.forEach((l, i) => createLayer(store, name, `${name}.l${i}`, l, r.fold(i)));
  const last = body.layers[body.layers.length - 1]!;
  if (body.ending === 'heads') createHead(store, info, `${name}.head`, last.output[0]!, outputSizes(info).reduce((a, b) => a + b, 0), r.foldName('head'));
  const first = body.layers[0]!;
  const spatialFirst = first.input.length === 3;
  return {
    info,
    apply(inputs, s, detach = false) {
      const p = reader(s, detach);
      const flatIn = (x: tf.Tensor, i: number): tf.Tensor => {
        const rank = info.inputs[i]!.shape.length;
        return rank === 1 ? x : x.reshape([...x.shape.slice(0, x.rank - rank), numel(info.inputs[i]!.shape)]); // [...batch_i, d_i]
      };
      let v: Value;
      let extra: tf.Tensor[] = [];
      if (spatialFirst) {
        v = toImage(inputs[0]!, info.inputs[0]!.shape);
        extra = inputs.slice(1).map((x, i) => flatIn(x, i + 1));
      } else {
        v = { kind: 'flat', t: concatFlat(inputs.map(flatIn)) }; // [...batch, Σ d_i]
      }
      body.layers.forEach((l, i) => {
        v = runLayer(l, `${name}.l${i}`, v, p, l.kind === 'flatten' ? extra : []);
      });
      if (body.ending === 'channels') return channelOutputs(info, v);
      if (v.kind !== 'flat') throw new Error('expected a flat value before the heads');
      return splitOutputs(info, tf.add(matMulND(v.t, p(`${name}.head.w`)), p(`${name}.head.b`))); // each [...batch, ...outShape]
    },
  };
}
