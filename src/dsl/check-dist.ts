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
import { didYouMean } from './suggest';
import { ERROR_TYPE, formatNumber, formatShape, formatTensorType, type ExprType, type TensorType } from './types';

function constraintHint(p: ParamSchema, spec: FamilySchema): string | undefined {
  switch (p.kind) {
    case 'Positive':
      return `\`${p.name}\` must be positive: use a \`Positive\` net output, or wrap the expression in \`softplus(...)\` or \`exp(...)\``;
    case 'Unit': {
      // The logits-form sibling of this parameter in its one-of group (probs -> logits, gate -> gate_logits).
      const sibling = spec.oneOf?.find((g) => g.includes(p.name))?.find((n) => n !== p.name && n.endsWith('logits'));
      return sibling !== undefined
        ? `pass \`${sibling}:\` instead (any real values), or squash with \`sigmoid(...)\``
        : `\`${p.name}\` must lie in [0, 1]: use a \`Unit\` net output or \`sigmoid(...)\``;
    }
    case 'Simplex':
      return 'pass `logits:` instead (any real values), or normalize with `softmax(...)` or a `Simplex` net output';
    case 'LowerCholesky':
      return `\`${p.name}\` must be lower-triangular with a positive diagonal: wrap a square matrix in \`lower_cholesky(...)\`, or use \`diag(s)\` or \`eye(d)\``;
    case 'Count':
      return `\`${p.name}\` counts draws: use a whole number or a \`Count\` data site`;
    default:
      return undefined;
  }
}

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

function paramHint(key: string, names: readonly string[]): string | undefined {
  const alias = PARAM_ALIASES.get(key)?.find((n) => names.includes(n));
  return alias !== undefined ? `did you mean \`${alias}\`?` : didYouMean(key, names);
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
        ctx.accept('VAE305', `\`${spec.name}\` takes at most ${spec.params.length} argument${spec.params.length === 1 ? '' : 's'}, found ${e.args.length}`, { span: a.span }, { hint: `its parameters are: ${names.join(', ')}` });
        ok = false;
        break;
      }
      if (grouped.has(p.name)) {
        const group = spec.oneOf!.find((g) => g.includes(p.name))!;
        ctx.accept('VAE305', `this argument of \`${spec.name}\` needs a name`, { span: a.span }, { hint: `\`${spec.name}\` takes ${group.map((g) => `\`${g}:\``).join(' or ')}; write e.g. \`${spec.name}(${group[0]}: ...)\`` });
        ok = false;
        unbound = true;
        continue;
      }
      bound.set(p.name, a);
      continue;
    }
    const key = a.name.text;
    if (!names.includes(key)) {
      const dm = paramHint(key, names);
      ctx.accept('VAE305', `\`${spec.name}\` has no parameter \`${key}\``, { span: a.name.span }, { hint: dm ?? `\`${spec.name}\` takes ${names.map((n) => `\`${n}\``).join(', ')}` });
      ok = false;
      unbound = true;
      continue;
    }
    if (bound.has(key)) {
      ctx.accept('VAE305', `\`${key}\` is given twice`, { span: a.span }, { hint: `remove one of them; \`${spec.name}\` takes ${names.map((n) => `\`${n}\``).join(', ')}` });
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
      ctx.accept('VAE305', `\`${spec.name}\` needs ${g.map((n) => `\`${n}\``).join(' or ')}`, { span: e.span }, { hint: `for example \`${spec.name}(${g[0]}: ...)\`` });
      ok = false;
    } else if (given.length > 1) {
      ctx.accept('VAE305', `\`${spec.name}\` takes only one of ${g.map((n) => `\`${n}\``).join(', ')}`, { span: bound.get(given[1]!)!.span }, { hint: `remove \`${given[1]}:\`` });
      ok = false;
    }
  }
  const inGroup = new Set((spec.oneOf ?? []).flat());
  for (const p of spec.params) {
    if (!bound.has(p.name) && !inGroup.has(p.name) && p.default === undefined && p.optional !== true) {
      // With a choice of parametrizations (mean or logits, ...) the hint names every argument by keyword.
      const required = spec.params.filter((q) => !inGroup.has(q.name) && q.optional !== true).map((q) => q.name);
      const chosen = (spec.oneOf ?? []).map((g) => g.find((n) => bound.has(n)) ?? g[0]!);
      const example = spec.oneOf ? [...chosen, ...required].map((n) => `${n}: ...`).join(', ') : required.join(', ');
      ctx.accept('VAE305', `\`${spec.name}\` needs \`${p.name}\``, { span: e.span }, { hint: `write \`${spec.name}(${example})\`` });
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
          const hint = spec.eventRank > 0
            ? `\`${name}\` is one matrix per vector: [d, ${name === 'scale_tril' ? 'd' : 'r'}] for vectors of length d, e.g. \`zeros(d, 2)\` or a \`param\` Real[d, 2]`
            : `its last ${extra === 1 ? 'axis is' : `${extra} axes are`} the parameter's own; the axes before broadcast to the site shape`;
          ctx.accept('VAE301', `\`${name}\` of \`${spec.name}\` needs at least ${least} ax${least === 1 ? 'is' : 'es'}, found shape ${formatShape(full.shape)}`, { span: arg.value.span }, { hint });
          return undefined;
        }
        const type = extra > 0 ? { ...full, shape: full.shape.slice(0, full.shape.length - extra) } : declaredExtra < 0 && full.shape.length > 0 ? { ...full, shape: [...full.shape, ...new Array<number>(-declaredExtra).fill(1)] } : full;
        const b = broadcastShapes(shape, type.shape);
        if (!b) {
          const other = seen.find((s) => !broadcastShapes(s.type.shape, type.shape)) ?? seen[seen.length - 1];
          const secondary = other ? [{ span: other.arg.value.span, message: `\`${other.name}\` has shape ${formatShape(other.type.shape)}` }] : [];
          ctx.accept('VAE302', `\`${name}\` has shape ${formatShape(type.shape)}, which does not broadcast with ${formatShape(shape)}`, { span: arg.value.span }, { secondary, hint: spec.eventRank > 0 ? `the parameters of \`${spec.name}\` must fit one vector length: a matrix parameter's last axis is its own, the axes before it broadcast with the others` : 'the parameters of an elementwise distribution must broadcast to one shape: sizes are compared from the right and must be equal or 1' });
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
          ctx.accept('VAE302', `\`${name}\` of \`${spec.name}\` is ${formatTensorType(full)}, which does not fit vectors of length ${shape[shape.length - 1]}`, { span: arg.value.span }, { hint: `make it [${shape[shape.length - 1]}, ${shape[shape.length - 1]}], one row and one column per entry of the vector` });
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
        const hint = name === 'logits' ? 'use a vector with one entry per class, e.g. a net output `Real[10]` or `zeros(10)`' : 'use a vector with one entry per class, e.g. a net output `Simplex[10]` or `uniform(10)`';
        ctx.accept('VAE301', `\`${name}\` of \`${spec.name}\` must be a vector over the classes, found a scalar`, { span: arg.value.span }, { hint });
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
        ctx.accept('VAE301', `mixture weights must be a vector over the components, found shape ${formatShape(w.type.shape)}`, { span: w.arg.value.span }, { hint: 'pass one weight per component, e.g. `uniform(3)` or a net output `Simplex[3]`' });
        return undefined;
      }
      for (const p of [locs, scales]) {
        if (p.type.shape[0] !== k) {
          ctx.accept('VAE301', `expected ${k} components (the length of the weights), found shape ${formatShape(p.type.shape)}`, { span: p.arg.value.span }, { hint: `the first axis of locs and scales counts components: [${k}, ...]` });
          return undefined;
        }
      }
      const b = broadcastShapes(locs.type.shape.slice(1), scales.type.shape.slice(1));
      if (!b) {
        ctx.accept('VAE302', `locs ${formatShape(locs.type.shape)} and scales ${formatShape(scales.type.shape)} do not broadcast`, { span: scales.arg.value.span }, { secondary: [{ span: locs.arg.value.span, message: `\`locs\` has shape ${formatShape(locs.type.shape)}` }], hint: 'after the component axis, locs and scales must broadcast to one shape' });
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
      ctx.accept('VAE306', `\`${name}\` of \`${spec.name}\` must be ${p.kind}, found a class index`, { span: arg.value.span }, { hint: 'use `onehot(y)` to turn a class index into numbers' });
      ok = false;
    } else if (!satisfies(t, p.kind)) {
      const found = t.value !== undefined ? formatNumber(t.value) : formatTensorType(t);
      const literalHint = t.value === undefined ? undefined : p.kind === 'Positive' ? `\`${name}\` must be greater than 0, e.g. \`1\`` : p.kind === 'Unit' ? `\`${name}\` must lie in [0, 1], e.g. \`0.5\`` : p.kind === 'Count' ? `\`${name}\` must be a whole number >= 0, e.g. \`100\`` : undefined;
      ctx.accept('VAE306', `\`${name}\` of \`${spec.name}\` must be ${p.kind}, found ${found}`, { span: arg.value.span }, { hint: literalHint ?? constraintHint(p, spec) });
      ok = false;
    }
    typed.set(name, { arg, type: t });
  }
  if (!ok) return ERROR_TYPE;
  const s = shapeOf(env, e, spec, typed);
  if (!s) return ERROR_TYPE;
  if (s.shape.length < spec.eventRank) {
    const first = spec.params.find((p) => bound.has(p.name) && (p.extraAxes ?? 0) >= 0) ?? spec.params[0]!;
    return ctx.fail('VAE301', `\`${spec.name}\` draws vectors, but its arguments give ${s.shape.length === 0 ? 'a scalar' : `shape ${formatShape(s.shape)}`}`, e.span, `give \`${first.name}\` a last axis, one entry per component: e.g. \`0.5 * ones(10)\` for a constant, or a net output \`${first.kind}[10]\``);
  }
  const siteRank = s.shape.length;
  const args = new Map([...bound].map(([n, a]) => [n, { expr: a.value, rank: typed.get(n)!.type.shape.length, target: paramRank(spec.params.find((p) => p.name === n)!, siteRank) }]));
  ctx.calls.set(e, { kind: 'dist', spec, args });
  return { kind: 'dist', spec, shape: s.shape, ...(s.classes !== undefined ? { classes: s.classes } : {}) };
}
