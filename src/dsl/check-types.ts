/** Resolves written types (`Real[784]`, `Category[10]`, `OneHot[K]`) to TensorTypes. */
import { VALUE_KINDS, type ValueKind } from '../distributions/constraints';
import type * as A from './ast';
import type { CheckContext } from './check-context';
import { formatNumber, tensor, type TensorType } from './types';

/** Consts already reported as bad dimensions, per check: each is reported at its first use only. */
const reportedDims = new WeakMap<CheckContext, Set<string>>();

/** Evaluates a dimension: a positive integer literal, a const, or arithmetic on them. */
export function constDim(ctx: CheckContext, e: A.Expr): number | undefined {
  const v = constValue(ctx, e);
  if (v !== undefined && (!Number.isInteger(v) || v <= 0) && e.kind === 'name') {
    const seen = reportedDims.get(ctx) ?? new Set<string>();
    reportedDims.set(ctx, seen);
    if (seen.has(e.name)) return undefined;
    seen.add(e.name);
    const decl = ctx.consts.get(e.name)?.decl;
    ctx.report('VAE308', { kind: 'size-const-not-positive-integer', name: e.name, value: v }, { span: e.span }, decl ? { secondary: [{ span: decl.value.span, message: `\`${e.name}\` is defined here` }] } : {});
    return undefined;
  }
  if (v === undefined && mentionsBroken(ctx, e)) return undefined;
  const other = v === undefined ? firstNonConst(ctx, e) : undefined;
  if (other) {
    // A name that is not a const: reported once per name, not at every size that uses it.
    const seen = reportedDims.get(ctx) ?? new Set<string>();
    reportedDims.set(ctx, seen);
    if (seen.has(`?${other.name}`)) return undefined;
    seen.add(`?${other.name}`);
    const declared = ctx.globalSpan(other.name);
    if (declared) {
      ctx.report('VAE308', { kind: 'size-not-compile-time', name: other.name }, { span: other.span }, { secondary: [{ span: declared, message: `\`${other.name}\` is declared here` }] });
    } else {
      ctx.report('VAE201', { kind: 'unknown-name', found: other.name, expected: [...ctx.consts.keys()], scope: 'size' }, { span: other.span });
    }
    return undefined;
  }
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    ctx.report('VAE308', { kind: 'size-not-positive-integer', value: v ?? null }, { span: e.span });
    return undefined;
  }
  return v;
}

/** The first name in a numeric expression that is not a const, if any. */
function firstNonConst(ctx: CheckContext, e: A.Expr): A.NameExpr | undefined {
  switch (e.kind) {
    case 'name':
      return ctx.consts.has(e.name) ? undefined : e;
    case 'neg':
      return firstNonConst(ctx, e.operand);
    case 'binary':
      return firstNonConst(ctx, e.left) ?? firstNonConst(ctx, e.right);
    default:
      return undefined;
  }
}

/** True when the expression uses a name whose declaration failed (already reported). */
export function mentionsBroken(ctx: CheckContext, e: A.Expr): boolean {
  switch (e.kind) {
    case 'name':
      return ctx.broken.has(e.name);
    case 'neg':
      return mentionsBroken(ctx, e.operand);
    case 'binary':
      return mentionsBroken(ctx, e.left) || mentionsBroken(ctx, e.right);
    default:
      return false;
  }
}

/** The value of a compile-time numeric expression, or undefined. */
export function constValue(ctx: CheckContext, e: A.Expr): number | undefined {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'name':
      return ctx.consts.get(e.name)?.value;
    case 'neg': {
      const v = constValue(ctx, e.operand);
      return v === undefined ? undefined : -v;
    }
    case 'binary': {
      const a = constValue(ctx, e.left);
      const b = constValue(ctx, e.right);
      if (a === undefined || b === undefined) return undefined;
      return e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : a / b;
    }
    default:
      return undefined;
  }
}

export function resolveType(ctx: CheckContext, t: A.TypeExpr, opts: { readonly upTo?: boolean } = {}): TensorType | undefined {
  const name = t.name.text;
  if (t.upTo && !opts.upTo) {
    ctx.report('VAE309', { kind: 'sequence-type-outside-data' }, { span: t.upTo });
    return undefined;
  }
  if (!(VALUE_KINDS as readonly string[]).includes(name)) {
    ctx.report('VAE204', { kind: 'unknown-type', found: name, expected: VALUE_KINDS }, { span: t.name.span });
    return undefined;
  }
  const vk = name as ValueKind;
  const dims: number[] = [];
  for (const d of t.dims) {
    const n = constDim(ctx, d);
    if (n === undefined) return undefined;
    dims.push(n);
  }
  if (vk === 'Category') {
    if (dims.length !== 1) {
      ctx.report('VAE309', { kind: 'category-size-count', found: dims.length }, { span: t.span });
      return undefined;
    }
    return tensor('Category', [], { classes: dims[0]! });
  }
  if ((vk === 'Simplex' || vk === 'OneHot') && dims.length === 0) {
    ctx.report('VAE309', { kind: 'class-kind-without-size', vk }, { span: t.span });
    return undefined;
  }
  return tensor(vk, dims);
}
