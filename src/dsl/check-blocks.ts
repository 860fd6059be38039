/**
 * The `model` and `guide` blocks: `let` bindings and sites, checked in order with a scope.
 * Each site's type comes from its declaration (or its data declaration) and its distribution;
 * the support of the distribution must fit the type (VAE307) and the shapes must agree (VAE301).
 */
import { isSubKind } from '../distributions/constraints';
import { ESTIMATOR_NAMES, estimatorForAlias } from '../inference/estimators/index';
import type * as A from './ast';
import type { CheckContext, ExprEnv, LocalBinding, Scope } from './check-context';
import { checkExpr, depsOf } from './check-expr';
import { resolveType } from './check-types';
import type { DataInfo, Observed, SiteInfo } from './checked';
import type { Unrolled } from './unroll';
import { broadcastsTo } from '../core/shapes';
import { typeData } from './problems/shapes';
import type { Span } from './source';
import { formatShape, formatTensorType, sameShape, tensor, type DistType, type TensorType } from './types';

/** The estimator annotations: the names of the estimator registry (src/inference/estimators/). */
export const ESTIMATOR_ANNOTATIONS: readonly string[] = ESTIMATOR_NAMES;

function siteType(ctx: CheckContext, stmt: A.SiteStmt, dist: DistType, declared: { type: TensorType; span: Span } | undefined, observed: boolean): TensorType | undefined {
  const spec = dist.spec;
  const name = stmt.name.text;
  if (!declared) {
    return tensor(spec.support, dist.shape, dist.classes !== undefined ? { classes: dist.classes } : {});
  }
  const d = declared.type;
  const note = { span: declared.span, message: `\`${name}\` is declared ${formatTensorType(d)} here` };
  const fits = observed ? isSubKind(d.vk, spec.support) : isSubKind(spec.support, d.vk);
  if (!fits) {
    ctx.report('VAE307', { kind: 'support-mismatch', site: name, family: spec.name, support: spec.support, declared: typeData(d), observed }, { span: stmt.dist.span }, { secondary: [note] });
    return undefined;
  }
  if (spec.support === 'Category') {
    if (dist.shape.length > 0) {
      ctx.report('VAE301', { kind: 'labels-not-one', site: name, family: spec.name, found: [...dist.shape] }, { span: stmt.dist.span }, { secondary: [note] });
      return undefined;
    }
    if (dist.classes !== d.classes) {
      ctx.report('VAE314', { kind: 'class-count-mismatch', site: name, family: spec.name, expected: d.classes!, found: dist.classes!, where: 'declared-with' }, { span: stmt.dist.span }, { secondary: [note] });
      return undefined;
    }
    return d;
  }
  const declaredClasses = d.shape[d.shape.length - 1];
  if (spec.shapeRule === 'onehot' && dist.classes !== undefined && declaredClasses !== undefined && declaredClasses !== dist.classes) {
    ctx.report('VAE314', { kind: 'class-count-mismatch', site: name, family: spec.name, expected: declaredClasses, found: dist.classes, where: 'declared-axis' }, { span: stmt.dist.span }, { secondary: [note] });
    return undefined;
  }
  if (!broadcastsTo(dist.shape, d.shape)) {
    // Data declared flat that a net gives as an image: the data declaration should take the image shape.
    const image = dist.shape.length >= 2 && observed && ctx.data.has(name) && dist.shape.reduce((x, y) => x * y, 1) === d.shape.reduce((x, y) => x * y, 1) ? (dist.shape.length === 3 && dist.shape[0] === 1 ? dist.shape.slice(1) : [...dist.shape]) : undefined;
    ctx.report('VAE301', { kind: 'shape-mismatch', site: name, family: spec.name, expected: [...d.shape], found: [...dist.shape], declared: typeData(d), ...(image ? { image } : {}) }, { span: stmt.dist.span, message: `this has shape ${formatShape(dist.shape)}` }, { secondary: [note] });
    return undefined;
  }
  if ((spec.shapeRule === 'onehot') && dist.classes !== undefined && d.shape[d.shape.length - 1] !== dist.classes) {
    ctx.report('VAE314', { kind: 'class-count-mismatch', site: name, family: spec.name, expected: d.shape[d.shape.length - 1]!, found: dist.classes, where: 'axis' }, { span: stmt.dist.span }, { secondary: [note] });
    return undefined;
  }
  return d;
}

function collectNames(ctx: CheckContext, stmts: readonly A.FlatStmt[]): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const s of stmts) {
    const prev = out.get(s.name.text);
    if (prev) {
      ctx.report('VAE207', { kind: 'defined-twice-in-block', name: s.name.text }, { span: s.name.span }, { secondary: [{ span: prev, message: 'first defined here' }] });
      continue;
    }
    out.set(s.name.text, s.name.span);
  }
  return out;
}

function checkAnnotations(ctx: CheckContext, block: A.BlockName, stmt: A.SiteStmt): void {
  let estimator: A.Annotation | undefined;
  for (const a of stmt.annotations) {
    const n = a.name.text;
    if (!ESTIMATOR_ANNOTATIONS.includes(n)) {
      const dm = estimatorForAlias(n) ?? ESTIMATOR_ANNOTATIONS.find((k) => k.startsWith(n.slice(0, 3)));
      ctx.report('VAE209', { kind: 'unknown-annotation', found: n, expected: ESTIMATOR_ANNOTATIONS, ...(dm ? { suggestion: dm } : {}) }, { span: a.span });
      continue;
    }
    if (block === 'model') {
      ctx.report('VAE506', { kind: 'estimator-on-model-site', estimator: n }, { span: a.span });
      continue;
    }
    if (estimator) {
      ctx.report('VAE507', { kind: 'two-estimator-annotations', site: stmt.name.text }, { span: a.span }, { secondary: [{ span: estimator.span, message: 'the first one' }] });
      continue;
    }
    estimator = a;
  }
}

/** Names already reported as clashing with a global (once for the model and the guide together). */
const clashes = new WeakMap<CheckContext, Set<string>>();

function reportedClash(ctx: CheckContext, name: string): boolean {
  const seen = clashes.get(ctx) ?? new Set<string>();
  clashes.set(ctx, seen);
  if (seen.has(name)) return true;
  seen.add(name);
  return false;
}

export interface BlockResult {
  readonly sites: SiteInfo[];
  /** The block's scope after its last statement (an expectation objective is typed in the guide's). */
  readonly scope: Scope;
}

/**
 * The data a stepped site observes (`x[t] ~ ...` with `data x: Real[T, D]`): its type is one
 * step of the data's, and the step must lie on the data's time axis.
 */
function stepOfData(ctx: CheckContext, stmt: A.SiteStmt, data: DataInfo): TensorType | undefined {
  const step = stmt.step!;
  const t = data.type;
  if (t.shape.length === 0 || t.vk === 'Category') {
    ctx.report('VAE333', { kind: 'data-without-time-axis', data: step.base, found: typeData(t) }, { span: step.indexSpan }, { secondary: [{ span: data.decl.type.span, message: 'the data declaration' }] });
    return undefined;
  }
  const n = t.shape[0]!;
  if (step.index >= n) {
    ctx.report('VAE334', { kind: 'observed-step-out-of-range', site: stmt.name.text, step: step.index, data: step.base, steps: n }, { span: step.indexSpan }, {
      secondary: [{ span: data.decl.type.span, message: `${formatTensorType(t)}: ${n} steps` }],
    });
    return undefined;
  }
  return tensor(t.vk, t.shape.slice(1));
}

export function checkBlock(ctx: CheckContext, decl: A.BlockDecl, flat: Unrolled, modelLatents: ReadonlySet<string>, firstId: number): BlockResult {
  const block = decl.block;
  const later = collectNames(ctx, flat.stmts);
  const scope: Scope = { block, locals: new Map<string, LocalBinding>(), later, sequences: flat.sequences };
  const env: ExprEnv = { ctx, scope, modelLatents };
  const sites: SiteInfo[] = [];
  const defined = new Set<string>();
  for (const stmt of flat.stmts) {
    const name = stmt.name.text;
    if (defined.has(name)) continue;
    defined.add(name);
    const clash = ctx.consts.get(name)?.decl.name.span ?? ctx.params.get(name)?.decl.name.span ?? ctx.nets.get(name)?.decl.name.span ?? (stmt.kind === 'let' ? ctx.data.get(name)?.decl.name.span : undefined);
    if (clash && !reportedClash(ctx, name)) {
      ctx.report('VAE207', { kind: 'already-declared', name }, { span: stmt.name.span }, { secondary: [{ span: clash, message: 'declared here' }] });
    }
    if (stmt.kind === 'let') {
      const t = checkExpr(env, stmt.value);
      if (t.kind === 'dist') ctx.report('VAE311', { kind: 'let-binds-distribution', name, family: t.spec.name }, { span: stmt.value.span });
      scope.locals.set(name, { kind: 'let', stmt, type: t, deps: depsOf(ctx, scope, stmt.value) });
      continue;
    }
    checkAnnotations(ctx, block, stmt);
    const data = ctx.data.get(stmt.step ? stmt.step.base : name);
    const dataType = data && stmt.step ? stepOfData(ctx, stmt, data) : data?.type;
    if (data && !dataType) {
      ctx.broken.add(name);
      continue;
    }
    if (data && stmt.step && data.partial) {
      ctx.report('VAE333', { kind: 'partial-data-stepped', data: stmt.step.base }, { span: stmt.step.indexSpan });
      ctx.broken.add(name);
      continue;
    }
    if (data && block === 'guide' && !data.partial) {
      ctx.report('VAE403', { kind: 'guide-samples-data', site: name }, { span: stmt.name.span }, { secondary: [{ span: data.decl.name.span, message: 'declared as data here' }] });
    }
    const t = checkExpr(env, stmt.dist);
    let declared: { type: TensorType; span: Span } | undefined;
    if (stmt.type) {
      const r = resolveType(ctx, stmt.type);
      if (!r) {
        // The declared type is already reported: uses of this site and its guide/model
        // agreement are not checked, so the bad type does not cascade.
        ctx.broken.add(name);
        continue;
      }
      declared = { type: r, span: stmt.type.span };
      if (data && dataType && !(sameShape(r.shape, dataType.shape) && r.vk === dataType.vk && r.classes === dataType.classes)) {
        ctx.report('VAE301', { kind: 'site-type-differs-from-data', site: name, declared: typeData(r), data: typeData(dataType), step: stmt.step !== undefined }, { span: stmt.type.span }, { secondary: [{ span: data.decl.type.span, message: 'the data declaration' }] });
      }
    } else if (data && dataType) {
      declared = { type: dataType, span: data.decl.type.span };
    }
    // A site named like a data declaration that failed to check is taken as observed, so the
    // failed declaration does not also produce "latent site without a guide site" errors.
    const brokenData = !data && block === 'model' && ctx.broken.has(name);
    const observed: Observed = data && block === 'model' ? (data.partial ? 'partial' : 'yes') : brokenData ? 'yes' : 'no';
    const latent = observed !== 'yes';
    if (t.kind === 'error') {
      scope.locals.set(name, { kind: 'site', name, span: stmt.name.span, type: declared?.type ?? tensor('Real', []), latent });
      continue;
    }
    if (t.kind !== 'dist') {
      ctx.report('VAE315', { kind: 'site-not-distribution', site: name, found: t.kind === 'tensor' ? typeData(t) : null, ...(data && block === 'model' ? { data: data.type.vk } : {}) }, { span: stmt.dist.span });
      continue;
    }
    const vt = siteType(ctx, stmt, t, declared, observed === 'yes' || (observed === 'partial'));
    const siteValueType = vt ?? declared?.type ?? tensor(t.spec.support, t.shape, t.classes !== undefined ? { classes: t.classes } : {});
    scope.locals.set(name, { kind: 'site', name, span: stmt.name.span, type: siteValueType, latent });
    if (!vt) continue;
    const target = ctx.calls.get(stmt.dist as A.CallExpr);
    if (!target || (target.kind !== 'dist' && target.kind !== 'flow' && target.kind !== 'vamp' && target.kind !== 'mixture')) continue;
    sites.push({
      id: firstId + sites.length,
      name,
      ...(stmt.step ? { step: { base: stmt.step.base, index: stmt.step.index, ...(stmt.step.upTo !== undefined ? { upTo: stmt.step.upTo } : {}) } } : {}),
      block,
      stmt,
      call: stmt.dist as A.CallExpr,
      spec: t.spec,
      args: target.kind === 'dist' ? target.args : new Map(),
      shape: vt.shape,
      type: vt,
      observed,
      deps: depsOf(ctx, scope, stmt.dist),
    });
  }
  return { sites, scope };
}
