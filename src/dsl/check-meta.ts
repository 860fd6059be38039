/**
 * Distributions assembled by the compiler rather than read from one table entry:
 *  - `Flow(base, [layers])`: a base distribution over vectors pushed through normalizing-flow
 *    layers — `planar()`, `radial()` (Rezende & Mohamed 2015), `iaf(hidden: [...], context: h)`
 *    (Kingma et al. 2016, MADE masks), `coupling(hidden: [...])` (Dinh et al. 2017). Layers are
 *    global (learnable, created per site) or amortized (`planar(u: q.u, w: q.w, b: q.b)`,
 *    `iaf(..., context: q.h)`). A prior needs densities at given values: only coupling layers.
 *  - `VampPrior(encoder, k: 500)`: the mixture of the guide's encoder at K learnable
 *    pseudo-inputs (Tomczak & Welling 2018).
 *  - `MixtureNormal(k: 10)`: a mixture of diagonal Gaussians with learnable weights, locs and
 *    scales (the explicit form `MixtureNormal(weights, locs, scales)` is an ordinary family).
 */
import { Flow, MixtureNormal } from '../distributions/schemas/composite';
import type * as A from './ast';
import { typeData } from './problems/shapes';
import type { FlowLayerDecl } from './checked';
import { valueOf, type ExprEnv, type SubCheck } from './check-context';
import { constValue } from './check-types';
import { ERROR_TYPE, formatTensorType, sameShape, type ExprType } from './types';

export const META_DISTS = new Set(['Flow', 'VampPrior']);
export const FLOW_LAYERS = ['planar', 'radial', 'iaf', 'coupling'] as const;

/** `MixtureNormal(k: 10)`: only a `k` argument means the learnable form. */
export function isLearnableMixture(e: A.CallExpr): boolean {
  return e.callee.kind === 'name' && e.callee.name === 'MixtureNormal' && e.args.length === 1 && e.args[0]!.name?.text === 'k';
}

function intArg(env: ExprEnv, a: A.Arg | undefined, prior: 'VampPrior' | 'MixtureNormal'): number | undefined {
  if (!a) return undefined;
  const v = constValue(env.ctx, a.value);
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    env.ctx.report('VAE308', { kind: 'prior-count-not-positive', prior }, { span: a.value.span });
    return undefined;
  }
  return v;
}

function hiddenArg(env: ExprEnv, a: A.Arg | undefined, layer: string): number[] | null | undefined {
  if (!a) return null;
  const items = a.value.kind === 'list' ? a.value.items : [a.value];
  const out: number[] = [];
  for (const it of items) {
    const v = constValue(env.ctx, it);
    if (v === undefined || !Number.isInteger(v) || v <= 0) {
      env.ctx.report('VAE308', { kind: 'flow-hidden-not-positive', layer }, { span: it.span });
      return undefined;
    }
    out.push(v);
  }
  return out;
}

const LAYER_ARGS: Record<(typeof FLOW_LAYERS)[number], readonly string[]> = {
  planar: ['u', 'w', 'b'],
  radial: ['z0', 'alpha', 'beta'],
  iaf: ['hidden', 'context'],
  coupling: ['hidden'],
};

function checkLayer(env: ExprEnv, item: A.Expr, block: A.BlockName, sub: SubCheck): FlowLayerDecl | undefined {
  const { ctx } = env;
  const name = item.kind === 'call' && item.callee.kind === 'name' ? item.callee.name : item.kind === 'name' ? item.name : undefined;
  if (name === undefined || !(FLOW_LAYERS as readonly string[]).includes(name)) {
    ctx.report('VAE203', { kind: 'unknown-flow-layer', found: name ?? null, expected: FLOW_LAYERS }, { span: item.span });
    return undefined;
  }
  const kind = name as FlowLayerDecl['kind'];
  const args = item.kind === 'call' ? item.args : [];
  const allowed = LAYER_ARGS[kind];
  const byName = new Map<string, A.Arg>();
  for (const a of args) {
    if (!a.name || !allowed.includes(a.name.text)) {
      ctx.report('VAE305', { kind: 'flow-layer-argument', layer: kind, found: a.name ? a.name.text : null, allowed }, { span: a.span });
      return undefined;
    }
    byName.set(a.name.text, a);
  }
  const amortized = new Map<string, A.Expr>();
  if (kind === 'planar' || kind === 'radial') {
    if (byName.size > 0 && byName.size < allowed.length) {
      ctx.report('VAE305', { kind: 'flow-layer-partly-amortized', layer: kind, allowed }, { span: item.span });
      return undefined;
    }
    for (const [k, a] of byName) {
      const t = valueOf(env, sub(a.value), a.value);
      if (!t) return undefined;
      amortized.set(k, a.value);
    }
  }
  if (kind !== 'coupling' && block === 'model') {
    ctx.report('VAE316', { kind: 'flow-layer-without-density', layer: kind }, { span: item.span });
    return undefined;
  }
  const hidden = kind === 'iaf' || kind === 'coupling' ? hiddenArg(env, byName.get('hidden'), kind) : null;
  if (hidden === undefined) return undefined;
  let context: A.Expr | null = null;
  const c = byName.get('context');
  if (c) {
    const t = valueOf(env, sub(c.value), c.value);
    if (!t) return undefined;
    if (t.shape.length !== 1 || t.vk === 'Category') {
      ctx.report('VAE304', { kind: 'iaf-context-not-vector', found: typeData(t) }, { span: c.value.span });
      return undefined;
    }
    context = c.value;
  }
  return { kind, hidden, context, amortized, call: item as A.CallExpr };
}

export function checkMetaDist(env: ExprEnv, e: A.CallExpr, name: string, block: A.BlockName | undefined, sub: SubCheck): ExprType {
  const { ctx } = env;
  if (name === 'Flow') {
    const positional = e.args.filter((a) => a.name === null);
    const baseArg = e.args.find((a) => a.name?.text === 'base') ?? positional[0];
    const layersArg = e.args.find((a) => a.name?.text === 'layers') ?? positional[baseArg === positional[0] ? 1 : 0];
    if (!baseArg || !layersArg || e.args.length !== 2) {
      return ctx.reject('VAE305', { kind: 'meta-call-arguments', call: 'Flow' }, e.span);
    }
    const base = sub(baseArg.value);
    if (base.kind === 'error') return base;
    if (base.kind !== 'dist' || baseArg.value.kind !== 'call') return ctx.reject('VAE315', { kind: 'flow-base-not-distribution', found: base.kind === 'tensor' ? typeData(base) : null }, baseArg.value.span);
    if (!base.spec.reparam || base.spec.support !== 'Real' || base.spec.shapeRule !== 'elementwise') {
      return ctx.reject('VAE304', { kind: 'flow-base-not-real', family: base.spec.name }, baseArg.value.span);
    }
    if (layersArg.value.kind !== 'list' || layersArg.value.items.length === 0) {
      return ctx.reject('VAE305', { kind: 'meta-call-arguments', call: 'Flow-layers' }, layersArg.value.span);
    }
    const layers: FlowLayerDecl[] = [];
    for (const item of layersArg.value.items) {
      const l = checkLayer(env, item, block ?? 'guide', sub);
      if (!l) return ERROR_TYPE;
      layers.push(l);
    }
    ctx.calls.set(e, { kind: 'flow', base: baseArg.value, layers });
    return { kind: 'dist', spec: Flow, shape: base.shape };
  }
  if (name === 'VampPrior') {
    const netArg = e.args.find((a) => a.name?.text === 'net') ?? e.args.find((a) => a.name === null);
    const kArg = e.args.find((a) => a.name?.text === 'k');
    const netName = netArg?.value.kind === 'name' ? netArg.value.name : undefined;
    const net = netName ? ctx.nets.get(netName) : undefined;
    if (!netArg || !kArg || e.args.length !== 2) return ctx.reject('VAE305', { kind: 'meta-call-arguments', call: 'VampPrior' }, e.span);
    if (!net) return ctx.reject('VAE203', { kind: 'not-a-net', found: netName ?? null, expected: [...ctx.nets.keys()] }, netArg.value.span);
    const loc = net.outputs.find((o) => o.name === 'loc');
    const scale = net.outputs.find((o) => o.name === 'scale');
    if (net.inputs.length !== 1 || !loc || !scale || loc.type.vk !== 'Real' || scale.type.vk !== 'Positive' || !sameShape(loc.type.shape, scale.type.shape) || loc.type.shape.length !== 1) {
      return ctx.reject('VAE304', { kind: 'vamp-net-not-gaussian', net: net.name }, netArg.value.span);
    }
    const k = intArg(env, kArg, 'VampPrior');
    if (k === undefined) return ERROR_TYPE;
    ctx.calls.set(e, { kind: 'vamp', net: net.name, k });
    return { kind: 'dist', spec: MixtureNormal, shape: loc.type.shape, classes: k };
  }
  // MixtureNormal(k: 10): learnable weights, locs and scales of the site's shape.
  const k = intArg(env, e.args[0], 'MixtureNormal');
  if (k === undefined) return ERROR_TYPE;
  ctx.calls.set(e, { kind: 'mixture', k });
  return { kind: 'dist', spec: MixtureNormal, shape: [], classes: k };
}
