/**
 * `--from prior` for sequence data (`x[t] ~ ...` over `data x: Real[T, D]`): n sequences drawn
 * from the model alone (every latent step from its prior, then each observed step's mean or a
 * sample), written as a line figure (prior.svg/png, one panel per dimension) and as prior.csv
 * (columns sequence, step, then one per dimension). For data of up to T steps (`Real[..T, D]`)
 * the sequences have all T steps, or `--length L` steps.
 */
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { numel } from '../dsl/types';
import { sequencesSpec } from '../figures/specs/sequences';
import { writeFigure } from '../figures/node/render';
import { scoped } from '../engine/scope';
import { writeFileAtomic } from '../core/atomic-file';
import { figurePath, figureRng, modeWords, type SampleContext } from './context';
import { decodeSites } from './decode';

export interface SequenceSite {
  /** The data's name (the site identity), e.g. `x`. */
  readonly base: string;
  /** Its steps in order: x[0], ..., x[T-1]. */
  readonly steps: readonly SiteInfo[];
}

/** The observed sequence of the model, if its data are observed step by step. */
export function sequenceSite(cp: CheckedProgram): SequenceSite | undefined {
  const steps = cp.model.sites.filter((s) => s.observed === 'yes' && s.step !== undefined);
  if (steps.length === 0) return undefined;
  const base = steps[0]!.step!.base;
  return { base, steps: steps.filter((s) => s.step!.base === base).sort((a, b) => a.step!.index - b.step!.index) };
}

/**
 * Draws n sequences of `length` steps (default: every step of the time axis). Steps run in
 * program order and read earlier steps only, so the first L steps of a T-step draw are a draw of
 * L steps: a shorter length keeps the first steps.
 */
export async function sampleSequences(ctx: SampleContext, seq: SequenceSite, n: number, length?: number): Promise<string> {
  const d = numel(seq.steps[0]!.shape);
  const T = Math.min(length ?? seq.steps.length, seq.steps.length);
  const flat = scoped(() => {
    const values = decodeSites(ctx.prog, seq.steps, new Map(), new Map(), { mode: ctx.mode, rng: figureRng(ctx, 'prior'), n }); // T x [n, ...event]
    return values.map((v) => v.dataSync() as Float32Array);
  });
  const values = Array.from({ length: n }, (_, s) => Array.from({ length: T }, (_, t) => Array.from(flat[t]!.subarray(s * d, (s + 1) * d))));
  const base = figurePath(ctx, 'prior');
  const header = ['sequence', 'step', ...Array.from({ length: d }, (_, i) => `${seq.base}_${i}`)].join(',');
  const lines = values.flatMap((sq, s) => sq.map((step, t) => [s, t, ...step.map((v) => String(v))].join(',')));
  writeFileAtomic(`${base}.csv`, `${header}\n${lines.join('\n')}\n`);
  const spec = sequencesSpec({ values, name: seq.base, title: `${n} sequences from the prior`, subtitle: [`latent steps from p(z[t] | z[t - 1]), ${modeWords(ctx)} of ${seq.base}[t]; ${T} steps`] });
  const [, png] = await writeFigure(base, spec);
  return png!;
}
