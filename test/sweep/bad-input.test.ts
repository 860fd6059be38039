// Bad input to `vae sweep`: one message with a hint (or a located diagnostic), exit code 1,
// no stack trace, and nothing run or lost. Nothing here trains.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Manifest } from '../../src/sweep/manifest';
import { captureIo } from '../helpers/io';
import { SWEEP } from './helpers';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-sweep-bad-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function refused(args: string[]): Promise<string> {
  const io = captureIo();
  expect(await main(['sweep', ...args], io)).toBe(1);
  const text = io.stderr.join('\n');
  expect(text).not.toMatch(/\n\s+at /); // no stack trace
  expect(text).not.toContain('internal error');
  expect(io.stdout).toEqual([]);
  return text;
}

describe('vae sweep refuses bad input', () => {
  it('an empty grid', async () => {
    expect(await refused(['models/ppca.vae', '--grid', 'const K=', '--out', path.join(tmp, 'a')])).toMatch(/error\[VAE602\]: --grid 'const K=': no values\n {2}= hint: give one or more comma-separated values/);
    expect(await refused(['models/ppca.vae', '--grid', 'const K=1', '--random', '0', '--out', path.join(tmp, 'a')])).toContain('--random 0 makes an empty sweep');
    expect(await refused(['--grid', 'const K=1,2', '--out', path.join(tmp, 'a')])).toContain('vae sweep needs at least one .vae file');
    expect(fs.existsSync(path.join(tmp, 'a'))).toBe(false);
  });

  it('an override that does not apply to a model, located in the --grid text', async () => {
    const q = await refused(['models/ppca.vae', '--grid', 'const Q=1,2', '--out', path.join(tmp, 'b')]);
    expect(q).toContain('--grid:1:7: error[VAE604]: `const Q` is not declared in models/ppca.vae, so this grid axis would change nothing');
    expect(q).toContain('1 | const Q=1,2\n  |       ^\n  = hint: models/ppca.vae declares: K');
    // Train settings and values go through the --set checker; its diagnostics point into --grid.
    const key = await refused(['models/ppca.vae', '--grid', 'const K=1,2', '--grid', 'train.betta=1,2', '--out', path.join(tmp, 'b')]);
    expect(key).toContain('--grid#2:1:7: error[VAE601]: unknown train setting `betta`');
    expect(key).toContain('1 | train.betta=1,2\n  |       ^^^^^\n  = hint: did you mean `beta`?');
    const value = await refused(['models/ppca.vae', '--grid', 'train.beta=1,zz', '--out', path.join(tmp, 'b')]);
    expect(value).toContain('--grid:1:14: error[VAE602]: invalid `beta`');
    expect(value).toContain('1 | train.beta=1,zz\n  |              ^^');
    const site = await refused(['models/ppca.vae', '--grid', 'model.zz ~ {}=Normal(0, 1),Laplace(0, 1)', '--out', path.join(tmp, 'b')]);
    expect(site).toContain('--grid:1:7: error[VAE604]: `model.zz` does not exist in the program being extended');
    expect(await refused(['models/ppca.vae', '--grid', 'train.seed=1,2', '--out', path.join(tmp, 'b')])).toContain('use --seeds N');
    expect(fs.existsSync(path.join(tmp, 'b'))).toBe(false);
  });

  it('flags that do not fit: --resume with a grid, Slurm settings without slurm, an unknown executor', async () => {
    expect(await refused(['--resume', tmp, '--grid', 'const K=1,2'])).toContain('--grid cannot change a sweep being resumed');
    expect(await refused(['models/ppca.vae', '--partition', 'gpu'])).toContain('Slurm settings were given without --executor slurm');
    expect(await refused(['models/ppca.vae', '--executor', 'kubernetes'])).toContain("unknown --executor 'kubernetes'");
    expect(await refused(['--resume', path.join(tmp, 'nowhere')])).toContain('is not a sweep directory (it has no sweep.json)');
  });

  it('sbatch missing or failing: its error text and a hint; nothing submitted, the sweep resumable', async () => {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const oldPath = process.env['PATH'];
    try {
      process.env['PATH'] = bin; // no sbatch here
      const dir = path.join(tmp, 'nosbatch');
      const missing = await refused([...SWEEP, '--executor', 'slurm', '--out', dir]);
      expect(missing).toContain('error[VAE705]: sbatch is not on the PATH: this machine cannot submit Slurm jobs');
      expect(missing).toContain('= hint: run vae sweep on a login node of the cluster (where sbatch works), or use --executor local; nothing was submitted');
      const m = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as Manifest;
      expect(m.submissions).toEqual([]);
      expect(m.owner).toBeNull();
      expect(fs.existsSync(path.join(dir, 'runs'))).toBe(false);

      fs.writeFileSync(path.join(bin, 'sbatch'), '#!/bin/sh\necho "sbatch: error: invalid partition specified: nope" >&2\necho "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2\nexit 1\n', { mode: 0o755 });
      const failing = await refused(['--resume', dir, '--executor', 'slurm', '--partition', 'nope']);
      expect(failing).toContain('error[VAE705]: sbatch refused the job array: sbatch: error: invalid partition specified: nope / sbatch: error: Batch job submission failed: Invalid partition name specified');
      expect(failing).toContain(`the job script is ${path.join(dir, 'slurm', 'job.sh')}; nothing was submitted, and vae sweep --resume ${dir} submits again`);
      expect(fs.readFileSync(path.join(dir, 'slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --partition=nope');
      expect((JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as Manifest).submissions).toEqual([]);
    } finally {
      process.env['PATH'] = oldPath;
    }
  });

  it('a Slurm config file with an unknown key or a wrong type', async () => {
    const cfg = path.join(tmp, 'slurm.json');
    fs.writeFileSync(cfg, JSON.stringify({ partition: 'gpu', gpus: 1 }));
    expect(await refused(['models/ppca.vae', '--executor', 'slurm', '--slurm-config', cfg, '--out', path.join(tmp, 'c')])).toMatch(/has an unknown key "gpus"\n {2}= hint: the keys are partition, account, time, mem, cpusPerTask, gres/);
    fs.writeFileSync(cfg, JSON.stringify({ cpusPerTask: 'four' }));
    expect(await refused(['models/ppca.vae', '--executor', 'slurm', '--slurm-config', cfg, '--out', path.join(tmp, 'c')])).toContain('"cpusPerTask" should be a positive whole number');
  });
});
