/** `vae sweep FILES --grid ... --seeds N` (or `--resume DIR`): flags to a SweepCommand; prints the tables. */
import * as path from 'node:path';
import { runSweep, type SweepCommand } from '../sweep/run';
import { readSlurmConfig, type SlurmSettings } from '../sweep/slurm';
import { runTask } from '../sweep/task';
import { CliError, type Printer } from './errors';
import { parseNonNegInt, parsePositiveInt } from './flags';

export interface SweepFlags {
  grid?: string[];
  random?: string;
  seeds?: string;
  seed?: string;
  set?: string[];
  epochs?: string;
  steps?: string;
  batch?: string;
  data?: string;
  dataDir?: string;
  limit?: string;
  evalLimit?: string;
  iwae?: string;
  out?: string;
  resume?: string;
  executor?: string;
  jobs?: string;
  partition?: string;
  account?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: string;
  gres?: string;
  arrayLimit?: string;
  sbatchArg?: string[];
  slurmConfig?: string;
  poll?: string;
  wait?: boolean;
  figures?: boolean;
  json?: boolean;
}

/** Flags that define a sweep: --resume takes them from DIR/sweep.json instead. */
const SPEC_FLAGS = ['grid', 'random', 'seeds', 'seed', 'set', 'epochs', 'steps', 'batch', 'data', 'dataDir', 'limit', 'evalLimit', 'iwae', 'out'] as const;

function slurmSettings(f: SweepFlags): SlurmSettings {
  const base = f.slurmConfig ? readSlurmConfig(f.slurmConfig) : {};
  return {
    ...base,
    ...(f.partition !== undefined ? { partition: f.partition } : {}),
    ...(f.account !== undefined ? { account: f.account } : {}),
    ...(f.time !== undefined ? { time: f.time } : {}),
    ...(f.mem !== undefined ? { mem: f.mem } : {}),
    ...(f.cpusPerTask !== undefined ? { cpusPerTask: parsePositiveInt('--cpus-per-task', f.cpusPerTask) } : {}),
    ...(f.gres !== undefined ? { gres: f.gres } : {}),
    ...(f.arrayLimit !== undefined ? { arrayLimit: parsePositiveInt('--array-limit', f.arrayLimit) } : {}),
    ...(f.sbatchArg !== undefined ? { sbatchArgs: [...(base.sbatchArgs ?? []), ...f.sbatchArg] } : {}),
    ...(f.poll !== undefined ? { poll: parsePositiveInt('--poll', f.poll) } : {}),
  };
}

export async function runSweepCommand(files: readonly string[], f: SweepFlags, io: Printer, vaeFlags: readonly string[]): Promise<number> {
  const executor = f.executor ?? 'local';
  if (executor !== 'local' && executor !== 'slurm') throw new CliError(`unknown --executor '${executor}'`, 'use --executor local (the default: processes on this machine) or --executor slurm (one job array)');
  if (f.resume) {
    const given = SPEC_FLAGS.filter((k) => f[k] !== undefined).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (files.length > 0 || given.length > 0) {
      throw new CliError(`${[...(files.length ? ['model files'] : []), ...given].join(' and ')} cannot change a sweep being resumed`, `a resumed sweep runs the cells and settings in ${path.join(f.resume, 'sweep.json')}; start a new sweep (another --out) to change them`);
    }
  }
  for (const file of files) if (!file.endsWith('.vae')) throw new CliError(`'${file}' is not a .vae file`, "vae sweep takes programs, e.g. vae sweep models/vae.vae models/iwae.vae --seeds 5");
  if (executor === 'local' && (f.partition ?? f.account ?? f.time ?? f.mem ?? f.gres ?? f.slurmConfig ?? f.arrayLimit) !== undefined) {
    throw new CliError('Slurm settings were given without --executor slurm', 'add --executor slurm, or drop --partition/--account/--time/--mem/--gres/--slurm-config');
  }
  const cmd: SweepCommand = {
    files,
    ...(f.grid ? { grid: f.grid } : {}),
    ...(f.random !== undefined ? { random: parseNonNegInt('--random', f.random) } : {}),
    ...(f.seeds !== undefined ? { seeds: parsePositiveInt('--seeds', f.seeds) } : {}),
    ...(f.seed !== undefined ? { seed: parseNonNegInt('--seed', f.seed) } : {}),
    ...(f.set ? { sets: f.set } : {}),
    ...(f.epochs !== undefined ? { epochs: parsePositiveInt('--epochs', f.epochs) } : {}),
    ...(f.steps !== undefined ? { steps: parsePositiveInt('--steps', f.steps) } : {}),
    ...(f.batch !== undefined ? { batch: parsePositiveInt('--batch', f.batch) } : {}),
    ...(f.data !== undefined ? { data: f.data } : {}),
    ...(f.dataDir !== undefined ? { dataDir: f.dataDir } : {}),
    ...(f.limit !== undefined ? { limit: parsePositiveInt('--limit', f.limit) } : {}),
    ...(f.evalLimit !== undefined ? { evalLimit: parsePositiveInt('--eval-limit', f.evalLimit) } : {}),
    ...(f.iwae !== undefined ? { iwae: parseNonNegInt('--iwae', f.iwae) } : {}),
    ...(f.out !== undefined ? { out: f.out } : {}),
    ...(f.resume !== undefined ? { resume: f.resume } : {}),
    executor,
    ...(f.jobs !== undefined ? { jobs: parsePositiveInt('--jobs', f.jobs) } : {}),
    ...(executor === 'slurm' ? { slurm: slurmSettings(f) } : {}),
    ...(f.wait === false ? { wait: false } : {}),
    ...(f.figures === false ? { figures: false } : {}),
    vaeFlags,
  };
  const r = await runSweep(cmd, io);
  if (f.json) {
    io.out(JSON.stringify({ id: r.manifest.id, dir: r.dir, rows: r.report.rows, paired: r.report.paired, failed: r.failed, unfinished: r.unfinished }));
  } else {
    io.err('');
    if (r.report.results.length > 0) {
      io.out(r.table);
      if (r.paired) io.out(`\nPaired by seed on the same held-out examples (mean difference ± standard error over seeds):\n\n${r.paired}`);
    } else io.err('no task has finished yet: no table');
    io.err(`\nwrote ${path.join(r.dir, 'results.md')}${r.figure ? ` and ${r.figure}` : ''}`);
  }
  if (r.failed.length > 0) {
    io.err(`\n${r.failed.length} task${r.failed.length === 1 ? '' : 's'} did not finish (the table is built from the runs that did):`);
    for (const t of r.failed) io.err(`  task ${t.index} (${t.label}, seed ${t.seed}): ${t.state}, log ${t.log}`);
    io.err(`  = hint: vae sweep --resume ${r.dir} runs them again (a task with a checkpoint continues from it)`);
    return 1;
  }
  if (r.unfinished > 0 && f.wait !== false) {
    io.err(`\n${r.unfinished} task${r.unfinished === 1 ? ' has' : 's have'} no finished run yet (stopped before they ran, or still queued)`);
    io.err(`  = hint: vae sweep --resume ${r.dir} runs or tracks them`);
    return 1;
  }
  return 0;
}

export async function runSweepTaskCommand(dir: string, index: string, io: Printer): Promise<number> {
  return runTask(dir, parseNonNegInt('task', index), io);
}
