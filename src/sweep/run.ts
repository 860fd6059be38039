/**
 * `vae sweep`: build (or reopen) a sweep directory, run the tasks that have no finished run
 * through an executor, and report.
 *
 * A new sweep: the grid's cells are checked (src/sweep/cells.ts) and held to `vae compare`'s
 * protocol (src/compare/protocol.ts: the same data, epochs and batch for every cell, except
 * the train settings the grid itself varies), the evaluation data is bound once to catch data
 * problems before anything is submitted, and DIR/sweep.json is written. `--resume DIR` reads
 * it instead. Either way the sweep then:
 *   1. takes DIR/sweep.lock (two `vae sweep` processes never write one directory);
 *   2. asks the scheduler about tasks submitted before (slurm): those still queued or running
 *      are tracked, not submitted again;
 *   3. submits every other task without a result.json: locally as child processes, or as one
 *      Slurm job array;
 *   4. waits, recording each task's state in sweep.json; tasks that failed are reported with
 *      their state (FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, ...) and log;
 *   5. writes DIR/results.md, DIR/results.json and the figure from the runs that finished.
 * Nothing a finished task wrote is touched again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import type { Printer } from '../core/printer';
import { bindEvalData, resolveProtocol } from '../compare';
import type { TrainConfig } from '../dsl/train-config';
import { checkCells } from './cells';
import { cellLabel, gridCells, parseAxis, randomCells, type Axis } from './grid';
import { runLocal } from './local';
import {
  acquireLock,
  isFinished,
  manifestPath,
  readManifest,
  sweepId,
  taskLog,
  TERMINAL_FAILURES,
  writeManifest,
  type Cell,
  type Manifest,
  type SweepSpec,
  type TaskState,
  type TaskStatus,
} from './manifest';
import { buildReport, formatPairedTable, formatSweepTable, writeSweepFigure, type SweepReport } from './report';
import { cancelArray, isLive, queryArray, submitArray, taskState, type SlurmSettings } from './slurm';

export interface SweepCommand {
  readonly files?: readonly string[];
  readonly grid?: readonly string[];
  readonly random?: number;
  readonly seeds?: number;
  readonly seed?: number;
  readonly sets?: readonly string[];
  readonly epochs?: number;
  readonly steps?: number;
  readonly batch?: number;
  readonly data?: string;
  readonly dataDir?: string;
  readonly limit?: number;
  readonly evalLimit?: number;
  readonly iwae?: number;
  readonly out?: string;
  readonly resume?: string;
  readonly executor: 'local' | 'slurm';
  readonly jobs?: number;
  readonly slurm?: SlurmSettings;
  /** Submit and return without waiting (slurm). */
  readonly wait?: boolean;
  readonly figures?: boolean;
  /** Flags every task's vae gets (backend, threads, fused). */
  readonly vaeFlags?: readonly string[];
  /** Synthetic data set sizes (tests). */
  readonly sizes?: { train?: number; valid?: number; test?: number };
}

export interface SweepResult {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly report: SweepReport;
  readonly table: string;
  readonly paired: string;
  readonly failed: { index: number; label: string; seed: number; state: TaskState; log: string }[];
  readonly unfinished: number;
  readonly figure: string | null;
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const PROTOCOL_KEYS = new Set(['epochs', 'batch']);

/** Builds the manifest of a new sweep (checks everything; writes nothing). */
export async function planSweep(cmd: SweepCommand): Promise<{ manifest: Manifest; axes: Axis[] }> {
  const files = cmd.files ?? [];
  if (files.length === 0) throw new UserError('vae sweep needs at least one .vae file', "e.g. vae sweep models/vae.vae --grid 'train.beta=1,2,4' --seeds 5");
  const axes = (cmd.grid ?? []).map((g, i) => parseAxis(g, i));
  for (const a of axes) {
    if (a.kind === 'train' && (a.name === 'seed' || a.name === 'steps' || a.name === 'dataset')) {
      throw new UserError(`--grid '${a.arg}': ${a.name} is not a grid axis`, a.name === 'seed' ? 'use --seeds N: every cell runs with the same N seeds' : a.name === 'steps' ? 'use --steps N for every cell, or vary train.epochs' : 'the cells of a sweep share their data; run one sweep per data set');
    }
  }
  if (cmd.random !== undefined && cmd.random < 1) throw new UserError('--random 0 makes an empty sweep', 'give the number of cells to draw, e.g. --random 8');
  const cells = cmd.random !== undefined ? randomCells(files, axes, cmd.random, cmd.seed ?? 0) : gridCells(files, axes);
  if (cells.length === 0) throw new UserError('the grid is empty: it has no cells', "give at least one .vae file and, for each --grid, one value or more: --grid 'train.beta=1,2,4'");
  const sets = cmd.sets ?? [];
  const models = checkCells(cells, axes, sets);

  // vae compare's protocol: every cell alike except for what the grid varies.
  const varied = [...new Set(axes.filter((a) => a.kind === 'train' && PROTOCOL_KEYS.has(a.name)).map((a) => a.name))];
  const first = models[0]!.config;
  const pick = (k: 'epochs' | 'batch', flag: number | undefined) => (varied.includes(k) ? first[k as keyof TrainConfig] as number : flag);
  if (cmd.steps !== undefined && varied.includes('epochs')) throw new UserError("--steps fixes every run's length, so a grid over train.epochs would change nothing", 'drop --steps, or the train.epochs axis');
  const stepless = models.map((m) => ({ ...m, config: { ...m.config, steps: null } }));
  let protocol;
  try {
    protocol = resolveProtocol(cmd.steps !== undefined ? stepless : models, { epochs: pick('epochs', cmd.epochs ?? (cmd.steps !== undefined ? 1 : undefined)), batch: pick('batch', cmd.batch), seed: cmd.seed ?? 0, data: cmd.data });
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message.replace(/vae compare/g, 'vae sweep').replace(/a comparison/g, 'a sweep'), e.hint?.replace(/vae compare/g, 'vae sweep'), e.code);
    throw e;
  }
  if (cmd.seed === undefined) {
    const s = new Set(models.map((m) => m.config.seed));
    if (s.size === 1) (protocol as { seed: number }).seed = models[0]!.config.seed;
  }
  // The data must fit every cell before anything is submitted.
  await bindEvalData(models, protocol, { dataDir: cmd.dataDir, sizes: cmd.sizes });

  const seeds = Array.from({ length: cmd.seeds ?? 1 }, (_, i) => protocol.seed + i);
  const spec: SweepSpec = {
    files: [...files],
    grid: [...(cmd.grid ?? [])],
    random: cmd.random ?? null,
    seeds,
    sets: [...sets],
    protocol: {
      epochs: protocol.epochs,
      steps: cmd.steps ?? null,
      batch: protocol.batch,
      data: protocol.data,
      limit: cmd.limit ?? null,
      evalLimit: cmd.evalLimit ?? null,
      iwae: cmd.iwae ?? 1000,
      varied,
    },
    dataDir: cmd.dataDir ?? null,
    sizes: cmd.sizes ?? null,
  };
  const showModel = new Set(cells.map((c) => c.model)).size > 1 || axes.length === 0;
  const cellList: Cell[] = cells.map((c, i) => ({
    index: i,
    label: cellLabel(c, axes, showModel),
    model: c.model,
    file: c.file,
    sets: c.fragments.map((f) => f.text),
    params: Object.fromEntries(c.fragments.map((f) => [axes[f.axis]!.key, f.value])),
  }));
  const width = String(cellList.length - 1).length;
  const tasks = cellList.flatMap((c) => seeds.map((seed) => ({ cell: c.index, seed, run: path.join('runs', `c${String(c.index).padStart(width, '0')}-seed${seed}`) }))).map((t, index) => ({ index, ...t }));
  const manifest: Manifest = {
    version: 1,
    id: sweepId(spec),
    created: new Date().toISOString(),
    cwd: process.cwd(),
    spec,
    axes: axes.map((a) => a.key),
    cells: cellList,
    tasks,
    vaeFlags: [...(cmd.vaeFlags ?? [])],
    owner: null,
    submissions: [],
    status: {},
  };
  return { manifest, axes };
}

function describe(m: Manifest): string {
  return `${m.cells.length} cell${m.cells.length === 1 ? '' : 's'} × ${m.spec.seeds.length} seed${m.spec.seeds.length === 1 ? '' : 's'} of ${m.spec.files.join(', ')}${m.spec.grid.length ? ` over ${m.spec.grid.map((g) => `'${g}'`).join(', ')}` : ''}`;
}

/** Opens the directory for a new sweep: refuses one that holds another sweep or other files. */
function claimNewDir(dir: string, m: Manifest): void {
  if (fs.existsSync(manifestPath(dir))) {
    const old = readManifest(dir);
    if (old.id !== m.id) {
      throw new UserError(`${dir} belongs to a different sweep (${old.id}: ${describe(old)})`, 'choose another --out for this sweep, or continue that one with vae sweep --resume');
    }
    throw new UserError(`${dir} already holds this sweep (${m.id})`, `continue it with vae sweep --resume ${dir}: it submits only the tasks without a finished run`);
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UserError(`the output directory ${dir} is not empty and holds no sweep`, 'choose another --out');
}

export async function runSweep(cmd: SweepCommand, io: Printer): Promise<SweepResult> {
  let dir: string;
  let m: Manifest;
  if (cmd.resume) {
    dir = cmd.resume;
    m = readManifest(dir);
  } else {
    const planned = await planSweep(cmd);
    m = planned.manifest;
    dir = cmd.out ?? path.join('runs', `sweep-${timestamp()}`);
    claimNewDir(dir, m);
    fs.mkdirSync(dir, { recursive: true });
  }
  const release = acquireLock(dir);
  try {
    if (cmd.resume && path.resolve(m.cwd) !== process.cwd()) {
      io.err(`note: the sweep runs its tasks from ${m.cwd}, where it was started`);
    }
    m.owner = { host: (await import('node:os')).hostname(), pid: process.pid, since: new Date().toISOString() };
    writeManifest(dir, m);
    io.err(`sweep ${m.id}: ${describe(m)}; ${m.tasks.length} task${m.tasks.length === 1 ? '' : 's'} in ${dir}`);
    const p = m.spec.protocol;
    io.err(`  protocol: ${p.steps !== null ? `${p.steps} steps` : `${p.epochs} epochs`}, batch ${p.batch}${p.varied.length ? ` (the grid varies ${p.varied.join(', ')})` : ''}, data ${p.data}${p.limit !== null ? ` (first ${p.limit} examples)` : ''}; evaluation: ${p.evalLimit !== null ? `${p.evalLimit} evenly spaced held-out examples` : 'the held-out split'}, ${p.iwae > 0 ? `IWAE-${p.iwae}` : 'no IWAE'}`);

    const setStatus = (index: number, s: TaskStatus) => {
      m.status[String(index)] = s;
      writeManifest(dir, m);
    };
    const finished = m.tasks.filter((t) => isFinished(dir, t)).map((t) => t.index);
    for (const i of finished) if (m.status[String(i)]?.state !== 'COMPLETED') m.status[String(i)] = { state: 'COMPLETED', log: taskLog(i), at: new Date().toISOString() };
    let todo = m.tasks.filter((t) => !finished.includes(t.index)).map((t) => t.index);
    if (finished.length > 0) io.err(`  ${finished.length} task${finished.length === 1 ? ' has' : 's have'} a finished run already`);

    if (cmd.executor === 'slurm') await runOnSlurm(dir, m, todo, cmd, setStatus, io);
    else if (todo.length > 0) {
      const jobs = cmd.jobs ?? (await import('./local')).freeCores();
      m.submissions.push({ executor: 'local', at: new Date().toISOString(), tasks: todo });
      writeManifest(dir, m);
      io.err(`  running ${todo.length} task${todo.length === 1 ? '' : 's'} locally, ${jobs} at a time (logs in ${path.join(dir, 'logs')})`);
      let done = 0;
      await runLocal(dir, m, todo, {
        jobs,
        onStatus: (i, s) => {
          setStatus(i, s);
          if (s.state !== 'RUNNING') {
            done++;
            io.err(`  [${done}/${todo.length}] task ${i} (${m.cells[m.tasks[i]!.cell]!.label}, seed ${m.tasks[i]!.seed}): ${s.state}${s.state !== 'COMPLETED' ? ` (log: ${path.join(dir, s.log)})` : ''}`);
          }
        },
      });
      todo = [];
    }
    return await finish(dir, m, cmd, io);
  } finally {
    m.owner = null;
    try {
      writeManifest(dir, m);
    } finally {
      release();
    }
  }
}

async function runOnSlurm(dir: string, m: Manifest, todo: number[], cmd: SweepCommand, setStatus: (i: number, s: TaskStatus) => void, io: Printer): Promise<void> {
  const s = cmd.slurm ?? {};
  // Tasks a previous submission still has in the queue are tracked, not submitted again.
  const tracked = new Map<number, string>();
  for (const sub of m.submissions) {
    if (sub.executor !== 'slurm' || !sub.job) continue;
    const { states } = queryArray(sub.job);
    for (const [i, st] of states) if (isLive(st.state) && todo.includes(i)) tracked.set(i, sub.job);
  }
  const submit = todo.filter((i) => !tracked.has(i));
  if (tracked.size > 0) io.err(`  ${tracked.size} task${tracked.size === 1 ? ' is' : 's are'} still queued or running from an earlier submission; tracking them`);
  if (submit.length > 0) {
    const job = submitArray(dir, m, submit, s);
    m.submissions.push({ executor: 'slurm', at: new Date().toISOString(), tasks: submit, job });
    for (const i of submit) {
      tracked.set(i, job);
      m.status[String(i)] = { state: 'PENDING', log: taskLog(i), job: `${job}_${i}`, at: new Date().toISOString() };
    }
    writeManifest(dir, m);
    io.err(`  submitted job array ${job} (${submit.length} task${submit.length === 1 ? '' : 's'}; script ${path.join(dir, 'slurm', 'job.sh')}, logs in ${path.join(dir, 'logs')})`);
  }
  if (tracked.size === 0) return;
  if (cmd.wait === false) {
    io.err(`  not waiting: vae sweep --resume ${dir} tracks the jobs and builds the table when they are done`);
    return;
  }
  let interrupted = false;
  const onInt = () => {
    interrupted = true;
  };
  process.once('SIGINT', onInt);
  try {
    const poll = (s.poll ?? 5) * 1000;
    let last = '';
    const missing = new Map<number, number>();
    while (!interrupted) {
      const jobs = new Set(tracked.values());
      const raw = new Map<number, { state: string; exitCode?: string }>();
      for (const job of jobs) {
        const { states } = queryArray(job);
        for (const [i, st] of states) if (tracked.get(i) === job) raw.set(i, st);
      }
      let open = 0;
      const counts = new Map<string, number>();
      for (const [i, job] of tracked) {
        const r = raw.get(i);
        let state = taskState(dir, m, i, r?.state);
        if (state === 'UNKNOWN') {
          // Not listed by squeue or sacct: a pending array task removed by scancel never shows
          // again, nor does one squeue has forgotten (MinJobAge) when accounting is off.
          const n = (missing.get(i) ?? 0) + 1;
          missing.set(i, n);
          if (n < 3) state = (m.status[String(i)]?.state as TaskState | undefined) ?? 'PENDING';
          else state = startedLog(dir, i, m) ? 'UNKNOWN' : 'CANCELLED';
        }
        counts.set(state, (counts.get(state) ?? 0) + 1);
        const prev = m.status[String(i)];
        if (!prev || prev.state !== state) {
          m.status[String(i)] = { state, log: taskLog(i), job: `${job}_${i}`, at: new Date().toISOString(), ...(r?.exitCode ? { exitCode: r.exitCode } : {}) };
          if (state !== 'PENDING' && state !== 'RUNNING' && state !== 'REQUEUED') {
            io.err(`  task ${i} (${m.cells[m.tasks[i]!.cell]!.label}, seed ${m.tasks[i]!.seed}): ${state}${state !== 'COMPLETED' ? ` (job ${job}_${i}, log: ${path.join(dir, taskLog(i))})` : ''}`);
          }
        }
        if (state === 'PENDING' || state === 'RUNNING' || state === 'REQUEUED') open++;
      }
      writeManifest(dir, m);
      const line = [...counts].map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ');
      if (line !== last) io.err(`  ${new Date().toISOString().slice(11, 19)} ${line}`);
      last = line;
      if (open === 0) return;
      await new Promise((r) => setTimeout(r, poll));
    }
    io.err(`  stopped watching; the jobs keep running (scancel ${[...new Set(tracked.values())].join(' ')} stops them). vae sweep --resume ${dir} tracks them again`);
  } finally {
    process.removeListener('SIGINT', onInt);
  }
}

/** Whether the task's log shows a start after the task's last submission. */
function startedLog(dir: string, index: number, m: Manifest): boolean {
  try {
    const text = fs.readFileSync(path.join(dir, taskLog(index)), 'utf8');
    const sub = [...m.submissions].reverse().find((s) => s.tasks.includes(index));
    const starts = [...text.matchAll(/^task \d+: .* \((\S+), pid \d+\)$/gm)].map((x) => Date.parse(x[1]!));
    return starts.some((t) => !sub || t >= Date.parse(sub.at) - 1000);
  } catch {
    return false;
  }
}

async function finish(dir: string, m: Manifest, cmd: SweepCommand, io: Printer): Promise<SweepResult> {
  const report = buildReport(dir, m);
  const table = formatSweepTable(report, m);
  const paired = formatPairedTable(report);
  const failed = m.tasks
    .filter((t) => !isFinished(dir, t))
    .flatMap((t) => {
      const st = m.status[String(t.index)];
      return st && (TERMINAL_FAILURES.includes(st.state) || st.state === 'UNKNOWN') ? [{ index: t.index, label: m.cells[t.cell]!.label, seed: t.seed, state: st.state, log: path.join(dir, st.log) }] : [];
    });
  const unfinished = m.tasks.filter((t) => !isFinished(dir, t)).length;
  const figure = cmd.figures === false || report.results.length === 0 ? null : await writeSweepFigure(dir, report, m);
  const md = [`# vae sweep ${m.id}`, '', describe(m), '', table, ...(paired ? ['', 'Paired by seed on the same held-out examples (mean difference ± standard error over seeds):', '', paired] : []), ''].join('\n');
  fs.writeFileSync(path.join(dir, 'results.md'), md);
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify({ id: m.id, rows: report.rows, paired: report.paired, failed, unfinished }, null, 2)}\n`);
  return { dir, manifest: m, report, table, paired, failed, unfinished, figure };
}

export { cancelArray };
