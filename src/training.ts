/**
 * Training from code (browser-safe): `train(program, data, { signal, onStep, onEpoch })` runs
 * the same trainer as `vae train` (the NaN/Inf watchdog, validation per epoch) on in-memory data,
 * asynchronously, yielding to the event loop between readbacks so that a page stays responsive
 * and an AbortSignal stops it between steps. A stopped run resumes with `resume: run`, with the
 * optimizer state it had. Checkpoints on disk are the CLI's (src/train/run.ts); weights are saved
 * through tfjs IOHandlers (src/weights.ts).
 *
 * @example
 *   const run = await train(prog, { train: { x: images } }, { epochs: 2, onEpoch: (e) => console.log(e.validElbo) });
 *   run.dispose();
 */
import { produce } from 'immer';
import type { EpochRecord, StepRecord } from './metrics/records';
import type { Program } from './program';
import { bindMemory, type BoundData, type MemoryData } from './train/memory-data';
import { Trainer, type StepStats } from './train/trainer';
import type { TrainConfig } from './dsl/train-config';

export type { MemoryData, Columns } from './train/memory-data';
export type { EpochRecord, StepRecord } from './metrics/records';

export interface TrainOptions {
  /** Epochs to train to (counted from the start of the run; default: the train block's). */
  readonly epochs?: number;
  /** Optimizer steps to train to, instead of epochs. */
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly seed?: number;
  /** Stops training between two steps; the promise resolves with `stopped: 'aborted'`. */
  readonly signal?: AbortSignal;
  /** Called for each step, in order, at every readback (every `readEvery` steps). */
  readonly onStep?: (s: StepRecord) => void | Promise<void>;
  /** Called after each epoch with its training and validation bounds. */
  readonly onEpoch?: (e: EpochRecord) => void | Promise<void>;
  /** Steps between readbacks of the statistics (and yields to the event loop); default 10. */
  readonly readEvery?: number;
  /** Continue a run that stopped (same program and data): its step, optimizer state and history. */
  readonly resume?: TrainRun;
}

export interface TrainRun {
  /** Optimizer steps taken so far. */
  readonly step: number;
  readonly history: readonly EpochRecord[];
  /** 'done' (reached its epochs or steps) or 'aborted' (the signal fired). */
  readonly stopped: 'done' | 'aborted';
  /** Frees the optimizer state (the program's parameters stay). */
  dispose(): void;
}

class Run implements TrainRun {
  step = 0;
  history: EpochRecord[] = [];
  stopped: 'done' | 'aborted' = 'done';
  constructor(
    readonly trainer: Trainer,
    readonly prog: Program,
  ) {}
  dispose(): void {
    this.trainer.dispose();
  }
}

function resolveConfig(base: TrainConfig, o: TrainOptions): TrainConfig {
  return produce(base, (d) => {
    if (o.epochs !== undefined) d.epochs = o.epochs;
    if (o.steps !== undefined) d.steps = o.steps;
    if (o.batch !== undefined) d.batch = o.batch;
    if (o.seed !== undefined) d.seed = o.seed;
    if (o.lr !== undefined) d.optimizer.lr = o.lr;
  });
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `prog` on in-memory data. Resolves when the epochs (or steps) are done or the signal
 * aborts; rejects with a DiagnosticError (VAE901, the site and the step) when a loss or gradient
 * is not finite, and with a DataError when the data do not fit the program's declarations.
 */
export async function train(prog: Program, data: MemoryData | BoundData, opts: TrainOptions = {}): Promise<TrainRun> {
  const bound: BoundData = 'splits' in data ? data : bindMemory(prog.checked, data);
  const config = resolveConfig(prog.checked.train.config, opts);
  if (opts.resume && (opts.resume as Run).prog !== prog) throw new Error('resume: the run belongs to another program');
  const run = opts.resume ? (opts.resume as Run) : new Run(new Trainer(prog, bound, config, config.seed), prog);
  const trainer = run.trainer;
  run.stopped = 'done';
  const spe = trainer.stepsPerEpoch();
  const totalSteps = config.steps ?? config.epochs * spe;
  const readEvery = Math.max(1, opts.readEvery ?? 10);
  const aborted = () => opts.signal?.aborted === true;
  // Steps between readbacks share their wall-clock time and examples evenly.
  let tRead = performance.now();
  let examplesSinceRead = 0;
  const flushSteps = async () => {
    const s = trainer.readStats();
    const now = performance.now();
    const seconds = (now - tRead) / 1000 / Math.max(1, s.steps);
    const rate = examplesSinceRead / Math.max(1e-9, (now - tRead) / 1000);
    tRead = now;
    examplesSinceRead = 0;
    const first = trainer.step - s.steps;
    for (let i = 0; i < s.perStep.length; i++) await opts.onStep?.(stepRecord(first + i + 1, spe, s.perStep[i]!, seconds, rate));
    if (trainer.firstBadStep() >= 0) throw await trainer.diagnoseNonFinite((e) => trainer.epochBatches(e));
    return s;
  };
  while (trainer.step < totalSteps && !aborted()) {
    const epoch = Math.floor(trainer.step / spe);
    const batches = trainer.epochBatches(epoch);
    const t0 = performance.now();
    let examples = 0;
    let sum = 0;
    let kl = 0;
    let n = 0;
    await trainer.takeSnapshot(epoch);
    tRead = performance.now();
    for (let i = trainer.step - epoch * spe; i < batches.length && trainer.step < totalSteps; i++) {
      trainer.trainStep(batches[i]!, epoch, epoch + i / batches.length, { gradNorm: true });
      examples += batches[i]!.length;
      examplesSinceRead += batches[i]!.length;
      const last = i === batches.length - 1 || trainer.step >= totalSteps;
      if (trainer.step % readEvery === 0 || last || aborted()) {
        const s = await flushSteps();
        sum += s.elbo * s.steps;
        kl += s.kl * s.steps;
        n += s.steps;
        await trainer.takeSnapshot(epoch);
        await nextTask();
        if (aborted()) break;
      }
    }
    if (aborted()) {
      const s = await flushSteps();
      if (s.steps > 0) n += s.steps;
      break;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (trainer.step % spe !== 0 && trainer.step < totalSteps) continue;
    const valid = bound.splits.valid.size > 0 ? trainer.evaluate(bound.splits.valid) : null;
    const rec: EpochRecord = {
      kind: 'epoch',
      epoch: Math.ceil(trainer.step / spe),
      step: trainer.step,
      trainElbo: n ? sum / n : NaN,
      validElbo: valid ? valid.elbo : null,
      kl: n ? kl / n : NaN,
      validKl: valid ? valid.kl : null,
      examplesPerSec: examples / seconds,
      seconds,
    };
    run.history.push(rec);
    await opts.onEpoch?.(rec);
  }
  run.step = trainer.step;
  run.stopped = aborted() ? 'aborted' : 'done';
  return run;
}

function stepRecord(step: number, spe: number, s: StepStats, seconds: number, examplesPerSec: number): StepRecord {
  return { kind: 'step', step, epoch: step / spe, steps: 1, loss: s.loss, elbo: s.elbo, kl: s.kl, beta: s.beta, gradNorm: s.gradNorm, lr: s.lr, examplesPerSec, seconds };
}
