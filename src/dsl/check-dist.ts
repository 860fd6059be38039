/**
 * Distribution calls: arguments bound to the parameters of the family's table entry
 * (positional in order, or by keyword), each checked against its constraint, and the site
 * shape derived from the family's shape rule. Reads only the FamilySchema table.
 */
import { isSubKind, numberSatisfies, type ValueKind } from '../distributions/constraints';
import { paramRank, type FamilySchema, type ParamSchema } from '../distributions/schema';
import type * as A from './ast';
import { valueOf, type ExprEnv, type SubCheck } from './check-context';
import { broadcast as broadcastShapes } from '../core/shapes';
import { suggest } from './suggest';
import { typeData } from './problems/shapes';
import { ERROR_TYPE, formatNumber, formatShape, formatTensorType, type ExprType, type TensorType } from './types';

function satisfies(t: TensorType, kind: ValueKind): boolean {
  if (isSubKind(t.vk, kind)) return true;
  return t.value !== undefined && numberSatisfies(kind, t.value);
}

/** Parameter names from torch, NumPy and textbooks, mapped to this language's names. */
const PARAM_ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['mu', ['loc']],
  ['mean', ['loc']],
  ['location', ['loc']],
  ['sigma', ['scale']],
  ['std', ['scale']],
  ['sd', ['scale']],
  ['stddev', ['scale']],
  ['p', ['probs']],
  ['prob', ['probs']],
  ['logit', ['logits']],
  ['alpha', ['concentration1', 'concentration', 'weights']],
  ['beta', ['concentration0', 'rate']],
  ['lambda', ['rate']],
  ['nu', ['df']],
  ['a', ['low']],
  ['b', ['high']],
]);

/** The parameter a misspelt or foreign name probably means. */
function paramSuggestion(key: string, names: readonly string[]): string | undefined {
  return PARAM_ALIASES.get(key)?.find((n) => names.includes(n)) ?? suggest(key, names);
}

/** The logits-form sibling of a parameter in its one-of group (probs -> logits, gate -> gate_logits). */
function logitsSibling(p: ParamSchema, spec: FamilySchema): string | undefined {
  return spec.oneOf?.find((g) => g.includes(p.name))?.find((n) => n !== p.name && n.endsWith('logits'));
}

function bindArgs(env: ExprEnv, e: A.CallExpr, spec: FamilySchema): Map<string, A.Arg> | undefined {
  const { ctx } = env;
  const bound = new Map<string, A.Arg>();
  const grouped = new Set((spec.oneOf ?? []).filter((g) => g.length > 1).flat());
  const names = spec.params.map((p) => p.name);
  let ok = true;
  // An argument that could not be bound (unknown name, needs a name) was probably meant for a
  // missing parameter: then "needs `scale`" would repeat the same mistake, so it is not reported.
  let unbound = false;
  let position = 0;
  for (const a of e.args) {
    if (a.name === null) {
      const p = spec.params[position++];
      if (!p) {
        ctx.report('VAE305', { kind: 'too-many-arguments', family: spec.name, max: spec.params.length, found: e.args.length, params: names }, { span: a.span });
        ok = false;
        break;
      }
      if (grouped.has(p.name)) {
        const group = spec.oneOf!.find((g) => g.includes(p.name))!;
        ctx.report('VAE305', { kind: 'argument-needs-name', family: spec.name, group }, { span: a.span });
        ok = false;
        unbound = true;
        continue;
      }
      bound.set(p.name, a);
      continue;
    }
    const key = a.name.text;
    if (!names.includes(key)) {
      const suggestion = paramSuggestion(key, names);
      ctx.report('VAE305', { kind: 'unknown-parameter', family: spec.name, found: key, params: names, ...(suggestion !== undefined ? { suggestion } : {}) }, { span: a.name.span });
      ok = false;
      unbound = true;
      continue;
    }
    if (bound.has(key)) {
      ctx.report('VAE305', { kind: 'parameter-given-twice', family: spec.name, param: key, params: names }, { span: a.span });
      ok = false;
      unbound = true;
      continue;
    }
    bound.set(key, a);
  }
  if (unbound) return undefined;
  for (const g of spec.oneOf ?? []) {
    const given = g.filter((n) => bound.has(n));
    if (given.length === 0) {
      ctx.report('VAE305', { kind: 'parameter-choice-missing', family: spec.name, group: g }, { span: e.span });
      ok = false;
    } else if (given.length > 1) {
      ctx.report('VAE305', { kind: 'parameter-choice-twice', family: spec.name, group: g, extra: given[1]! }, { span: bound.get(given[1]!)!.span });
      ok = false;
    }
  }
  const inGroup = new Set((spec.oneOf ?? []).flat());
  for (const p of spec.params) {
    if (!bound.has(p.name) && !inGroup.has(p.name) && p.default === undefined && p.optional !== true) {
      // With a choice of parametrizations (mean or logits, ...) the hint names every argument by keyword.
      const required = spec.params.filter((q) => !inGroup.has(q.name) && q.optional !== true).map((q) => q.name);
      const chosen = (spec.oneOf ?? []).map((g) => g.find((n) => bound.has(n)) ?? g[0]!);
      const example = spec.oneOf ? [...chosen, ...required] : required;
      ctx.report('VAE305', { kind: 'missing-parameter', family: spec.name, param: p.name, example, keywords: spec.oneOf !== undefined }, { span: e.span });
      ok = false;
    }
  }
  return ok ? bound : undefined;
}

/** The site shape and class count implied by the arguments under the family's shape rule. */
function shapeOf(env: ExprEnv, e: A.CallExpr, spec: FamilySchema, args: Map<string, { arg: A.Arg; type: TensorType }>): { shape: number[]; classes?: number } | undefined {
  const { ctx } = env;
  const entries = [...args.entries()];
  const classParam = entries.find(([n]) => n === 'logits' || n === 'probs' || n === 'weights');
  switch (spec.shapeRule) {
    case 'elementwise': {
      let shape: number[] = [];
      const seen: { name: string; arg: A.Arg; type: TensorType }[] = [];
      for (const [name, { arg, type: full }] of entries) {
        // A parameter with its own trailing axes (a covariance factor [..., d, r]) broadcasts without them;
        // one per joint draw (extraAxes -1: Multinomial's total_count [...]) broadcasts with a trailing 1 added.
        const declaredExtra = spec.params.find((p) => p.name === name)?.extraAxes ?? 0;
        const extra = Math.max(0, declaredExtra);
        // A matrix parameter of a vector family ([..., d, r]) also needs the vector axis d.
        const least = extra > 0 ? extra + spec.eventRank : 0;
        if (full.shape.length < least) {
          ctx.report('VAE301', { kind: 'parameter-too-few-axes', family: spec.name, param: name, least, found: [...full.shape], own: extra, vectorFamily: spec.eventRank > 0 }, { span: arg.value.span });
          return undefined;
        }
        const type = extra > 0 ? { ...full, shape: full.shape.slice(0, full.shape.length - extra) } : declaredExtra < 0 && full.shape.length > 0 ? { ...full, shape: [...full.shape, ...new Array<number>(-declaredExtra).fill(1)] } : full;
        const b = broadcastShapes(shape, type.shape);
        if (!b) {
          const other = seen.find((s) => !broadcastShapes(s.type.shape, type.shape)) ?? seen[seen.length - 1];
          const secondary = other ? [{ span: other.arg.value.span, message: `\`${other.name}\` has shape ${formatShape(other.type.shape)}` }] : [];
          ctx.report('VAE302', { kind: 'parameters-do-not-broadcast', family: spec.name, param: name, found: [...type.shape], with: [...shape], vectorFamily: spec.eventRank > 0 }, { span: arg.value.span }, { secondary });
          return undefined;
        }
        shape = b;
        seen.push({ name, arg, type });
      }
      // A Cholesky factor [..., d, d] is square by construction (lower_cholesky, diag, eye); its
      // columns must also match the site's vector length.
      for (const { name, arg } of seen) {
        const full = args.get(name)!.type;
        if (full.vk === 'LowerCholesky' && shape.length > 0 && full.shape[full.shape.length - 1] !== shape[shape.length - 1]) {
          ctx.report('VAE302', { kind: 'cholesky-does-not-fit', family: spec.name, param: name, found: typeData(full), length: shape[shape.length - 1]! }, { span: arg.value.span });
          return undefined;
        }
      }
      return { shape };
    }
    case 'categorical':
    case 'onehot': {
      if (!classParam) return undefined;
      const [name, { arg, type }] = classParam;
      if (type.shape.length === 0) {
        ctx.report('VAE301', { kind: 'class-parameter-scalar', family: spec.name, param: name }, { span: arg.value.span });
        return undefined;
      }
      const k = type.shape[type.shape.length - 1]!;
      return spec.shapeRule === 'categorical' ? { shape: type.shape.slice(0, -1), classes: k } : { shape: [...type.shape], classes: k };
    }
    case 'mixture': {
      const w = args.get('weights') ?? args.get('logits');
      const locs = args.get('locs');
      const scales = args.get('scales');
      if (!w || !locs || !scales) return undefined;
      const k = w.type.shape[0];
      if (w.type.shape.length !== 1 || k === undefined) {
        ctx.report('VAE301', { kind: 'mixture-weights-not-vector', found: [...w.type.shape] }, { span: w.arg.value.span });
        return undefined;
      }
      for (const p of [locs, scales]) {
        if (p.type.shape[0] !== k) {
          ctx.report('VAE301', { kind: 'mixture-components-mismatch', expected: k, found: [...p.type.shape] }, { span: p.arg.value.span });
          return undefined;
        }
      }
      const b = broadcastShapes(locs.type.shape.slice(1), scales.type.shape.slice(1));
      if (!b) {
        ctx.report('VAE302', { kind: 'mixture-do-not-broadcast', locs: [...locs.type.shape], scales: [...scales.type.shape] }, { span: scales.arg.value.span }, { secondary: [{ span: locs.arg.value.span, message: `\`locs\` has shape ${formatShape(locs.type.shape)}` }] });
        return undefined;
      }
      return { shape: b, classes: k };
    }
  }
}

export function checkDistCall(env: ExprEnv, e: A.CallExpr, spec: FamilySchema, sub: SubCheck): ExprType {
  const { ctx } = env;
  const types = new Map<A.Arg, ExprType>(e.args.map((a) => [a, sub(a.value)]));
  const bound = bindArgs(env, e, spec);
  if (!bound || [...types.values()].some((t) => t.kind === 'error')) return ERROR_TYPE;
  const typed = new Map<string, { arg: A.Arg; type: TensorType }>();
  let ok = true;
  for (const [name, arg] of bound) {
    const p = spec.params.find((q) => q.name === name)!;
    const t = valueOf(env, types.get(arg)!, arg.value);
    if (!t) {
      ok = false;
      continue;
    }
    if (t.vk === 'Category') {
      ctx.report('VAE306', { kind: 'parameter-is-class-index', family: spec.name, param: name, constraint: p.kind }, { span: arg.value.span });
      ok = false;
    } else if (!satisfies(t, p.kind)) {
      const alternative = logitsSibling(p, spec);
      ctx.report('VAE306', { kind: 'parameter-outside-constraint', family: spec.name, param: name, constraint: p.kind, found: typeData(t), ...(t.value !== undefined ? { value: t.value } : {}), ...(alternative !== undefined ? { alternative } : {}) }, { span: arg.value.span });
      ok = false;
    }
    typed.set(name, { arg, type: t });
  }
  if (!ok) return ERROR_TYPE;
  const s = shapeOf(env, e, spec, typed);
  if (!s) return ERROR_TYPE;
  if (s.shape.length < spec.eventRank) {
    const first = spec.params.find((p) => bound.has(p.name) && (p.extraAxes ?? 0) >= 0) ?? spec.params[0]!;
    return ctx.reject('VAE301', { kind: 'vector-family-scalar-arguments', family: spec.name, found: [...s.shape], param: first.name, constraint: first.kind }, e.span);
  }
  const siteRank = s.shape.length;
  const args = new Map([...bound].map(([n, a]) => [n, { expr: a.value, rank: typed.get(n)!.type.shape.length, target: paramRank(spec.params.find((p) => p.name === n)!, siteRank) }]));
  ctx.calls.set(e, { kind: 'dist', spec, args });
  return { kind: 'dist', spec, shape: s.shape, ...(s.classes !== undefined ? { classes: s.classes } : {}) };
}
