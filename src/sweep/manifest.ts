/**
 * The sweep directory and its manifest, DIR/sweep.json.
 *
 * Layout (the same for every executor):
 *   DIR/sweep.json             the spec, its cells and tasks (one per cell and seed), who owns the
 *                              directory, the submissions and each task's last known state
 *   DIR/sweep.lock             held by the one `vae sweep` process that submits and tracks
 *   DIR/runs/<task>/           one run directory per task (a normal `vae train` run), with
 *                              result.json once the task trained and evaluated
 *   DIR/logs/<index>.log       each task's stdout and stderr (appended across retries)
 *   DIR/slurm/job.sh           the array job script (slurm executor)
 *
 * Identity: a sweep's id is a hash of its spec (models, grid, seeds, overrides, protocol), not
 * of how it runs (executor, Slurm settings). A directory whose sweep.json has another id
 * belongs to another sweep and is refused; the same id is continued only with --resume. The
 * lock file is created exclusively; a lock left by a process that is gone (same host) is taken
 * over, one held on another host is refused with its owner named.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { writeFileAtomic } from '../core/atomic-file';

export interface SweepProtocol {
  readonly epochs: number;
  readonly steps: number | null;
  readonly batch: number;
  readonly data: string;
  readonly limit: number | null;
  readonly evalLimit: number | null;
  readonly iwae: number;
  /** Train keys the grid varies, which the protocol therefore does not override. */
  readonly varied: readonly string[];
}

/** What a sweep computes (its id is the hash of this). */
export interface SweepSpec {
  readonly files: readonly string[];
  readonly grid: readonly string[];
  readonly random: number | null;
  readonly seeds: readonly number[];
  /** `--set` fragments applied to every cell. */
  readonly sets: readonly string[];
  readonly protocol: SweepProtocol;
  readonly dataDir: string | null;
  /** Synthetic data set sizes (tests). */
  readonly sizes: { train?: number; valid?: number; test?: number } | null;
}

export interface Cell {
  readonly index: number;
  readonly label: string;
  readonly model: string;
  readonly file: string;
  /** The grid's fragments of this cell (after the sweep's own `--set` fragments). */
  readonly sets: readonly string[];
  /** Axis key -> value, for tables and figures. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Task {
  readonly index: number;
  readonly cell: number;
  readonly seed: number;
  /** The run directory, relative to the sweep directory. */
  readonly run: string;
}

/** Scheduler states a task can end in (Slurm's names; the local executor uses the same). */
export type TaskState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'OUT_OF_MEMORY' | 'NODE_FAIL' | 'PREEMPTED' | 'BOOT_FAIL' | 'DEADLINE' | 'REQUEUED' | 'UNKNOWN';

export const TERMINAL_FAILURES: readonly TaskState[] = ['FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE'];

export interface TaskStatus {
  readonly state: TaskState;
  /** The log file, relative to the sweep directory. */
  readonly log: string;
  /** The scheduler's id (`1234_5`), when there is one. */
  readonly job?: string;
  readonly exitCode?: string;
  readonly at: string;
}

export interface Submission {
  readonly executor: 'local' | 'slurm';
  readonly at: string;
  readonly tasks: readonly number[];
  /** The array job's id (slurm). */
  readonly job?: string;
}

export interface Owner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

export interface Manifest {
  readonly version: 1;
  readonly id: string;
  readonly created: string;
  /** The directory the sweep was started from: model files, data and run paths resolve there. */
  readonly cwd: string;
  readonly spec: SweepSpec;
  readonly axes: readonly string[];
  readonly cells: readonly Cell[];
  readonly tasks: readonly Task[];
  /** Flags every task's `vae` gets before the command (backend, threads, fused). */
  readonly vaeFlags: readonly string[];
  owner: Owner | null;
  submissions: Submission[];
  status: Record<string, TaskStatus>;
}

export const MANIFEST = 'sweep.json';
const LOCK = 'sweep.lock';

export function sweepId(spec: SweepSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
}

export function manifestPath(dir: string): string {
  return path.join(dir, MANIFEST);
}

export function readManifest(dir: string): Manifest {
  const file = manifestPath(dir);
  if (!fs.existsSync(file)) throw new UserError(`${dir} is not a sweep directory (it has no ${MANIFEST})`, 'give the directory a vae sweep wrote, e.g. vae sweep --resume runs/sweep-20261202-080000');
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`, 'it was edited or cut short; restore it, or start the sweep in a new directory');
  }
  if (m.version !== 1 || typeof m.id !== 'string' || !Array.isArray(m.tasks)) throw new UserError(`${file} is not a sweep manifest this version of vaelang reads`, 'start the sweep in a new directory');
  return m;
}

export function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(manifestPath(dir), `${JSON.stringify(m, null, 2)}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes DIR/sweep.lock for this process; returns the release function. Refuses when another
 * live `vae sweep` holds it.
 */
export function acquireLock(dir: string): () => void {
  const file = path.join(dir, LOCK);
  const me: Owner = { host: os.hostname(), pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as Owner;
          if (held.pid === me.pid && held.host === me.host) fs.rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: Owner | null = null;
    try {
      held = JSON.parse(fs.readFileSync(file, 'utf8')) as Owner;
    } catch {
      held = null;
    }
    if (held && held.host !== me.host) {
      throw new UserError(`${dir} is in use by vae sweep (pid ${held.pid}) on ${held.host} since ${held.since}`, `wait for it to finish; if that process is gone, remove ${file}`);
    }
    if (held && alive(held.pid)) {
      throw new UserError(`${dir} is in use by another vae sweep (pid ${held.pid}, since ${held.since})`, 'wait for it to finish, or stop it; two sweeps never write one directory');
    }
    fs.rmSync(file, { force: true }); // a stale lock: its process is gone
  }
  throw new UserError(`cannot lock ${dir}`, `remove ${file} if no vae sweep is running`);
}

export function taskLog(index: number): string {
  return path.join('logs', `${index}.log`);
}

export function resultPath(dir: string, t: Task): string {
  return path.join(dir, t.run, 'result.json');
}

/** True when the task's run trained and was evaluated (its result.json exists). */
export function isFinished(dir: string, t: Task): boolean {
  return fs.existsSync(resultPath(dir, t));
}
