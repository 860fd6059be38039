/**
 * The lines of a run's metrics.jsonl, and their parser. Browser-safe (no Node imports): the
 * playground reads the same records.
 *
 * A run directory's metrics.jsonl holds one JSON object per line, of two kinds:
 *  - `{"kind":"step", ...}`: one optimizer step (or the mean over `steps` consecutive steps when
 *    training logs every N steps), written as training goes (see src/train/step-log.ts);
 *  - `{"kind":"epoch", ...}`: the end of an epoch, with the validation metrics.
 * Lines written before step lines existed have no `kind`; they are epoch lines. Metric values
 * are numbers, or null where the value was not finite (JSON has no NaN). Lines of other kinds
 * are skipped, so later versions can add kinds without breaking older readers.
 *
 * Contract of `parseMetrics(text, file)`: returns the records in file order, or throws a
 * DataError `FILE:LINE: what is wrong: the line` (LINE 1-based) for the first line that is not a JSON object,
 * or is an epoch or step line whose fields are missing or of the wrong type. Blank lines are
 * skipped. A missing trailing newline is accepted.
 */
import { DataError } from '../data/errors';

/** The end of a training epoch. */
export interface EpochRecord {
  readonly kind: 'epoch';
  /** Epochs completed (1-based). */
  readonly epoch: number;
  /** Optimizer steps completed. */
  readonly step: number;
  /** Mean training bound over the epoch's steps (the objective's: ELBO, or IWAE-K). */
  readonly trainElbo: number;
  /** ELBO on the validation split (null without one). */
  readonly validElbo: number | null;
  /** Mean KL(q(z|x) ‖ p(z)) over the epoch's training steps. */
  readonly kl: number;
  readonly validKl: number | null;
  readonly examplesPerSec: number;
  /** Wall-clock seconds of the epoch's training steps (validation excluded). */
  readonly seconds: number;
  /**
   * Process CPU seconds (user + system, every thread) of the same steps: on a machine shared
   * with other jobs the time the epoch itself cost. Absent in lines of older versions.
   */
  readonly cpuSeconds?: number;
}

/** One optimizer step, or the mean over `steps` consecutive steps. */
export interface StepRecord {
  readonly kind: 'step';
  /** Optimizer steps completed after this step (1-based). */
  readonly step: number;
  /** Epochs completed, fractional: step / steps per epoch. */
  readonly epoch: number;
  /** Steps this line averages (1 unless training logs every N steps). */
  readonly steps: number;
  /** The minimized loss: −(surrogate objective), with β and free bits applied. */
  readonly loss: number;
  /** The training bound per example (ELBO, or IWAE-K), β = 1. */
  readonly elbo: number;
  /** KL(q(z|x) ‖ p(z)) per example, summed over latent sites. */
  readonly kl: number;
  /** The KL weight β at the step. */
  readonly beta: number;
  /** ‖∇ loss‖₂ over all parameters, before the optimizer's update. */
  readonly gradNorm: number;
  /** The optimizer's learning rate. */
  readonly lr: number;
  readonly examplesPerSec: number;
  /** Wall-clock seconds of the step(s). */
  readonly seconds: number;
}

export type MetricsRecord = EpochRecord | StepRecord;

const STEP_FIELDS = ['step', 'epoch', 'steps', 'loss', 'elbo', 'kl', 'beta', 'gradNorm', 'lr', 'examplesPerSec', 'seconds'] as const;
const EPOCH_FIELDS = ['epoch', 'step', 'trainElbo', 'kl', 'examplesPerSec', 'seconds'] as const;
const EPOCH_OPTIONAL = ['validElbo', 'validKl'] as const;
/** Fields that count things: finite integers, never null. */
const COUNTS = new Set(['step', 'steps']);

/** A line as the error message shows it: at most 60 characters. */
function excerpt(line: string): string {
  const t = line.trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function lineError(file: string, n: number, what: string, line: string): DataError {
  return new DataError(`${file}:${n}: ${what}: ${excerpt(line)}`, {
    file,
    line: n,
    hint: 'metrics.jsonl holds one JSON object per line, as vae train writes it; a run stopped while writing can leave a cut-off last line: delete that line, or resume the run (vae train --resume), which repairs the file',
  });
}

/** Parses metrics.jsonl text; see the module comment. */
export function parseMetrics(text: string, file = 'metrics.jsonl'): MetricsRecord[] {
  const out: MetricsRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw lineError(file, i + 1, 'not a JSON object (cut off or corrupt)', line);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw lineError(file, i + 1, 'not a JSON object', line);
    const rec = obj as Record<string, unknown>;
    const kind = rec['kind'] ?? 'epoch';
    if (kind !== 'step' && kind !== 'epoch') continue;
    const fields = kind === 'step' ? STEP_FIELDS : EPOCH_FIELDS;
    const values: Record<string, unknown> = { kind };
    for (const f of fields) {
      const v = rec[f];
      const ok = COUNTS.has(f) ? typeof v === 'number' && Number.isInteger(v) && v >= 0 : typeof v === 'number' || v === null;
      if (!ok) throw lineError(file, i + 1, `${v === undefined ? 'missing' : 'a wrong value for'} \`${f}\` in a${kind === 'epoch' ? 'n' : ''} ${kind} line (expected ${COUNTS.has(f) ? 'a count' : 'a number'})`, line);
      values[f] = v === null ? NaN : v;
    }
    if (kind === 'epoch') {
      for (const f of EPOCH_OPTIONAL) {
        const v = rec[f];
        if (v !== undefined && v !== null && typeof v !== 'number') throw lineError(file, i + 1, `a wrong value for \`${f}\` in an epoch line (expected a number or null)`, line);
        values[f] = typeof v === 'number' ? v : null;
      }
      const cpu = rec['cpuSeconds'];
      if (cpu !== undefined && cpu !== null && typeof cpu !== 'number') throw lineError(file, i + 1, 'a wrong value for `cpuSeconds` in an epoch line (expected a number)', line);
      if (typeof cpu === 'number') values['cpuSeconds'] = cpu;
    }
    out.push(values as unknown as MetricsRecord);
  }
  return out;
}

export const isStep = (r: MetricsRecord): r is StepRecord => r.kind === 'step';
export const isEpoch = (r: MetricsRecord): r is EpochRecord => r.kind === 'epoch';

/** The JSON line of a record (non-finite numbers become null), without the newline. */
export function metricsLine(r: MetricsRecord): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}
