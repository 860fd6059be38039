/**
 * Evaluating a program on data in memory (browser-safe): the ELBO and its parts, the IWAE
 * log-likelihood estimate with its standard error, and per-latent statistics (KL per dimension,
 * active units, collapse), the same estimators as `vae eval` (src/eval/metrics.ts), chunked so
 * that memory stays bounded.
 *
 * @example
 *   const r = evaluateData(prog, { x: rows }, { iwae: 100 });
 *   console.log(r.elbo, r.iwae?.logLikelihood, r.latents[0]?.activeUnits);
 */
import { evalElbo, evalIwae, evalLatents, type IwaeResult, type LatentStats } from './eval/metrics';
import type { Program } from './program';
import { bindMemory, type Columns } from './train/memory-data';

export type { IwaeResult, LatentStats } from './eval/metrics';

export interface EvaluateDataOptions {
  /** Importance samples of the log-likelihood estimate (0 or absent: skip it). */
  readonly iwae?: number;
  /** Per-latent statistics (default true). */
  readonly latents?: boolean;
  readonly seed?: number;
}

export interface DataEvaluation {
  /** Mean ELBO per example, and its reconstruction and KL parts. */
  readonly elbo: number;
  readonly recon: number;
  readonly kl: number;
  readonly n: number;
  readonly iwae?: IwaeResult;
  readonly latents: readonly LatentStats[];
}

/** Evaluates `prog` on `data` (columns by data name, checked like training data). */
export function evaluateData(prog: Program, data: Columns, opts: EvaluateDataOptions = {}): DataEvaluation {
  const bound = bindMemory(prog.checked, { train: data });
  const ctx = { prog, data: bound.splits.train, dynamic: bound.dynamic, seed: opts.seed ?? 0 };
  const e = evalElbo(ctx);
  const iwae = opts.iwae ? evalIwae(ctx, opts.iwae) : undefined;
  const latents = opts.latents === false ? [] : evalLatents(ctx);
  return { elbo: e.elbo, recon: e.recon, kl: e.kl, n: e.n, ...(iwae ? { iwae } : {}), latents };
}
