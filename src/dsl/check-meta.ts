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

function intArg(env: ExprEnv, a: A.Arg | undefined, what: string, hint: string): number | undefined {
  if (!a) return undefined;
  const v = constValue(env.ctx, a.value);
  if (v === undefined || !Number.isInteger(v) || v <= 0) {
    env.ctx.accept('VAE308', `${what} must be a positive integer known at compile time`, { span: a.value.span }, { hint });
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
      env.ctx.accept('VAE308', `the hidden widths of \`${layer}\` must be positive integers known at compile time`, { span: it.span }, { hint: `for example \`${layer}(hidden: [64, 64])\`` });
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
      ctx.accept('VAE305', a.name ? `\`${kind}\` has no argument \`${a.name.text}\`` : `the arguments of \`${kind}\` are named`, { span: a.span }, { hint: allowed.length ? `its arguments are: ${allowed.map((x) => `${x}:`).join(', ')}` : `\`${kind}()\` takes no arguments` });
      return undefined;
    }
    byName.set(a.name.text, a);
  }
  const amortized = new Map<string, A.Expr>();
  if (kind === 'planar' || kind === 'radial') {
    if (byName.size > 0 && byName.size < allowed.length) {
      ctx.accept('VAE305', `an amortized \`${kind}\` layer needs all of ${allowed.map((x) => `\`${x}:\``).join(', ')}`, { span: item.span }, { hint: `or none, for a layer with learnable global parameters: \`${kind}()\`` });
      return undefined;
    }
    for (const [k, a] of byName) {
      const t = valueOf(env, sub(a.value), a.value);
      if (!t) return undefined;
      amortized.set(k, a.value);
    }
  }
  if (kind !== 'coupling' && block === 'model') {
    ctx.accept('VAE316', `a \`${kind}\` layer has no density at a given value, which a prior needs`, { span: item.span }, { hint: 'use `coupling(hidden: [...])` layers in a flow prior; planar, radial and IAF layers belong in the guide' });
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
      ctx.accept('VAE304', `the context of \`iaf\` must be a vector per example, found ${formatTensorType(t)}`, { span: c.value.span }, { hint: 'pass a net output such as `q.h` declared `h: Real[64]`' });
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
      return ctx.fail('VAE305', '`Flow` takes a base distribution and a list of layers', e.span, 'for example `Flow(Normal(q.loc, q.scale), [planar(), planar()])`');
    }
    const base = sub(baseArg.value);
    if (base.kind === 'error') return base;
    if (base.kind !== 'dist' || baseArg.value.kind !== 'call') return ctx.fail('VAE315', `the base of a Flow must be a distribution, found ${base.kind === 'tensor' ? formatTensorType(base) : 'a value'}`, baseArg.value.span, 'for example `Normal(q.loc, q.scale)`');
    if (!base.spec.reparam || base.spec.support !== 'Real' || base.spec.shapeRule !== 'elementwise') {
      return ctx.fail('VAE304', `the base of a Flow must be a reparameterized distribution over real vectors; \`${base.spec.name}\` is not`, baseArg.value.span, 'use `Normal(...)` (or Laplace, StudentT)');
    }
    if (layersArg.value.kind !== 'list' || layersArg.value.items.length === 0) {
      return ctx.fail('VAE305', 'the layers of a Flow are a non-empty list', layersArg.value.span, 'for example `[planar(), planar()]`');
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
    if (!netArg || !kArg || e.args.length !== 2) return ctx.fail('VAE305', '`VampPrior` takes the guide\'s encoder net and the number of pseudo-inputs', e.span, 'for example `VampPrior(encoder, k: 500)`');
    if (!net) return ctx.reject('VAE203', { kind: 'not-a-net', found: netName ?? null, expected: [...ctx.nets.keys()] }, netArg.value.span);
    const loc = net.outputs.find((o) => o.name === 'loc');
    const scale = net.outputs.find((o) => o.name === 'scale');
    if (net.inputs.length !== 1 || !loc || !scale || loc.type.vk !== 'Real' || scale.type.vk !== 'Positive' || !sameShape(loc.type.shape, scale.type.shape) || loc.type.shape.length !== 1) {
      return ctx.fail('VAE304', `\`${net.name}\` must take one input and output \`loc: Real[d]\` and \`scale: Positive[d]\``, netArg.value.span, 'the VampPrior is a mixture of Normal(loc, scale) at pseudo-inputs, so it needs a Gaussian encoder');
    }
    const k = intArg(env, kArg, 'the number of pseudo-inputs', 'for example `k: 500`');
    if (k === undefined) return ERROR_TYPE;
    ctx.calls.set(e, { kind: 'vamp', net: net.name, k });
    return { kind: 'dist', spec: MixtureNormal, shape: loc.type.shape, classes: k };
  }
  // MixtureNormal(k: 10): learnable weights, locs and scales of the site's shape.
  const k = intArg(env, e.args[0], 'the number of mixture components', 'for example `MixtureNormal(k: 10)`');
  if (k === undefined) return ERROR_TYPE;
  ctx.calls.set(e, { kind: 'mixture', k });
  return { kind: 'dist', spec: MixtureNormal, shape: [], classes: k };
}
