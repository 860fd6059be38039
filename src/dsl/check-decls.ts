/**
 * Global declarations: `const`, `data`, `param` and `net`. They share one namespace; a name
 * declared twice is an error that points at both places.
 */
import { numberSatisfies, transformOnto, type Transform } from '../distributions/constraints';
import { FAMILIES } from '../distributions/schemas/index';
import { BUILTINS } from './builtins';
import type * as A from './ast';
import type { Span } from './source';
import { typeData } from './problems/shapes';
import type { CheckContext } from './check-context';
import type { DataInfo, ParamInfo } from './checked';
import { constValue, mentionsBroken, resolveType } from './check-types';
import { checkNetBody } from './check-net-body';
import { NET_BODIES, type NetBody } from './net-bodies';
import { formatNumber, formatTensorType, tensor, type TensorType } from './types';

function claim(ctx: CheckContext, name: A.Name, what: string): boolean {
  // A declaration named like a distribution or built-in would hide it everywhere: calls of
  // `Normal(...)` would become calls of this declaration, with confusing errors at each one.
  const taken = FAMILIES.has(name.text) ? 'distribution' : BUILTINS.has(name.text) ? 'builtin' : NET_BODIES.has(name.text) ? 'net-body' : undefined;
  if (taken) {
    ctx.report('VAE207', { kind: 'reserved-name', name: name.text, taken }, { span: name.span, message: `this ${what}` });
    return false;
  }
  ctx.broken.add(name.text);
  const prev = ctx.globalSpan(name.text);
  if (prev) {
    ctx.report('VAE207', { kind: 'declared-twice', name: name.text }, { span: name.span, message: `this ${what}` }, { secondary: [{ span: prev, message: 'first declared here' }] });
    return false;
  }
  return true;
}

export function checkConst(ctx: CheckContext, d: A.ConstDecl): void {
  if (!claim(ctx, d.name, 'constant')) return;
  if (mentionsBroken(ctx, d.value)) return;
  const v = constValue(ctx, d.value);
  if (v !== undefined && !Number.isFinite(v)) {
    ctx.report('VAE308', { kind: 'const-not-finite', name: d.name.text, value: v }, { span: d.value.span });
    return;
  }
  if (v === undefined) {
    ctx.report('VAE308', { kind: 'const-not-compile-time', name: d.name.text }, { span: d.value.span });
    return;
  }
  ctx.consts.set(d.name.text, { value: v, decl: d });
  ctx.broken.delete(d.name.text);
}

export function checkData(ctx: CheckContext, d: A.DataDecl): void {
  if (!claim(ctx, d.name, 'data declaration')) return;
  const type = resolveType(ctx, d.type, { upTo: true });
  if (!type) return;
  const upTo = d.type.upTo ? sequenceBound(ctx, d, type) : null;
  if (upTo === undefined) return;
  if (d.partial && type.vk === 'LowerCholesky') {
    ctx.report('VAE309', { kind: 'data-cannot-be-partial', data: d.name.text, type: typeData(type) }, { span: d.type.span });
    return;
  }
  // `?` on a label: latent where missing. `?` on any other kind: missing entries (NaN) are left
  // out of the likelihood (docs/language.md, "Missing data").
  const label = type.vk === 'Category';
  ctx.data.set(d.name.text, { name: d.name.text, decl: d, type, partial: d.partial && label, masked: d.partial && !label, upTo });
  ctx.broken.delete(d.name.text);
}

/**
 * `data x: Real[..T, D]`: sequences of up to T steps, each example with its own length. The
 * bound must be a const by name (loops `for t in a..T` and recurrent nets over `[T, ...]` follow
 * the lengths through that name) and the kind must have a time axis.
 */
function sequenceBound(ctx: CheckContext, d: A.DataDecl, type: TensorType): DataInfo['upTo'] | undefined {
  const first = d.type.dims[0];
  const span = first ? { file: d.type.upTo!.file, start: d.type.upTo!.start, end: first.span.end } : d.type.upTo!;
  if (type.vk === 'Category' || type.shape.length === 0 || !first) {
    ctx.report('VAE309', { kind: 'sequence-without-time-axis', data: d.name.text, type: typeData(type) }, { span });
    return undefined;
  }
  if (first.kind !== 'name' || !ctx.consts.has(first.name)) {
    ctx.report('VAE309', { kind: 'sequence-bound-not-const' }, { span });
    return undefined;
  }
  return { bound: first.name, max: type.shape[0]! };
}

/**
 * `= Normal(loc, scale)` or `= Uniform(low, high)`: each element starts at an independent draw
 * (seeded). Normal only for Real params; a Uniform range must lie inside the kind.
 */
function paramDraw(ctx: CheckContext, call: A.CallExpr, family: 'Normal' | 'Uniform', type: TensorType): ParamInfo['draw'] | undefined {
  const names = family === 'Normal' ? ['loc', 'scale'] : ['low', 'high'];
  const vals: number[] = [];
  let position = 0;
  for (const a of call.args) {
    const name = a.name?.text ?? names[position++];
    const i = name === undefined ? -1 : names.indexOf(name);
    if (i < 0) {
      ctx.report('VAE305', { kind: 'initializer-arguments', family, params: names, missing: false }, { span: a.span });
      return undefined;
    }
    const v = constValue(ctx, a.value);
    if (v === undefined) {
      ctx.report('VAE308', { kind: 'initializer-not-compile-time', family }, { span: a.value.span });
      return undefined;
    }
    vals[i] = v;
  }
  if (vals[0] === undefined || vals[1] === undefined) {
    ctx.report('VAE305', { kind: 'initializer-arguments', family, params: names, missing: true }, { span: call.span });
    return undefined;
  }
  const [a, b] = [vals[0], vals[1]];
  if (family === 'Normal') {
    if (type.vk !== 'Real') {
      ctx.report('VAE306', { kind: 'initializer-normal-outside', constraint: type.vk }, { span: call.span });
      return undefined;
    }
    if (!(b > 0)) {
      ctx.report('VAE306', { kind: 'initializer-scale-not-positive', found: b }, { span: call.args[1]!.value.span });
      return undefined;
    }
    return { family, a, b };
  }
  const lo = type.vk === 'Real' ? -Infinity : 0;
  const hi = type.vk === 'Unit' ? 1 : Infinity;
  if (!(a < b) || a <= lo || b >= hi || (type.vk === 'Real' && (!Number.isFinite(a) || !Number.isFinite(b)))) {
    ctx.report('VAE306', { kind: 'initializer-range-outside', constraint: type.vk, low: a, high: b }, { span: call.span });
    return undefined;
  }
  return { family, a, b };
}

export function checkParam(ctx: CheckContext, d: A.ParamDecl): void {
  if (!claim(ctx, d.name, 'param')) return;
  const type = resolveType(ctx, d.type);
  if (!type) return;
  if (type.vk !== 'Real' && type.vk !== 'Positive' && type.vk !== 'Unit') {
    ctx.report('VAE309', { kind: 'param-kind-not-continuous', found: typeData(type) }, { span: d.type.span });
    return;
  }
  const dflt = type.vk === 'Real' ? 0 : type.vk === 'Positive' ? 1 : 0.5;
  let init = dflt;
  if (d.init?.kind === 'call' && d.init.callee.kind === 'name' && (d.init.callee.name === 'Normal' || d.init.callee.name === 'Uniform')) {
    const draw = paramDraw(ctx, d.init, d.init.callee.name, type);
    if (!draw) return;
    ctx.params.set(d.name.text, { name: d.name.text, decl: d, type, transform: transformOnto(type.vk)!, init, draw });
    ctx.broken.delete(d.name.text);
    return;
  }
  if (d.init) {
    const v = constValue(ctx, d.init);
    if (v === undefined && mentionsBroken(ctx, d.init)) return;
    if (v === undefined) {
      ctx.report('VAE308', { kind: 'param-init-not-compile-time' }, { span: d.init.span });
      return;
    }
    if (!numberSatisfies(type.vk, v) || (type.vk === 'Unit' && (v <= 0 || v >= 1))) {
      ctx.report('VAE306', { kind: 'param-init-outside', constraint: type.vk, value: v }, { span: d.init.span });
      return;
    }
    init = v;
  }
  ctx.params.set(d.name.text, { name: d.name.text, decl: d, type, transform: transformOnto(type.vk)!, init });
  ctx.broken.delete(d.name.text);
}

export function checkNet(ctx: CheckContext, d: A.NetDecl): void {
  if (!claim(ctx, d.name, 'net')) return;
  let ok = true;
  const inputs: TensorType[] = [];
  for (const t of d.inputs) {
    const r = resolveType(ctx, t);
    if (!r) {
      ok = false;
      continue;
    }
    if (r.vk === 'Category') {
      ctx.report('VAE313', { kind: 'net-input-class-index', classes: r.classes ?? null }, { span: t.span });
      ok = false;
    }
    inputs.push(r.vk === 'Category' ? tensor('OneHot', [r.classes ?? 1]) : r);
  }
  const outputs: { name: string | null; type: TensorType; transform: Transform; span: Span }[] = [];
  const seen = new Map<string, A.Name>();
  for (const o of d.outputs) {
    const r = resolveType(ctx, o.type);
    if (!r) {
      ok = false;
      continue;
    }
    const transform = transformOnto(r.vk);
    if (transform === undefined) {
      ctx.report('VAE313', { kind: 'net-output-kind', found: typeData(r) }, { span: o.type.span });
      ok = false;
    }
    if (o.name) {
      const prev = seen.get(o.name.text);
      if (prev) {
        ctx.report('VAE207', { kind: 'output-declared-twice', name: o.name.text }, { span: o.name.span }, { secondary: [{ span: prev.span, message: 'first declared here' }] });
        ok = false;
      }
      seen.set(o.name.text, o.name);
    }
    outputs.push({ name: o.name?.text ?? null, type: r, transform: transform ?? 'identity', span: o.type.span });
  }
  // With a bad signature, a body that does not read it (mlp, linear) is still checked, so one run reports both.
  const bodyName = d.body.kind === 'call' && d.body.callee.kind === 'name' ? d.body.callee.name : d.body.kind === 'name' ? d.body.name : '';
  if (!ok && ['sequential', 'gru', 'lstm'].includes(bodyName)) return;
  const body = checkNetBody(ctx, d, inputs, outputs);
  if (!ok || !body) return;
  const upTo = sequenceInput(ctx, d, body);
  if (upTo === null) return;
  ctx.nets.set(d.name.text, { name: d.name.text, decl: d, inputs, outputs: outputs.map((o) => ({ name: o.name, type: o.type, transform: o.transform })), body, ...(upTo !== undefined ? { upTo } : {}) });
  ctx.broken.delete(d.name.text);
}

/**
 * A net whose inputs have the time axis `[T, ...]` of a sequence declared `[..T, ...]` reads each
 * example up to its length: a `gru` or `lstm` then holds its state past the length (so a reversed
 * one starts at the last step); any other body would read the padding, which is an error.
 * Returns the bound, undefined for a net over no sequence axis, null after an error.
 */
function sequenceInput(ctx: CheckContext, d: A.NetDecl, body: NetBody): string | undefined | null {
  const bounds = new Set([...ctx.data.values()].flatMap((x) => (x.upTo ? [x.upTo.bound] : [])));
  const over = d.inputs.find((t) => t.dims[0]?.kind === 'name' && bounds.has(t.dims[0].name));
  if (!over) return undefined;
  const bound = (over.dims[0] as A.NameExpr).name;
  if (body.kind === 'gru' || body.kind === 'lstm') return bound;
  ctx.report('VAE309', { kind: 'net-reads-padding', net: d.name.text, bound }, { span: over.span }, {
    secondary: [{ span: [...ctx.data.values()].find((x) => x.upTo?.bound === bound)!.decl.type.span, message: `sequences of up to ${bound} steps` }],
  });
  return null;
}
