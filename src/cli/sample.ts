/**
 * `vae sample RUN_DIR`: figures of a trained run as NAME.svg and NAME.png (captioned image grids,
 * src/figures/grid-captions.ts; the scatter a Vega-Lite figure), one PNG path per line on stdout.
 * `--from prior` (the default), `--reconstruct`, `--interpolate`, `--grid2d`, `--scatter` and
 * `--analogies` may be combined; `--n` means a count per figure (see FIGURE_N). Every figure's
 * requirements are checked before any file is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedProgram } from '../dsl/checked';
import { sampleAnalogies } from '../sample/analogies';
import { sampleGrid2d, grid2dSetup } from '../sample/grid2d';
import { sampleInterpolations } from '../sample/interpolate';
import { openRun } from '../sample/load';
import { samplePrior } from '../sample/prior';
import { sampleReconstructions } from '../sample/reconstruct';
import { sampleScatter, scatterSetup } from '../sample/scatter';
import { imageSite, requireLabel } from '../sample/sites';
import { sampleSequences, sequenceSite } from '../sample/sequences';

/** Sequences drawn by --from prior for sequence data (one line each). */
const SEQUENCES_N = 8;
import type { Mode } from '../sample/decode';
import { CliError, type Printer } from './errors';
import { parseNonNegInt, parsePositiveInt } from './flags';

export interface SampleFlags {
  out?: string;
  force?: boolean;
  n?: string;
  seed?: string;
  mode?: string;
  from?: string;
  reconstruct?: boolean;
  interpolate?: boolean;
  grid2d?: boolean;
  scatter?: boolean;
  analogies?: boolean;
  label?: string;
  steps?: string;
  length?: string;
  scale?: string;
  data?: string;
  dataDir?: string;
}

export const FIGURES = ['prior', 'reconstruct', 'interpolate', 'grid2d', 'scatter', 'analogies'] as const;
export type Figure = (typeof FIGURES)[number];

/** What `--n` counts in each figure, and its default. */
export const FIGURE_N: Readonly<Record<Figure, { what: string; default: number }>> = {
  prior: { what: 'samples', default: 64 },
  reconstruct: { what: 'test examples', default: 30 },
  interpolate: { what: 'pairs of test examples', default: 4 },
  grid2d: { what: 'grid points per side', default: 20 },
  scatter: { what: 'test examples (at most the test set)', default: 2000 },
  analogies: { what: 'test examples (rows)', default: 8 },
};

function figuresOf(f: SampleFlags): Figure[] {
  if (f.from !== undefined && f.from !== 'prior') {
    throw new CliError(`invalid --from '${f.from}'`, 'only --from prior is a source; for test data use --reconstruct, --interpolate, --scatter or --analogies');
  }
  const asked = FIGURES.filter((k) => (k === 'prior' ? f.from === 'prior' : f[k] === true));
  return asked.length > 0 ? asked : ['prior'];
}

/** Throws the one-line error of the first figure the program cannot draw. */
function checkFigures(cp: CheckedProgram, figures: readonly Figure[], label: number | undefined): void {
  for (const fig of figures) {
    if (fig === 'prior' && sequenceSite(cp)) continue;
    if (fig !== 'scatter') imageSite(cp);
    if (fig === 'grid2d') grid2dSetup(cp, label);
    if (fig === 'scatter') scatterSetup(cp);
    if (fig === 'analogies') requireLabel(cp, '--analogies');
  }
}

/** The file name (without extension) a figure is written to, as the figure modules name it. */
function figureName(cp: CheckedProgram, fig: Figure, label: number | undefined, mode: Mode): string {
  if (fig === 'scatter') return 'scatter';
  const setup = fig === 'grid2d' ? grid2dSetup(cp, label) : undefined;
  const name = setup?.y ? `grid2d-${setup.y.name}${setup.k}` : fig;
  return `${name}${mode === 'sample' ? '-sample' : ''}`;
}

/** vae sample writes NAME.svg and NAME.png per figure; existing ones are replaced only with --force. */
function refuseOverwrite(out: string, names: readonly string[]): void {
  const existing = names.flatMap((n) => [`${n}.png`, `${n}.svg`]).filter((f) => fs.existsSync(path.join(out, f)));
  if (existing.length === 0) return;
  throw new CliError(`${existing.map((f) => path.join(out, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}`, 'vae sample never replaces files unless asked: add --force to replace them, or choose another --out');
}

export async function runSampleCommand(run: string, f: SampleFlags, io: Printer): Promise<number> {
  const mode = (f.mode ?? 'mean') as Mode;
  if (mode !== 'mean' && mode !== 'sample') throw new CliError(`invalid --mode '${f.mode}'`, 'choose mean (the observed distribution\'s mean, e.g. Bernoulli probabilities) or sample');
  const figures = figuresOf(f);
  const n = f.n !== undefined ? parsePositiveInt('--n', f.n) : undefined;
  const seed = f.seed !== undefined ? parseNonNegInt('--seed', f.seed) : undefined;
  const label = f.label !== undefined ? parseNonNegInt('--label', f.label) : undefined;
  if (label !== undefined && !figures.includes('grid2d')) throw new CliError('--label applies to --grid2d only', 'add --grid2d, or leave out --label');
  const steps = f.steps !== undefined ? parsePositiveInt('--steps', f.steps) : 10;
  if (steps < 2) throw new CliError(`invalid --steps '${f.steps}'`, '--steps takes an integer of at least 2 (the path includes both ends)');
  const scale = f.scale !== undefined ? parsePositiveInt('--scale', f.scale) : 2;
  if (scale > 16) throw new CliError(`invalid --scale '${f.scale}'`, '--scale takes an integer from 1 to 16');
  const opened = await openRun({ run, out: f.out ?? path.join(run, 'samples'), mode, seed, data: f.data, dataDir: f.dataDir, scale, labels: figures.includes('scatter') });
  try {
    const { ctx } = opened;
    checkFigures(ctx.prog.checked, figures, label);
    if (!f.force) refuseOverwrite(ctx.out, figures.map((fig) => figureName(ctx.prog.checked, fig, label, mode)));
    io.err(`sampling ${run} (mode ${mode}${figures.some((x) => x !== 'prior' && x !== 'grid2d') ? `, data ${opened.source}` : ''})`);
    const sequence = sequenceSite(ctx.prog.checked);
    const length = f.length !== undefined ? parsePositiveInt('--length', f.length) : undefined;
    if (length !== undefined && (!sequence || !figures.includes('prior'))) throw new CliError('--length applies to sequences drawn from the prior only', sequence ? 'add --from prior, or leave out --length' : 'this model observes no sequence; leave out --length');
    if (length !== undefined && length > sequence!.steps.length) {
      throw new CliError(`invalid --length ${length}: \`${sequence!.base}\` has at most ${sequence!.steps.length} steps`, `choose a length from 1 to ${sequence!.steps.length}`);
    }
    const count = (fig: Figure) => n ?? (fig === 'scatter' ? Math.min(FIGURE_N.scatter.default, ctx.data.size) : FIGURE_N[fig].default);
    for (const fig of figures) {
      const file =
        fig === 'prior' ? (sequence ? await sampleSequences(ctx, sequence, n ?? SEQUENCES_N, length) : samplePrior(ctx, count(fig)))
        : fig === 'reconstruct' ? sampleReconstructions(ctx, count(fig))
        : fig === 'interpolate' ? sampleInterpolations(ctx, count(fig), steps)
        : fig === 'grid2d' ? sampleGrid2d(ctx, count(fig), label)
        : fig === 'scatter' ? await sampleScatter(ctx, count(fig))
        : sampleAnalogies(ctx, count(fig));
      io.out(file);
    }
    return 0;
  } finally {
    opened.dispose();
  }
}
