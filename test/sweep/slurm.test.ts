// `vae sweep --executor slurm` against a real Slurm (CI starts a one-node cluster with
// scripts/ci-slurm.sh; docs/cluster.md shows its slurm.conf): a 2×2 grid with 2 seeds as one job
// array; a task cancelled with scancel is reported CANCELLED and --resume submits only it; the
// table matches the local executor's for the same sweep; sbatch's own error is shown.
// Without a cluster (a dev machine) the tests skip and say why; with VAE_REQUIRE_SLURM=1
// (.ci/run sets it once the cluster is up) a missing cluster fails instead.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Manifest } from '../../src/sweep/manifest';
import { captureIo } from '../helpers/io';
import { E2E_TIMEOUT, LABELS, readJson, SWEEP, waitFor, withoutTiming } from './helpers';

function slurmReachable(): { ok: boolean; why: string } {
  const r = spawnSync('sinfo', ['-h', '-o', '%P %a %T'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { ok: false, why: `sinfo: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `sinfo failed: ${(r.stderr || '').trim().split('\n')[0]}` };
  if (!/\bup\b.*\b(idle|mixed|allocated|completing)/.test(r.stdout)) return { ok: false, why: `no usable node (sinfo: ${r.stdout.trim() || 'nothing'})` };
  return { ok: true, why: '' };
}

const slurm = slurmReachable();
const required = process.env['VAE_REQUIRE_SLURM'] === '1';

it(`a Slurm cluster answers${slurm.ok ? '' : ` (no: ${slurm.why}; scripts/ci-slurm.sh start sets one up)`}`, (ctx) => {
  if (!slurm.ok && !required) ctx.skip();
  expect(slurm.why).toBe('');
});

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-sweep-slurm-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!slurm.ok)('vae sweep --executor slurm', () => {
  it('runs a 2×2 grid with 2 seeds as one job array; a scancelled task is CANCELLED and --resume resubmits only it; the table is the local one', async () => {
    const dir = path.join(tmp, 'grid');
    const io = captureIo();
    const running = main(['sweep', ...SWEEP, '--out', dir, '--executor', 'slurm', '--poll', '1'], io);
    const job = await waitFor(dir, (m) => m.submissions[0]?.job);
    // Task 7 waits behind the others (the node has few CPUs): cancel it in the queue.
    const cancel = spawnSync('scancel', [`${job}_7`], { encoding: 'utf8' });
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(await running).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toContain(`submitted job array ${job} (8 tasks; script ${path.join(dir, 'slurm', 'job.sh')}`);
    const log = path.join(dir, 'logs', '7.log');
    expect(err).toContain(`task 7 (ppca-laplace const K=2, seed 2): CANCELLED, log ${log}`);
    let m = readJson<Manifest>(path.join(dir, 'sweep.json'));
    expect(m.status['7']).toMatchObject({ state: 'CANCELLED', job: `${job}_7` });
    for (let i = 0; i < 7; i++) expect(m.status[String(i)]!.state).toBe('COMPLETED');
    expect(io.stdout.join('\n')).toMatch(/\| ppca-laplace const K=2 +\| +1\/2 \|/);

    const io2 = captureIo();
    expect(await main(['sweep', '--resume', dir, '--executor', 'slurm', '--poll', '1'], io2)).toBe(0);
    m = readJson<Manifest>(path.join(dir, 'sweep.json'));
    expect(m.submissions.map((s) => [s.executor, s.tasks])).toEqual([
      ['slurm', [0, 1, 2, 3, 4, 5, 6, 7]],
      ['slurm', [7]],
    ]);
    expect(Object.values(m.status).map((s) => s.state)).toEqual(Array(8).fill('COMPLETED'));
    expect(fs.readFileSync(path.join(dir, 'slurm', 'job.sh'), 'utf8')).toContain(`#SBATCH --output=${path.resolve(dir)}/logs/%a.log`);
    const slurmTable = io2.stdout.join('\n');
    expect(slurmTable.split('\n').slice(2, 6).map((l) => l.split('|')[1]!.trim())).toEqual(LABELS);

    // The same sweep on the local executor gives the same table (timings aside).
    const local = captureIo();
    expect(await main(['sweep', ...SWEEP, '--out', path.join(tmp, 'local'), '--jobs', '2'], local)).toBe(0);
    expect(withoutTiming(slurmTable)).toBe(withoutTiming(local.stdout.join('\n')));
  }, E2E_TIMEOUT);

  it("shows sbatch's own error for a partition the cluster does not have", async () => {
    const dir = path.join(tmp, 'nope');
    const io = captureIo();
    expect(await main(['sweep', ...SWEEP, '--out', dir, '--executor', 'slurm', '--partition', 'nope'], io)).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/error\[VAE705\]: sbatch refused the job array: sbatch: error: .*(invalid partition|Invalid partition)/i);
    expect(err).toContain('= hint: check the Slurm settings (--partition, --account, --time, --mem, --gres; sinfo lists the partitions)');
    expect(readJson<Manifest>(path.join(dir, 'sweep.json')).submissions).toEqual([]);
  }, E2E_TIMEOUT);
});
