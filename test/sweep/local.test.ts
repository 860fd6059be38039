// `vae sweep --executor local` end to end: a 2×2 grid with 2 seeds as child processes; a task
// killed with SIGTERM is reported CANCELLED with its log, the table is built from the runs that
// finished, and --resume runs only that task; a requeued task continues from its checkpoint to
// the same result; a sweep directory is never shared or overwritten.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Manifest } from '../../src/sweep/manifest';
import { cellSets, runTask, type TaskResult } from '../../src/sweep/task';
import { runTrain } from '../../src/train/run';
import { captureIo } from '../helpers/io';
import { E2E_TIMEOUT, LABELS, readJson, SWEEP, waitFor, withoutTiming } from './helpers';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-sweep-local-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ResultsJson {
  rows: { label: string; finished: number; tasks: number; testElbo: { mean: number; se: number | null; n: number }; testLogLikelihood: { mean: number; se: number | null }; latentDims: number; activeUnits: { mean: number } }[];
  paired: { label: string; pairs: number }[];
  failed: { index: number; state: string; log: string }[];
  unfinished: number;
}

describe('vae sweep --executor local', () => {
  let dir: string;
  let table: string;

  it('runs a 2×2 grid with 2 seeds; a cancelled task is reported, and --resume runs only it', async () => {
    dir = path.join(tmp, 'grid');
    const io = captureIo();
    const running = main(['sweep', ...SWEEP, '--out', dir, '--jobs', '2'], io);
    // Kill task 0 as soon as it runs (as scancel would: SIGTERM).
    const pid = await waitFor(dir, (m) => (m.status['0']?.state === 'RUNNING' ? (m.status['0'] as { pid?: number }).pid : undefined));
    process.kill(pid, 'SIGTERM');
    expect(await running).toBe(1);
    const err = io.stderr.join('\n');
    const log = path.join(dir, 'logs', '0.log');
    expect(err).toContain(`task 0 (ppca const K=1, seed 1): CANCELLED, log ${log}`);
    expect(err).toContain(`= hint: vae sweep --resume ${dir} runs them again`);
    const first = readJson<ResultsJson>(path.join(dir, 'results.json'));
    expect(first.failed).toEqual([{ index: 0, label: 'ppca const K=1', seed: 1, state: 'CANCELLED', log }]);
    // The table is built from the 7 runs that finished.
    expect(first.rows.map((r) => `${r.label} ${r.finished}/${r.tasks}`)).toEqual(['ppca const K=1 1/2', 'ppca const K=2 2/2', 'ppca-laplace const K=1 2/2', 'ppca-laplace const K=2 2/2']);
    expect(io.stdout.join('\n')).toMatch(/\| ppca const K=1 +\| +1\/2 \| +-?\d+\.\d\d ± n\/a \|/);
    let m = readJson<Manifest>(path.join(dir, 'sweep.json'));
    expect(m.status['0']!.state).toBe('CANCELLED');
    expect(m.owner).toBeNull();
    expect(fs.existsSync(path.join(dir, 'sweep.lock'))).toBe(false);
    const kept = fs.statSync(path.join(dir, m.tasks[3]!.run, 'result.json')).mtimeMs;

    const io2 = captureIo();
    expect(await main(['sweep', '--resume', dir, '--jobs', '2'], io2)).toBe(0);
    expect(io2.stderr.join('\n')).toContain('7 tasks have a finished run already');
    expect(io2.stderr.join('\n')).toContain('running 1 task locally');
    m = readJson<Manifest>(path.join(dir, 'sweep.json'));
    expect(m.submissions.map((s) => s.tasks)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0]]);
    expect(Object.values(m.status).map((s) => s.state)).toEqual(Array(8).fill('COMPLETED'));
    expect(fs.statSync(path.join(dir, m.tasks[3]!.run, 'result.json')).mtimeMs).toBe(kept); // finished runs are not redone
    expect(fs.readFileSync(path.join(dir, 'logs', '0.log'), 'utf8').match(/^task 0: ppca const K=1/gm)?.length).toBeGreaterThanOrEqual(1);

    const res = readJson<ResultsJson>(path.join(dir, 'results.json'));
    expect(res.failed).toEqual([]);
    expect(res.rows.map((r) => r.label)).toEqual(LABELS);
    for (const r of res.rows) {
      expect(r.finished).toBe(2);
      expect(Number.isFinite(r.testElbo.mean) && r.testElbo.se! > 0).toBe(true);
      expect(r.testLogLikelihood.se).not.toBeNull();
      // IWAE-10 is at least the ELBO in expectation; over 100 examples and 2 seeds, loosely.
      expect(r.testLogLikelihood.mean).toBeGreaterThan(r.testElbo.mean - 0.5);
      expect(r.latentDims).toBe(r.label.endsWith('K=1') ? 1 : 2);
      expect(r.activeUnits.mean).toBeLessThanOrEqual(r.latentDims);
    }
    // Every cell but the first is paired with it on both seeds (same test examples).
    expect(res.paired.map((p) => `${p.label} ${p.pairs}`)).toEqual(LABELS.slice(1).map((l) => `${l} 2`));
    table = io2.stdout.join('\n');
    expect(table.split('\n')[0]).toMatch(/^\| cell +\| runs \| +test ELBO \| test log p\(x\) \(IWAE-10\) \| +KL \| active units \| s\/epoch \|$/);
    expect(table).toContain('Paired by seed on the same held-out examples');
    expect(fs.readFileSync(path.join(dir, 'results.md'), 'utf8')).toContain(table.split('\n')[2]!);

    // Resuming a finished sweep runs nothing and prints the same table.
    const io3 = captureIo();
    expect(await main(['sweep', '--resume', dir], io3)).toBe(0);
    expect(io3.stderr.join('\n')).not.toContain('running');
    expect(withoutTiming(io3.stdout.join('\n'))).toBe(withoutTiming(table));
  }, E2E_TIMEOUT);

  it('a requeued task continues from its last checkpoint to the same result', async () => {
    const m = readJson<Manifest>(path.join(dir, 'sweep.json'));
    const t = m.tasks[3]!;
    const runDir = path.join(dir, t.run);
    const before = readJson<TaskResult>(path.join(runDir, 'result.json'));
    fs.rmSync(runDir, { recursive: true });
    // The state a job killed after its first epoch leaves: 500 examples in batches of 200 are 3
    // steps per epoch, checkpointed at step 3 of 5.
    await runTrain({ file: m.cells[t.cell]!.file, sets: cellSets(m, t.cell), overrides: { steps: 3, batch: 200, seed: t.seed }, data: 'linear-gaussian', limit: 500, out: runDir, json: false, figures: false }, captureIo());
    expect(fs.existsSync(path.join(runDir, 'result.json'))).toBe(false);
    const io = captureIo();
    expect(await runTask(dir, 3, io)).toBe(0);
    expect(io.stderr.join('\n')).toContain(`task 3: resuming from the checkpoint in ${runDir} (step 3)`);
    const after = readJson<TaskResult>(path.join(runDir, 'result.json'));
    expect(after.steps).toBe(5);
    // Resuming is exact: the same minibatches, optimizer state and evaluation seed.
    expect(after.testElbo).toBeCloseTo(before.testElbo, 4);
    expect(after.testLogLikelihood!).toBeCloseTo(before.testLogLikelihood!, 4);
    // A finished task is not run again.
    const again = captureIo();
    expect(await runTask(dir, 3, again)).toBe(0);
    expect(again.stderr.join('\n')).toContain('already finished');
  }, E2E_TIMEOUT);

  it('never lets two sweeps write one directory', async () => {
    const saved = fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8');
    const other = captureIo();
    expect(await main(['sweep', ...SWEEP.map((a) => (a === 'const K=1,2' ? 'const K=1,3' : a)), '--out', dir], other)).toBe(1);
    expect(other.stderr.join('\n')).toMatch(/error\[VAE704\]: .*grid belongs to a different sweep \([0-9a-f]{12}: 4 cells × 2 seeds of models\/ppca\.vae/);
    const same = captureIo();
    expect(await main(['sweep', ...SWEEP, '--out', dir], same)).toBe(1);
    expect(same.stderr.join('\n')).toContain('already holds this sweep');
    expect(same.stderr.join('\n')).toContain(`= hint: continue it with vae sweep --resume ${dir}`);
    // A live process holding the lock keeps a second sweep out.
    fs.writeFileSync(path.join(dir, 'sweep.lock'), JSON.stringify({ host: os.hostname(), pid: process.pid, since: 'now' }));
    const locked = captureIo();
    expect(await main(['sweep', '--resume', dir], locked)).toBe(1);
    expect(locked.stderr.join('\n')).toContain(`is in use by another vae sweep (pid ${process.pid}`);
    // A lock left by a process that is gone is taken over.
    fs.writeFileSync(path.join(dir, 'sweep.lock'), JSON.stringify({ host: os.hostname(), pid: 2 ** 22 + 17, since: 'then' }));
    expect(await main(['sweep', '--resume', dir], captureIo())).toBe(0);
    expect(fs.existsSync(path.join(dir, 'sweep.lock'))).toBe(false);
    const now = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as Manifest;
    expect(now.id).toBe((JSON.parse(saved) as Manifest).id);
    expect(now.submissions).toEqual((JSON.parse(saved) as Manifest).submissions); // nothing was submitted
  }, E2E_TIMEOUT);
});
