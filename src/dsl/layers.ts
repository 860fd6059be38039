/**
 * The layers of a `sequential(...)` net body and their shape arithmetic (plain numbers, no
 * tfjs): the checker computes every layer's output shape with these functions, and the
 * compiler builds the same layers from the checked list.
 *
 * Shapes are event shapes. An image is [C, H, W] (channels first, as PyTorch); a value
 * declared [H, W] is a one-channel image [1, H, W]. A flat value is [n].
 *
 * Size rules (PyTorch's, with dilation 1):
 *   conv2d     out = floor((in + pad_before + pad_after − k) / s) + 1
 *   deconv2d   out = (in − 1)·s − pad_before − pad_after + k + output_padding
 *   upsample   out = in · f
 *   maxpool / avgpool   out = floor((in − k) / s) + 1
 * `padding: same` on conv2d gives out = ceil(in / s), padding max((out − 1)·s + k − in, 0) in
 * total, the smaller half before (TensorFlow's rule).
 */
import type { Activation } from './activations';
import type { Span } from './source';

/** An event shape (as dsl/types.ts's Shape; kept local so this file stays free of the runtime's types). */
export type Shape = readonly number[];

export type Pair = readonly [number, number];
/** Explicit padding per side: [[top, bottom], [left, right]]. */
export type Padding = readonly [Pair, Pair];

interface LayerBase {
  /** The layer expression in the source, for diagnostics. */
  readonly span: Span;
  /** Event shapes before and after the layer (filled by the checker). */
  readonly input: Shape;
  readonly output: Shape;
}

export interface ConvLayer extends LayerBase {
  readonly kind: 'conv2d' | 'deconv2d';
  readonly channels: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
  /** deconv2d's output_padding (0 for conv2d). */
  readonly outputPadding: Pair;
  readonly activation: Activation;
}

export interface DenseLayer extends LayerBase {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: Activation;
}

export interface UpsampleLayer extends LayerBase {
  readonly kind: 'upsample';
  readonly factor: Pair;
}

export interface PoolLayer extends LayerBase {
  readonly kind: 'maxpool' | 'avgpool';
  readonly size: Pair;
  readonly stride: Pair;
}

export interface FlattenLayer extends LayerBase {
  readonly kind: 'flatten';
  /** Sizes of the net's other inputs, flattened and concatenated here (a conditional encoder's label). */
  readonly joined: readonly number[];
}

export interface ReshapeLayer extends LayerBase {
  readonly kind: 'reshape';
  readonly shape: Shape;
}

/** x + f(x), then the block's activation (ResNet's basic block, He et al. 2016). */
export interface ResidualLayer extends LayerBase {
  readonly kind: 'residual';
  readonly layers: readonly Layer[];
  readonly activation: Activation;
}

export type Layer = ConvLayer | DenseLayer | UpsampleLayer | PoolLayer | FlattenLayer | ReshapeLayer | ResidualLayer;
export type LayerKind = Layer['kind'];

/** The layers `sequential(...)` accepts, with their signatures (docs and hints). */
export const LAYER_SIGNATURES: ReadonlyMap<LayerKind, { readonly signature: string; readonly doc: string }> = new Map<LayerKind, { signature: string; doc: string }>([
  ['conv2d', { signature: 'conv2d(channels, kernel: k, stride: 1, padding: 0, activation: ...)', doc: 'A 2-D convolution; `padding` is a number, a pair `[h, w]` or `same`.' }],
  ['deconv2d', { signature: 'deconv2d(channels, kernel: k, stride: 1, padding: 0, outputPadding: 0, activation: ...)', doc: 'A transposed convolution (PyTorch\'s ConvTranspose2d size rule), to grow images in decoders.' }],
  ['upsample', { signature: 'upsample(factor: 2)', doc: 'Nearest-neighbour upsampling by an integer factor.' }],
  ['maxpool', { signature: 'maxpool(size: 2, stride: size)', doc: 'Max pooling over windows.' }],
  ['avgpool', { signature: 'avgpool(size: 2, stride: size)', doc: 'Average pooling over windows.' }],
  ['dense', { signature: 'dense(units, activation: ...)', doc: 'A fully connected layer on a flat value.' }],
  ['flatten', { signature: 'flatten()', doc: 'An image [C, H, W] to a vector [C·H·W]; the net\'s other inputs are concatenated here.' }],
  ['reshape', { signature: 'reshape(C, H, W)', doc: 'A vector to an image (or any shape with as many values).' }],
  ['residual', { signature: 'residual(layer, ...)', doc: 'x + f(x) for the layers f, which must keep the shape; then the activation.' }],
]);

export function isImage(s: Shape): boolean {
  return s.length === 3;
}

/** The image a declared type stands for: [H, W] is one channel, [C, H, W] as is. */
export function asImage(s: Shape): Shape | undefined {
  if (s.length === 2) return [1, s[0]!, s[1]!];
  if (s.length === 3) return s;
  return undefined;
}

export function convOut(n: number, k: number, s: number, before: number, after: number): number {
  return Math.floor((n + before + after - k) / s) + 1;
}

export function deconvOut(n: number, k: number, s: number, before: number, after: number, extra: number): number {
  return (n - 1) * s - before - after + k + extra;
}

/** TensorFlow's `same` padding for one axis: [before, after]. */
export function samePadding(n: number, k: number, s: number): Pair {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** `[C, H, W]` or `[n]`. */
export function formatLayerShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}

/** One line per layer: `conv2d(32, kernel 4, stride 2) -> [32, 14, 14]`, for `vae check`. */
export function describeLayer(l: Layer): string {
  switch (l.kind) {
    case 'conv2d':
    case 'deconv2d':
      return `${l.kind}(${l.channels}, kernel ${pairText(l.kernel)}, stride ${pairText(l.stride)}${padText(l.padding)})`;
    case 'dense':
      return `dense(${l.units})`;
    case 'upsample':
      return `upsample(${pairText(l.factor)})`;
    case 'maxpool':
    case 'avgpool':
      return `${l.kind}(${pairText(l.size)})`;
    case 'flatten':
      return l.joined.length > 0 ? `flatten + inputs ${l.joined.map((n) => `[${n}]`).join(', ')}` : 'flatten';
    case 'reshape':
      return `reshape(${l.shape.join(', ')})`;
    case 'residual':
      return `residual(${l.layers.map(describeLayer).join(', ')})`;
  }
}

function padText(p: Padding): string {
  const [[t, b], [l, r]] = p;
  if (t === 0 && b === 0 && l === 0 && r === 0) return '';
  return t === b && l === r ? `, padding ${pairText([t, l])}` : `, padding [${t}, ${b}] x [${l}, ${r}]`;
}

function pairText(p: Pair): string {
  return p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`;
}
