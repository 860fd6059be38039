/**
 * The two passes every figure is built from, on n rows at a time (plate [1, n], seeded):
 *  - `encode`: the guide on data rows, each latent replaced by its guide mean (continuous) or
 *    most probable value (discrete) in 'mean' mode, or sampled in 'sample' mode; partly
 *    observed labels keep their observed value where there is one (condition);
 *  - `decode`: the model with the given site values fixed (a small `fixValues` handler; no
 *    condition, no replay), every other latent drawn from its prior, returning the observed
 *    image site's mean (e.g. Bernoulli probabilities) or a sample.
 * Neither disposes what it returns: call them inside `scoped` (engine/scope.ts) and read the numbers out there.
 */
import * as tf from '@tensorflow/tfjs';
import type { Program } from '../program';
import type { Distribution } from '../distributions/types';
import type { SiteInfo } from '../dsl/checked';
import { makeBatch } from '../inference/execute';
import type { CompiledSite } from '../inference/compile';
import { condition } from '../inference/handlers/condition';
import { vectorizedPlates } from '../inference/handlers/plate';
import { DimAllocator } from '../inference/dims';
import { seed } from '../inference/handlers/seed';
import { TraceHandler } from '../inference/handlers/trace';
import { sampleMessage, type Handler, type Message } from '../inference/messages';
import type { Rng } from '../core/rng';
import { Runtime } from '../inference/runtime';
import { UserError } from '../core/errors';

export type Mode = 'mean' | 'sample';

export interface PassOptions {
  readonly mode: Mode;
  readonly rng: Rng;
  /** Rows: every value and data tensor has this leading axis. */
  readonly n: number;
}


function initMessage(site: CompiledSite, dist: Distribution): Message {
  return sampleMessage(site.info, dist);
}

/** Every site named in `values` takes that value (observed or not). */
export function fixValues(values: ReadonlyMap<string, tf.Tensor>): Handler {
  return {
    process(msg) {
      const v = values.get(msg.site.name);
      if (!v) return;
      msg.value = v;
      msg.done = true;
    },
  };
}

/** 'mean' mode: a guide site takes its mean, or its most probable class, instead of a sample. */
function pointEstimates(): Handler {
  return {
    process(msg) {
      if (msg.value !== null) return;
      const d = msg.dist;
      const scores = d.params['logits'] ?? d.params['probs'];
      if (d.spec.shapeRule === 'categorical' && scores) msg.value = tf.argMax(scores, -1); // [...batch]
      else if (!d.spec.discrete && d.mean) msg.value = d.mean(); // [...batch, ...event]
      else return;
      msg.done = true;
    },
  };
}

/** A value as [n, ...event] (drops the plate's leading 1). */
export function rowsOf(value: tf.Tensor, site: SiteInfo, n: number): tf.Tensor {
  const shape = [n, ...site.shape];
  if (value.size === n * site.shape.reduce((a, b) => a * b, 1)) return value.reshape(shape); // [n, ...event]
  return tf.broadcastTo(value, [1, ...shape]).reshape(shape); // [n, ...event]
}

/** Guide values of every guide site for `n` data rows (see the module comment): site -> [n, ...event]. */
export function encode(prog: Program, data: ReadonlyMap<string, tf.Tensor>, opts: PassOptions): Map<string, tf.Tensor> {
  const batch = makeBatch(prog.checked, data); // partly observed labels: value [n] and mask [n]
  const partial = new Map([...batch.observations].filter(([, o]) => o.mask !== null));
  const trace = new TraceHandler();
  const handlers: Handler[] = [trace, condition(partial)];
  if (opts.mode === 'mean') handlers.push(pointEstimates());
  handlers.push(seed(opts.rng), ...vectorizedPlates(new DimAllocator(), 1, opts.n));
  prog.compiled.guide.run(new Runtime(handlers), { store: prog.store, data: batch.data, locals: new Map(), detach: false, ...(batch.lengths ? { lengths: batch.lengths } : {}) }, initMessage);
  const out = new Map<string, tf.Tensor>();
  for (const [name, msg] of trace.sites) out.set(name, rowsOf(msg.value!, msg.site, opts.n)); // [n, ...event]
  return out;
}

/**
 * Runs the model with `values` fixed and `data` as its data (covariates), and returns the
 * observed site `image`'s mean or sample as [n, ...event].
 */
export function decode(prog: Program, image: SiteInfo, values: ReadonlyMap<string, tf.Tensor>, data: ReadonlyMap<string, tf.Tensor>, opts: PassOptions): tf.Tensor {
  return decodeSites(prog, [image], values, data, opts)[0]!;
}

/** As `decode`, for several observed sites of one pass (e.g. the steps x[0], ..., x[T-1] of a sequence): each [n, ...event]. */
export function decodeSites(prog: Program, sites: readonly SiteInfo[], values: ReadonlyMap<string, tf.Tensor>, data: ReadonlyMap<string, tf.Tensor>, opts: PassOptions): tf.Tensor[] {
  const trace = new TraceHandler();
  const handlers: Handler[] = [trace, fixValues(values), seed(opts.rng), ...vectorizedPlates(new DimAllocator(), 1, opts.n)];
  prog.compiled.model.run(new Runtime(handlers), { store: prog.store, data, locals: new Map(), detach: false }, initMessage);
  return sites.map((image) => {
    const msg = trace.sites.get(image.name)!;
    if (opts.mode === 'sample') return rowsOf(tf.cast(msg.value!, 'float32'), image, opts.n); // [n, ...event]
    if (!msg.dist.mean) throw new UserError(`the observed site \`${image.name}\` has a ${msg.dist.spec.name} likelihood, which has no mean`, 'draw samples instead: --mode sample');
    return rowsOf(msg.dist.mean(), image, opts.n); // [n, ...event]
  });
}

/** Rows `idx` of every tensor in a map: name -> [idx.length, ...]. */
export function gatherRows(m: ReadonlyMap<string, tf.Tensor>, idx: readonly number[]): Map<string, tf.Tensor> {
  const i = tf.tensor1d(Int32Array.from(idx), 'int32'); // [m]
  return new Map([...m].map(([k, t]) => [k, tf.gather(t, i)])); // [m, ...]
}

/** A constant label column: [n] int32 filled with class k. */
export function labelColumn(n: number, k: number): tf.Tensor {
  return tf.fill([n], k, 'int32'); // [n]
}
