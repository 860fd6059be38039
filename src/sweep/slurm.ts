/**
 * The Slurm executor: one job array through `sbatch`, tracked with `squeue` and `sacct`.
 *
 * DIR/slurm/job.sh holds the settings as #SBATCH lines (partition, account, time, memory,
 * CPUs, GRES such as gpu:1, extra sbatch arguments) and runs `vae sweep-task DIR
 * $SLURM_ARRAY_TASK_ID` from the sweep's directory: the array index is the task's index, so a
 * resubmission of some tasks is `--array=3,7`. Jobs are `--requeue`able and their output is
 * appended to DIR/logs/<index>.log, so a requeued task resumes from its checkpoint with its
 * log kept. With a time limit, `--signal=B:TERM@<s>` asks the task to checkpoint before it.
 *
 * Tracking: `squeue -r --states=all` lists live tasks and, for MinJobAge after they end, their
 * end state; `sacct` (when accounting is enabled) answers for tasks squeue has forgotten. A task
 * with result.json is COMPLETED whatever the scheduler says.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { taskCommand, shellWord } from './command';
import { isFinished, type Manifest, type TaskState } from './manifest';

export interface SlurmSettings {
  readonly partition?: string;
  readonly account?: string;
  /** Slurm's time format: minutes, MM:SS, HH:MM:SS or D-HH:MM:SS. */
  readonly time?: string;
  readonly mem?: string;
  readonly cpusPerTask?: number;
  readonly gres?: string;
  /** At most this many tasks at once (`--array=...%N`). */
  readonly arrayLimit?: number;
  /** More sbatch arguments, e.g. --qos=short. */
  readonly sbatchArgs?: readonly string[];
  /** Shell lines run before the task (module load ..., source venv). */
  readonly setup?: readonly string[];
  /** The node binary on the compute nodes (default: the one running vae sweep). */
  readonly node?: string;
  /** Seconds between squeue polls (default 5). */
  readonly poll?: number;
}

const KEYS: Readonly<Record<keyof SlurmSettings, 'string' | 'number' | 'strings'>> = {
  partition: 'string',
  account: 'string',
  time: 'string',
  mem: 'string',
  cpusPerTask: 'number',
  gres: 'string',
  arrayLimit: 'number',
  sbatchArgs: 'strings',
  setup: 'strings',
  node: 'string',
  poll: 'number',
};

/** Reads a `--slurm-config FILE` (JSON with the keys of SlurmSettings). */
export function readSlurmConfig(file: string): SlurmSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot read the Slurm config ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, 'write a JSON object, e.g. {"partition": "gpu", "time": "02:00:00", "mem": "8G", "gres": "gpu:1"}', 'VAE701');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`the Slurm config ${file} is not a JSON object`, 'write e.g. {"partition": "gpu", "time": "02:00:00"}', 'VAE701');
  for (const [k, v] of Object.entries(raw)) {
    const kind = KEYS[k as keyof SlurmSettings];
    if (!kind) throw new UserError(`the Slurm config ${file} has an unknown key "${k}"`, `the keys are ${Object.keys(KEYS).join(', ')}`, 'VAE701');
    const ok = kind === 'string' ? typeof v === 'string' : kind === 'number' ? Number.isInteger(v) && (v as number) > 0 : Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!ok) throw new UserError(`the Slurm config ${file}: "${k}" should be ${kind === 'string' ? 'a string' : kind === 'number' ? 'a positive whole number' : 'a list of strings'}`, 'see docs/cluster.md', 'VAE701');
  }
  return raw as SlurmSettings;
}

/** `0-3,7,9-10` from task indices. */
export function arraySpec(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** Seconds of a Slurm time limit, or null when it cannot be read. */
function timeSeconds(t: string): number | null {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t.trim());
  if (!m) return null;
  const [d, a, b, c] = [Number(m[1] ?? 0), Number(m[2]), m[3] !== undefined ? Number(m[3]) : null, m[4] !== undefined ? Number(m[4]) : null];
  if (m[1] !== undefined) return d * 86400 + a * 3600 + (b ?? 0) * 60 + (c ?? 0); // D-HH[:MM[:SS]]
  if (c !== null) return a * 3600 + (b ?? 0) * 60 + c; // HH:MM:SS
  if (b !== null) return a * 60 + b; // MM:SS
  return a * 60; // minutes
}

/** The job script, DIR/slurm/job.sh. */
export function jobScript(dir: string, m: Manifest, s: SlurmSettings): string {
  const abs = path.resolve(dir);
  const lines = ['#!/bin/bash', `# vae sweep ${m.id}: one array task per cell and seed (task index = array index)`, `#SBATCH --job-name=vae-sweep-${m.id}`, `#SBATCH --output=${abs}/logs/%a.log`, '#SBATCH --open-mode=append', '#SBATCH --requeue'];
  if (s.partition) lines.push(`#SBATCH --partition=${s.partition}`);
  if (s.account) lines.push(`#SBATCH --account=${s.account}`);
  if (s.time) {
    lines.push(`#SBATCH --time=${s.time}`);
    const secs = timeSeconds(s.time);
    // Time to save a checkpoint before the limit: a tenth of it, between 10 s and 5 minutes.
    if (secs !== null) lines.push(`#SBATCH --signal=B:TERM@${Math.max(10, Math.min(300, Math.round(secs / 10)))}`);
  }
  if (s.mem) lines.push(`#SBATCH --mem=${s.mem}`);
  lines.push(`#SBATCH --cpus-per-task=${s.cpusPerTask ?? 1}`);
  if (s.gres) lines.push(`#SBATCH --gres=${s.gres}`);
  for (const a of s.sbatchArgs ?? []) lines.push(`#SBATCH ${a}`);
  lines.push('', 'set -e', `cd ${shellWord(m.cwd)}`, ...(s.setup ?? []));
  lines.push(`exec ${taskCommand(m, abs, '"$SLURM_ARRAY_TASK_ID"', s.node).map(shellWord).join(' ')}`, '');
  return lines.join('\n');
}

function run(cmd: string, args: readonly string[]): { ok: boolean; missing: boolean; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, missing: (r.error as NodeJS.ErrnoException).code === 'ENOENT', stdout: '', stderr: r.error.message };
  return { ok: r.status === 0, missing: false, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').trim() };
}

/** Submits the tasks as one array job; returns its id. */
export function submitArray(dir: string, m: Manifest, indices: readonly number[], s: SlurmSettings): string {
  const script = path.join(dir, 'slurm', 'job.sh');
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(script, jobScript(dir, m, s), { mode: 0o755 });
  const array = `${arraySpec(indices)}${s.arrayLimit ? `%${s.arrayLimit}` : ''}`;
  const r = run('sbatch', ['--parsable', `--array=${array}`, script]);
  if (r.missing) {
    throw new UserError('sbatch is not on the PATH: this machine cannot submit Slurm jobs', 'run vae sweep on a login node of the cluster (where sbatch works), or use --executor local; nothing was submitted', 'VAE705');
  }
  if (!r.ok) {
    const text = (r.stderr || r.stdout).split('\n').filter((l) => l.trim() !== '').join(' / ') || 'no error text';
    throw new UserError(
      `sbatch refused the job array: ${text}`,
      `check the Slurm settings (--partition, --account, --time, --mem, --gres; sinfo lists the partitions); the job script is ${script}; nothing was submitted, and vae sweep --resume ${dir} submits again`,
      'VAE705',
    );
  }
  const id = r.stdout.trim().split(';')[0]!.trim();
  if (!/^\d+$/.test(id)) throw new UserError(`sbatch answered '${r.stdout.trim()}', not a job id`, `check ${script} and sbatch's configuration`, 'VAE705');
  return id;
}

const LIVE = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESIZING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT']);

export function isLive(state: string): boolean {
  return LIVE.has(state);
}

/** Slurm's state words to the ones a sweep reports. */
export function normalizeState(raw: string): TaskState {
  const s = raw.trim().split(/\s+/)[0]!.replace(/\+$/, '');
  switch (s) {
    case 'COMPLETED':
    case 'FAILED':
    case 'CANCELLED':
    case 'TIMEOUT':
    case 'OUT_OF_MEMORY':
    case 'NODE_FAIL':
    case 'PREEMPTED':
    case 'BOOT_FAIL':
    case 'DEADLINE':
    case 'PENDING':
    case 'RUNNING':
      return s;
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
      return 'REQUEUED';
    default:
      return LIVE.has(s) ? 'RUNNING' : 'UNKNOWN';
  }
}

/** Task index -> Slurm's raw state, from squeue (and sacct for what squeue no longer lists). */
export function queryArray(job: string): { states: Map<number, { state: string; exitCode?: string }>; error: string | null } {
  const states = new Map<number, { state: string; exitCode?: string }>();
  const q = run('squeue', ['-h', '-r', '-j', job, '--states=all', '-o', '%i|%T']);
  let error: string | null = null;
  if (q.ok) {
    for (const line of q.stdout.split('\n')) {
      const m = /^(\d+)_(\d+)\|(\S+)/.exec(line.trim());
      if (m && m[1] === job) states.set(Number(m[2]), { state: m[3]! });
    }
  } else if (!/Invalid job id/i.test(q.stderr)) error = `squeue: ${q.stderr || 'failed'}`;
  const a = run('sacct', ['-n', '-P', '-X', '-j', job, '-o', 'JobID,State,ExitCode']);
  if (a.ok) {
    for (const line of a.stdout.split('\n')) {
      const [id, state, exit] = line.trim().split('|');
      const m = /^(\d+)_(\d+)$/.exec(id ?? '');
      if (!m || m[1] !== job || !state) continue;
      const idx = Number(m[2]);
      const known = states.get(idx);
      // squeue is current; sacct fills in tasks it has dropped, and gives exit codes.
      if (!known) states.set(idx, { state, ...(exit ? { exitCode: exit } : {}) });
      else if (exit && !isLive(known.state)) states.set(idx, { ...known, exitCode: exit });
    }
  }
  return { states, error };
}

/** What the tracker reports for a task: files first (result.json), then the scheduler. */
export function taskState(dir: string, m: Manifest, index: number, raw: string | undefined): TaskState {
  if (isFinished(dir, m.tasks[index]!)) return 'COMPLETED';
  if (raw === undefined) return 'UNKNOWN';
  const s = normalizeState(raw);
  return s === 'COMPLETED' ? 'FAILED' : s; // exit 0 without a result: it did not finish
}

export function cancelArray(job: string): void {
  run('scancel', [job]);
}
