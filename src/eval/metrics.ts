/**
 * Evaluation metrics of a trained program on a data split, all batched and tidy-scoped:
 *  - the ELBO and its parts (reconstruction log-likelihood and KL);
 *  - log p(x) by importance sampling with the guide, IWAE with K samples (Burda et al. 2015),
 *    chunked over examples and particles so memory stays bounded, with its standard error
 *    across examples;
 *  - KL per latent dimension; active units A_u = Cov_x(E_q[u]) > 0.01 (Burda et al. 2015);
 *  - the posterior-collapse fraction: the share of latent dimensions whose KL is below ε for at
 *    least 99% of the examples (the lecture notes' measure);
 *  - the ELBO decomposition (Hoffman & Johnson 2016; the notes' eq. 19): reconstruction − I(x; z)
 *    − KL(q(z) || p(z)), with I estimated from a sample of M examples as
 *    mean_i [log q(z_i|x_i) − log (1/M) Σ_j q(z_i|x_j)], z_i ~ q(z|x_i) (a lower-biased estimate
 *    bounded by log M), and the marginal KL = mean KL − I (eq. 18);
 *  - classification accuracy of argmax q(y|x) for Category data sites sampled by the guide.
 * Labels of partly observed sites are hidden for the bounds (they estimate log p(x)).
 */
import * as tf from '@tensorflow/tfjs';
import { scoped } from '../engine/scope';
import { execute, makeBatch } from '../inference/execute';
import { iwaeObjective } from '../inference/objectives/iwae';
import { elboObjective } from '../inference/objectives/elbo';
import { siteKl, siteTerms } from '../inference/objectives/terms';
import { meanToExamples } from '../inference/layout';
import { Rng } from '../core/rng';
import { batchTensors, chunks, EVAL_EPOCH } from '../train/batches';
import { sampledActiveUnits } from './activity';
import { evalChunks, type ChunkSizes } from './chunking';
import type { EvalContext } from './context';

export type { EvalContext } from './context';


/** Batch tensors for rows `idx`, with partly observed labels hidden (-1) when `hideLabels`. */
function columns(ctx: EvalContext, idx: Int32Array, hideLabels: boolean): Map<string, tf.Tensor> {
  const cols = batchTensors(ctx.prog.checked, ctx.data, idx, ctx.dynamic, ctx.seed, EVAL_EPOCH);
  if (hideLabels) {
    for (const d of ctx.prog.checked.data) {
      if (!d.partial) continue;
      cols.get(d.name)!.dispose();
      cols.set(d.name, tf.fill([idx.length], -1, 'int32')); // [B]
    }
  }
  return cols;
}

export interface ElboResult {
  readonly elbo: number;
  readonly recon: number;
  readonly kl: number;
  readonly n: number;
}

export function evalElbo(ctx: EvalContext, batch = 500): ElboResult {
  batch = evalChunks(ctx.prog.checked, ctx.prog.plan, ctx.data.size, 1, { maxExamples: batch }).examples;
  let e = 0;
  let r = 0;
  let k = 0;
  let n = 0;
  const rng = Rng.fromSeed(ctx.seed).foldName('eval-elbo');
  let i = 0;
  for (const idx of chunks(ctx.data.size, batch)) {
    const cols = columns(ctx, idx, true);
    const v = scoped(() => {
      const out = elboObjective({ prog: ctx.prog.compiled, store: ctx.prog.store, plan: ctx.prog.plan, batch: makeBatch(ctx.prog.checked, cols), rng: rng.fold(i++), settings: { particles: 1, beta: 1, freeBits: 0, classify: null }, state: ctx.prog.state });
      tf.dispose(out.keep);
      return [tf.sum(out.bound).dataSync()[0]!, tf.sum(out.recon).dataSync()[0]!, tf.sum(out.kl).dataSync()[0]!];
    });
    tf.dispose([...cols.values()]);
    e += v[0]!;
    r += v[1]!;
    k += v[2]!;
    n += idx.length;
  }
  return { elbo: e / n, recon: r / n, kl: k / n, n };
}

export interface IwaeResult {
  readonly logLikelihood: number;
  readonly standardError: number;
  readonly k: number;
  readonly n: number;
  readonly seconds: number;
}

/**
 * log p(x) ≈ log (1/K) Σ_k p(x, z_k)/q(z_k|x) per example, K split into chunks of particles so
 * that examples × particles × enumerated configurations stays within the budget of
 * src/eval/chunking.ts; chunks are combined by log-sum-exp in float64. `budget` (floats) and
 * `onChunk` are for tests.
 */
export function evalIwae(ctx: EvalContext, k: number, opts: { budget?: number; onChunk?: (c: ChunkSizes) => void; onProgress?: (done: number, total: number) => void } = {}): IwaeResult {
  const t0 = performance.now();
  const { examples: b, particles: kc } = evalChunks(ctx.prog.checked, ctx.prog.plan, ctx.data.size, k, opts.budget !== undefined ? { budget: opts.budget } : {});
  const rng = Rng.fromSeed(ctx.seed).foldName('eval-iwae');
  const values: number[] = [];
  let chunkIndex = 0;
  for (const idx of chunks(ctx.data.size, b)) {
    // One scope per group of examples: its columns, the batch built from them (and makeBatch's
    // intermediates, such as the mask of a partly observed label) end with it.
    const parts = scoped(() => {
      const batch = makeBatch(ctx.prog.checked, columns(ctx, idx, true));
      const out: Float64Array[] = [];
      for (let done = 0; done < k; done += kc) {
        const kk = Math.min(kc, k - done);
        opts.onChunk?.({ examples: idx.length, particles: kk });
        out.push(
          scoped(() => {
            const r = iwaeObjective({ prog: ctx.prog.compiled, store: ctx.prog.store, plan: ctx.prog.plan, batch, rng: rng.fold(chunkIndex++), settings: { particles: kk, beta: 1, freeBits: 0, classify: null }, state: ctx.prog.state }, kk);
            tf.dispose(r.keep);
            return Float64Array.from(r.bound.dataSync(), (v) => v + Math.log(kk)); // log Σ_k w_k over this chunk
          }),
        );
      }
      return out;
    });
    for (let j = 0; j < idx.length; j++) {
      let m = -Infinity;
      for (const p of parts) m = Math.max(m, p[j]!);
      let s = 0;
      for (const p of parts) s += Math.exp(p[j]! - m);
      values.push(m + Math.log(s) - Math.log(k));
    }
    opts.onProgress?.(values.length, ctx.data.size);
  }
  const n = values.length;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  return { logLikelihood: mean, standardError: sd / Math.sqrt(n), k, n, seconds: (performance.now() - t0) / 1000 };
}

export interface LatentStats {
  readonly site: string;
  readonly dims: number;
  /** Mean KL per dimension over the data (nats); null when the guide or the prior does not factorize over dimensions (MultivariateNormal, Dirichlet, ...). */
  readonly klPerDim: number[] | null;
  /** Mean KL of the whole site over the data (nats). */
  readonly klTotal: number;
  /** Variance over the data of the guide's mean, per dimension. */
  readonly meanVariance: number[];
  readonly activeUnits: number;
  /** Share of dimensions within ε of the prior for at least 99% of the examples (null without per-dimension KLs). */
  readonly collapsed: number | null;
  /** I(x; z) and the marginal KL(q(z) || p(z)), when the guide site depends on the data only. */
  readonly mutualInformation: number | null;
  readonly marginalKl: number | null;
}

/** Per-dimension statistics of every continuous latent site with a factorized guide. */
export function evalLatents(ctx: EvalContext, opts: { epsilon?: number; miSamples?: number; batch?: number } = {}): LatentStats[] {
  const eps = opts.epsilon ?? 0.01;
  const cp = ctx.prog.checked;
  const sites = ctx.prog.plan.sites.filter((s) => !s.guide.spec.discrete && s.guide.shape.length === 1);
  const acc = new Map(sites.map((s) => [s.name, { kl: new Float64Array(s.guide.shape[0]!), klTotal: 0, perDim: true, mean: new Float64Array(s.guide.shape[0]!), mean2: new Float64Array(s.guide.shape[0]!), below: new Float64Array(s.guide.shape[0]!), n: 0 }]));
  const rng = Rng.fromSeed(ctx.seed).foldName('eval-latent');
  let i = 0;
  const batch = evalChunks(cp, ctx.prog.plan, ctx.data.size, 1, { maxExamples: opts.batch ?? 500 }).examples;
  for (const idx of chunks(ctx.data.size, batch)) {
    const cols = columns(ctx, idx, true);
    scoped(() => {
      const traces = execute(ctx.prog.compiled, ctx.prog.store, ctx.prog.plan, makeBatch(cp, cols), rng.fold(i++), { particles: 1 });
      const terms = siteTerms(traces, ctx.prog.plan);
      for (const s of sites) {
        const t = terms.find((u) => u.name === s.name);
        const g = traces.guide.get(s.name);
        const a = acc.get(s.name)!;
        if (!t || !g) continue;
        const d = s.guide.shape[0]!;
        const total = meanToExamples(siteKl(t)!); // [...E, K, B] -> [B]
        a.klTotal += tf.sum(total).dataSync()[0]!;
        if (!t.klElementwise) a.perDim = false;
        else {
          const kl = meanToExamples(t.klElementwise, 1); // [...E, K, B, d] -> [B, d]
          const v = kl.dataSync();
          for (let r = 0; r < idx.length; r++) for (let j = 0; j < d; j++) {
            const x = v[r * d + j]!;
            a.kl[j]! += x;
            if (x < eps) a.below[j]! += 1;
          }
        }
        const m = g.dist.mean ? g.dist.mean() : g.value!;
        const mm = meanToExamples(m, 1); // [...E, K, B, d] -> [B, d]
        const mv = mm.dataSync();
        for (let r = 0; r < idx.length; r++) for (let j = 0; j < d; j++) {
          const x = mv[r * d + j]!;
          a.mean[j]! += x;
          a.mean2[j]! += x * x;
        }
        a.n += idx.length;
      }
    });
    tf.dispose([...cols.values()]);
  }
  // Guides without a closed-form mean (flows): E_q[u | x] from samples, noise removed.
  const sampled = new Map(sampledActiveUnits(ctx, sites.filter((s) => s.guide.spec.name === 'Flow').map((s) => s.name)).map((a) => [a.site, a.meanVariance]));
  return sites.map((s) => {
    const a = acc.get(s.name)!;
    const d = s.guide.shape[0]!;
    const klPerDim = a.perDim ? Array.from(a.kl, (x) => x / a.n) : null;
    const klTotal = a.klTotal / a.n;
    const meanVariance = sampled.get(s.name) ?? Array.from({ length: d }, (_, j) => a.mean2[j]! / a.n - (a.mean[j]! / a.n) ** 2);
    const collapsedDims = Array.from(a.below).filter((c) => c / a.n >= 0.99).length;
    // I(x; z) needs q(z_i | x_j) at other examples' samples: not available for flows (no inverse).
    const mi = s.guide.deps.size === 0 && s.guide.spec.name !== 'Flow' ? mutualInformation(ctx, s.name, opts.miSamples ?? 1000) : null;
    return {
      site: s.name,
      dims: d,
      klPerDim,
      klTotal,
      meanVariance,
      activeUnits: meanVariance.filter((v) => v > 0.01).length,
      collapsed: klPerDim ? collapsedDims / d : null,
      mutualInformation: mi,
      marginalKl: mi === null ? null : klTotal - mi,
    };
  });
}

/** I(x; z) from M examples (see the module comment). */
function mutualInformation(ctx: EvalContext, site: string, m: number): number {
  const n = Math.min(m, ctx.data.size);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const cols = columns(ctx, idx, true);
  const v = scoped(() => {
    const traces = execute(ctx.prog.compiled, ctx.prog.store, ctx.prog.plan, makeBatch(ctx.prog.checked, cols), Rng.fromSeed(ctx.seed).foldName('eval-mi'), { particles: 1 });
    const g = traces.guide.get(site)!;
    const z = g.value!.reshape([n, ...g.site.shape]); // [M, d]
    const own = g.dist.logProb(g.value!).reshape([n]); // [M] log q(z_i | x_i)
    const zi = z.reshape([n, 1, ...g.site.shape]); // [M, 1, d]
    const all = g.dist.logProb(zi); // [M, M]: log q(z_i | x_j)
    const agg = tf.sub(tf.logSumExp(all, 1), Math.log(n)); // [M] log q(z_i)
    return tf.mean(tf.sub(own, agg)).dataSync()[0]!;
  });
  tf.dispose([...cols.values()]);
  return v;
}

export interface AccuracyResult {
  readonly site: string;
  readonly accuracy: number;
  readonly n: number;
}

/** Accuracy of argmax q(y | x) for every Category data site the guide samples. */
export function evalAccuracy(ctx: EvalContext, batch = 500): AccuracyResult[] {
  const cp = ctx.prog.checked;
  batch = evalChunks(cp, ctx.prog.plan, ctx.data.size, 1, { maxExamples: batch }).examples;
  const sites = cp.data.filter((d) => d.type.vk === 'Category' && cp.guide.sites.some((g) => g.name === d.name));
  const out: AccuracyResult[] = [];
  for (const d of sites) {
    let correct = 0;
    let n = 0;
    const rng = Rng.fromSeed(ctx.seed).foldName('eval-acc');
    let i = 0;
    for (const idx of chunks(ctx.data.size, batch)) {
      const truth = batchTensors(cp, ctx.data, idx, ctx.dynamic, ctx.seed, EVAL_EPOCH);
      const labels = truth.get(d.name)!.dataSync();
      const cols = columns(ctx, idx, true);
      const pred = scoped(() => {
        const traces = execute(ctx.prog.compiled, ctx.prog.store, ctx.prog.plan, makeBatch(cp, cols), rng.fold(i++), { particles: 1 });
        const q = traces.guide.get(d.name)!.dist;
        const scores = q.params['logits'] ?? q.params['probs']!;
        return tf.argMax(scores, -1).dataSync();
      });
      for (let r = 0; r < idx.length; r++) {
        if (labels[r]! < 0) continue;
        n++;
        if (pred[pred.length - idx.length + r] === labels[r]) correct++;
      }
      tf.dispose([...cols.values(), ...truth.values()]);
    }
    out.push({ site: d.name, accuracy: n ? correct / n : NaN, n });
  }
  return out;
}
