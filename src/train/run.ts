/**
 * `vae train`: resolve the configuration (file < command line; defaults marked), bind the data,
 * train reporting progress through a callback (the CLI draws the bar; or one JSON object per epoch), evaluate on the validation split
 * each epoch, append metrics.jsonl (step lines as training goes, an epoch line per epoch; see
 * src/metrics/records.ts), write an atomic checkpoint each epoch (and on Ctrl-C), stop on a
 * non-finite loss with the site and step, and draw the run's figures at the end (curves and
 * diagnostics, .svg and .png; src/train/figures.ts).
 */
import { objectiveLabel } from '../dsl/objectives';
import { produce } from 'immer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Program } from '../program';
import { UserError } from '../core/errors';
import type { Printer } from '../core/printer';
import type { Objective, TrainConfig, TrainKey } from '../dsl/train-config';
import { bindData, type BoundData } from './data-binding';
import { sliceDataset } from '../data/dataset';
import { writeFileAtomic } from '../core/atomic-file';
import { recoverInterruptedSave, saveCheckpoint, type ProgramRecord } from './checkpoint';
import { recordData, sameData, storedData } from './data-record';
import { DataError } from '../data/errors';
import { configJson, configLines, type Origin, type ResolvedConfig } from './config-print';
import { loadChecked, programRecord, restoreRun, type Checked } from './session';
import { Trainer } from './trainer';
import { defaultLogEvery, StepLog } from './step-log';
import { writeRunFigures } from './figures';
import { isEpoch, type EpochRecord } from '../metrics/records';
import { appendMetrics, readMetricsFile, reconcileMetrics } from '../metrics/file';

export interface TrainOverrides {
  readonly epochs?: number;
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly objective?: Objective;
  readonly particles?: number;
  readonly seed?: number;
  readonly earlyStopping?: number;
}

export interface TrainCommand {
  readonly file?: string;
  readonly resume?: string;
  readonly sets?: readonly string[];
  readonly estimators?: ReadonlyMap<string, string>;
  readonly overrides: TrainOverrides;
  readonly data?: string;
  readonly dataDir?: string;
  readonly out?: string;
  readonly json?: boolean;
  /** Progress within an epoch, for a live bar (the CLI draws one on a terminal: src/cli/progress.ts). */
  readonly onProgress?: (p: EpochProgress) => void;
  /** Bytes of a data file being downloaded (`total` when the server sends it). */
  readonly onDownload?: (received: number, total: number | undefined, name: string) => void;
  /** Synthetic data set sizes, for tests and demos. */
  readonly sizes?: { train?: number; valid?: number; test?: number };
  /** Use only the first N training examples (quick runs and tests). */
  readonly limit?: number;
  /**
   * `--valid N`: examples held out for validation (0: none, train on everything). Default: the
   * data's own rule (the last 10,000 training images of mnist / fashion-mnist, 10% of a file).
   */
  readonly valid?: number;
  /** `--log-every N`: one step line per N optimizer steps (default: every step up to 2,000 steps). */
  readonly logEvery?: number;
  /** Draw the run's figures at the end (default true; `vae plot RUN` draws them later). */
  readonly figures?: boolean;
  /** `--reset-optimizer`: resume with a fresh optimizer (required when the checkpoint has no optimizer state). */
  readonly resetOptimizer?: boolean;
}

/**
 * A new run's directory must be new or empty: vae train never writes over files it did not
 * make (a run's checkpoint and metrics, or a user's own config.json and figures).
 */
function checkNewRunDir(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return; // does not exist (or cannot be seen: mkdir reports why)
  }
  if (!st.isDirectory()) throw new UserError(`--out '${dir}' is a file`, 'give a new directory (or an empty one) for the run');
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return;
  if (entries.includes('checkpoint') || entries.includes('metrics.jsonl')) {
    // Never overwrite a run: its checkpoint and metrics would be lost.
    throw new UserError(`'${dir}' already holds a training run`, `continue it with --resume ${dir}, or choose another --out`);
  }
  const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? `, and ${entries.length - 4} more` : '');
  throw new UserError(`--out '${dir}' is not empty (it holds ${shown})`, 'vae train writes only into a new or empty directory, so nothing of yours is overwritten: choose another --out');
}

/** Where an epoch stands: 'start' (step `value` of `total`), 'update' after a readback, 'stop' at its end. */
export interface EpochProgress {
  readonly phase: 'start' | 'update' | 'stop';
  /** e.g. '3/10'. */
  readonly epoch: string;
  readonly value: number;
  readonly total: number;
  /** The last read training bound ('...' before the first read). */
  readonly elbo: string;
  /** Examples per second so far in the epoch ('...' before the first read). */
  readonly rate: string;
}

export interface TrainResult {
  readonly dir: string;
  readonly checkpoint: string;
  readonly history: EpochRecord[];
  readonly stopped: 'done' | 'early' | 'interrupted';
}

function resolveConfig(base: TrainConfig, explicit: ReadonlySet<TrainKey>, o: TrainOverrides): ResolvedConfig {
  const origin = {} as Record<TrainKey, Origin>;
  for (const k of Object.keys(base) as TrainKey[]) origin[k] = explicit.has(k) ? 'file' : 'default';
  const config = produce(base, (d) => {
    const set = <K extends TrainKey>(k: K, v: TrainConfig[K] | undefined) => {
      if (v === undefined) return;
      (d as Record<string, unknown>)[k] = v;
      origin[k] = 'cli';
    };
    set('epochs', o.epochs);
    set('steps', o.steps);
    set('batch', o.batch);
    set('objective', o.objective);
    set('particles', o.particles);
    set('seed', o.seed);
    set('earlyStopping', o.earlyStopping);
    if (o.lr !== undefined) {
      d.optimizer.lr = o.lr;
      origin.optimizer = 'cli';
    }
  });
  return { config, origin };
}

/** What is thin about the training data: fewer examples than a batch, fewer labels than asked for. */
function dataNotes(outcome: Checked, data: BoundData, config: TrainConfig): string[] {
  if (outcome.checked.data.length === 0) return [];
  const notes: string[] = [];
  const n = data.splits.train.size;
  if (n < config.batch) notes.push(`${n} training example${n === 1 ? '' : 's'}, fewer than one batch of ${config.batch}: each step uses all of them`);
  const label = outcome.checked.data.find((d) => d.partial);
  const classes = label?.type.classes;
  if (data.labeledIndices && config.labelsPerClass !== null && classes !== undefined && data.labeledIndices.length < config.labelsPerClass * classes) {
    const k = data.labeledIndices.length;
    notes.push(`\`labels: ${config.labelsPerClass} per class\` asks for ${config.labelsPerClass * classes} labels, but the training data hold ${k} (${k === 0 ? 'none' : 'some classes have fewer'})`);
  }
  return notes;
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export async function runTrain(cmd: TrainCommand, io: Printer): Promise<TrainResult> {
  let outcome: Checked;
  let record: ProgramRecord;
  let prog: Program;
  let resolved: ResolvedConfig;
  let dir: string;
  let startEpoch = 0;
  let startStepInEpoch = 0;
  let history: EpochRecord[] = [];
  let bestValid: number | null = null;
  let sinceBest = 0;
  let restored: ReturnType<typeof restoreRun> | undefined;

  if (cmd.resume) {
    dir = cmd.resume.replace(/\/checkpoint\/?$/, '');
    // A save that was interrupted leaves checkpoint.tmp-* / checkpoint.old-*: finish or undo it first.
    const recovered = recoverInterruptedSave(dir);
    if (recovered.length > 0 && !cmd.json) io.err(`an interrupted save: ${recovered.join(', ')}`);
    restored = restoreRun(cmd.resume, { optimizer: cmd.resetOptimizer ? 'ignore' : 'required' });
    outcome = restored.outcome;
    record = restored.contents.program;
    prog = restored.prog;
    const saved = restored.contents.state.config as { config: TrainConfig; origin: Record<TrainKey, Origin> };
    const base = resolveConfig(saved.config, new Set(), cmd.overrides);
    resolved = { config: base.config, origin: Object.fromEntries(Object.keys(base.origin).map((k) => [k, base.origin[k as TrainKey] === 'cli' ? 'cli' : (saved.origin[k as TrainKey] ?? 'default')])) as Record<TrainKey, Origin> };
    startEpoch = restored.contents.state.epoch;
    startStepInEpoch = restored.contents.state.stepInEpoch;
    bestValid = restored.contents.state.bestValid;
    sinceBest = restored.contents.state.epochsSinceBest;
    // Lines written after the checkpoint (by a run that stopped) are dropped: the resumed run writes them again.
    reconcileMetrics(path.join(dir, 'metrics.jsonl'), restored.contents.state.step);
    history = readMetricsFile(path.join(dir, 'metrics.jsonl')).filter(isEpoch);
  } else {
    if (!cmd.file) throw new Error('no program');
    const req = { file: cmd.file, sets: cmd.sets ?? [], estimators: cmd.estimators ?? new Map(), objective: cmd.overrides.objective };
    outcome = loadChecked(req);
    record = programRecord(req, outcome);
    resolved = resolveConfig(outcome.checked.train.config, outcome.checked.train.explicit, cmd.overrides);
    prog = new Program(outcome.checked, outcome.plan, resolved.config.seed);
    dir = cmd.out ?? path.join('runs', `${path.basename(cmd.file).replace(/\.vae$/, '')}-${timestamp()}`);
    try {
      checkNewRunDir(dir);
    } catch (e) {
      prog.dispose();
      throw e;
    }
  }
  const config = resolved.config;
  // --resume --data: the same data found elsewhere (a moved file), or refused.
  let resumedData: ReturnType<typeof sameData> | undefined;
  try {
    resumedData = restored && cmd.data !== undefined ? sameData(restored.contents.state.data, cmd.data) : undefined;
  } catch (e) {
    prog.dispose();
    throw e;
  }
  const data: BoundData = await bindData(outcome.checked, {
    data: restored ? (resumedData ? resumedData.source : storedData(restored.contents.state.data, 'resume')) : cmd.data,
    dataDir: cmd.dataDir,
    role: 'train',
    seed: config.seed,
    ...(cmd.sizes ? { sizes: cmd.sizes } : {}),
    validSize: cmd.valid ?? restored?.contents.state.data.valid,
    ...(cmd.onDownload ? { onDownload: cmd.onDownload } : {}),
  }).catch((e) => {
    prog.dispose();
    throw e;
  });
  const limit = cmd.limit ?? restored?.contents.state.data.limit;
  const validSize = cmd.valid ?? restored?.contents.state.data.valid;
  if (limit !== undefined && data.splits.train.size > limit) {
    (data as { splits: BoundData['splits'] }).splits = { ...data.splits, train: sliceDataset(data.splits.train, 0, limit), valid: sliceDataset(data.splits.valid, 0, Math.min(data.splits.valid.size, limit)) };
  }

  if (data.splits.train.size === 0) {
    prog.dispose();
    const valid = data.splits.valid.size;
    throw new DataError(`${data.source} has no training examples${valid > 0 ? ` (all ${valid} are held out for validation)` : ''}`, { hint: valid > 0 ? 'use a smaller --valid' : 'give a file with at least one row of data (a header alone holds none)' });
  }
  const trainer = new Trainer(prog, data, config, config.seed);
  if (restored) {
    trainer.step = restored.contents.state.step;
    try {
      await trainer.loadOptimizerWeights(restored.contents.optimizer, restored.contents.state.step);
    } catch (e) {
      trainer.dispose();
      prog.dispose();
      throw e;
    }
    prog.state.load(restored.contents.state.baselines);
  }
  const spe = trainer.stepsPerEpoch();
  const totalSteps = config.steps ?? config.epochs * spe;
  const totalEpochs = Math.ceil(totalSteps / spe);
  if (restored && trainer.step >= totalSteps) {
    trainer.dispose();
    prog.dispose();
    const epochs = trainer.step % spe === 0 ? `${trainer.step / spe} epoch${trainer.step === spe ? '' : 's'} (${trainer.step} steps)` : `${trainer.step} steps`;
    const asked = cmd.overrides.steps !== undefined ? `--steps ${cmd.overrides.steps} asks` : cmd.overrides.epochs !== undefined ? `--epochs ${cmd.overrides.epochs} asks` : `its configuration (${config.steps !== null ? `${config.steps} steps` : `${config.epochs} epochs`}) asks`;
    throw new UserError(`nothing to do: the run has already trained ${epochs}; ${asked} for no more`, `--epochs and --steps count from the start of the run: ask for more, e.g. --epochs ${Math.floor(trainer.step / spe) + 1}`);
  }
  const stepLog = new StepLog(cmd.logEvery ?? defaultLogEvery(totalSteps), spe);
  const metricsFile = path.join(dir, 'metrics.jsonl');
  const dataRecord = restored ? (resumedData ?? restored.contents.state.data) : outcome.checked.data.length > 0 ? recordData(data.source) : { source: data.source };
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, 'config.json'), JSON.stringify({ program: record.root, data: data.source, settings: configJson(resolved) }, null, 2));
  if (data.labeledIndices) writeFileAtomic(path.join(dir, 'labels.json'), JSON.stringify({ labelsPerClass: config.labelsPerClass, indices: [...data.labeledIndices] }));

  if (!cmd.json) {
    io.err(`${cmd.resume ? 'resuming' : 'training'} ${record.root}: ${prog.store.size().toLocaleString('en-US')} parameters`);
    io.err(`  ${'data'.padEnd(14)}${data.source}: train ${data.splits.train.size}, valid ${data.splits.valid.size}${data.labeledIndices ? `, ${data.labeledIndices.length} labelled` : ''}`);
    for (const l of configLines(resolved, prog.plan)) io.err(l);
    io.err(`  ${'out'.padEnd(14)}${dir}${cmd.resume ? ` (from epoch ${startEpoch + 1}, step ${trainer.step}${cmd.resetOptimizer ? ', optimizer reset' : ''})` : ''}`);
    for (const n of dataNotes(outcome, data, config)) io.err(`note: ${n}`);
  }

  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  const saveState = async (epoch: number, stepInEpoch: number): Promise<string> => {
    const optimizer = await trainer.optimizerWeights();
    try {
      return await saveCheckpoint(dir, {
      weights: prog.store.list().map((e) => ({ name: e.name, tensor: e.variable })),
      optimizer,
      program: record,
      state: {
        version: 1,
        step: trainer.step,
        epoch,
        stepInEpoch,
        seed: config.seed,
        baselines: prog.state.values(),
        bestValid,
        epochsSinceBest: sinceBest,
        config: { config, origin: resolved.origin },
        data: { source: dataRecord.source, ...(dataRecord.hashes ? { hashes: dataRecord.hashes } : {}), ...(limit !== undefined ? { limit } : {}), ...(validSize !== undefined ? { valid: validSize } : {}), ...(data.labeledIndices ? { labeledIndices: [...data.labeledIndices] } : {}) },
      },
      });
    } finally {
      optimizer[0]?.tensor.dispose();
    }
  };

  let checkpoint = path.join(dir, 'checkpoint');
  const label = objectiveLabel(config.objective);
  const printEvery = totalEpochs > 50 ? Math.ceil(totalEpochs / 20) : 1;
  let stopped: TrainResult['stopped'] = 'done';
  const progress = cmd.json ? undefined : cmd.onProgress;
  let shown: EpochProgress | undefined;
  const report = (phase: EpochProgress['phase'], p: Partial<EpochProgress> = {}) => {
    if (!progress || (phase === 'stop' && shown?.phase === 'stop') || (phase !== 'start' && !shown)) return;
    shown = { ...(shown ?? { epoch: '', value: 0, total: 0, elbo: '...', rate: '...' }), ...p, phase };
    progress(shown);
  };
  try {
    for (let epoch = startEpoch; epoch < totalEpochs && trainer.step < totalSteps; epoch++) {
      const batches = trainer.epochBatches(epoch);
      const first = epoch === startEpoch ? startStepInEpoch : 0;
      const stepsThisEpoch = Math.min(batches.length, first + (totalSteps - trainer.step));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let examples = 0;
      report('start', { epoch: `${epoch + 1}/${totalEpochs}`, value: first, total: stepsThisEpoch, elbo: '...', rate: '...' });
      await trainer.takeSnapshot(epoch);
      let runningElbo = NaN;
      let epochStats = { sum: 0, kl: 0, n: 0 };
      let tPrev = performance.now();
      for (let i = first; i < stepsThisEpoch; i++) {
        const last = i === stepsThisEpoch - 1;
        trainer.trainStep(batches[i]!, epoch, epoch + i / batches.length, { gradNorm: stepLog.wantsGradNorm(trainer.step + 1, last) });
        const now = performance.now();
        stepLog.noteStep(batches[i]!.length, (now - tPrev) / 1000);
        tPrev = now;
        examples += batches[i]!.length;
        if ((i + 1) % 20 === 0 || last || interrupted) {
          // One readback for the steps since the last one; their lines are written before the
          // non-finite check, so the curves show what led up to a divergence.
          const s = trainer.readStats();
          const lines = stepLog.add(s.perStep, trainer.step);
          if (last || interrupted) lines.push(...stepLog.flush());
          appendMetrics(metricsFile, lines);
          if (trainer.firstBadStep() >= 0) throw await trainer.diagnoseNonFinite((e) => trainer.epochBatches(e));
          epochStats = { sum: epochStats.sum + s.elbo * s.steps, kl: epochStats.kl + s.kl * s.steps, n: epochStats.n + s.steps };
          runningElbo = s.elbo;
          await trainer.takeSnapshot(epoch);
          report('update', { value: i + 1, elbo: fmt(runningElbo), rate: Math.round(examples / ((performance.now() - t0) / 1000)).toLocaleString('en-US') });
        }
        if (interrupted) break;
      }
      report('stop');
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const trainElbo = epochStats.n ? epochStats.sum / epochStats.n : NaN;
      const trainKl = epochStats.n ? epochStats.kl / epochStats.n : NaN;
      if (interrupted) {
        // The steps since the last readback (Ctrl-C can arrive during one), so the lines reach the checkpoint's step.
        appendMetrics(metricsFile, [...stepLog.add(trainer.readStats().perStep, trainer.step), ...stepLog.flush()]);
        const done = trainer.step - epoch * spe;
        checkpoint = await saveState(done >= batches.length ? epoch + 1 : epoch, done >= batches.length ? 0 : done);
        stopped = 'interrupted';
        if (!cmd.json) io.err(`interrupted at step ${trainer.step}; checkpoint saved. Resume with: vae train --resume ${dir}`);
        break;
      }
      const valid = data.splits.valid.size > 0 ? trainer.evaluate(data.splits.valid) : null;
      const rec: EpochRecord = {
        kind: 'epoch',
        epoch: epoch + 1,
        step: trainer.step,
        trainElbo,
        validElbo: valid ? valid.elbo : null,
        kl: trainKl,
        validKl: valid ? valid.kl : null,
        examplesPerSec: examples / seconds,
        seconds,
        cpuSeconds,
      };
      history.push(rec);
      appendMetrics(metricsFile, [rec]);
      if (valid) {
        if (bestValid === null || valid.elbo > bestValid) {
          bestValid = valid.elbo;
          sinceBest = 0;
        } else sinceBest++;
      }
      checkpoint = await saveState(epoch + 1, 0);
      if (cmd.json) io.out(JSON.stringify(rec));
      else if ((epoch + 1) % printEvery === 0 || epoch + 1 === totalEpochs) {
        const kl = config.objective.kind === 'expectation' ? '' : `  KL ${fmt(trainKl)}`;
        io.err(`epoch ${String(epoch + 1).padStart(3)}/${totalEpochs}  train ${label} ${fmt(trainElbo)}  valid ELBO ${valid ? fmt(valid.elbo) : 'n/a'}${kl}  ${Math.round(rec.examplesPerSec).toLocaleString('en-US')} ex/s  ${fmt(seconds, 1)} s`);
      }
      if (config.earlyStopping !== null && sinceBest >= config.earlyStopping) {
        stopped = 'early';
        if (!cmd.json) io.err(`early stopping: no better validation ELBO for ${sinceBest} epochs`);
        break;
      }
    }
  } finally {
    report('stop');
    process.removeListener('SIGINT', onSigint);
    trainer.dispose();
    prog.dispose();
  }
  const figures = cmd.figures !== false && fs.existsSync(metricsFile) ? await writeRunFigures(dir, readMetricsFile(metricsFile), { title: record.root, objective: config.objective }) : [];
  if (cmd.json) io.out(JSON.stringify({ done: true, checkpoint: dir, stopped }));
  else io.err(`done: ${dir}${figures.length > 0 ? ` (figures: ${figures.filter((f) => f.endsWith('.png')).map((f) => path.basename(f)).join(', ')})` : ''}`);
  return { dir, checkpoint, history, stopped };
}
