/**
 * Global declarations: `const`, `data`, `param` and `net`. They share one namespace; a name
 * declared twice is an error that points at both places.
 */
import { numberSatisfies, transformOnto, type Transform } from '../distributions/constraints';
import { FAMILIES } from '../distributions/schemas/index';
import { BUILTINS } from './builtins';
import type * as A from './ast';
import type { Span } from './source';
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
    ctx.accept('VAE308', `\`${d.name.text}\` is not a finite number: it evaluates to ${formatNumber(v)}`, { span: d.value.span }, { hint: 'look for a division by zero or a number too large to represent' });
    return;
  }
  if (v === undefined) {
    ctx.accept('VAE308', `\`${d.name.text}\` must be a number known at compile time`, { span: d.value.span }, { hint: 'a const is a number or arithmetic on numbers and other consts, e.g. `const H = 2 * Z`' });
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
    ctx.accept('VAE309', `\`${d.name.text}\` is ${formatTensorType(type)}, which cannot have missing entries`, { span: d.type.span }, { hint: 'drop the `?`: a Cholesky factor is observed whole' });
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
    ctx.accept('VAE309', `\`${d.name.text}\` is declared ${formatTensorType(type)}, which has no time axis for \`..\``, { span }, { hint: 'a sequence puts its steps first, e.g. `data x: Real[..T, D]`; labels per step are not supported' });
    return undefined;
  }
  if (first.kind !== 'name' || !ctx.consts.has(first.name)) {
    ctx.accept('VAE309', 'the most steps of a sequence (`..T`) must be the name of a const', { span }, { hint: 'declare `const T = 20` and write `data x: Real[..T, D]`; loops `for t in 0..T` then follow each example\'s length' });
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
      ctx.accept('VAE305', `\`${family}\` as an initializer takes ${names.join(' and ')}`, { span: a.span }, { hint: `write \`${family}(${names.join(', ')})\` with numbers` });
      return undefined;
    }
    const v = constValue(ctx, a.value);
    if (v === undefined) {
      ctx.accept('VAE308', 'an initializer takes numbers known at compile time', { span: a.value.span }, { hint: `e.g. \`= ${family === 'Normal' ? 'Normal(0, 1)' : 'Uniform(-0.1, 0.1)'}\`` });
      return undefined;
    }
    vals[i] = v;
  }
  if (vals[0] === undefined || vals[1] === undefined) {
    ctx.accept('VAE305', `\`${family}\` as an initializer needs ${names.join(' and ')}`, { span: call.span }, { hint: `write \`${family}(${names.join(', ')})\`` });
    return undefined;
  }
  const [a, b] = [vals[0], vals[1]];
  if (family === 'Normal') {
    if (type.vk !== 'Real') {
      ctx.accept('VAE306', `a ${type.vk} param cannot start at Normal draws, which may fall outside ${type.vk}`, { span: call.span }, { hint: type.vk === 'Positive' ? 'use `Uniform(0.5, 1.5)` or a number' : 'use `Uniform(0.2, 0.8)` or a number' });
      return undefined;
    }
    if (!(b > 0)) {
      ctx.accept('VAE306', `the scale of an initializer must be positive, found ${formatNumber(b)}`, { span: call.args[1]!.value.span }, { hint: 'e.g. `= Normal(0, 1)`' });
      return undefined;
    }
    return { family, a, b };
  }
  const lo = type.vk === 'Real' ? -Infinity : 0;
  const hi = type.vk === 'Unit' ? 1 : Infinity;
  if (!(a < b) || a <= lo || b >= hi || (type.vk === 'Real' && (!Number.isFinite(a) || !Number.isFinite(b)))) {
    const range = type.vk === 'Positive' ? 'above 0' : type.vk === 'Unit' ? 'strictly between 0 and 1' : 'finite';
    ctx.accept('VAE306', `the initializer's range [${formatNumber(a)}, ${formatNumber(b)}] must be ${range}, with low < high`, { span: call.span }, { hint: `a ${type.vk} param starts inside ${type.vk}, e.g. \`= Uniform(${type.vk === 'Unit' ? '0.2, 0.8' : type.vk === 'Positive' ? '0.5, 1.5' : '-0.1, 0.1'})\`` });
    return undefined;
  }
  return { family, a, b };
}

export function checkParam(ctx: CheckContext, d: A.ParamDecl): void {
  if (!claim(ctx, d.name, 'param')) return;
  const type = resolveType(ctx, d.type);
  if (!type) return;
  if (type.vk !== 'Real' && type.vk !== 'Positive' && type.vk !== 'Unit') {
    ctx.accept('VAE309', `a param must be Real, Positive or Unit, found ${formatTensorType(type)}`, { span: d.type.span }, { hint: 'discrete values cannot be learned by gradient descent' });
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
      ctx.accept('VAE308', 'a param initial value must be a number known at compile time', { span: d.init.span }, { hint: 'write a number or a const, e.g. `param s: Positive = 1.0`' });
      return;
    }
    if (!numberSatisfies(type.vk, v) || (type.vk === 'Unit' && (v <= 0 || v >= 1))) {
      ctx.accept('VAE306', `the initial value ${formatNumber(v)} is outside ${type.vk}`, { span: d.init.span }, { hint: type.vk === 'Positive' ? 'a Positive param starts above 0, e.g. `= 1.0`' : 'a Unit param starts strictly between 0 and 1' });
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
      ctx.accept('VAE313', 'a net cannot take a class index as input', { span: t.span }, { hint: `declare the input as \`OneHot[${r.classes}]\` and pass \`onehot(y)\`` });
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
      ctx.accept('VAE313', `a net cannot output ${formatTensorType(r)}`, { span: o.type.span }, { hint: 'net outputs are Real (linear), Positive (softplus), Unit (sigmoid) or Simplex (softmax); output logits and use a discrete distribution on them' });
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
  ctx.accept('VAE309', `\`${d.name.text}\` reads sequences of up to ${bound} steps, but only \`gru\` and \`lstm\` stop at each example's length; this net would read the padding`, { span: over.span }, {
    secondary: [{ span: [...ctx.data.values()].find((x) => x.upTo?.bound === bound)!.decl.type.span, message: `sequences of up to ${bound} steps` }],
    hint: `read the sequence with \`gru(hidden: H)\` or \`lstm(hidden: H)\`, or declare the data with a fixed length \`[${bound}, ...]\``,
  });
  return null;
}
