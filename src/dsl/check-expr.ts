/**
 * Typing of expressions: names, arithmetic, field access, and calls of nets, built-ins and
 * distributions. Results go to the side table `ctx.types`; each error is reported once and
 * turns into ERROR_TYPE so enclosing expressions stay quiet.
 */
import { isSubKind } from '../distributions/constraints';
import { FAMILIES } from '../distributions/schemas/index';
import type * as A from './ast';
import { typeData, type ShapeProblem } from './problems/shapes';
import { BUILTINS } from './builtins';
import { valueOf, type CheckContext, type ExprEnv, type Scope } from './check-context';
import { checkDistCall } from './check-dist';
import { checkMetaDist, isLearnableMixture, META_DISTS } from './check-meta';
import { NET_BODIES } from './net-bodies';
import { broadcast as broadcastShapes } from '../core/shapes';
import { formatIndex } from './unroll';
import { ERROR_TYPE, formatNumber, formatShape, formatTensorType, formatType, sameShape, tensor, type ExprType, type TensorType } from './types';


const PYRO_PREFIXES = ['dist', 'pyro', 'torch', 'tf', 'np', 'numpyro', 'F', 'nn', 'math'];

/** Other libraries' names for families the registry has under another name. */
const DIST_ALIASES: ReadonlyMap<string, string> = new Map([
  ['Gaussian', 'Normal'],
  ['LogGaussian', 'LogNormal'],
  ['Multinomial', 'OneHotCategorical'],
  ['Student', 'StudentT'],
]);

export function checkExpr(env: ExprEnv, e: A.Expr): ExprType {
  const t = typeExpr(env, e);
  env.ctx.types.set(e, t);
  return t;
}

function typeExpr(env: ExprEnv, e: A.Expr): ExprType {
  const { ctx } = env;
  switch (e.kind) {
    case 'number':
      return tensor('Real', [], { value: e.value });
    case 'string':
      return { kind: 'string' };
    case 'error':
      return ERROR_TYPE;
    case 'name':
      return checkName(env, e);
    case 'neg': {
      const t = valueOf(env, checkExpr(env, e.operand), e.operand);
      if (!t) return ERROR_TYPE;
      return tensor('Real', t.shape, t.value !== undefined ? { value: -t.value } : {});
    }
    case 'binary':
      return checkBinary(env, e);
    case 'field':
      return checkField(env, e);
    case 'index':
      return checkIndex(env, e);
    case 'list':
      return { kind: 'list', items: e.items.map((i) => checkExpr(env, i)) };
    case 'arrow':
      return ctx.reject('VAE312', { kind: 'range-not-value' }, e.span);
    case 'call':
      return checkCall(env, e);
  }
}

function checkName(env: ExprEnv, e: A.NameExpr): ExprType {
  const { ctx, scope } = env;
  const name = e.name;
  const local = scope?.locals.get(name);
  if (local) {
    ctx.refs.set(e, local.kind === 'let' ? { kind: 'let', stmt: local.stmt } : { kind: 'site', name });
    if (ctx.data.has(name)) ctx.usedData.add(name);
    return local.type;
  }
  const data = ctx.data.get(name);
  const steps = scope?.sequences?.get(name);
  if (steps && steps.length > 0 && !(data && scope?.block === 'guide')) {
    return ctx.reject('VAE201', { kind: 'sequence-without-step', name, firstStep: steps[0]! }, e.span);
  }
  if (data) {
    ctx.usedData.add(name);
    if (scope?.block === 'model' && ctx.modelledData.has(name)) {
      return ctx.reject('VAE208', { kind: 'observed-before-site', name }, e.span);
    }
    if (scope?.block === 'guide' && data.partial) {
      return ctx.reject('VAE208', { kind: 'partial-data-in-guide', name }, e.span);
    }
    ctx.refs.set(e, { kind: 'data', name });
    return data.type;
  }
  if (ctx.broken.has(name)) return ERROR_TYPE;
  const laterSpan = scope?.later.get(name);
  if (scope && laterSpan && laterSpan.start > e.span.start) {
    return ctx.reject('VAE208', { kind: 'used-before-definition', name }, e.span, [{ span: laterSpan, message: `\`${name}\` is defined here` }]);
  }
  const c = ctx.consts.get(name);
  if (c) {
    ctx.refs.set(e, { kind: 'const', value: c.value });
    return tensor(Number.isInteger(c.value) && c.value > 0 ? 'Positive' : 'Real', [], { value: c.value });
  }
  const p = ctx.params.get(name);
  if (p) {
    ctx.refs.set(e, { kind: 'param', name });
    return p.type;
  }
  if (ctx.nets.has(name)) return ctx.reject('VAE312', { kind: 'callable-not-value', name, what: 'net' }, e.span);
  if (FAMILIES.has(name)) return ctx.reject('VAE311', { kind: 'callable-not-value', name, what: 'distribution' }, e.span);
  if (BUILTINS.has(name)) return ctx.reject('VAE312', { kind: 'callable-not-value', name, what: 'function' }, e.span);
  // An unknown name is reported at its first use only; later uses are quiet.
  if (firstReport(ctx, name)) return ERROR_TYPE;
  if (scope?.block === 'guide' && env.modelLatents.has(name)) {
    return ctx.reject('VAE201', { kind: 'model-latent-in-guide', name }, e.span);
  }
  const visible = [...(scope?.locals.keys() ?? []), ...ctx.data.keys(), ...ctx.consts.keys(), ...ctx.params.keys()];
  return ctx.reject('VAE201', { kind: 'unknown-name', found: name, expected: visible, scope: scope ? 'block' : 'global' }, e.span);
}

const unknownNames = new WeakMap<CheckContext, Set<string>>();

/** True when `name` was already reported as unknown in this check. */
function firstReport(ctx: CheckContext, name: string): boolean {
  const seen = unknownNames.get(ctx) ?? new Set<string>();
  unknownNames.set(ctx, seen);
  if (seen.has(name)) return true;
  seen.add(name);
  return false;
}

function positiveish(t: TensorType): boolean {
  return isSubKind(t.vk, 'Positive') || (t.value !== undefined && t.value > 0);
}

function unitish(t: TensorType): boolean {
  return isSubKind(t.vk, 'Unit') || (t.value !== undefined && t.value >= 0 && t.value <= 1);
}

function checkBinary(env: ExprEnv, e: A.BinaryExpr): ExprType {
  const { ctx } = env;
  const lt = checkExpr(env, e.left);
  const rt = checkExpr(env, e.right);
  const l = valueOf(env, lt, e.left);
  const r = valueOf(env, rt, e.right);
  if (!l || !r) return ERROR_TYPE;
  for (const [t, x] of [[l, e.left], [r, e.right]] as const) {
    if (t.vk === 'Category') {
      return ctx.reject('VAE310', { kind: 'arithmetic-on-class-index', operand: x.kind === 'name' ? x.name : null, found: typeData(t) }, x.span);
    }
  }
  const shape = broadcastShapes(l.shape, r.shape);
  if (!shape) {
    return ctx.reject('VAE302', { kind: 'operands-do-not-broadcast', left: [...l.shape], right: [...r.shape] }, e.opSpan, [
      { span: e.left.span, message: `this is ${formatTensorType(l)}` },
      { span: e.right.span, message: `this is ${formatTensorType(r)}` },
    ]);
  }
  const value =
    l.value !== undefined && r.value !== undefined
      ? e.op === '+' ? l.value + r.value : e.op === '-' ? l.value - r.value : e.op === '*' ? l.value * r.value : l.value / r.value
      : undefined;
  let vk: TensorType['vk'] = 'Real';
  if ((e.op === '+' || e.op === '*' || e.op === '/') && positiveish(l) && positiveish(r)) vk = 'Positive';
  else if (e.op === '*' && unitish(l) && unitish(r)) vk = 'Unit';
  return tensor(vk, shape, value !== undefined ? { value } : {});
}

/** How a diagnostic names an indexed value: `mus`, `q.loc`, or "the value". */
function describeTarget(e: A.Expr): string {
  if (e.kind === 'name') return `\`${e.name}\``;
  if (e.kind === 'field' && e.target.kind === 'name') return `\`${e.target.name}.${e.field.text}\``;
  return 'the value';
}

/**
 * `a[i]`: entry i of the first axis of a. The index is a class label (Category[k], enumerated,
 * sampled or observed; k may not exceed the axis) or a whole number known at compile time.
 */
/** The loop variable inside an index unrolled from a `for` loop (`t - 1` at t = 3), if any. */
function loopVarOf(e: A.Expr): { name: string; value: number } | undefined {
  if (e.kind === 'number') return e.loopVar !== undefined ? { name: e.loopVar, value: e.value } : undefined;
  if (e.kind === 'binary') return loopVarOf(e.left) ?? loopVarOf(e.right);
  if (e.kind === 'neg') return loopVarOf(e.operand);
  return undefined;
}

function checkIndex(env: ExprEnv, e: A.IndexExpr): ExprType {
  const { ctx } = env;
  const tt = checkExpr(env, e.target);
  const it = checkExpr(env, e.index);
  if (tt.kind === 'error' || it.kind === 'error') return ERROR_TYPE;
  const what = describeTarget(e.target);
  if (tt.kind === 'record') {
    const first = [...tt.fields.keys()][0] ?? 'loc';
    return ctx.reject('VAE333', { kind: 'index-net-outputs', net: tt.net, example: e.target.kind === 'name' ? e.target.name : tt.net, field: first }, e.target.span);
  }
  const t = valueOf(env, tt, e.target);
  if (!t) return ERROR_TYPE;
  if (t.vk === 'Category' || t.shape.length === 0) {
    return ctx.reject('VAE333', { kind: 'index-without-axis', target: what, found: typeData(t) }, e.target.span);
  }
  const n = t.shape[0]!;
  const rest = t.shape.slice(1);
  // An entry of a probability or one-hot vector is a number in [0, 1] (0 or 1); rows of a table keep their kind.
  const vk = rest.length > 0 ? t.vk : t.vk === 'Simplex' ? 'Unit' : t.vk === 'OneHot' ? 'Binary' : t.vk;
  if (it.kind !== 'tensor') {
    valueOf(env, it, e.index);
    return ERROR_TYPE;
  }
  if (it.vk === 'Category') {
    if (it.shape.length > 0) return ctx.reject('VAE333', { kind: 'index-not-one-label', found: typeData(it) }, e.index.span);
    const k = it.classes ?? 1;
    if (k > n) {
      const param = e.target.kind === 'name' && ctx.params.has(e.target.name) ? e.target.name : null;
      return ctx.reject('VAE334', { kind: 'index-classes-exceed', index: describeTarget(e.index), target: what, classes: k, entries: n, param, vk: t.vk, rest: [...rest] }, e.index.span, [{ span: e.target.span, message: `${what} is ${formatTensorType(t)}` }]);
    }
    return tensor(vk, rest);
  }
  if (it.value !== undefined && it.shape.length === 0) {
    const v = it.value;
    if (!Number.isInteger(v)) return ctx.reject('VAE333', { kind: 'index-not-whole', found: v, entries: n }, e.index.span);
    const loop = loopVarOf(e.index);
    if (loop && (v < 0 || v >= n)) {
      const read = `${describeTarget(e.target).replace(/`/g, '')}[${formatIndex(e.index)}]`;
      return ctx.reject('VAE334', { kind: 'loop-step-out-of-range', read, step: v, variable: loop.name, at: loop.value, target: what, steps: n }, e.index.span);
    }
    if (v < 0 || v >= n) return ctx.reject('VAE334', { kind: 'index-out-of-range', index: v, target: what, entries: n }, e.index.span);
    return tensor(vk, rest);
  }
  return ctx.reject('VAE333', { kind: 'index-not-label', found: typeData(it) }, e.index.span);
}

function checkField(env: ExprEnv, e: A.FieldExpr): ExprType {
  const { ctx } = env;
  const t = checkExpr(env, e.target);
  if (t.kind === 'error') return t;
  if (t.kind === 'record') {
    const f = t.fields.get(e.field.text);
    if (f) return f;
    return ctx.reject('VAE206', { kind: 'unknown-output', net: t.net, found: e.field.text, expected: [...t.fields.keys()] }, e.field.span);
  }
  if (t.kind === 'dist') {
    // Pyro's `.to_event(1)`, torch's `.expand(...)`: shapes come from the site's declared type.
    return ctx.reject('VAE206', { kind: 'field-of-distribution', type: formatType(t), found: e.field.text }, e.field.span);
  }
  return ctx.reject('VAE206', { kind: 'field-of-value', type: formatType(t), found: e.field.text }, e.field.span);
}

function checkCall(env: ExprEnv, e: A.CallExpr): ExprType {
  const { ctx } = env;
  const callee = e.callee;
  if (callee.kind === 'field') {
    const base = callee.target.kind === 'name' ? callee.target.name : undefined;
    const fn = callee.field.text;
    if (base !== undefined && PYRO_PREFIXES.includes(base) && !env.scope?.locals.has(base) && !ctx.data.has(base)) {
      return ctx.reject('VAE210', { kind: 'qualified-name', module: base, name: fn }, callee.span);
    }
    const t = checkExpr(env, callee);
    return t.kind === 'error' ? t : ctx.reject('VAE312', { kind: 'not-callable', shown: formatType(t) }, callee.span);
  }
  if (callee.kind !== 'name') return ctx.reject('VAE312', { kind: 'callee-not-name' }, callee.span);
  const name = callee.name;
  if (ctx.broken.has(name)) {
    for (const a of e.args) checkExpr(env, a.value);
    return ERROR_TYPE;
  }
  const net = ctx.nets.get(name);
  if (net) return checkNetCall(env, e, name);
  if (META_DISTS.has(name) || isLearnableMixture(e)) return checkMetaDist(env, e, name, env.scope?.block, (x) => checkExpr(env, x));
  const spec = FAMILIES.get(name);
  if (spec) return checkDistCall(env, e, spec, (x) => checkExpr(env, x));
  const builtin = BUILTINS.get(name);
  if (builtin) {
    const args = e.args.map((a) => ({ expr: a.value, type: checkExpr(env, a.value), name: a.name?.text ?? null }));
    if (args.some((a) => a.type.kind === 'error')) return ERROR_TYPE;
    ctx.calls.set(e, { kind: 'builtin', name });
    return builtin.check(args, { call: e, reject: (code, data, span) => ctx.reject(code, data, span) });
  }
  for (const a of e.args) checkExpr(env, a.value);
  if (firstReport(ctx, `${name}(`)) return ERROR_TYPE;
  if (NET_BODIES.has(name)) return ctx.reject('VAE203', { kind: 'net-body-as-function', name }, callee.span);
  if (name === 'sample' || name === 'observe' || name === 'factor') return ctx.reject('VAE203', { kind: 'effect-call', name }, callee.span);
  const isUpper = name[0] !== undefined && name[0] === name[0].toUpperCase();
  if (isUpper) {
    const alias = DIST_ALIASES.get(name);
    return ctx.reject('VAE202', { kind: 'unknown-distribution', found: name, expected: [...FAMILIES.keys()], ...(alias !== undefined && FAMILIES.has(alias) ? { alias } : {}) }, callee.span);
  }
  return ctx.reject('VAE203', { kind: 'unknown-function', found: name, nets: [...ctx.nets.keys()], builtins: [...BUILTINS.keys()], distributions: [...FAMILIES.keys()] }, callee.span);
}

function checkNetCall(env: ExprEnv, e: A.CallExpr, name: string): ExprType {
  const { ctx } = env;
  const net = ctx.nets.get(name)!;
  const argTypes = e.args.map((a) => checkExpr(env, a.value));
  const declared = { span: net.decl.name.span, message: `\`${name}\` is declared with ${net.inputs.length} input${net.inputs.length === 1 ? '' : 's'}: ${net.inputs.map(formatTensorType).join(', ')}` };
  const named = e.args.find((a) => a.name !== null);
  if (named) {
    const shown = e.args.length === net.inputs.length ? e.args.map((a, i) => (a.value.kind === 'name' ? a.value.name : `x${i + 1}`)) : net.inputs.map((_, i) => `x${i + 1}`);
    return ctx.reject('VAE303', { kind: 'net-input-named', name, found: named.name!.text, call: shown }, named.span);
  }
  if (e.args.length !== net.inputs.length) {
    const given = argTypes.map((t) => (t.kind === 'tensor' ? (t.vk === 'Category' ? `OneHot[${t.classes ?? 1}]` : formatTensorType(t)) : '...'));
    return ctx.reject('VAE303', { kind: 'net-input-count', name, expected: net.inputs.length, found: e.args.length, given }, e.span, [declared]);
  }
  let bad = false;
  e.args.forEach((a, i) => {
    const t = valueOf(env, argTypes[i]!, a.value);
    const want = net.inputs[i]!;
    if (!t) {
      bad = true;
      return;
    }
    if (t.vk === 'Category') {
      bad = true;
      ctx.report('VAE304', { kind: 'net-input-class-index-passed', name, input: i + 1, found: typeData(t) }, { span: a.value.span }, { secondary: [declared] });
    } else if (!isSubKind(t.vk, want.vk)) {
      bad = true;
      ctx.report('VAE304', { kind: 'net-input-kind', name, input: i + 1, expected: typeData(want), found: typeData(t) }, { span: a.value.span }, { secondary: [declared] });
    } else if (!sameShape(t.shape, want.shape)) {
      bad = true;
      const other = [...ctx.nets.values()].find((n) => n.name !== name && n.inputs.length === e.args.length && n.inputs[i] !== undefined && sameShape(n.inputs[i]!.shape, t.shape));
      const recurrent = net.body.kind === 'gru' || net.body.kind === 'lstm';
      const fix: Extract<ShapeProblem, { kind: 'net-input-shape' }>['fix'] =
        recurrent && sameShape(t.shape, want.shape.slice(1))
          ? { kind: 'recurrent-step' }
          : t.shape.reduce((x, y) => x * y, 1) === want.shape.reduce((x, y) => x * y, 1)
          ? want.shape.length >= 2 && a.value.kind === 'name' && ctx.data.has(a.value.name)
            ? // An image net on data declared flat: the data's declaration is what to change.
              { kind: 'flat-data', data: a.value.name, vk: ctx.data.get(a.value.name)!.type.vk }
            : { kind: 'flatten' }
          : other
            ? { kind: 'other-net', net: other.name, takes: typeData(other.inputs[i]!) }
            : t.shape.length === 0 && a.value.kind === 'name' && env.scope?.locals.get(a.value.name)?.kind === 'site'
              ? { kind: 'scalar-site', site: a.value.name }
              : { kind: 'none' };
      ctx.report('VAE304', { kind: 'net-input-shape', name, input: i + 1, expected: typeData(want), found: [...t.shape], fix }, { span: a.value.span }, { secondary: [declared] });
    }
  });
  if (bad) return ERROR_TYPE;
  if (net.outputs.length === 1 && net.outputs[0]!.name === null) {
    ctx.calls.set(e, { kind: 'net', net: name, output: null });
    return net.outputs[0]!.type;
  }
  ctx.calls.set(e, { kind: 'net', net: name, output: null });
  return { kind: 'record', net: name, fields: new Map(net.outputs.map((o) => [o.name!, o.type])) };
}

/** The latent sites an expression depends on (through names, lets and site values). */
export function depsOf(ctx: CheckContext, scope: Scope, e: A.Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'name': {
      const local = scope.locals.get(e.name);
      if (local?.kind === 'let') for (const d of local.deps) out.add(d);
      else if (local?.kind === 'site' && local.latent) out.add(e.name);
      return out;
    }
    case 'neg':
      return depsOf(ctx, scope, e.operand, out);
    case 'binary':
      depsOf(ctx, scope, e.left, out);
      return depsOf(ctx, scope, e.right, out);
    case 'field':
      return depsOf(ctx, scope, e.target, out);
    case 'index':
      depsOf(ctx, scope, e.target, out);
      return depsOf(ctx, scope, e.index, out);
    case 'call':
      for (const a of e.args) depsOf(ctx, scope, a.value, out);
      return out;
    case 'list':
      for (const i of e.items) depsOf(ctx, scope, i, out);
      return out;
    case 'arrow':
      depsOf(ctx, scope, e.from, out);
      return depsOf(ctx, scope, e.to, out);
    default:
      return out;
  }
}
