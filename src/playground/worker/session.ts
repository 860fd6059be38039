/**
 * One training run in the worker, on the library's `train()` (src/training.ts: the CLI's
 * Trainer, its NaN watchdog and validation per epoch, readbacks every 10 steps with a yield to
 * the event loop): step records are forwarded to the page as they are read back, epoch records
 * at each epoch's end. `stop()` aborts through the AbortSignal (between steps, at the next
 * readback); `run()` again resumes with the same step and optimizer state.
 */
import type { Program } from '../../program';
import type { EpochRecord, StepRecord } from '../../metrics/records';
import type { BoundData } from '../../train/memory-data';
import { train, type TrainRun } from '../../training';

export interface SessionEvents {
  steps(records: StepRecord[], step: number, examplesPerSec: number): void;
  epoch(record: EpochRecord): void;
}

export class Session {
  readonly stepsPerEpoch: number;
  totalSteps: number;
  running = false;
  private trainRun: TrainRun | undefined;
  private controller: AbortController | undefined;

  constructor(
    readonly prog: Program,
    readonly data: BoundData,
    readonly seed: number,
    steps: number | undefined,
    readonly every: number,
  ) {
    const cfg = prog.checked.train.config;
    this.stepsPerEpoch = Math.ceil(data.splits.train.size / cfg.batch);
    this.totalSteps = steps ?? cfg.steps ?? cfg.epochs * this.stepsPerEpoch;
  }

  get step(): number {
    return this.trainRun?.step ?? 0;
  }

  stop(): void {
    this.controller?.abort();
  }

  /** Trains to totalSteps or until stopped; rejects with VAE901 (site and step) on a non-finite loss. */
  async run(ev: SessionEvents): Promise<'done' | 'stopped'> {
    this.controller = new AbortController();
    this.running = true;
    let pending: StepRecord[] = [];
    try {
      this.trainRun = await train(this.prog, this.data, {
        steps: this.totalSteps,
        seed: this.seed,
        signal: this.controller.signal,
        readEvery: this.every,
        ...(this.trainRun ? { resume: this.trainRun } : {}),
        onStep: (s) => {
          pending.push(s);
          // The readback's steps arrive together; the last of them ends the batch.
          if (s.step % this.every === 0 || s.step === this.totalSteps || s.step % this.stepsPerEpoch === 0 || this.controller?.signal.aborted) {
            ev.steps(pending, s.step, s.examplesPerSec);
            pending = [];
          }
        },
        onEpoch: (e) => ev.epoch(e),
      });
      if (pending.length > 0) ev.steps(pending, pending[pending.length - 1]!.step, pending[pending.length - 1]!.examplesPerSec);
      return this.trainRun.stopped === 'aborted' ? 'stopped' : 'done';
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.trainRun?.dispose();
    this.prog.dispose();
  }
}
