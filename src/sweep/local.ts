/**
 * The local executor: each task is a `vae sweep-task DIR N` child process, at most `jobs` at a
 * time (default: one per free core, i.e. the cores less the load average, at least one), with
 * its stdout and stderr appended to DIR/logs/N.log. A task's end state is Slurm's word for it:
 * COMPLETED (exit 0 and a result.json), CANCELLED (ended by a signal, or exit 143/130 after
 * saving its checkpoint on SIGTERM/SIGINT), OUT_OF_MEMORY (the log says the heap ran out), or
 * FAILED. SIGINT or SIGTERM to the sweep is passed on to the running tasks, which checkpoint;
 * tasks not started yet stay unsubmitted (a later --resume runs them).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isFinished, taskLog, type Manifest, type TaskState, type TaskStatus } from './manifest';
import { taskCommand } from './command';

/** One per free core: the cores less the 1-minute load average (rounded), at least 1. */
export function freeCores(): number {
  const cores = os.availableParallelism();
  return Math.max(1, Math.min(cores, cores - Math.round(os.loadavg()[0] ?? 0)));
}

export interface LocalOptions {
  readonly jobs: number;
  /** Called whenever a task starts or ends. */
  readonly onStatus: (index: number, status: TaskStatus & { pid?: number }) => void;
}

function endState(dir: string, m: Manifest, index: number, code: number | null, signal: NodeJS.Signals | null): TaskState {
  if (code === 0 && isFinished(dir, m.tasks[index]!)) return 'COMPLETED';
  if (signal !== null || code === 143 || code === 130) return 'CANCELLED';
  try {
    const log = fs.readFileSync(path.join(dir, taskLog(index)), 'utf8').slice(-4000);
    if (/heap out of memory|VAE904|out of memory/i.test(log)) return 'OUT_OF_MEMORY';
  } catch {
    // no log: a plain failure
  }
  return 'FAILED';
}

/** Runs the tasks; resolves when every started task ended (or the sweep was interrupted). */
export async function runLocal(dir: string, m: Manifest, indices: readonly number[], opts: LocalOptions): Promise<void> {
  const queue = [...indices];
  const running = new Map<number, ReturnType<typeof spawn>>();
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const child of running.values()) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  try {
    await new Promise<void>((resolve) => {
      const next = () => {
        while (!stopping && running.size < opts.jobs && queue.length > 0) {
          const index = queue.shift()!;
          const log = taskLog(index);
          const fd = fs.openSync(path.join(dir, log), 'a');
          const [cmd, ...args] = taskCommand(m, dir, String(index));
          const child = spawn(cmd!, args, { cwd: m.cwd, stdio: ['ignore', fd, fd], env: { ...process.env, VAE_SWEEP_TASK: String(index) } });
          fs.closeSync(fd);
          running.set(index, child);
          opts.onStatus(index, { state: 'RUNNING', log, at: new Date().toISOString(), ...(child.pid !== undefined ? { pid: child.pid } : {}) });
          child.on('exit', (code, signal) => {
            running.delete(index);
            const state = endState(dir, m, index, code, signal);
            opts.onStatus(index, { state, log, at: new Date().toISOString(), exitCode: signal ?? String(code) });
            next();
          });
          child.on('error', () => {
            // spawn failed (the node binary vanished): reported as FAILED through 'exit'.
          });
        }
        if (running.size === 0 && (queue.length === 0 || stopping)) resolve();
      };
      next();
    });
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
