/**
 * Net bodies: `mlp(...)`, `linear()`, `sequential(layer, ...)`, `gru(...)` and `lstm(...)`,
 * checked against the net's signature. For `sequential` every layer's output shape is computed
 * (layers.ts has the size rules) and a layer that does not fit its input, or a last layer that
 * does not fit the declared outputs, is reported at the layer with the expected and found shapes.
 */
import type * as A from './ast';
import { typeData, type ShapeProblem } from './problems/shapes';
import type { CheckContext } from './check-context';
import { constValue, mentionsBroken } from './check-types';
import {
  asImage,
  convOut,
  deconvOut,
  formatLayerShape,
  isImage,
  LAYER_SIGNATURES,
  samePadding,
  type Layer,
  type LayerKind,
  type Padding,
  type Pair,
} from './layers';
import { ACTIVATIONS, type Activation } from './activations';
import { NET_BODIES, type NetBody, type NetBodySpec } from './net-bodies';
import type { Span } from './source';
import { formatShape, formatTensorType, numel, type Shape, type TensorType } from './types';

interface Output {
  readonly name: string | null;
  readonly type: TensorType;
  readonly span: Span;
}

/** Binds a call's arguments to parameter names (positional in order, then by keyword). */
function bindArgs(ctx: CheckContext, call: A.CallExpr, what: string, params: readonly string[], rest?: string): Map<string, A.Expr[]> | undefined {
  const out = new Map<string, A.Expr[]>();
  let position = 0;
  for (const a of call.args) {
    const name = a.name?.text ?? params[position++] ?? rest;
    if (name === undefined || !(params.includes(name) || name === rest)) {
      ctx.report('VAE205', { kind: 'unknown-argument', callee: what, found: a.name?.text ?? null, ...(a.name ? {} : { position }), expected: params }, { span: a.span });
      return undefined;
    }
    if (out.has(name) && name !== rest) {
      ctx.report('VAE205', { kind: 'duplicate-argument', name }, { span: a.span });
      return undefined;
    }
    out.set(name, [...(out.get(name) ?? []), a.value]);
  }
  return out;
}

/** A positive integer known at compile time (a literal, a const or arithmetic on them). */
function positiveInt(ctx: CheckContext, e: A.Expr, what: string, allowZero = false): number | undefined {
  const v = constValue(ctx, e);
  if (v === undefined && mentionsBroken(ctx, e)) return undefined;
  if (v === undefined || !Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    ctx.report('VAE308', { kind: 'net-argument-not-positive', argument: what, allowZero }, { span: e.span });
    return undefined;
  }
  return v;
}

/** `3` or `[3, 5]`. */
function pair(ctx: CheckContext, e: A.Expr, what: string, allowZero = false): Pair | undefined {
  if (e.kind === 'list') {
    if (e.items.length !== 2) {
      ctx.report('VAE308', { kind: 'net-argument-not-pair', argument: what, found: e.items.length }, { span: e.span });
      return undefined;
    }
    const a = positiveInt(ctx, e.items[0]!, what, allowZero);
    const b = a === undefined ? undefined : positiveInt(ctx, e.items[1]!, what, allowZero);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const v = positiveInt(ctx, e, what, allowZero);
  return v === undefined ? undefined : [v, v];
}

function activationOf(ctx: CheckContext, e: A.Expr): Activation | undefined {
  const act = e.kind === 'name' ? e.name : undefined;
  if (act === undefined || !(ACTIVATIONS as readonly string[]).includes(act)) {
    ctx.report('VAE205', { kind: 'unknown-activation', found: act ?? null, expected: ACTIVATIONS }, { span: e.span });
    return undefined;
  }
  return act as Activation;
}

function boolOf(ctx: CheckContext, e: A.Expr, what: string): boolean | undefined {
  if (e.kind === 'name' && (e.name === 'true' || e.name === 'false')) return e.name === 'true';
  ctx.report('VAE308', { kind: 'net-argument-not-boolean', argument: what }, { span: e.span });
  return undefined;
}

const one = (m: Map<string, A.Expr[]>, k: string): A.Expr | undefined => m.get(k)?.[0];

function layerFail(ctx: CheckContext, span: Span, data: ShapeProblem): undefined {
  ctx.report('VAE330', data, { span });
  return undefined;
}

interface StackState {
  shape: Shape;
  /** The layer before the one being checked. */
  last?: Layer;
  /** Sizes of the net's other inputs still waiting for a `flatten()` to join. */
  pending: readonly number[];
}

/** Checks one layer against its input shape; returns the layer with its output shape. */
function checkLayer(ctx: CheckContext, e: A.Expr, st: StackState, net: string, defaultAct: Activation): Layer | undefined {
  const call = e.kind === 'call' && e.callee.kind === 'name' ? e : undefined;
  const name = call ? (call.callee as A.NameExpr).name : e.kind === 'name' ? e.name : undefined;
  const kinds = [...LAYER_SIGNATURES.keys()];
  if (name === undefined || !(kinds as string[]).includes(name)) {
    ctx.report('VAE205', { kind: 'unknown-layer', found: name ?? null, expected: kinds }, { span: e.span });
    return undefined;
  }
  const kind = name as LayerKind;
  const sig = LAYER_SIGNATURES.get(kind)!.signature;
  const input = st.shape;
  const span = e.span;
  const needImage = (): boolean => {
    if (isImage(input)) return true;
    layerFail(ctx, span, { kind: 'layer-needs-image', layer: kind, net, input: [...input] });
    return false;
  };
  const args = call ? call : ({ kind: 'call', callee: e, args: [], span } as A.CallExpr);
  switch (kind) {
    case 'conv2d':
    case 'deconv2d': {
      const params = kind === 'conv2d' ? ['channels', 'kernel', 'stride', 'padding', 'activation'] : ['channels', 'kernel', 'stride', 'padding', 'outputPadding', 'activation'];
      const a = bindArgs(ctx, args, kind, params);
      if (!a) return undefined;
      const ch = one(a, 'channels');
      const kx = one(a, 'kernel');
      if (!ch || !kx) return layerFail(ctx, span, { kind: 'layer-missing-argument', layer: kind, missing: !ch ? 'channels' : 'kernel', signature: sig });
      const channels = positiveInt(ctx, ch, 'the channel count');
      const kernel = pair(ctx, kx, 'kernel');
      const stride = one(a, 'stride') ? pair(ctx, one(a, 'stride')!, 'stride') : ([1, 1] as Pair);
      const extra = one(a, 'outputPadding') ? pair(ctx, one(a, 'outputPadding')!, 'outputPadding', true) : ([0, 0] as Pair);
      const actExpr = one(a, 'activation');
      const activation = actExpr ? activationOf(ctx, actExpr) : defaultAct;
      if (channels === undefined || !kernel || !stride || !extra || !activation) return undefined;
      if (!needImage()) return undefined;
      const [, h, w] = input as [number, number, number];
      const padExpr = one(a, 'padding');
      let padding: Padding;
      if (padExpr?.kind === 'name' && padExpr.name === 'same') {
        if (kind === 'deconv2d') return layerFail(ctx, padExpr.span, { kind: 'padding-same-on-deconv' });
        padding = [samePadding(h, kernel[0], stride[0]), samePadding(w, kernel[1], stride[1])];
      } else {
        const p = padExpr ? pair(ctx, padExpr, 'padding', true) : ([0, 0] as Pair);
        if (!p) return undefined;
        padding = [[p[0], p[0]], [p[1], p[1]]];
      }
      if (kind === 'conv2d') {
        const ph = h + padding[0][0] + padding[0][1];
        const pw = w + padding[1][0] + padding[1][1];
        if (kernel[0] > ph || kernel[1] > pw) {
          return layerFail(ctx, span, { kind: 'kernel-larger-than-input', net, kernel: [...kernel], padded: [ph, pw], input: [...input] });
        }
        const output = [channels, convOut(h, kernel[0], stride[0], padding[0][0], padding[0][1]), convOut(w, kernel[1], stride[1], padding[1][0], padding[1][1])];
        return { kind, span, input, output, channels, kernel, stride, padding, outputPadding: [0, 0], activation };
      }
      const oh = deconvOut(h, kernel[0], stride[0], padding[0][0], padding[0][1], extra[0]);
      const ow = deconvOut(w, kernel[1], stride[1], padding[1][0], padding[1][1], extra[1]);
      if (oh < 1 || ow < 1) return layerFail(ctx, span, { kind: 'deconv-empty-output', net, output: [oh, ow], input: [...input] });
      if (extra[0] >= stride[0] || extra[1] >= stride[1]) return layerFail(ctx, span, { kind: 'output-padding-too-large', outputPadding: [...extra], stride: [...stride] });
      return { kind, span, input, output: [channels, oh, ow], channels, kernel, stride, padding, outputPadding: extra, activation };
    }
    case 'dense': {
      const a = bindArgs(ctx, args, kind, ['units', 'activation']);
      if (!a) return undefined;
      const u = one(a, 'units');
      if (!u) return layerFail(ctx, span, { kind: 'layer-missing-argument', layer: kind, missing: 'units', signature: sig });
      const units = positiveInt(ctx, u, 'the number of units');
      const actExpr = one(a, 'activation');
      const activation = actExpr ? activationOf(ctx, actExpr) : defaultAct;
      if (units === undefined || !activation) return undefined;
      if (input.length !== 1) return layerFail(ctx, span, { kind: 'dense-needs-flat-input', net, input: [...input] });
      return { kind, span, input, output: [units], units, activation };
    }
    case 'upsample': {
      const a = bindArgs(ctx, args, kind, ['factor']);
      if (!a) return undefined;
      const factor = one(a, 'factor') ? pair(ctx, one(a, 'factor')!, 'factor') : ([2, 2] as Pair);
      if (!factor || !needImage()) return undefined;
      return { kind, span, input, output: [input[0]!, input[1]! * factor[0], input[2]! * factor[1]], factor };
    }
    case 'maxpool':
    case 'avgpool': {
      const a = bindArgs(ctx, args, kind, ['size', 'stride']);
      if (!a) return undefined;
      const size = one(a, 'size') ? pair(ctx, one(a, 'size')!, 'size') : ([2, 2] as Pair);
      const stride = one(a, 'stride') ? pair(ctx, one(a, 'stride')!, 'stride') : size;
      if (!size || !stride || !needImage()) return undefined;
      if (size[0] > input[1]! || size[1] > input[2]!) return layerFail(ctx, span, { kind: 'window-larger-than-input', layer: kind, net, window: [...size], input: [...input] });
      return { kind, span, input, output: [input[0]!, convOut(input[1]!, size[0], stride[0], 0, 0), convOut(input[2]!, size[1], stride[1], 0, 0)], size, stride };
    }
    case 'flatten': {
      if (!bindArgs(ctx, args, kind, [])) return undefined;
      const joined = st.pending;
      st.pending = [];
      return { kind, span, input, output: [numel(input) + joined.reduce((x, y) => x + y, 0)], joined };
    }
    case 'reshape': {
      const a = bindArgs(ctx, args, kind, [], 'dims');
      if (!a) return undefined;
      const dims: number[] = [];
      for (const d of a.get('dims') ?? []) {
        const v = positiveInt(ctx, d, 'a reshape size');
        if (v === undefined) return undefined;
        dims.push(v);
      }
      if (dims.length === 0) return layerFail(ctx, span, { kind: 'layer-missing-argument', layer: kind, missing: 'shape', signature: sig });
      if (numel(dims) !== numel(input)) {
        return layerFail(ctx, span, { kind: 'reshape-size-mismatch', net, dims: [...dims], input: [...input], afterDense: st.last?.kind === 'dense' });
      }
      return { kind, span, input, output: dims, shape: dims };
    }
    case 'residual': {
      const a = bindArgs(ctx, args, kind, ['activation'], 'layers');
      if (!a) return undefined;
      const actExpr = one(a, 'activation');
      const activation = actExpr ? activationOf(ctx, actExpr) : defaultAct;
      if (!activation) return undefined;
      const items = a.get('layers') ?? [];
      if (items.length === 0) return layerFail(ctx, span, { kind: 'layer-missing-argument', layer: kind, missing: 'layers', signature: sig });
      const inner: StackState = { shape: input, pending: [] };
      const layers: Layer[] = [];
      for (let i = 0; i < items.length; i++) {
        // Inside the block the last layer is linear: the activation follows the sum.
        const l = checkLayer(ctx, items[i]!, inner, net, defaultAct);
        if (!l) return undefined;
        const last = i === items.length - 1;
        layers.push(last && 'activation' in l && !hasOwnActivation(items[i]!) ? { ...l, activation: 'linear' } : l);
        inner.shape = l.output;
      }
      if (formatShape(inner.shape) !== formatShape(input)) {
        return layerFail(ctx, span, { kind: 'residual-changes-shape', input: [...input], output: [...inner.shape] });
      }
      return { kind, span, input, output: input, layers, activation };
    }
  }
}

function hasOwnActivation(e: A.Expr): boolean {
  return e.kind === 'call' && e.args.some((a) => a.name?.text === 'activation');
}

/** The padding that would make a last conv2d/deconv2d layer give h x w, as a hint, if there is one. */
function paddingFix(l: Layer, h: number, w: number): string | undefined {
  if (l.kind !== 'conv2d' && l.kind !== 'deconv2d') return undefined;
  const [ih, iw] = [l.input[1]!, l.input[2]!];
  const solve = (n: number, k: number, s: number, extra: number, target: number): number | undefined => {
    // conv2d: target = floor((n + 2p − k) / s) + 1 has the smallest solution p = ceil(((target − 1)·s + k − n) / 2) when it fits;
    // deconv2d: target = (n − 1)·s − 2p + k + extra.
    const p = l.kind === 'conv2d' ? Math.ceil(((target - 1) * s + k - n) / 2) : ((n - 1) * s + k + extra - target) / 2;
    if (!Number.isInteger(p) || p < 0) return undefined;
    const out = l.kind === 'conv2d' ? convOut(n, k, s, p, p) : deconvOut(n, k, s, p, p, extra);
    return out === target ? p : undefined;
  };
  const ph = solve(ih, l.kernel[0], l.stride[0], l.outputPadding[0], h);
  const pw = solve(iw, l.kernel[1], l.stride[1], l.outputPadding[1], w);
  if (ph === undefined || pw === undefined) return undefined;
  return `with \`padding: ${ph === pw ? ph : `[${ph}, ${pw}]`}\` this layer gives ${h}x${w}`;
}

/** The outputs an image-ending stack produces: each output [c, H, W] (or [H, W] for c = 1), in order. */
function checkChannelOutputs(ctx: CheckContext, last: Layer, outputs: readonly Output[], net: string): boolean {
  const [c, h, w] = last.output as [number, number, number];
  let total = 0;
  for (const o of outputs) {
    const img = asImage(o.type.shape);
    if (!img || img[1] !== h || img[2] !== w) {
      const fix = img && outputs.length === 1 ? paddingFix(last, img[1]!, img[2]!) : undefined;
      const want = outputs.length === 1 ? (c === 1 ? `${o.type.vk}[${h}, ${w}]` : `${o.type.vk}[${c}, ${h}, ${w}]`) : `${o.type.vk}[channels, ${h}, ${w}]`;
      ctx.report(
        'VAE331',
        { kind: 'net-output-image-mismatch', net, output: o.name ?? null, gives: [...last.output], declared: typeData(o.type), image: img ? [...img] : null, want, ...(fix !== undefined ? { fix } : {}) },
        { span: last.span, message: `this gives ${formatLayerShape(last.output)}` },
        { secondary: [{ span: o.span, message: `declared ${formatTensorType(o.type)}` }] },
      );
      return false;
    }
    total += img[0]!;
  }
  if (total !== c) {
    ctx.report('VAE331', { kind: 'net-output-channels', net, channels: c, needed: total }, { span: last.span, message: `this gives ${formatLayerShape(last.output)}` }, {
      secondary: outputs.map((o) => ({ span: o.span, message: `declared ${formatTensorType(o.type)}` })),
    });
    return false;
  }
  return true;
}

function checkSequential(ctx: CheckContext, d: A.NetDecl, call: A.CallExpr, spec: NetBodySpec, inputs: readonly TensorType[], outputs: readonly Output[]): NetBody | undefined {
  const net = d.name.text;
  const items: A.Expr[] = [];
  let activation: Activation = spec.args.find((x) => x.name === 'activation')!.default as Activation;
  for (const a of call.args) {
    if (a.name === null) {
      items.push(a.value);
      continue;
    }
    if (a.name.text !== 'activation') {
      ctx.report('VAE205', { kind: 'sequential-keyword', found: a.name.text }, { span: a.name.span });
      return undefined;
    }
    const act = activationOf(ctx, a.value);
    if (!act) return undefined;
    activation = act;
  }
  if (items.length === 0) {
    ctx.report('VAE330', { kind: 'sequential-empty' }, { span: call.span });
    return undefined;
  }
  const firstName = items[0]!.kind === 'call' && items[0]!.callee.kind === 'name' ? items[0]!.callee.name : items[0]!.kind === 'name' ? items[0]!.name : '';
  const spatialFirst = ['conv2d', 'deconv2d', 'upsample', 'maxpool', 'avgpool', 'residual', 'flatten'].includes(firstName);
  let st: StackState;
  if (spatialFirst) {
    const img = asImage(inputs[0]!.shape);
    if (!img && firstName !== 'flatten') {
      ctx.report('VAE330', { kind: 'layer-needs-image-input', net, layer: firstName, found: typeData(inputs[0]!) }, { span: items[0]!.span }, {
        secondary: [{ span: d.inputs[0]!.span, message: 'the first input' }],
      });
      return undefined;
    }
    st = { shape: img ?? [numel(inputs[0]!.shape)], pending: inputs.slice(1).map((t) => numel(t.shape)) };
  } else {
    st = { shape: [inputs.reduce((n, t) => n + numel(t.shape), 0)], pending: [] };
  }
  const layers: Layer[] = [];
  for (const item of items) {
    const l = checkLayer(ctx, item, st, net, activation);
    if (!l) return undefined;
    layers.push(l);
    st.shape = l.output;
    st.last = l;
  }
  if (st.pending.length > 0) {
    ctx.report('VAE330', { kind: 'inputs-without-flatten', net, inputs: inputs.length }, { span: call.span });
    return undefined;
  }
  const last = layers[layers.length - 1]!;
  if (isImage(last.output)) {
    if (!checkChannelOutputs(ctx, last, outputs, net)) return undefined;
    // The last learnable layer produces the outputs: no activation after it (the output transform follows).
    const final = layers.length - 1;
    if ((last.kind === 'conv2d' || last.kind === 'deconv2d') && !hasOwnActivation(items[final]!)) layers[final] = { ...last, activation: 'linear' };
    return { kind: 'sequential', layers, ending: 'channels' };
  }
  if (last.output.length !== 1) {
    ctx.report('VAE331', { kind: 'net-output-not-vector-or-image', net, gives: [...last.output] }, { span: last.span });
    return undefined;
  }
  return { kind: 'sequential', layers, ending: 'heads' };
}

function checkRecurrent(ctx: CheckContext, d: A.NetDecl, call: A.CallExpr | undefined, kind: 'gru' | 'lstm', inputs: readonly TensorType[], outputs: readonly Output[]): NetBody | undefined {
  const net = d.name.text;
  const a = call ? bindArgs(ctx, call, kind, ['hidden', 'reverse']) : new Map<string, A.Expr[]>();
  if (!a) return undefined;
  const h = one(a, 'hidden');
  if (!h) {
    ctx.report('VAE205', { kind: 'recurrent-without-hidden', body: kind }, { span: call?.span ?? d.body.span });
    return undefined;
  }
  const hidden = positiveInt(ctx, h, 'the hidden size');
  const reverse = one(a, 'reverse') ? boolOf(ctx, one(a, 'reverse')!, 'reverse') : false;
  if (hidden === undefined || reverse === undefined) return undefined;
  let steps: number | undefined;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    if (t.shape.length !== 2) {
      ctx.report('VAE332', { kind: 'recurrent-input-not-sequence', net, input: i + 1, found: typeData(t) }, { span: d.inputs[i]!.span });
      return undefined;
    }
    if (steps !== undefined && t.shape[0] !== steps) {
      ctx.report('VAE332', { kind: 'recurrent-inputs-steps-differ', net, steps: [steps, t.shape[0]!] }, { span: d.inputs[i]!.span }, { secondary: [{ span: d.inputs[0]!.span, message: `${steps} steps` }] });
      return undefined;
    }
    steps = t.shape[0]!;
  }
  const perStep = outputs.filter((o) => o.type.shape.length >= 2 && o.type.shape[0] === steps);
  if (perStep.length > 0 && perStep.length < outputs.length) {
    const other = outputs.find((o) => !perStep.includes(o))!;
    ctx.report('VAE332', { kind: 'recurrent-outputs-mixed', net, perStep: typeData(perStep[0]!.type), final: typeData(other.type) }, { span: other.span });
    return undefined;
  }
  return { kind, hidden, reverse, steps: steps! };
}

/** Checks the body of `d` against its resolved inputs and outputs. */
export function checkNetBody(ctx: CheckContext, d: A.NetDecl, inputs: readonly TensorType[], outputs: readonly Output[]): NetBody | undefined {
  const b = d.body;
  const name = b.kind === 'call' && b.callee.kind === 'name' ? b.callee.name : b.kind === 'name' ? b.name : undefined;
  if (name === undefined || !NET_BODIES.has(name)) {
    ctx.report('VAE205', { kind: 'unknown-net-body', found: name ?? null, expected: [...NET_BODIES.keys()] }, { span: b.span });
    return undefined;
  }
  const spec = NET_BODIES.get(name)!;
  const call = b.kind === 'call' ? b : undefined;
  if (name === 'sequential') return call ? checkSequential(ctx, d, call, spec, inputs, outputs) : checkSequential(ctx, d, { kind: 'call', callee: b, args: [], span: b.span }, spec, inputs, outputs);
  if (name === 'gru' || name === 'lstm') return checkRecurrent(ctx, d, call, name, inputs, outputs);
  let hidden: number[] = [];
  let activation: Activation = 'softplus';
  let position = 0;
  for (const a of call?.args ?? []) {
    const argName = a.name?.text ?? spec.args[position++]?.name;
    const argSpec = spec.args.find((s) => s.name === argName);
    if (!argSpec) {
      ctx.report('VAE205', { kind: 'unknown-argument', callee: name, found: a.name?.text ?? null, ...(a.name ? {} : { position }), expected: spec.args.map((s) => s.name) }, { span: a.span });
      return undefined;
    }
    if (argSpec.kind === 'int-list') {
      const items = a.value.kind === 'list' ? a.value.items : [a.value];
      hidden = [];
      for (const it of items) {
        const v = constValue(ctx, it);
        if (v === undefined && mentionsBroken(ctx, it)) return undefined;
        if (v === undefined || !Number.isInteger(v) || v <= 0) {
          ctx.report('VAE308', { kind: 'hidden-widths-not-positive' }, { span: it.span });
          return undefined;
        }
        hidden.push(v);
      }
    } else if (argSpec.kind === 'activation') {
      const act = activationOf(ctx, a.value);
      if (!act) return undefined;
      activation = act;
    }
  }
  return { kind: name as 'mlp' | 'linear', hidden, activation };
}
