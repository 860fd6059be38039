/**
 * Benchmark harness: each case runs in its own process (so peak RSS is its own), warms up, then
 * times at least 5 repetitions and reports the median and the spread (min, max), the backend,
 * peak RSS, and tf.memory().numTensors before and after (they must be equal).
 *
 * Each repetition's value is also given in process CPU time (`cpuMedian`, `cpuReps`): the value
 * scaled by the repetition's CPU time over its wall time. On a machine shared with other jobs
 * the wall clock charges a process for the time it waited for a core; the CPU time does not, so
 * it approximates what the same code takes on an idle core (it still pays for caches and a
 * memory bus shared with the other jobs). Meaningful for single-threaded runs only: with a
 * second thread the CPU time counts both.
 */
import * as tf from '@tensorflow/tfjs';
import { backendName, initBackend } from '../src/backend';

export interface CaseResult {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly reps: number[];
  readonly backend: string;
  readonly peakRssMb: number;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** The median in process CPU time (see above). */
  readonly cpuMedian?: number;
  readonly cpuReps?: number[];
  readonly extra?: Record<string, unknown>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Runs `setup` once, `rep` warmup + reps times (each returns the value to record, e.g. ms per
 * step), and `teardown`; prints the result as JSON on stdout.
 */
export async function runCase<S>(opts: {
  name: string;
  unit: string;
  reps?: number;
  warmup?: number;
  setup: () => Promise<S> | S;
  rep: (s: S, i: number) => Promise<number> | number;
  teardown?: (s: S) => void;
  extra?: (s: S, values: number[]) => Record<string, unknown>;
  /** False when the value is not a time (e.g. MB of memory): no CPU-time figure. */
  timed?: boolean;
}): Promise<CaseResult> {
  await initBackend(process.env['VAE_BACKEND'] ?? undefined);
  const s = await opts.setup();
  for (let i = 0; i < (opts.warmup ?? 1); i++) await opts.rep(s, -1 - i);
  const tensorsBefore = tf.memory().numTensors;
  const reps: number[] = [];
  const cpuReps: number[] = [];
  for (let i = 0; i < (opts.reps ?? 5); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const v = await opts.rep(s, i);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    reps.push(v);
    cpuReps.push(wall > 0 ? (v * (c.user + c.system)) / 1000 / wall : v);
  }
  const tensorsAfter = tf.memory().numTensors;
  const extra = opts.extra?.(s, reps);
  opts.teardown?.(s);
  const result: CaseResult = {
    name: opts.name,
    unit: opts.unit,
    median: median(reps),
    min: Math.min(...reps),
    max: Math.max(...reps),
    reps,
    backend: backendName(),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensorsBefore,
    tensorsAfter,
    ...(opts.timed === false ? {} : { cpuMedian: median(cpuReps), cpuReps }),
    ...(extra ? { extra } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}
