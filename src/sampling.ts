/**
 * Drawing from a trained program from code (browser-safe): `sample` draws from the model alone
 * (latents from the prior), `encode` runs the guide on data, `decode` runs the model with given
 * latent values; each returns plain arrays. The same passes as `vae sample` (src/sample/decode.ts).
 *
 * @example
 *   const s = sample(prog, 16, { seed: 1 });   // { site: 'x', shape: [16, 784], values: Float32Array }
 *   const z = encode(prog, { x: images });     // { z: { shape: [n, 50], values } }
 *   const x = decode(prog, { z: z.z });        // the observed site's mean given z
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from './core/errors';
import { Rng } from './core/rng';
import type { NdArray } from './data/ndarray';
import type { SiteInfo } from './dsl/checked';
import { numel } from './dsl/types';
import { scoped } from './engine/scope';
import type { Program } from './program';
import { decode as decodePass, encode as encodePass, type Mode } from './sample/decode';
import { covariateNames } from './sample/sites';

/** Values of one site: [n, ...event] row-major. */
export interface SiteValues {
  readonly shape: number[];
  readonly values: Float32Array;
}

export interface DrawOptions {
  /** 'mean' (default): the likelihood's mean (guide means in encode); 'sample': draws. */
  readonly mode?: Mode;
  readonly seed?: number;
  /** The observed site to return (default: the largest observed site that is not a label). */
  readonly site?: string;
}

type Input = NdArray | SiteValues | readonly (number | readonly number[])[];

function observedSite(prog: Program, name?: string): SiteInfo {
  const observed = prog.checked.model.sites.filter((s) => s.observed === 'yes');
  if (name !== undefined) {
    const s = observed.find((o) => o.name === name);
    if (!s) throw new UserError(`the model has no observed site \`${name}\``, `its observed sites are: ${observed.map((o) => o.name).join(', ') || 'none'}`);
    return s;
  }
  const pool = observed.filter((s) => s.type.vk !== 'Category');
  if (pool.length === 0) throw new UserError('the model has no observed data site to draw', 'declare `data x` and observe it in the model, e.g. `x ~ Bernoulli(logits: decoder(z))`');
  return pool.reduce((a, b) => (numel(b.shape) > numel(a.shape) ? b : a));
}

/** A [n, ...shape] float32 (or int32 for labels) tensor from rows or an array. */
function toTensor(name: string, v: Input, shape: readonly number[], dtype: 'float32' | 'int32'): tf.Tensor {
  if (Array.isArray(v)) {
    const flat = (v as readonly (number | readonly number[])[]).flat() as number[];
    return tf.tensor(flat, [v.length, ...shape], dtype); // [n, ...shape]
  }
  const a = v as NdArray | SiteValues;
  const data = 'data' in a ? a.data : a.values;
  const n = a.shape[0] ?? 0;
  if (data.length !== n * numel(shape)) throw new UserError(`${name}: ${data.length} values do not make ${n} rows of shape [${shape.join(', ')}]`, 'give one row per example with the declared shape');
  return tf.tensor(Array.from(data), [n, ...shape], dtype); // [n, ...shape]
}

function rowCount(v: Input): number {
  return Array.isArray(v) ? v.length : ((v as NdArray).shape[0] ?? 0);
}

function dataTensors(prog: Program, data: Readonly<Record<string, Input>>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [k, v] of Object.entries(data)) {
    const d = prog.checked.data.find((x) => x.name === k);
    if (!d) throw new UserError(`the program declares no data \`${k}\``, `its data are: ${prog.checked.data.map((x) => x.name).join(', ')}`);
    out.set(k, toTensor(k, v, d.type.shape, d.type.vk === 'Category' ? 'int32' : 'float32')); // [n, ...shape]
  }
  return out;
}

const values = (t: tf.Tensor): SiteValues => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as Float32Array) });

/**
 * n draws from the model alone: latents from the prior, the observed site as its mean (or a
 * sample). A model that reads covariates (data without a site) takes them in `data`.
 */
export function sample(prog: Program, n: number, opts: DrawOptions & { data?: Readonly<Record<string, Input>> } = {}): SiteValues & { site: string } {
  const site = observedSite(prog, opts.site);
  const missing = covariateNames(prog.checked).filter((c) => !(opts.data && c in opts.data));
  if (missing.length > 0) throw new UserError(`the model reads ${missing.map((m) => `\`${m}\``).join(', ')} without a site; give ${n} rows of it in \`data\``, 'covariates are inputs the model conditions on');
  return scoped(() => {
    const data = dataTensors(prog, opts.data ?? {});
    const x = decodePass(prog, site, new Map(), data, { mode: opts.mode ?? 'mean', rng: Rng.fromSeed(opts.seed ?? 0).foldName('sample'), n }); // [n, ...event]
    return { site: site.name, ...values(x) };
  });
}

/** The guide's latent values for each row of `data` (means by default; 'sample' draws). */
export function encode(prog: Program, data: Readonly<Record<string, Input>>, opts: DrawOptions = {}): Record<string, SiteValues> {
  const n = rowCount(Object.values(data)[0] ?? []);
  return scoped(() => {
    const z = encodePass(prog, dataTensors(prog, data), { mode: opts.mode ?? 'mean', rng: Rng.fromSeed(opts.seed ?? 0).foldName('encode'), n });
    return Object.fromEntries([...z].map(([k, t]) => [k, values(t)]));
  });
}

/** The observed site's mean (or a sample) with the latents fixed to `latents` (rows per example). */
export function decode(prog: Program, latents: Readonly<Record<string, Input>>, opts: DrawOptions & { data?: Readonly<Record<string, Input>> } = {}): SiteValues & { site: string } {
  const site = observedSite(prog, opts.site);
  const n = rowCount(Object.values(latents)[0] ?? []);
  return scoped(() => {
    const fixed = new Map<string, tf.Tensor>();
    for (const [k, v] of Object.entries(latents)) {
      const s = prog.checked.model.sites.find((m) => m.name === k && m.observed !== 'yes');
      if (!s) throw new UserError(`the model has no latent site \`${k}\``, `its latent sites are: ${prog.checked.model.sites.filter((m) => m.observed !== 'yes').map((m) => m.name).join(', ')}`);
      fixed.set(k, toTensor(k, v, s.shape, s.type.vk === 'Category' ? 'int32' : 'float32')); // [n, ...event]
    }
    const x = decodePass(prog, site, fixed, dataTensors(prog, opts.data ?? {}), { mode: opts.mode ?? 'mean', rng: Rng.fromSeed(opts.seed ?? 0).foldName('decode'), n }); // [n, ...event]
    return { site: site.name, ...values(x) };
  });
}
