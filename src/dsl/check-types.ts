/** Resolves written types (`Real[784]`, `Category[10]`, `OneHot[K]`) to TensorTypes. */
import { VALUE_KINDS, type ValueKind } from '../distributions/constraints';
import type * as A from './ast';
import type { CheckContext } from './check-context';
import { didYouMean } from './suggest';
import { tensor, type TensorType } from './types';

/** Evaluates a dimension: a positive integer literal, a const, or arithmetic on them. */
export function constDim(ctx: CheckContext, e: A.Expr): number | undefined {
  const v = constValue(ctx, e);
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    const found = v === undefined ? 'an expression that is not known at compile time' : String(v);
    ctx.accept('VAE308', `a dimension must be a positive integer known at compile time, found ${found}`, { span: e.span }, {
      hint: v === undefined ? 'use a number or a `const`, e.g. `const Z = 50` then `Real[Z]`' : undefined,
    });
    return undefined;
  }
  return v;
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

export function resolveType(ctx: CheckContext, t: A.TypeExpr): TensorType | undefined {
  const name = t.name.text;
  if (!(VALUE_KINDS as readonly string[]).includes(name)) {
    const hint = name === 'Int' || name === 'Integer' || name === 'Label' ? 'class labels are `Category[k]`' : name === 'Float' || name === 'Tensor' ? 'real values are `Real[...]`' : didYouMean(name, VALUE_KINDS);
    ctx.accept('VAE204', `unknown type \`${name}\``, { span: t.name.span }, { hint: hint ?? `the types are: ${VALUE_KINDS.join(', ')}` });
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
    ctx.accept('VAE309', `\`${vk}\` needs a size, the number of classes`, { span: t.span }, { hint: `write \`${vk}[10]\`` });
    return undefined;
  }
  return tensor(vk, dims);
}
