/**
 * Sizes the engine cannot allocate are refused at check time (VAE317), with the number of
 * parameters and the memory they need, instead of failing inside tfjs ("Invalid typed array
 * length", a wasm abort) after data are loaded. The limits are stated in docs/language.md
 * ("Limits"):
 *
 * - training state: 16 bytes per parameter (float32 weights, gradients and Adam's two moments)
 *   must fit in 4 GiB, the address space of the wasm backend;
 * - one tensor holds at most 2^31 - 1 elements (the largest typed-array index tfjs uses), which
 *   bounds a data or latent site's elements per example times the batch size.
 *
 * Parameters are counted for `net`s (an mlp's weights and biases, as src/inference/nets.ts
 * creates them) and `param`s; the few parameters of flows and learnable priors are not counted.
 */
import { problem, type Diagnostic } from './diagnostics';
import { formatBytes } from './problems/shapes';
import type { Layer } from './layers';
import type { NetBody } from './net-bodies';
import type { Span } from './source';

/** What the count needs of a net (a structural subset of NetInfo). */
export interface SizedNet {
  readonly name: string;
  readonly inputs: readonly { readonly shape: readonly number[] }[];
  readonly outputs: readonly { readonly type: { readonly shape: readonly number[] } }[];
  readonly body: NetBody;
}

/** A tensor-valued declaration or site, with where to point. */
export interface Sized {
  readonly name: string;
  readonly shape: readonly number[];
  readonly span: Span;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export const BYTES_PER_PARAMETER = 16;
export const MAX_TRAINING_BYTES = 4 * 2 ** 30;
export const MAX_PARAMETERS = MAX_TRAINING_BYTES / BYTES_PER_PARAMETER;
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/** Weights and biases of one `sequential` layer (as src/inference/layers/sequential.ts creates them). */
function layerParameterCount(l: Layer): number {
  switch (l.kind) {
    case 'conv2d':
    case 'deconv2d':
      return (l.kernel[0] * l.kernel[1] * l.input[0]! + 1) * l.channels;
    case 'dense':
      return (l.input[0]! + 1) * l.units;
    case 'residual':
      return l.layers.reduce((n, x) => n + layerParameterCount(x), 0);
    default:
      return 0;
  }
}

/**
 * Weights and biases of a net, as the engine creates them: an mlp has (inputs + 1) x width per
 * layer, the last layer as wide as all outputs; a `sequential` stack its layers' and, when it ends
 * flat, its heads'; a gru (lstm) 3 (4) gates of H x (inputs + H + 2), then its heads.
 */
export function netParameterCount(net: SizedNet): number {
  const fanIn = net.inputs.reduce((n, t) => n + numel(t.shape), 0);
  const outs = net.outputs.reduce((n, o) => n + numel(o.type.shape), 0);
  const body = net.body;
  if (body.kind === 'sequential') {
    const last = body.layers[body.layers.length - 1]!;
    return body.layers.reduce((n, l) => n + layerParameterCount(l), 0) + (body.ending === 'heads' ? (last.output[0]! + 1) * outs : 0);
  }
  if (body.kind === 'gru' || body.kind === 'lstm') {
    const g = body.kind === 'gru' ? 3 : 4;
    const perStep = net.outputs[0]!.type.shape.length >= 2 && net.outputs[0]!.type.shape[0] === body.steps;
    return g * body.hidden * (fanIn / body.steps + body.hidden + 2) + (body.hidden + 1) * (perStep ? outs / body.steps : outs);
  }
  const widths = [...(body as Extract<NetBody, { kind: 'mlp' | 'linear' }>).hidden, outs];
  let total = 0;
  let prev = fanIn;
  for (const w of widths) {
    total += (prev + 1) * w;
    prev = w;
  }
  return total;
}

export { formatBytes };

interface Owner {
  readonly name: string;
  readonly count: number;
  readonly span: Span;
}

/** VAE317 for sizes the engine cannot allocate (see the module comment). */
export function checkSizes(nets: readonly (SizedNet & { readonly span: Span })[], params: readonly Sized[], sites: readonly Sized[], batch: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const owners: Owner[] = [
    ...nets.map((n) => ({ name: n.name, count: netParameterCount(n), span: n.span })),
    ...params.map((p) => ({ name: p.name, count: numel(p.shape), span: p.span })),
  ].sort((a, b) => b.count - a.count);
  const total = owners.reduce((n, o) => n + o.count, 0);
  if (total > MAX_PARAMETERS && owners[0]) {
    const largest = owners.slice(0, 2).map((o) => ({ name: o.name, count: o.count }));
    out.push(
      problem(
        'VAE317',
        { kind: 'too-many-parameters', total, bytesPerParameter: BYTES_PER_PARAMETER, limitBytes: MAX_TRAINING_BYTES, maxParameters: MAX_PARAMETERS, largest },
        { span: owners[0].span, message: `${Math.round(owners[0].count).toLocaleString('en-US')} parameters` },
      ),
    );
  }
  const seen = new Set<string>();
  for (const s of sites) {
    const per = numel(s.shape);
    if (per * batch <= MAX_TENSOR_ELEMENTS || seen.has(s.name)) continue;
    seen.add(s.name);
    out.push(problem('VAE317', { kind: 'site-too-large', site: s.name, perExample: per, batch, maxElements: MAX_TENSOR_ELEMENTS }, { span: s.span }));
  }
  return out;
}
