/**
 * Built-in functions: one table entry each, with the typing rule the checker applies. The
 * runtime implementations live in inference/builtins-impl.ts under the same names (a test
 * keeps the two tables in step).
 */
import { isSubKind, type ValueKind } from '../distributions/constraints';
import type { Diagnostic } from './diagnostics';
import { typeData, type ShapeProblem } from './problems/shapes';
import { broadcast as broadcastShapes } from '../core/shapes';
import { ERROR_TYPE, formatType, tensor, type ExprType, type TensorType } from './types';
import type * as A from './ast';

export interface TypedArg {
  readonly expr: A.Expr;
  readonly type: ExprType;
  readonly name: string | null;
}

export interface BuiltinContext {
  readonly call: A.CallExpr;
  /** Reports a problem given as data and returns the error type. */
  reject(code: Diagnostic['code'], data: ShapeProblem, span: A.Expr['span']): ExprType;
}

export interface BuiltinSpec {
  readonly name: string;
  readonly signature: string;
  readonly doc: string;
  check(args: readonly TypedArg[], ctx: BuiltinContext): ExprType;
}

function positiveish(t: TensorType): boolean {
  return isSubKind(t.vk, 'Positive') || (t.value !== undefined && t.value > 0);
}

function nonneg(t: TensorType): boolean {
  return positiveish(t) || isSubKind(t.vk, 'Unit') || isSubKind(t.vk, 'Count') || (t.value !== undefined && t.value >= 0);
}

/** The kind of the sum over a vector of `vk` values. */
function sumKind(vk: ValueKind): ValueKind {
  if (isSubKind(vk, 'Count')) return 'Count';
  if (isSubKind(vk, 'Positive') || isSubKind(vk, 'Simplex')) return 'Positive';
  return 'Real';
}

/** The argument as a square matrix [..., d, d], or an error. */
function squareArg(a: TypedArg, ctx: BuiltinContext, fn: string): TensorType | undefined {
  const t = tensorArg(a, ctx, fn);
  if (!t) return undefined;
  const n = t.shape.length;
  if (n < 2 || t.shape[n - 1] !== t.shape[n - 2]) {
    ctx.reject('VAE310', { kind: 'builtin-not-square', fn, found: typeData(t) }, a.expr.span);
    return undefined;
  }
  return t;
}

function expectArity(args: readonly TypedArg[], n: number, ctx: BuiltinContext, name: string, sig: string): boolean {
  const named = args.find((a) => a.name !== null);
  if (named) {
    ctx.reject('VAE310', { kind: 'builtin-named-argument', fn: name, name: named.name!, signature: sig }, ctx.call.span);
    return false;
  }
  if (args.length !== n) {
    ctx.reject('VAE310', { kind: 'builtin-arity', fn: name, expected: n, found: args.length, signature: sig }, ctx.call.span);
    return false;
  }
  return true;
}

function tensorArg(a: TypedArg, ctx: BuiltinContext, fn: string): TensorType | undefined {
  if (a.type.kind === 'tensor') return a.type;
  if (a.type.kind !== 'error') {
    ctx.reject('VAE310', { kind: 'builtin-not-tensor', fn, shown: formatType(a.type), record: a.type.kind === 'record' }, a.expr.span);
  }
  return undefined;
}

/** An integer known at compile time (a literal or a const), or undefined. */
function constInt(a: TypedArg): number | undefined {
  return a.type.kind === 'tensor' && a.type.value !== undefined && Number.isInteger(a.type.value) && a.type.value > 0 ? a.type.value : undefined;
}

/** An elementwise built-in; `result` undefined: not defined for every value (the hint is the renderer's, problems/shapes.ts). */
function elementwise(name: string, doc: string, result: (t: TensorType) => ValueKind | undefined): BuiltinSpec {
  const signature = `${name}(x)`;
  return {
    name,
    signature,
    doc,
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, name, signature)) return ERROR_TYPE;
      const t = tensorArg(args[0]!, ctx, name);
      if (!t) return ERROR_TYPE;
      if (t.vk === 'Category') return ctx.reject('VAE310', { kind: 'elementwise-class-index', fn: name, found: typeData(t) }, args[0]!.expr.span);
      const vk = result(t);
      if (vk === undefined) return ctx.reject('VAE310', { kind: 'elementwise-domain', fn: name, found: typeData(t) }, args[0]!.expr.span);
      return tensor(vk, t.shape);
    },
  };
}

function constructor(name: 'zeros' | 'ones', vk: ValueKind): BuiltinSpec {
  const signature = `${name}(d1, d2, ...)`;
  return {
    name,
    signature,
    doc: `A constant tensor of ${name} with the given shape, e.g. \`${name}(Z)\`.`,
    check(args, ctx) {
      const dims: number[] = [];
      for (const a of args) {
        const d = constInt(a);
        if (d === undefined) return ctx.reject('VAE308', { kind: 'builtin-size-not-const', fn: name }, a.expr.span);
        dims.push(d);
      }
      return tensor(vk, dims);
    },
  };
}

const TABLE: BuiltinSpec[] = [
  {
    name: 'onehot',
    signature: 'onehot(y)',
    doc: 'The one-hot encoding of a class index: Category[k] -> OneHot[k].',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'onehot', 'onehot(y)')) return ERROR_TYPE;
      const t = tensorArg(args[0]!, ctx, 'onehot');
      if (!t) return ERROR_TYPE;
      if (t.vk === 'OneHot') return t;
      if (t.vk !== 'Category' || t.classes === undefined) {
        return ctx.reject('VAE310', { kind: 'onehot-not-class-index', found: typeData(t) }, args[0]!.expr.span);
      }
      return tensor('OneHot', [...t.shape, t.classes]);
    },
  },
  {
    name: 'uniform',
    signature: 'uniform(k)',
    doc: 'The uniform probability vector over k classes: Simplex[k].',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'uniform', 'uniform(k)')) return ERROR_TYPE;
      const k = constInt(args[0]!);
      if (k === undefined) return ctx.reject('VAE308', { kind: 'builtin-size-not-const', fn: 'uniform' }, args[0]!.expr.span);
      return tensor('Simplex', [k]);
    },
  },
  constructor('zeros', 'Real'),
  constructor('ones', 'Positive'),
  elementwise('exp', 'e^x, elementwise: Real -> Positive.', () => 'Positive'),
  elementwise('log', 'The natural logarithm, elementwise: Positive -> Real.', (t) => (positiveish(t) || isSubKind(t.vk, 'Unit') ? 'Real' : undefined)),
  elementwise('softplus', 'log(1 + e^x), elementwise: Real -> Positive.', () => 'Positive'),
  elementwise('sigmoid', '1 / (1 + e^-x), elementwise: Real -> Unit.', () => 'Unit'),
  elementwise('tanh', 'The hyperbolic tangent, elementwise.', () => 'Real'),
  elementwise('sqrt', 'The square root, elementwise, of non-negative values.', (t) => (nonneg(t) ? t.vk : undefined)),
  elementwise('square', 'x^2, elementwise.', (t) => (positiveish(t) ? 'Positive' : 'Real')),
  elementwise('abs', '|x|, elementwise.', () => 'Real'),
  elementwise('softmax', 'Normalizes the last axis to a probability vector: Real[k] -> Simplex[k].', (t) => (t.shape.length > 0 ? 'Simplex' : undefined)),
  elementwise('log1p', 'log(1 + x), elementwise, of non-negative values (e.g. counts): -> Real.', (t) => (nonneg(t) ? 'Real' : undefined)),
  {
    name: 'sum',
    signature: 'sum(x)',
    doc: 'The sum over the last axis: Count[..., k] -> Count[...] (Positive stays Positive; a Simplex sums to a Positive 1).',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'sum', 'sum(x)')) return ERROR_TYPE;
      const t = tensorArg(args[0]!, ctx, 'sum');
      if (!t) return ERROR_TYPE;
      if (t.vk === 'Category') return ctx.reject('VAE310', { kind: 'builtin-class-index', fn: 'sum' }, args[0]!.expr.span);
      if (t.shape.length === 0) return ctx.reject('VAE310', { kind: 'sum-of-scalar' }, args[0]!.expr.span);
      return tensor(sumKind(t.vk), t.shape.slice(0, -1));
    },
  },
  {
    name: 'lower_cholesky',
    signature: 'lower_cholesky(m)',
    doc: 'A Cholesky factor from any square matrix: the strictly lower triangle of m, softplus of its diagonal, zeros above: Real[d, d] -> LowerCholesky[d, d].',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'lower_cholesky', 'lower_cholesky(m)')) return ERROR_TYPE;
      const t = squareArg(args[0]!, ctx, 'lower_cholesky');
      return t ? tensor('LowerCholesky', t.shape) : ERROR_TYPE;
    },
  },
  {
    name: 'diag',
    signature: 'diag(s)',
    doc: 'The diagonal matrix of positive values: Positive[d] -> LowerCholesky[d, d] (a scale_tril with independent axes).',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'diag', 'diag(s)')) return ERROR_TYPE;
      const t = tensorArg(args[0]!, ctx, 'diag');
      if (!t) return ERROR_TYPE;
      if (t.shape.length === 0 || !positiveish(t)) return ctx.reject('VAE310', { kind: 'diag-not-positive-vector', found: typeData(t) }, args[0]!.expr.span);
      return tensor('LowerCholesky', [...t.shape, t.shape[t.shape.length - 1]!]);
    },
  },
  {
    name: 'eye',
    signature: 'eye(d)',
    doc: 'The d x d identity matrix: LowerCholesky[d, d] (the scale_tril of a standard normal).',
    check(args, ctx) {
      if (!expectArity(args, 1, ctx, 'eye', 'eye(d)')) return ERROR_TYPE;
      const d = constInt(args[0]!);
      if (d === undefined) return ctx.reject('VAE308', { kind: 'builtin-size-not-const', fn: 'eye' }, args[0]!.expr.span);
      return tensor('LowerCholesky', [d, d]);
    },
  },
  {
    name: 'concat',
    signature: 'concat(a, b, ...)',
    doc: 'Concatenates along the last axis; the other axes must agree.',
    check(args, ctx) {
      if (args.length < 2) return ctx.reject('VAE310', { kind: 'concat-too-few' }, ctx.call.span);
      const ts: TensorType[] = [];
      for (const a of args) {
        const t = tensorArg(a, ctx, 'concat');
        if (!t) return ERROR_TYPE;
        if (t.vk === 'Category') return ctx.reject('VAE310', { kind: 'builtin-class-index', fn: 'concat' }, a.expr.span);
        if (t.shape.length === 0) return ctx.reject('VAE310', { kind: 'concat-scalar' }, a.expr.span);
        ts.push(t);
      }
      const first = ts[0]!;
      let lead: number[] = [...first.shape.slice(0, -1)];
      let last = 0;
      let vk: ValueKind = first.vk;
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i]!;
        const b = broadcastShapes(lead, t.shape.slice(0, -1));
        if (!b) return ctx.reject('VAE302', { kind: 'concat-does-not-broadcast', first: typeData(first), found: typeData(t) }, args[i]!.expr.span);
        lead = b;
        last += t.shape[t.shape.length - 1]!;
        vk = isSubKind(vk, 'Real') && isSubKind(t.vk, vk) ? vk : isSubKind(vk, t.vk) ? t.vk : 'Real';
      }
      return tensor(vk === 'Simplex' || vk === 'OneHot' ? 'Unit' : vk, [...lead, last]);
    },
  },
];

export const BUILTINS: ReadonlyMap<string, BuiltinSpec> = new Map(TABLE.map((b) => [b.name, b]));
