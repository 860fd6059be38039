/**
 * Compiling the distributions the checker assembles (dsl/check-meta.ts): Flow (a base
 * distribution through flow layers), VampPrior (the encoder at learnable pseudo-inputs) and the
 * learnable MixtureNormal(k). Their learnable parameters are created per site in the
 * ParamStore, named `<block>.<site>.<part>` (e.g. `guide.z.flow0.u`, `model.z.vamp.u`).
 */
import * as tf from '@tensorflow/tfjs';
import { MixtureNormal } from '../distributions/mixture-normal';
import type { Distribution } from '../distributions/types';
import type * as A from '../dsl/ast';
import type { CallTarget, CheckedProgram, FlowLayerDecl, SiteInfo } from '../dsl/checked';
import { numel, type ExprType } from '../dsl/types';
import { createParams, type ParamShapes } from '../flows/common';
import { FlowDist } from '../flows/flow-dist';
import * as coupling from '../flows/coupling';
import * as iaf from '../flows/iaf';
import * as planar from '../flows/planar';
import * as radial from '../flows/radial';
import { padEvent } from './align';
import type { EvalEnv, RtValue } from './eval-env';
import type { CompiledNet } from './nets';
import type { ParamStore } from './params';
import type { Rng } from '../core/rng';

type Fn = (env: EvalEnv) => RtValue;

export interface MetaSite {
  makeDist(env: EvalEnv): Distribution;
  /** Creates the site's learnable parameters. */
  init(store: ParamStore, rng: Rng): void;
}

export interface MetaCompiler {
  readonly cp: CheckedProgram;
  readonly nets: ReadonlyMap<string, CompiledNet>;
  expr(e: A.Expr): Fn;
  /** A plain distribution call compiled for a site of event rank `siteRank`. */
  dist(call: A.Expr, shape: readonly number[]): (env: EvalEnv) => Distribution;
}

function rankOf(t: ExprType | undefined): number {
  return t?.kind === 'tensor' ? t.shape.length : 0;
}

function layerShapes(l: FlowLayerDecl, d: number, contextDim: number, i: number): { shapes: ParamShapes; options: object } {
  switch (l.kind) {
    case 'planar':
      return { shapes: planar.paramShapes(d), options: {} };
    case 'radial':
      return { shapes: radial.paramShapes(d), options: {} };
    case 'iaf': {
      const options: iaf.IafOptions = { ...(l.hidden ? { hidden: l.hidden } : {}), contextDim, reverse: i % 2 === 1 };
      return { shapes: iaf.paramShapes(d, options), options };
    }
    case 'coupling': {
      const options: coupling.CouplingOptions = { ...(l.hidden ? { hidden: l.hidden } : {}), flip: i % 2 === 1 };
      return { shapes: coupling.paramShapes(d, options), options };
    }
  }
}

function buildLayer(l: FlowLayerDecl, params: Record<string, tf.Tensor>, options: object, context?: tf.Tensor) {
  switch (l.kind) {
    case 'planar':
      return planar.build(params);
    case 'radial':
      return radial.build(params);
    case 'iaf':
      return iaf.build(params, options as iaf.IafOptions, context);
    case 'coupling':
      return coupling.build(params, options as coupling.CouplingOptions, context);
  }
}

export function compileMetaSite(c: MetaCompiler, info: SiteInfo, target: Exclude<CallTarget, { kind: 'net' | 'builtin' | 'dist' }>): MetaSite {
  const prefix = `${info.block}.${info.name}`;
  const shape = info.shape;
  const d = numel(shape);
  switch (target.kind) {
    case 'flow': {
      const base = c.dist(target.base, shape);
      const layers = target.layers.map((l, i) => {
        const contextDim = l.context ? numel((c.cp.types.get(l.context) as { shape: number[] } | undefined)?.shape ?? [0]) : 0;
        const { shapes, options } = layerShapes(l, d, contextDim, i);
        const amortized = [...l.amortized].map(([name, e]) => ({ name, fn: c.expr(e), rank: rankOf(c.cp.types.get(e)) }));
        const context = l.context ? c.expr(l.context) : null;
        const names = Object.keys(shapes).filter((n) => !l.amortized.has(n));
        return { l, i, shapes, options, amortized, context, names };
      });
      return {
        init(store, rng) {
          for (const L of layers) {
            const global: ParamShapes = Object.fromEntries(L.names.map((n) => [n, L.shapes[n]!]));
            createParams(store, `${prefix}.flow${L.i}`, info.block === 'guide' ? `${info.name}.flow` : `${info.name}.prior`, global, rng.foldName(`${prefix}.flow${L.i}`));
          }
        },
        makeDist(env) {
          const q0 = base(env);
          const built = layers.map((L) => {
            const p: Record<string, tf.Tensor> = {};
            for (const n of L.names) p[n] = env.store.get(`${prefix}.flow${L.i}.${n}`);
            for (const a of L.amortized) p[a.name] = padEvent(a.fn(env) as tf.Tensor, a.rank, 1); // [...batch, d or 1]
            const ctx = L.context ? (L.context(env) as tf.Tensor) : undefined; // [...batch, c]
            return buildLayer(L.l, p, L.options, ctx);
          });
          return new FlowDist(q0, built);
        },
      };
    }
    case 'vamp': {
      const net = c.nets.get(target.net)!;
      const inShape = net.info.inputs[0]!.shape;
      const name = `${prefix}.vamp.u`;
      return {
        init(store, rng) {
          // Pseudo-inputs start as uniform noise in [0, 1] (the range of image data).
          store.create(name, `${info.name}.vamp`, () => tf.randomUniform([target.k, ...inShape], 0, 1, 'float32', rng.foldName(name).seed())); // [k, ...in]
          store.setSide(`${info.name}.vamp`, 'model');
        },
        makeDist(env) {
          const [loc, scale] = net.apply([env.store.get(name)], env.store, env.detach); // [k, d] each
          const outs = net.info.outputs;
          const locT = outs[0]!.name === 'loc' ? loc! : scale!;
          const scaleT = outs[0]!.name === 'loc' ? scale! : loc!;
          const weights = tf.fill([target.k], 1 / target.k); // [k]
          return MixtureNormal.create({ weights, locs: locT, scales: scaleT }, shape);
        },
      };
    }
    case 'mixture': {
      const k = target.k;
      const names = { logits: `${prefix}.mix.logits`, locs: `${prefix}.mix.locs`, scales: `${prefix}.mix.scales` };
      return {
        init(store, rng) {
          const group = `${info.name}.mixture`;
          store.create(names.logits, group, () => tf.zeros([k])); // [k]
          store.create(names.locs, group, () => tf.randomNormal([k, ...shape], 0, 1, 'float32', rng.foldName(names.locs).seed())); // [k, ...S]
          store.create(names.scales, group, () => tf.fill([k, ...shape], Math.log(Math.expm1(1)))); // [k, ...S] softplus^-1(1)
          store.setSide(group, info.block === 'guide' ? 'guide' : 'model');
        },
        makeDist(env) {
          const weights = tf.softmax(env.store.get(names.logits)); // [k]
          const scales = tf.softplus(env.store.get(names.scales)); // [k, ...S]
          return MixtureNormal.create({ weights, locs: env.store.get(names.locs), scales }, shape);
        },
      };
    }
  }
}
