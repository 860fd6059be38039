/**
 * One task of a sweep (one cell, one seed), as every executor runs it: `vae sweep-task DIR N`.
 *
 *   1. A task whose run has result.json is done: nothing happens (a duplicate or requeued job).
 *   2. A run with a checkpoint is continued from it (`vae train --resume`): a job that was killed
 *      and requeued loses at most the steps since its last checkpoint. A run directory without a
 *      checkpoint holds nothing finished and is started again.
 *   3. Training uses the sweep's protocol (epochs or steps, batch, data, limit) and the task's
 *      seed; figures are left out (`vae plot RUN` draws them).
 *   4. The trained run is evaluated as `vae compare` evaluates (src/compare): ELBO and KL, IWAE-K
 *      log p(x) with its standard error across examples, active units, and the accuracy of
 *      q(y | x) for models that classify, on the same evenly spaced held-out examples for every
 *      task, with the task's seed; the result goes to RUN/result.json atomically.
 *
 * SIGTERM (what Slurm sends on scancel, at the time limit and before a requeue) is taken as
 * Ctrl-C: the trainer saves a checkpoint at the current step, and the task exits with 143.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import type { Printer } from '../core/printer';
import { writeFileAtomic } from '../core/atomic-file';
import { bindEvalData, evenlySpaced, loadModels, type Protocol } from '../compare';
import { evalAccuracy, evalElbo, evalIwae, evalLatents } from '../eval/metrics';
import { readMetricsFile } from '../metrics/file';
import { isEpoch } from '../metrics/records';
import { runTrain, type TrainOverrides } from '../train/run';
import { restoreRun } from '../train/session';
import { readManifest, resultPath, type Manifest, type Task } from './manifest';

/** RUN/result.json. */
export interface TaskResult {
  readonly task: number;
  readonly cell: number;
  readonly seed: number;
  readonly testElbo: number;
  readonly testLogLikelihood: number | null;
  /** Standard error of the IWAE estimate across the evaluation examples. */
  readonly standardError: number | null;
  readonly kl: number;
  readonly activeUnits: number;
  readonly latentDims: number;
  /** Accuracy of argmax q(y | x) on the evaluation examples (models that classify), else null. */
  readonly accuracy: number | null;
  readonly secondsPerEpoch: number | null;
  readonly steps: number;
  /** What the evaluation ran on; tasks with equal keys share their test images (paired comparisons). */
  readonly evalKey: string;
  readonly finished: string;
}

/** The cell's `--set` fragments: the sweep's own, then the grid's. */
export function cellSets(m: Manifest, cell: number): string[] {
  return [...m.spec.sets, ...m.cells[cell]!.sets];
}

function overrides(m: Manifest, seed: number): TrainOverrides {
  const p = m.spec.protocol;
  const varied = new Set(p.varied);
  return {
    ...(p.steps !== null ? { steps: p.steps } : varied.has('epochs') ? {} : { epochs: p.epochs }),
    ...(varied.has('batch') ? {} : { batch: p.batch }),
    seed,
  };
}

/** Runs task `index` of the sweep in `dir` (the current directory must be the sweep's cwd). */
export async function runTask(dir: string, index: number, io: Printer): Promise<number> {
  const m = readManifest(dir);
  const task: Task | undefined = m.tasks[index];
  if (!task) throw new UserError(`the sweep in ${dir} has no task ${index} (it has ${m.tasks.length})`, 'task numbers start at 0');
  const cell = m.cells[task.cell]!;
  const runDir = path.join(dir, task.run);
  io.err(`task ${index}: ${cell.label}, seed ${task.seed} -> ${runDir} (${new Date().toISOString()}, pid ${process.pid})`);
  if (fs.existsSync(resultPath(dir, task))) {
    io.err(`task ${index}: already finished (${resultPath(dir, task)})`);
    return 0;
  }
  let terminated = false;
  const onTerm = () => {
    terminated = true;
    process.emit('SIGINT');
  };
  process.on('SIGTERM', onTerm);
  try {
    const quiet: Printer = { out: () => {}, err: (s) => io.err(s), color: false };
    const p = m.spec.protocol;
    const saved = checkpointState(runDir);
    let stopped: string;
    // A save cut short leaves checkpoint.tmp-* / checkpoint.old-* beside (or instead of)
    // checkpoint/: vae train --resume finishes or undoes it, so such a run is resumed too.
    const anyCheckpoint = fs.existsSync(runDir) && fs.readdirSync(runDir).some((e) => e.startsWith('checkpoint'));
    if (saved || anyCheckpoint) {
      const goal = target(m, saved?.epochs ?? p.epochs);
      const reached = saved !== null && ('steps' in goal ? saved.step >= goal.steps : saved.epoch >= goal.epochs);
      if (reached) stopped = 'done';
      else {
        io.err(`task ${index}: resuming from the checkpoint in ${runDir}${saved ? ` (step ${saved.step})` : ''}`);
        try {
          stopped = (await runTrain({ resume: runDir, overrides: goal, json: false, figures: false, ...(m.spec.dataDir ? { dataDir: m.spec.dataDir } : {}), ...(m.spec.sizes ? { sizes: m.spec.sizes } : {}) }, quiet)).stopped;
        } catch (e) {
          if (!(e instanceof UserError && e.message.startsWith('nothing to do'))) throw e;
          stopped = 'done'; // the recovered checkpoint had reached the goal already
        }
      }
    } else {
      if (fs.existsSync(runDir)) fs.rmSync(runDir, { recursive: true, force: true }); // no checkpoint: nothing finished
      stopped = (
        await runTrain(
          {
            file: cell.file,
            sets: cellSets(m, task.cell),
            overrides: overrides(m, task.seed),
            data: p.data,
            ...(m.spec.dataDir ? { dataDir: m.spec.dataDir } : {}),
            out: runDir,
            json: false,
            figures: false,
            ...(p.limit !== null ? { limit: p.limit } : {}),
            ...(m.spec.sizes ? { sizes: m.spec.sizes } : {}),
          },
          quiet,
        )
      ).stopped;
    }
    if (stopped === 'interrupted' || terminated) {
      io.err(`task ${index}: stopped by a signal; the checkpoint is saved and a requeued job resumes from it`);
      return 143;
    }
    const result = await evaluate(dir, m, task, io);
    if (terminated) return 143; // asked to stop during the evaluation: no result, the next run evaluates
    writeFileAtomic(resultPath(dir, task), `${JSON.stringify(result, null, 2)}\n`);
    io.err(`task ${index}: done, ELBO ${result.testElbo.toFixed(3)}${result.testLogLikelihood !== null ? `, log p(x) ${result.testLogLikelihood.toFixed(3)}` : ''}`);
    return 0;
  } finally {
    process.removeListener('SIGTERM', onTerm);
  }
}

/** The run's length under the sweep's protocol: steps, or epochs (the cell's own when the grid varies them). */
function target(m: Manifest, cellEpochs: number): { steps: number } | { epochs: number } {
  const p = m.spec.protocol;
  return p.steps !== null ? { steps: p.steps } : { epochs: p.varied.includes('epochs') ? cellEpochs : p.epochs };
}

/** The checkpoint's step, epoch and configured epochs, or null when it cannot be read. */
function checkpointState(runDir: string): { step: number; epoch: number; epochs: number } | null {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { step: number; epoch: number; config: { config: { epochs: number } } };
    return { step: state.step, epoch: state.epoch, epochs: state.config.config.epochs };
  } catch {
    return null;
  }
}

async function evaluate(dir: string, m: Manifest, task: Task, io: Printer): Promise<TaskResult> {
  const cell = m.cells[task.cell]!;
  const p = m.spec.protocol;
  const [model] = loadModels([cell.file], cellSets(m, task.cell));
  const protocol: Protocol = { epochs: p.epochs, batch: p.batch, seed: task.seed, data: p.data, origin: { epochs: 'flag', batch: 'flag', seed: 'flag', data: 'flag' } };
  const held = [...(await bindEvalData([model!], protocol, { dataDir: m.spec.dataDir ?? undefined, sizes: m.spec.sizes ?? undefined })).values()][0]!;
  const runDir = path.join(dir, task.run);
  const run = restoreRun(runDir);
  try {
    const data = evenlySpaced(held.bound.splits[held.split], p.evalLimit ?? undefined);
    const ctx = { prog: run.prog, data, dynamic: held.bound.dynamic, seed: task.seed };
    const t0 = performance.now();
    const elbo = evalElbo(ctx);
    const iwae = p.iwae > 0 ? evalIwae(ctx, p.iwae) : null;
    const latents = evalLatents(ctx, { miSamples: 100 });
    const acc = evalAccuracy(ctx);
    const history = fs.existsSync(path.join(runDir, 'metrics.jsonl')) ? readMetricsFile(path.join(runDir, 'metrics.jsonl')).filter(isEpoch) : [];
    const full = history.filter((r) => r.seconds > 0);
    io.err(`task ${task.index}: evaluated ${data.size} ${held.split} examples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return {
      task: task.index,
      cell: task.cell,
      seed: task.seed,
      testElbo: elbo.elbo,
      testLogLikelihood: iwae ? iwae.logLikelihood : null,
      standardError: iwae ? iwae.standardError : null,
      kl: elbo.kl,
      activeUnits: latents.reduce((a, l) => a + l.activeUnits, 0),
      latentDims: latents.reduce((a, l) => a + l.dims, 0),
      accuracy: acc.length > 0 ? acc[0]!.accuracy : null,
      secondsPerEpoch: full.length > 0 ? full.reduce((a, r) => a + r.seconds, 0) / full.length : null,
      steps: run.contents.state.step,
      evalKey: `${p.data}|${held.split}|${data.size}${p.evalLimit !== null ? ' evenly spaced' : ''}|IWAE-${p.iwae}`,
      finished: new Date().toISOString(),
    };
  } finally {
    run.prog.dispose();
  }
}
