/**
 * Step lines of metrics.jsonl (src/metrics/records.ts) from the trainer's read-back statistics.
 *
 * Contract. Training reads the device-side statistics every few steps (one readback for all
 * of them, see Trainer.readStats) and passes them here with each step's JS-side facts (examples,
 * wall-clock seconds). With `every` = 1 each step becomes one line; with `every` = N > 1 a line
 * covers the steps up to the next multiple of N (or the end of the epoch, or a flush): loss,
 * ELBO and KL are means over those steps, β and the learning rate are the last step's, the
 * throughput is the window's examples over its seconds, and the gradient norm is the last
 * step's, the only one of the window whose norm training computes (`wantsGradNorm`), which keeps
 * its cost at 1/N of a step's few percent (BENCHMARKS.md). Windows never span epochs: call `flush` at the end of each
 * epoch (and before a checkpoint), so the lines up to a checkpoint are all written.
 *
 * The default N (`defaultLogEvery`) keeps a run to at most about 2,000 step lines.
 */
import type { StepRecord } from '../metrics/records';
import type { StepStats } from './trainer';

/** Step lines per run, at most (about), by default. */
export const MAX_STEP_LINES = 2000;

/** N for a run of `totalSteps` steps: 1 (every step) up to 2,000 steps, then coarser. */
export function defaultLogEvery(totalSteps: number): number {
  return Math.max(1, Math.ceil(totalSteps / MAX_STEP_LINES));
}

interface Window {
  n: number;
  loss: number;
  elbo: number;
  kl: number;
  examples: number;
  seconds: number;
  last: StepStats | null;
  step: number;
}

const empty = (): Window => ({ n: 0, loss: 0, elbo: 0, kl: 0, examples: 0, seconds: 0, last: null, step: 0 });

export class StepLog {
  private win = empty();
  private readonly facts: { examples: number; seconds: number }[] = [];

  constructor(
    readonly every: number,
    readonly stepsPerEpoch: number,
  ) {
    if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`StepLog: every must be a positive integer, got ${every}`);
  }

  /** Whether the step that completes step count `step` (1-based) should compute its gradient norm. */
  wantsGradNorm(step: number, lastOfEpoch: boolean): boolean {
    return this.every === 1 || step % this.every === 0 || lastOfEpoch;
  }

  /** Records the JS-side facts of the step just taken (in step order). */
  noteStep(examples: number, seconds: number): void {
    this.facts.push({ examples, seconds });
  }

  /**
   * Folds in the statistics read back for the last `stats.length` steps, the last of which
   * completed step count `step`; returns the lines completed.
   */
  add(stats: readonly StepStats[], step: number): StepRecord[] {
    if (stats.length !== this.facts.length) throw new Error(`StepLog: ${stats.length} read-back steps for ${this.facts.length} noted steps`);
    const out: StepRecord[] = [];
    const first = step - stats.length + 1;
    stats.forEach((s, i) => {
      const f = this.facts[i]!;
      const w = this.win;
      w.n++;
      w.loss += s.loss;
      w.elbo += s.elbo;
      w.kl += s.kl;
      w.examples += f.examples;
      w.seconds += f.seconds;
      w.last = s;
      w.step = first + i;
      if (w.step % this.every === 0) out.push(...this.flush());
    });
    this.facts.length = 0;
    return out;
  }

  /** Ends the current window (end of an epoch, interrupt); returns its line, if it has steps. */
  flush(): StepRecord[] {
    const w = this.win;
    if (w.n === 0 || w.last === null) return [];
    this.win = empty();
    return [
      {
        kind: 'step',
        step: w.step,
        epoch: w.step / this.stepsPerEpoch,
        steps: w.n,
        loss: w.loss / w.n,
        elbo: w.elbo / w.n,
        kl: w.kl / w.n,
        beta: w.last.beta,
        gradNorm: w.last.gradNorm,
        lr: w.last.lr,
        examplesPerSec: w.seconds > 0 ? w.examples / w.seconds : NaN,
        seconds: w.seconds,
      },
    ];
  }
}
