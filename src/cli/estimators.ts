/**
 * `vae estimators FILE`: measures gradient estimators on the user's own program — on a fixed
 * minibatch and fixed parameters, S independent gradient estimates per estimator, and for each
 * parameter group (net or param), side, and latent site: ‖E[g]‖, the total variance tr Cov[g],
 * the SNR of Rainforth et al. (2018) and the time per draw. `--sweep K=...` plots SNR against
 * the IWAE's K; `--sweep N=...` the variance of an N-sample average against N (the lecture
 * notes' simulation). Every estimator is planned, and rejected if it does not apply, before any
 * data is loaded or any gradient drawn. See docs/estimators.md.
 */
import { shortObjective } from '../dsl/objectives';
import * as tf from '@tensorflow/tfjs';
import { Program } from '../api';
import type { CheckedProgram } from '../dsl/checked';
import { makeBatch, type Batch } from '../inference/execute';
import { rowGroups } from '../estimators/groups';
import { measure, type Measurement } from '../estimators/measure';
import { describePlan, planSpec, type PlannedSpec } from '../estimators/planning';
import { snrVsKChart, varianceVsNChart } from '../estimators/plots';
import { writeFigure } from '../figures/node/render';
import { formatTable, rowsOf, shownRows, type Row } from '../estimators/report';
import { parseSpecs, parseSweep, withK, type EstimatorSpec, type Sweep } from '../estimators/spec';
import { loadCheckpoint } from '../train/checkpoint';
import { storedData } from '../train/data-record';
import { batchTensors, EVAL_EPOCH } from '../train/batches';
import { bindData } from '../train/data-binding';
import { loadChecked, loadWeights } from '../train/session';
import { CliError, type Printer } from './errors';
import { parseNonNegInt, parsePositiveInt } from './flags';

export interface EstimatorsFlags {
  checkpoint?: string;
  data?: string;
  dataDir?: string;
  estimators?: string;
  draws?: string;
  batch?: string;
  seed?: string;
  warmup?: string;
  sweep?: string;
  plot?: string;
  json?: boolean;
}

interface Job {
  readonly planned: PlannedSpec;
  readonly k?: number;
  readonly n?: number;
}

const DEFAULT_DRAWS = 200;
const DEFAULT_SWEEP_N_DRAWS = 100;
const DEFAULT_BATCH = 20;

/** Plans every (estimator, sweep value) pair; throws before any work when one does not apply. */
function planJobs(checked: CheckedProgram, file: string, specs: readonly EstimatorSpec[], sweep: Sweep | undefined): Job[] {
  const jobs: Job[] = [];
  for (const spec of specs) {
    if (sweep?.axis === 'K') {
      if (!spec.iwae) throw new CliError(`--sweep K varies the IWAE's K, but \`${spec.text}\` is not an IWAE estimator`, 'use iwae:K, iwae:K+dreg, iwae:K+score or iwae:K+vimco with --sweep K=...; --sweep N=... averages N estimates of the others');
      for (const k of sweep.values) jobs.push({ planned: planSpec(checked, withK(spec, k), file), k });
    } else if (sweep?.axis === 'N') {
      if (spec.iwae) throw new CliError(`--sweep N averages N single-sample estimates, but \`${spec.text}\` is an IWAE estimator (its particles are its K)`, 'use --sweep K=... for IWAE estimators');
      const planned = planSpec(checked, spec, file);
      for (const n of sweep.values) jobs.push({ planned, n });
    } else {
      jobs.push({ planned: planSpec(checked, spec, file) });
    }
  }
  return jobs;
}

/** The default estimators: those of a list that apply to the program. */
function defaultJobs(checked: CheckedProgram, file: string, sweep: Sweep | undefined): Job[] {
  const expectation = checked.objectiveExpr !== null;
  const candidates =
    sweep?.axis === 'K' ? ['iwae:K', 'iwae:K+dreg'] : sweep?.axis === 'N' || expectation ? ['reparam', 'score', ...(sweep ? [] : ['score+baseline'])] : ['reparam', 'score+baseline', 'stl', 'iwae:5', 'iwae:5+dreg'];
  const jobs: Job[] = [];
  let firstError: unknown;
  for (const c of candidates) {
    try {
      jobs.push(...planJobs(checked, file, parseSpecs(c), sweep));
    } catch (e) {
      firstError ??= e;
    }
  }
  if (jobs.length === 0) throw firstError instanceof CliError ? firstError : new CliError(`none of the default estimators (${candidates.join(', ')}) applies to ${file}`, 'name them with --estimators');
  return jobs;
}

function parseFlags(f: EstimatorsFlags): { draws: number; batch: number; seed: number | undefined; warmup: number; sweep: Sweep | undefined; plot: string | undefined } {
  const sweep = f.sweep !== undefined ? parseSweep(f.sweep) : undefined;
  const draws = f.draws !== undefined ? parsePositiveInt('--draws', f.draws) : sweep?.axis === 'N' ? DEFAULT_SWEEP_N_DRAWS : DEFAULT_DRAWS;
  if (draws < 2) throw new CliError(`invalid --draws '${f.draws}'`, 'a variance needs at least 2 draws; use a few hundred');
  const batch = f.batch !== undefined ? parsePositiveInt('--batch', f.batch) : DEFAULT_BATCH;
  const seed = f.seed !== undefined ? parseNonNegInt('--seed', f.seed) : undefined;
  const warmup = f.warmup !== undefined ? parsePositiveInt('--warmup', f.warmup) : 50;
  if (f.plot !== undefined && !sweep) throw new CliError('--plot draws a sweep', 'add --sweep K=1,5,10,50,100 (SNR against K) or --sweep N=1,10,100,1000 (variance against N)');
  if (f.plot !== undefined && !/\.(png|svg)$/i.test(f.plot)) throw new CliError(`invalid --plot '${f.plot}'`, 'give a path ending in .png or .svg (both FILE.svg and FILE.png are written)');
  const plot = sweep ? (f.plot ?? (sweep.axis === 'K' ? 'estimators-snr.png' : 'estimators-variance.png')) : undefined;
  return { draws, batch, seed, warmup, sweep, plot };
}

/** The fixed minibatch: B evenly spaced examples of the train split (some splits are sorted by class). */
async function fixedBatch(prog: Program, f: EstimatorsFlags, source: string | undefined, want: number, seed: number): Promise<{ batch: Batch; label: string }> {
  const cp = prog.checked;
  if (cp.data.length === 0) return { batch: makeBatch(cp, new Map()), label: 'no data (one pseudo-example per draw)' };
  const bound = await bindData(cp, { data: f.data ?? source, dataDir: f.dataDir, role: 'train', seed, splits: ['train'] });
  const ds = bound.splits.train;
  if (ds.size === 0) throw new CliError(`the train split of ${bound.source} is empty`, 'bind other data with --data');
  const n = Math.min(want, ds.size);
  const indices = Int32Array.from({ length: n }, (_, i) => Math.floor((i * ds.size) / n));
  const cols = batchTensors(cp, ds, indices, bound.dynamic, seed, EVAL_EPOCH);
  // The tensors belong to the command's tfjs scope (disposed when it ends).
  return { batch: makeBatch(cp, cols), label: `${bound.source} (train split): ${n} evenly spaced example${n === 1 ? '' : 's'}` };
}

export async function runEstimatorsCommand(file: string, f: EstimatorsFlags, io: Printer): Promise<number> {
  // 1. Everything that can be wrong with the request, before any work.
  const opts = parseFlags(f);
  const specs = f.estimators !== undefined ? parseSpecs(f.estimators) : undefined;
  const outcome = loadChecked({ file });
  const checked = outcome.checked;
  const jobs = specs ? planJobs(checked, file, specs, opts.sweep) : defaultJobs(checked, file, opts.sweep);
  const contents = f.checkpoint !== undefined ? loadCheckpoint(f.checkpoint) : undefined;
  const seed = opts.seed ?? contents?.state.seed ?? checked.train.config.seed;

  // 2. Parameters and the fixed minibatch.
  const prog = new Program(checked, outcome.plan, seed);
  tf.engine().startScope();
  try {
    if (contents) {
      try {
        loadWeights(prog, contents.weights, f.checkpoint!);
      } finally {
        tf.dispose([...contents.weights.values(), ...contents.optimizer.map((o) => o.tensor)]);
      }
    }
    const { batch, label: dataLabel } = await fixedBatch(prog, f, contents && f.data === undefined ? storedData(contents.state.data, 'evaluate') : undefined, opts.batch, seed);
    const params = contents ? `checkpoint ${f.checkpoint}` : `seeded initialization (seed ${seed})`;
    const latentSites = outcome.plan.sites.map((s) => s.name);
    const groups = rowGroups(prog.store, checked, latentSites);
    if (!f.json) {
      io.err(`estimators of ${file}: ${dataLabel}; parameters: ${params}; ${opts.draws} draws per estimator, seed ${seed}`);
      if (opts.sweep?.axis === 'N') io.err(`each draw averages N single-sample estimates (particles = N); the table's variance is that of the average`);
    }

    // 3. The draws.
    const rows: Row[] = [];
    const measured: { job: Job; m: Measurement }[] = [];
    for (const job of jobs) {
      const particles = job.n ?? 1;
      if (!f.json) io.err(`  ${job.planned.label}${job.k !== undefined ? ` (K = ${job.k})` : job.n !== undefined ? ` (N = ${job.n})` : ''}: ${describePlan(job.planned)} ...`);
      const m = measure(prog, batch, job.planned, { draws: opts.draws, seed, particles, warmup: opts.warmup });
      measured.push({ job, m });
      rows.push(...rowsOf(m, groups, { ...(job.k !== undefined ? { k: job.k } : {}), ...(job.n !== undefined ? { n: job.n } : {}) }));
    }

    // 4. The plot of a sweep.
    if (opts.sweep && opts.plot) {
      const name = file.replace(/^.*[\\/]/, '');
      const spec = opts.sweep.axis === 'K' ? snrVsKChart(rows, name) : varianceVsNChart(rows, `${name}: variance of a mean of N estimates`);
      if (spec) {
        const written = await writeFigure(opts.plot, spec);
        if (!f.json) io.err(`wrote ${written.join(' and ')}`);
      } else if (!f.json) io.err(`no plot: no estimator has a finite positive ${opts.sweep.axis === 'K' ? 'SNR' : 'variance'}`);
    }

    if (f.json) {
      io.out(
        JSON.stringify({
          file,
          data: dataLabel,
          parameters: params,
          draws: opts.draws,
          seed,
          ...(opts.sweep ? { sweep: { axis: opts.sweep.axis, values: opts.sweep.values } } : {}),
          estimators: measured.map(({ job, m }) => ({
            estimator: job.planned.label,
            ...(job.k !== undefined ? { k: job.k } : {}),
            ...(job.n !== undefined ? { n: job.n } : {}),
            objective: shortObjective(job.planned.objective),
            plan: Object.fromEntries(job.planned.sites.map((s) => [s.name, s.estimator])),
            applied: job.planned.sites.filter((s) => s.applied).map((s) => s.name),
            ...(job.planned.note ? { note: job.planned.note } : {}),
            baselines: m.baselines,
            particles: m.particles,
            vectorized: m.vectorized,
            msPerDraw: m.msPerDraw,
          })),
          rows,
          ...(opts.plot ? { plot: opts.plot } : {}),
        }),
      );
      return 0;
    }
    const sweepAxis = opts.sweep?.axis;
    for (const line of formatTable(shownRows(rows), sweepAxis)) io.out(line);
    const baselines = measured.filter(({ m }) => Object.keys(m.baselines).length > 0);
    for (const { job, m } of baselines) io.err(`  ${job.planned.label}: constant baseline ${Object.entries(m.baselines).map(([k, v]) => `${k} = ${v.toPrecision(5)}`).join(', ')} (mean learning signal over ${opts.warmup} warm-up draws)`);
    io.err('  ‖E[g]‖: norm of the mean gradient; tr Cov[g]: sum of the components\' variances; SNR: mean over components of |E[g_j]|/sd[g_j] (Rainforth et al. 2018)');
    return 0;
  } finally {
    tf.engine().endScope();
    prog.dispose();
  }
}
