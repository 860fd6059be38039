/**
 * Active units of guide sites without a closed-form mean (flows).
 *
 * A unit u is active when A_u = Cov_x(E_q[u | x]) > 0.01 (Burda et al. 2015). evalLatents
 * (src/eval/metrics.ts) takes E_q[u | x] from the guide distribution's mean(); a Flow has none,
 * and one sample in its place adds the posterior variance E_x[Var_q(u | x)] to A_u, so every
 * unit of a collapsed (prior-like, variance ~1) dimension would count as active. Here E_q[u | x]
 * is estimated from S samples per example, and the noise of that estimate is removed:
 *   A_u ≈ Var_x(m̄_u) − E_x[s²_u] / S,
 * with m̄_u and s²_u the per-example sample mean and (unbiased) variance, which is unbiased for
 * Var_x(E_q[u | x]).
 */
import * as tf from '@tensorflow/tfjs';
import type { EvalContext } from './context';
import { execute, makeBatch } from '../inference/execute';
import { expandParticles, meanEnumAxes, meanOverParticles } from '../inference/layout';
import { Rng } from '../core/rng';
import { batchTensors, chunks, EVAL_EPOCH } from '../train/batches';

export interface SampledActivity {
  readonly site: string;
  readonly dims: number;
  /** The estimate of Var_x(E_q[u | x]) per dimension. */
  readonly meanVariance: number[];
  readonly activeUnits: number;
}

/** The guide sites (vectors) whose distribution is a Flow. */
export function flowSites(ctx: EvalContext): string[] {
  return ctx.prog.plan.sites.filter((s) => s.guide.spec.name === 'Flow' && s.guide.shape.length === 1).map((s) => s.name);
}

export function sampledActiveUnits(ctx: EvalContext, sites: readonly string[], opts: { samples?: number; batch?: number; threshold?: number } = {}): SampledActivity[] {
  // Nothing to estimate: do not run the program (64 particles over the whole split).
  if (sites.length === 0) return [];
  const S = Math.max(2, opts.samples ?? 64);
  const cp = ctx.prog.checked;
  const dims = new Map(ctx.prog.plan.sites.filter((s) => sites.includes(s.name)).map((s) => [s.name, s.guide.shape[0]!]));
  const acc = new Map([...dims].map(([name, d]) => [name, { sum: new Float64Array(d), sum2: new Float64Array(d), within: new Float64Array(d), n: 0 }]));
  const rng = Rng.fromSeed(ctx.seed).foldName('compare-activity');
  let i = 0;
  for (const idx of chunks(ctx.data.size, opts.batch ?? 100)) {
    const cols = batchTensors(cp, ctx.data, idx, ctx.dynamic, ctx.seed, EVAL_EPOCH);
    for (const d of cp.data) {
      if (!d.partial) continue; // labels are hidden, as for the bounds
      cols.get(d.name)!.dispose();
      cols.set(d.name, tf.fill([idx.length], -1, 'int32')); // [B]
    }
    tf.engine().startScope();
    try {
      const traces = execute(ctx.prog.compiled, ctx.prog.store, ctx.prog.plan, makeBatch(cp, cols), rng.fold(i++), { particles: S });
      for (const [name, d] of dims) {
        const value = traces.guide.get(name)?.value;
        if (!value) continue;
        const layout = traces.layout;
        const v = meanEnumAxes(value, layout, 1); // enumeration axes: [...E, S, B, d] -> [S, B, d]
        const m = meanOverParticles(v, layout); // [B, d]
        const w = tf.div(tf.sum(tf.square(tf.sub(v, expandParticles(m, layout))), layout.particleAxis), S - 1); // [B, d] unbiased per-example variance
        const mv = m.dataSync();
        const wv = w.dataSync();
        const a = acc.get(name)!;
        for (let r = 0; r < idx.length; r++) {
          for (let j = 0; j < d; j++) {
            const x = mv[r * d + j]!;
            a.sum[j]! += x;
            a.sum2[j]! += x * x;
            a.within[j]! += wv[r * d + j]!;
          }
        }
        a.n += idx.length;
      }
    } finally {
      tf.engine().endScope();
      tf.dispose([...cols.values()]);
    }
  }
  const threshold = opts.threshold ?? 0.01;
  return [...dims].map(([site, d]) => {
    const a = acc.get(site)!;
    const n = Math.max(1, a.n);
    const meanVariance = Array.from({ length: d }, (_, j) => a.sum2[j]! / n - (a.sum[j]! / n) ** 2 - a.within[j]! / n / S);
    return { site, dims: d, meanVariance, activeUnits: meanVariance.filter((v) => v > threshold).length };
  });
}
