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
    ctx.accept('VAE308', `a dimension must be a positive integer, but \`${e.name}\` is ${formatNumber(v)}`, { span: e.span }, {
      hint: 'a size counts elements: make the const a whole number greater than 0',
      ...(decl ? { secondary: [{ span: decl.value.span, message: `\`${e.name}\` is defined here` }] } : {}),
    });
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
      ctx.accept('VAE308', `\`${other.name}\` is not a compile-time number, so it cannot be a size`, { span: other.span }, { secondary: [{ span: declared, message: `\`${other.name}\` is declared here` }], hint: 'sizes are numbers or `const`s, e.g. `const Z = 50` then `Real[Z]`' });
    } else {
      ctx.report('VAE201', { kind: 'unknown-name', found: other.name, expected: [...ctx.consts.keys()], scope: 'size' }, { span: other.span });
    }
    return undefined;
  }
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    const found = v === undefined ? 'an expression that is not known at compile time' : formatNumber(v);
    ctx.accept('VAE308', `a dimension must be a positive integer known at compile time, found ${found}`, { span: e.span }, {
      hint: v === undefined ? 'use a number or a `const`, e.g. `const Z = 50` then `Real[Z]`' : 'a size counts elements: use a whole number greater than 0',
    });
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
    ctx.accept('VAE309', '`..` (a sequence of up to T steps) is for data declarations only', { span: t.upTo }, { hint: 'declare the data `data x: Real[..T, D]`; loops and nets over `T` follow its lengths' });
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
      ctx.accept('VAE309', `\`Category\` takes exactly one number, the class count, found ${dims.length}`, { span: t.span }, { hint: 'write `Category[10]` for a label with 10 classes' });
      return undefined;
    }
    return tensor('Category', [], { classes: dims[0]! });
  }
  if ((vk === 'Simplex' || vk === 'OneHot') && dims.length === 0) {
    ctx.accept('VAE309', `\`${vk}\` needs a size, the number of classes`, { span: t.span }, { hint: `give the number of classes, e.g. \`${vk}[10]\`` });
    return undefined;
  }
  return tensor(vk, dims);
}
