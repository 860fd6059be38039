/**
 * One training run in the worker: the CLI's Trainer (src/train/trainer.ts) stepping through
 * seeded epochs, statistics read back every `every` steps and posted as metrics.jsonl-style
 * step records (src/train/step-log.ts), an epoch record with the validation ELBO at each
 * epoch's end, and the NaN watchdog's diagnosis (the site and the step, VAE901) when a loss
 * goes non-finite. Between read-backs the loop yields to the event loop, so a `stop` message
 * ends it at the next read-back; `resume` continues from the same step, same optimizer state.
 */
import { Program } from '../../program';
import { DiagnosticError } from '../../dsl/diagnostics';
import type { EpochRecord, StepRecord } from '../../metrics/records';
import type { BoundData } from '../../train/data-binding';
import { StepLog } from '../../train/step-log';
import { Trainer } from '../../train/trainer';
import type { TrainConfig } from '../../dsl/train-config';

export interface SessionEvents {
  steps(records: StepRecord[], step: number, examplesPerSec: number): void;
  epoch(record: EpochRecord): void;
}

export class Session {
  readonly trainer: Trainer;
  readonly stepsPerEpoch: number;
  totalSteps: number;
  private stopRequested = false;
  running = false;
  private readonly log: StepLog;
  private epochAcc = { sum: 0, kl: 0, n: 0, examples: 0, seconds: 0 };

  constructor(
    readonly prog: Program,
    readonly data: BoundData,
    config: TrainConfig,
    readonly seed: number,
    steps: number | undefined,
    readonly every: number,
  ) {
    this.trainer = new Trainer(prog, data, config, seed);
    this.stepsPerEpoch = this.trainer.stepsPerEpoch();
    this.totalSteps = steps ?? config.steps ?? config.epochs * this.stepsPerEpoch;
    this.log = new StepLog(1, this.stepsPerEpoch);
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Trains until totalSteps, a stop request, or a non-finite loss (thrown as a DiagnosticError). */
  async run(ev: SessionEvents): Promise<'done' | 'stopped'> {
    this.stopRequested = false;
    this.running = true;
    const t = this.trainer;
    const spe = this.stepsPerEpoch;
    try {
      while (t.step < this.totalSteps) {
        const epoch = Math.floor(t.step / spe);
        const batches = t.epochBatches(epoch);
        await t.takeSnapshot(epoch);
        let examples = 0;
        const t0 = performance.now();
        let tPrev = t0;
        while (t.step < this.totalSteps && t.step < (epoch + 1) * spe) {
          const i = t.step - epoch * spe;
          const idx = batches[i]!;
          t.trainStep(idx, epoch, epoch + i / spe);
          const now = performance.now();
          this.log.noteStep(idx.length, (now - tPrev) / 1000);
          tPrev = now;
          examples += idx.length;
          const endOfEpoch = t.step === (epoch + 1) * spe;
          if (t.step % this.every === 0 || endOfEpoch || t.step === this.totalSteps) {
            const s = t.readStats();
            const lines = this.log.add(s.perStep, t.step);
            const seconds = (performance.now() - t0) / 1000;
            ev.steps(lines, t.step, examples / seconds);
            if (t.firstBadStep() >= 0) throw await t.diagnoseNonFinite((e) => t.epochBatches(e));
            this.epochAcc.sum += s.elbo * s.steps;
            this.epochAcc.kl += s.kl * s.steps;
            this.epochAcc.n += s.steps;
            await t.takeSnapshot(epoch);
            // Let messages in (stop), and the page breathe.
            await new Promise((r) => setTimeout(r, 0));
            if (this.stopRequested && !endOfEpoch) {
              this.epochAcc.examples += examples;
              this.epochAcc.seconds += (performance.now() - t0) / 1000;
              return 'stopped';
            }
          }
        }
        this.epochAcc.examples += examples;
        this.epochAcc.seconds += (performance.now() - t0) / 1000;
        if (t.step === (epoch + 1) * spe) this.endEpoch(epoch, ev);
        if (this.stopRequested) return 'stopped';
      }
      return 'done';
    } finally {
      this.running = false;
    }
  }

  private endEpoch(epoch: number, ev: SessionEvents): void {
    const valid = this.data.splits.valid.size > 0 ? this.trainer.evaluate(this.data.splits.valid) : null;
    const a = this.epochAcc;
    ev.epoch({
      kind: 'epoch',
      epoch: epoch + 1,
      step: this.trainer.step,
      trainElbo: a.n ? a.sum / a.n : NaN,
      validElbo: valid ? valid.elbo : null,
      kl: a.n ? a.kl / a.n : NaN,
      validKl: valid ? valid.kl : null,
      examplesPerSec: a.seconds > 0 ? a.examples / a.seconds : NaN,
      seconds: a.seconds,
    });
    this.epochAcc = { sum: 0, kl: 0, n: 0, examples: 0, seconds: 0 };
  }

  dispose(): void {
    this.trainer.dispose();
    this.prog.dispose();
  }
}

export { DiagnosticError };
