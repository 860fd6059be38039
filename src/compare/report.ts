/**
 * What `vae compare` shows: the results table (Markdown, so it pastes into BENCHMARKS.md as
 * is) and the combined training curves, DIR/compare.svg and DIR/compare.png (the spec is
 * src/figures/specs/compare.ts): validation ELBO against epoch for all models in one panel, the
 * training bound (the model's objective, so IWAE-k for iwae models) in the other, one colour per
 * model.
 */
import * as path from 'node:path';
import { compareSpec } from '../figures/specs/compare';
import { writeFigure } from '../figures/node/render';
import type { EpochRecord } from '../metrics/records';

/** One row of the results (also the JSON row). */
export interface CompareRow {
  readonly model: string;
  readonly file: string;
  /** Mean ELBO per example on the evaluation split (nats). */
  readonly testElbo: number;
  /** IWAE-K estimate of log p(x) per example, or null with --iwae 0. */
  readonly testLogLikelihood: number | null;
  /** Its standard error across examples. */
  readonly standardError: number | null;
  /** Mean KL(q(z|x) || p(z)) per example, summed over latent sites (sampled where there is no closed form). */
  readonly kl: number;
  /** Active units summed over the latent sites (Cov_x E_q[u] > 0.01, Burda et al. 2015). */
  readonly activeUnits: number;
  readonly latentDims: number;
  /** Mean wall-clock seconds of a training epoch (validation excluded). */
  readonly secondsPerEpoch: number;
  /** Epochs actually trained (fewer than the protocol's if a model stops early). */
  readonly epochs: number;
  /** The model's run directory. */
  readonly run: string;
}

function fixed(x: number | null, digits = 2): string {
  return x === null ? 'n/a' : Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** The results as a Markdown table with aligned columns (`split`: the evaluation split's name). */
export function formatTable(rows: readonly CompareRow[], k: number, split: 'test' | 'valid' = 'test'): string {
  const header = ['model', `${split} ELBO`, k > 0 ? `${split} log p(x) (IWAE-${k}) ± se` : `${split} log p(x)`, 'KL', 'active units', 's/epoch'];
  const body = rows.map((r) => [
    r.model,
    fixed(r.testElbo),
    r.testLogLikelihood === null ? 'n/a' : `${fixed(r.testLogLikelihood)} ± ${fixed(r.standardError)}`,
    fixed(r.kl),
    `${r.activeUnits} / ${r.latentDims}`,
    fixed(r.secondsPerEpoch, 1),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const numeric = header.map((_, j) => j > 0);
  const line = (cells: readonly string[]) => `| ${cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (numeric[j] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Writes DIR/compare.svg and DIR/compare.png; returns the PNG's path (null when nothing was trained). */
export async function writeCompareCurves(dir: string, curves: readonly { readonly model: string; readonly history: readonly EpochRecord[] }[], title: string): Promise<string | null> {
  const spec = compareSpec({ curves, title });
  if (!spec) return null;
  const written = await writeFigure(path.join(dir, 'compare'), spec);
  return written.find((f) => f.endsWith('.png')) ?? null;
}
