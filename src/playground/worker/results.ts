/**
 * What the results panel shows, computed with the engine's own passes (src/sample/decode.ts
 * and src/eval/metrics.ts, as `vae sample` and `vae eval` use them): prior samples,
 * reconstructions of test examples, the decoded 2-D manifold when the main latent is
 * 2-dimensional, the posterior means of test examples in 2-D (PCA above 2 dimensions), and the
 * evaluation (IWAE log p(x) ± SE, the ELBO = reconstruction − KL decomposition, active units).
 */
import * as tf from '@tensorflow/tfjs';
import type { Program } from '../../program';
import { Rng } from '../../core/rng';
import { takeRows } from '../../data/ndarray';
import type { Dataset } from '../../data/dataset';
import { scoped } from '../../engine/scope';
import { evalElbo, evalIwae, evalLatents } from '../../eval/metrics';
import { decode, encode } from '../../sample/decode';
import { gridQuantiles } from '../../sample/quantiles';
import { pca2 } from '../../sample/project';
import { covariateNames, imageSite, mainLatent } from '../../sample/sites';
import { numel } from '../../dsl/types';
import { batchTensors, EVAL_EPOCH } from '../../train/batches';
import type { EvalResult, FromWorker, Images } from '../protocol';

interface Ctx {
  readonly prog: Program;
  readonly test: Dataset;
  readonly dynamic: ReadonlySet<string>;
  readonly seed: number;
}

const evenly = (size: number, n: number) => Int32Array.from({ length: Math.min(n, size) }, (_, i) => Math.floor((i * size) / Math.min(n, size)));
const rows = (ctx: Ctx, idx: Int32Array) => batchTensors(ctx.prog.checked, ctx.test, idx, ctx.dynamic, ctx.seed, EVAL_EPOCH);

export function samples(ctx: Ctx, n = 64): Extract<FromWorker, { type: 'samples' }> {
  const cp = ctx.prog.checked;
  const image = imageSite(cp);
  const { height: h, width: w } = image;
  const rng = Rng.fromSeed(ctx.seed).foldName('playground');
  const covariates = covariateNames(cp);
  // Prior samples (covariates, e.g. a class-conditional decoder's label, from test examples).
  const prior = scoped(() => {
    const data = covariates.length > 0 ? rows(ctx, evenly(ctx.test.size, n)) : new Map<string, tf.Tensor>();
    const m = covariates.length > 0 ? Math.min(n, ctx.test.size) : n;
    return { pixels: Float32Array.from(decode(ctx.prog, image.site, new Map(), data, { mode: 'mean', rng: rng.fold(0), n: m }).dataSync()), m };
  });
  const out: Images = { n: prior.m, h, w, cols: Math.ceil(Math.sqrt(prior.m)), pixels: prior.pixels, caption: `${prior.m} draws from the prior (means of ${image.site.name})` };
  // Reconstructions: 10 test examples over their reconstructions.
  let recon: Images | null = null;
  if (ctx.test.size > 0) {
    const idx = evenly(ctx.test.size, 10);
    const m = idx.length;
    const r = scoped(() => {
      const data = rows(ctx, idx);
      const values = encode(ctx.prog, data, { mode: 'mean', rng: rng.fold(1), n: m });
      return Float32Array.from(decode(ctx.prog, image.site, values, data, { mode: 'mean', rng: rng.fold(2), n: m }).dataSync());
    });
    const originals = Float32Array.from(takeRows(ctx.test.columns[image.site.name]!, idx).data);
    const pixels = new Float32Array(2 * m * h * w);
    pixels.set(originals, 0);
    pixels.set(r, m * h * w);
    recon = { n: 2 * m, h, w, cols: m, pixels, caption: `top: ${m} test examples; bottom: their reconstructions (latents at the guide means)` };
  }
  // The manifold of a 2-D latent, and the latent scatter.
  let manifold: Images | null = null;
  let scatter: Extract<FromWorker, { type: 'samples' }>['scatter'] = null;
  let z;
  try {
    z = mainLatent(cp);
  } catch {
    z = undefined;
  }
  if (z && numel(z.shape) === 2 && covariates.length === 0 && !cp.model.sites.some((s) => s.observed === 'no' && s !== z)) {
    const g = 15;
    const q = gridQuantiles(g);
    const grid = new Float32Array(g * g * 2);
    for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) grid.set([q[c]!, q[g - 1 - r]!], 2 * (r * g + c));
    const pixels = scoped(() => Float32Array.from(decode(ctx.prog, image.site, new Map([[z.name, tf.tensor(grid, [g * g, ...z.shape])]]), new Map(), { mode: 'mean', rng: rng.fold(3), n: g * g }).dataSync()));
    manifold = { n: g * g, h, w, cols: g, pixels, caption: `${z.name} over a ${g} × ${g} grid of normal quantiles (p from 0.05 to 0.95)` };
  }
  if (z && ctx.test.size > 0) {
    const idx = evenly(ctx.test.size, 500);
    const d = numel(z.shape);
    const codes = scoped(() => {
      const values = encode(ctx.prog, rows(ctx, idx), { mode: 'mean', rng: rng.fold(4), n: idx.length });
      return Float32Array.from(values.get(z.name)!.dataSync());
    });
    if (d >= 2) {
      const proj = d === 2 ? { points: Float64Array.from(codes), explained: null } : pca2(codes, idx.length, d);
      const x = new Float32Array(idx.length);
      const y = new Float32Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        x[i] = proj.points[2 * i]!;
        y[i] = proj.points[2 * i + 1]!;
      }
      const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
      scatter = { x, y, label: proj.explained ? `posterior means of ${z.name} (${idx.length} test examples), first two principal components of ${d} (${pct(proj.explained[0] + proj.explained[1])} of the variance)` : `posterior means of ${z.name} (${idx.length} test examples)` };
    }
  }
  return { type: 'samples', prior: out, recon, manifold, scatter };
}

/** IWAE-k log p(x) on the first `limit` test examples (evenly spaced), the ELBO decomposition and active units. */
export function evaluateAll(ctx: Ctx, k: number, limit: number): EvalResult {
  const idx = evenly(ctx.test.size, limit);
  const data: Dataset = { name: ctx.test.name, size: idx.length, columns: Object.fromEntries(Object.entries(ctx.test.columns).map(([c, v]) => [c, takeRows(v, idx)])) };
  const ectx = { prog: ctx.prog, data, dynamic: ctx.dynamic, seed: ctx.seed };
  const iw = evalIwae(ectx, k);
  const el = evalElbo(ectx);
  const latents = evalLatents(ectx, { miSamples: Math.min(200, idx.length) });
  return {
    n: idx.length,
    k,
    iwae: iw.logLikelihood,
    iwaeSe: iw.standardError,
    elbo: el.elbo,
    recon: el.recon,
    kl: el.kl,
    activeUnits: latents.reduce((a, l) => a + l.activeUnits, 0),
    latentDims: latents.reduce((a, l) => a + l.dims, 0),
    klPerDim: latents.flatMap((l) => l.klPerDim ?? []),
  };
}
