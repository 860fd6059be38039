/**
 * Compiles a checked program to TypeScript closures. Each `let` becomes a function of the
 * environment; each `~` statement builds its distribution from compiled arguments (aligned to
 * the site's event rank) and hands a SampleMsg to the runtime. Nets and params read the
 * ParamStore. A failure inside a site is reported against the site's `.vae` span (VAE902).
 */
import * as tf from '@tensorflow/tfjs';
import { implementationOf } from '../distributions/registry';
import { SamplingError } from '../distributions/sampling-error';
import type { Distribution } from '../distributions/types';
import type * as A from '../dsl/ast';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { DiagnosticError, problem } from '../dsl/diagnostics';
import type { RuntimeWhere } from '../dsl/problems/runtime';
import type { ExprType } from '../dsl/types';
import { padEvent } from './align';
import { entryAt, entryOf } from './indexing';
import { BUILTIN_IMPLS } from './builtins-impl';
import type { Message } from './messages';
import { compileNet, type CompiledNet } from './nets';
import { compileMetaSite } from './compile-meta';
import { ParamStore } from './params';
import type { Rng } from '../core/rng';
import type { Runtime } from './runtime';
import { stopGradient } from './stop-gradient';
import { applyTransform, inverseTransform } from './transforms';
import type { EvalEnv, RtValue } from './eval-env';

export type { EvalEnv, RtValue } from './eval-env';

type Fn = (env: EvalEnv) => RtValue;

export interface CompiledSite {
  readonly info: SiteInfo;
  /** Builds the site's distribution in the current environment. */
  makeDist(env: EvalEnv): Distribution;
}

export interface CompiledBlock {
  readonly sites: readonly CompiledSite[];
  /** Runs the block under a runtime; returns the final environment (site values and lets). */
  run(rt: Runtime, env: EvalEnv, init: (site: CompiledSite, dist: Distribution) => Message): EvalEnv;
}

export interface CompiledProgram {
  readonly checked: CheckedProgram;
  readonly nets: ReadonlyMap<string, CompiledNet>;
  readonly model: CompiledBlock;
  readonly guide: CompiledBlock;
  /** f of an expectation objective, evaluated in the guide's environment: [...batch] (event summed). */
  readonly objective: ((env: EvalEnv) => tf.Tensor) | null;
  /** Creates every variable of the program in `store` (seeded). */
  initParams(store: ParamStore, rng: Rng): void;
}

function rankOf(t: ExprType | undefined): number {
  return t?.kind === 'tensor' ? t.shape.length : 0;
}

/** The unconstrained variable behind a `param` and its constraining transform. */
export function paramVariableName(name: string): string {
  return `param.${name}`;
}

class Compiler {
  constructor(
    private readonly cp: CheckedProgram,
    private readonly nets: Map<string, CompiledNet>,
  ) {}

  expr(e: A.Expr): Fn {
    const cp = this.cp;
    switch (e.kind) {
      case 'number': {
        const v = e.value;
        return () => tf.scalar(v); // []
      }
      case 'name': {
        const ref = cp.refs.get(e);
        if (!ref) throw new Error(`unresolved name '${e.name}'`);
        switch (ref.kind) {
          case 'let':
          case 'site': {
            const key = ref.kind === 'let' ? ref.stmt.name.text : ref.name;
            return (env) => env.locals.get(key)!;
          }
          case 'data':
            return (env) => env.data.get(ref.name)!;
          case 'const': {
            const v = ref.value;
            return () => tf.scalar(v); // []
          }
          case 'param': {
            const info = cp.params.find((p) => p.name === ref.name)!;
            const vname = paramVariableName(ref.name);
            return (env) => {
              const raw = env.detach ? stopGradient(env.store.get(vname)) : env.store.get(vname); // [...shape]
              return applyTransform(info.transform, raw); // [...shape]
            };
          }
        }
        break;
      }
      case 'neg': {
        const f = this.expr(e.operand);
        return (env) => tf.neg(f(env) as tf.Tensor);
      }
      case 'binary': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        const rl = rankOf(cp.types.get(e.left));
        const rr = rankOf(cp.types.get(e.right));
        const rank = Math.max(rl, rr);
        const op = e.op === '+' ? tf.add : e.op === '-' ? tf.sub : e.op === '*' ? tf.mul : tf.div;
        return (env) => op(padEvent(l(env) as tf.Tensor, rl, rank), padEvent(r(env) as tf.Tensor, rr, rank)); // [...batch, ...event]
      }
      case 'field': {
        const f = this.expr(e.target);
        const name = e.field.text;
        return (env) => (f(env) as ReadonlyMap<string, tf.Tensor>).get(name)!;
      }
      case 'index': {
        const f = this.expr(e.target);
        const rank = rankOf(cp.types.get(e.target));
        const it = cp.types.get(e.index);
        if (it?.kind === 'tensor' && it.vk !== 'Category' && it.value !== undefined) {
          const i = it.value;
          return (env) => entryAt(f(env) as tf.Tensor, rank, i); // [...batch, ...rest]
        }
        const g = this.expr(e.index);
        return (env) => entryOf(f(env) as tf.Tensor, rank, g(env) as tf.Tensor); // [...batch, ...rest]
      }
      case 'call':
        return this.call(e);
      default:
        break;
    }
    throw new Error(`cannot compile a ${e.kind} expression`);
  }

  private call(e: A.CallExpr): Fn {
    const target = this.cp.calls.get(e);
    if (!target) throw new Error('unresolved call');
    const args = e.args.map((a) => ({ fn: this.expr(a.value), rank: rankOf(this.cp.types.get(a.value)), type: this.cp.types.get(a.value) }));
    if (target.kind === 'net') {
      const net = this.nets.get(target.net)!;
      const outputs = net.info.outputs;
      return (env) => {
        const lengths = net.info.upTo !== undefined ? env.lengths?.get(net.info.upTo) : undefined; // [B]: a recurrent net stops at each length
        const outs = net.apply(args.map((a) => a.fn(env) as tf.Tensor), env.store, env.detach, lengths);
        if (outputs.length === 1 && outputs[0]!.name === null) return outs[0]!;
        return new Map(outputs.map((o, i) => [o.name!, outs[i]!]));
      };
    }
    if (target.kind === 'builtin') {
      const impl = BUILTIN_IMPLS.get(target.name)!;
      const result = this.cp.types.get(e);
      const shape = result?.kind === 'tensor' ? result.shape : [];
      return (env) => impl(args.map((a) => ({ t: a.fn(env) as tf.Tensor, rank: a.rank, ...(a.type?.kind === 'tensor' && a.type.value !== undefined ? { value: a.type.value } : {}) })), shape);
    }
    throw new Error('a distribution is not a value');
  }

  /** Creators of per-site learnable parameters (flows, VampPrior, learnable mixtures). */
  readonly siteInits: ((store: ParamStore, rng: Rng) => void)[] = [];

  /** A plain distribution call (e.g. a Flow's base) for a site of the given shape. */
  distOf(call: A.Expr, shape: readonly number[]): (env: EvalEnv) => Distribution {
    const target = call.kind === 'call' ? this.cp.calls.get(call) : undefined;
    if (!target || target.kind !== 'dist') throw new Error('not a distribution call');
    const fake = { spec: target.spec, args: target.args, shape } as unknown as SiteInfo;
    return this.site(fake).makeDist;
  }

  site(info: SiteInfo): CompiledSite {
    const target = this.cp.calls.get(info.call);
    if (target && (target.kind === 'flow' || target.kind === 'vamp' || target.kind === 'mixture')) {
      const meta = compileMetaSite({ cp: this.cp, nets: this.nets, expr: (e) => this.expr(e), dist: (c, s) => this.distOf(c, s) }, info, target);
      this.siteInits.push((store, rng) => meta.init(store, rng));
      return { info, makeDist: (env) => meta.makeDist(env) };
    }
    // Ranks come from the checker (DistArg): each argument gets its parameter's event rank.
    const params = [...info.args].map(([name, a]) => ({ name, fn: this.expr(a.expr), rank: a.rank, target: a.target }));
    const impl = implementationOf(info.spec);
    return {
      info,
      makeDist(env) {
        const p: Record<string, tf.Tensor> = {};
        for (const q of params) p[q.name] = padEvent(q.fn(env) as tf.Tensor, q.rank, q.target); // [...batch, ...param event]
        return impl.create(p, info.shape);
      },
    };
  }

  block(stmts: readonly A.FlatStmt[], sites: readonly SiteInfo[]): CompiledBlock {
    const compiledSites = sites.map((s) => this.site(s));
    const bySite = new Map(compiledSites.map((s) => [s.info.stmt, s]));
    const steps = stmts.map((stmt) => {
      if (stmt.kind === 'let') {
        const f = this.expr(stmt.value);
        const name = stmt.name.text;
        return (_rt: Runtime, env: EvalEnv) => {
          try {
            env.locals.set(name, f(env));
          } catch (err) {
            throw runtimeError({ at: 'let', name }, stmt.span, err);
          }
        };
      }
      const cs = bySite.get(stmt)!;
      return (rt: Runtime, env: EvalEnv, init: (site: CompiledSite, dist: Distribution) => Message) => {
        try {
          const msg = init(cs, cs.makeDist(env));
          rt.apply(msg);
          checkValueShape(cs.info, msg);
          env.locals.set(cs.info.name, msg.value!);
        } catch (err) {
          throw siteError(cs.info, err);
        }
      };
    });
    return {
      sites: compiledSites,
      run(rt, env, init) {
        for (const step of steps) step(rt, env, init);
        return env;
      },
    };
  }
}

/** Turns a failure inside a site into a diagnostic at the site's span (no tfjs text). */
export function siteError(site: SiteInfo, err: unknown): Error {
  return runtimeError({ at: 'site', name: site.name }, site.stmt.span, err);
}

/** A failure at run time (a site's or a `let`'s), as a VAE902 diagnostic at `span` (no tfjs text). */
export function runtimeError(where: RuntimeWhere, span: A.Stmt['span'], err: unknown): Error {
  if (err instanceof DiagnosticError) return err;
  if (err instanceof SamplingError) return new DiagnosticError([problem('VAE902', { kind: 'sampling-failed', ...where, reason: err.message, hint: err.hint }, { span })]);
  const raw = err instanceof Error ? err.message : String(err);
  const shapes = [...raw.matchAll(/\[[\d, ]*\]/g)].map((m) => m[0]).slice(0, 2);
  const met = shapes.length === 2 ? ([shapes[0]!, shapes[1]!] as const) : null;
  return new DiagnosticError([problem('VAE902', { kind: 'run-time-shape-failure', ...where, shapes: met }, { span })]);
}

/**
 * A site's value must end in its declared event shape, and a fully observed one must be
 * [B, ...event]: otherwise data of the wrong shape would broadcast silently or fail later,
 * far from the site (in the objective), with tfjs's text.
 */
function checkValueShape(site: SiteInfo, msg: Message): void {
  const v = msg.value;
  if (!v) return;
  const rank = site.shape.length;
  const observed = msg.observation !== null && msg.observation.mask === null;
  const event = v.shape.slice(Math.max(0, v.rank - rank));
  const fits = v.rank >= rank && event.every((d, i) => d === site.shape[i]) && (!observed || v.rank === rank + 1);
  if (fits) return;
  throw new DiagnosticError([
    problem('VAE902', { kind: 'site-value-shape', site: site.name, found: [...v.shape], declared: [...site.shape], observed }, { span: site.stmt.span }),
  ]);
}

/** Compiles a checked program. Variables are created by `initParams`. */
export function compileProgram(cp: CheckedProgram): CompiledProgram {
  const nets = new Map<string, CompiledNet>();
  const pending: ((store: ParamStore, rng: Rng) => void)[] = [];
  for (const n of cp.nets) {
    let compiled: CompiledNet | undefined;
    const proxy: CompiledNet = {
      info: n,
      apply: (inputs, store, detach, lengths) => compiled!.apply(inputs, store, detach, lengths),
    };
    nets.set(n.name, proxy);
    pending.push((store, rng) => {
      compiled = compileNet(n, store, rng);
    });
  }
  const c = new Compiler(cp, nets);
  const model = c.block(cp.model.stmts, cp.model.sites);
  const guide = c.block(cp.guide.stmts, cp.guide.sites);
  const guideNets = netsUsedBy(cp, cp.guide.stmts);
  const guideParams = paramsUsedBy(cp, cp.guide.stmts);
  let objective: CompiledProgram['objective'] = null;
  if (cp.objectiveExpr) {
    const f = c.expr(cp.objectiveExpr);
    const rank = rankOf(cp.types.get(cp.objectiveExpr));
    objective = (env) => {
      const v = f(env) as tf.Tensor; // [...batch, ...event]
      return rank === 0 ? v : tf.sum(v, Array.from({ length: rank }, (_, i) => v.rank - rank + i)); // [...batch]
    };
  }
  return {
    checked: cp,
    nets,
    model,
    guide,
    objective,
    initParams(store, rng) {
      for (const p of pending) p(store, rng);
      for (const init of c.siteInits) init(store, rng.foldName('sites'));
      for (const n of cp.nets) store.setSide(n.name, guideNets.has(n.name) ? 'guide' : 'model');
      for (const p of cp.params) {
        const init = inverseTransform(p.transform, p.init);
        const draw = p.draw;
        const seed = rng.foldName(`param.${p.name}`).seed();
        store.create(paramVariableName(p.name), p.name, () => {
          if (!draw) return tf.fill([...p.type.shape], init); // [...shape]
          const v = draw.family === 'Normal' ? tf.randomNormal([...p.type.shape], draw.a, draw.b, 'float32', seed) : tf.randomUniform([...p.type.shape], draw.a, draw.b, 'float32', seed); // [...shape]
          // The variable is unconstrained: start at the inverse of the transform (softplus⁻¹, logit) of the draw.
          return p.transform === 'softplus' ? tf.log(tf.expm1(v)) : p.transform === 'sigmoid' ? tf.log(tf.div(v, tf.sub(1, v))) : v; // [...shape]
        });
        store.setSide(p.name, guideParams.has(p.name) ? 'guide' : 'model');
      }
    },
  };
}

function paramsUsedBy(cp: CheckedProgram, stmts: readonly A.FlatStmt[]): Set<string> {
  const out = new Set<string>();
  for (const [node, ref] of cp.refs) {
    if (ref.kind !== 'param') continue;
    if (stmts.some((s) => contains(s, node.span.start) && s.span.file === node.span.file)) out.add(ref.name);
  }
  return out;
}

function contains(s: A.FlatStmt, offset: number): boolean {
  return s.span.start <= offset && offset < s.span.end;
}

function netsUsedBy(cp: CheckedProgram, stmts: readonly A.FlatStmt[]): Set<string> {
  const out = new Set<string>();
  const walk = (e: A.Expr): void => {
    if (e.kind === 'call') {
      const t = cp.calls.get(e);
      if (t?.kind === 'net') out.add(t.net);
      e.args.forEach((a) => walk(a.value));
    } else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'neg') walk(e.operand);
    else if (e.kind === 'field') walk(e.target);
    else if (e.kind === 'index') {
      walk(e.target);
      walk(e.index);
    }
  };
  for (const s of stmts) walk(s.kind === 'let' ? s.value : s.dist);
  return out;
}
