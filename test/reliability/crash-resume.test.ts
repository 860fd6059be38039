/**
 * A crash at any point of a training run, then --resume: the resumed run ends exactly where the
 * uninterrupted run ends (the same metrics lines, bit-equal weights), metrics.jsonl has no
 * duplicate and no gap, and no checkpoint.tmp-* / checkpoint.old-* directory is left.
 *
 * The crash points are every change the run makes to its directory (each write, append,
 * rename, mkdir and removal; appends also cut in half): the directory is copied just before the
 * change, which is what a SIGKILL at that instant leaves on disk (fs-faults.ts). One case kills
 * a real child process with SIGKILL at a seeded time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrain } from '../../src/train/run';
import { formatCliError } from '../../src/cli/errors';
import { note } from '../helpers/io';
import { copyTree, intercept, type FsCall } from './fs-faults';
import { metricsKey, metricsLines, silent, tinyWorkspace } from './tiny-run';

const { tmp, file, csv } = tinyWorkspace('vae-crash-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const EPOCHS = 3;
/** The killed run: 150 steps, so the kill lands well before its end. */
const EPOCHS_KILL = 30;
const base = { file, data: csv, json: true, figures: false } as const;

const weightsOf = (dir: string) => fs.readFileSync(path.join(dir, 'checkpoint', 'weights.bin'));
const stale = (dir: string) => fs.readdirSync(dir).filter((e) => /^checkpoint\.(tmp|old)-|\.tmp$/.test(e));

interface Snapshot {
  readonly dir: string;
  readonly call: string;
}

describe('a crash at every point of a run, then --resume', () => {
  it('ends exactly as the uninterrupted run, with every metrics line once', async () => {
    const ref = path.join(tmp, 'ref');
    await runTrain({ ...base, overrides: { epochs: EPOCHS }, out: ref }, silent);
    const refLines = metricsLines(ref).map(metricsKey);

    // The same run, copied before every change it makes to its directory.
    const run = path.join(tmp, 'run');
    const snaps: Snapshot[] = [];
    const snapshot = (c: FsCall, half = false) => {
      if (!fs.existsSync(run)) return;
      const dir = path.join(tmp, `snap-${snaps.length}`);
      copyTree(run, dir);
      if (half) {
        const data = String(c.args[1]);
        fs.appendFileSync(path.join(dir, path.relative(run, c.path)), data.slice(0, Math.floor(data.length / 2)));
      }
      snaps.push({ dir, call: `${half ? 'half of ' : ''}${c.op} ${path.relative(run, c.path)}` });
    };
    await intercept(run, (c) => {
      snapshot(c);
      if (c.op === 'appendFileSync') snapshot(c, true);
    }, () => runTrain({ ...base, overrides: { epochs: EPOCHS }, out: run }, silent));
    expect(metricsLines(run).map(metricsKey)).toEqual(refLines);
    expect(snaps.length).toBeGreaterThan(30);

    let resumed = 0;
    let beforeFirstCheckpoint = 0;
    let finished = 0;
    for (const s of snaps) {
      let err: unknown;
      try {
        await runTrain({ resume: s.dir, overrides: { epochs: EPOCHS }, json: true, figures: false }, silent);
      } catch (e) {
        err = e;
      }
      if (err !== undefined && /nothing to do: the run has already trained 3 epochs/.test(formatCliError(err))) {
        finished++; // killed after the last checkpoint, while cleaning up: complete, as checked below
      } else if (err !== undefined) {
        // Only before the first checkpoint is complete is there nothing to resume, and it says so.
        const text = formatCliError(err);
        expect(text, s.call).toMatch(/^error\[VAE703\]: '.*' (holds a run that stopped before its first checkpoint|holds no checkpoint)/);
        expect(fs.existsSync(path.join(s.dir, 'checkpoint', 'state.json')), s.call).toBe(false);
        beforeFirstCheckpoint++;
        continue;
      }
      else resumed++;
      const lines = metricsLines(s.dir).map(metricsKey);
      expect(lines, s.call).toEqual(refLines);
      expect(weightsOf(s.dir).equals(weightsOf(ref)), s.call).toBe(true);
      expect(stale(s.dir), s.call).toEqual([]);
    }
    note(`crash points: ${snaps.length}; resumed exactly: ${resumed}; already complete: ${finished}; before the first checkpoint (VAE703, nothing to resume): ${beforeFirstCheckpoint}`);
    expect(resumed).toBeGreaterThan(snaps.length / 2);
  });

  it('a real SIGKILL of a child process at a seeded time, then --resume', async () => {
    const ref = path.join(tmp, 'ref-kill');
    await runTrain({ ...base, overrides: { epochs: EPOCHS_KILL }, out: ref }, silent);
    const run = path.join(tmp, 'killed');
    const script = `import { initBackend } from ${JSON.stringify(path.resolve('src/backend.ts'))};
import { runTrain } from ${JSON.stringify(path.resolve('src/train/run.ts'))};
await initBackend('wasm');
await runTrain({ file: ${JSON.stringify(file)}, data: ${JSON.stringify(csv)}, json: true, figures: false, overrides: { epochs: ${EPOCHS_KILL} }, out: ${JSON.stringify(run)} }, { out() {}, err() {}, color: false });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    // Kill once the run has saved its second checkpoint (and is training on), after a seeded extra delay.
    const extra = 37; // ms
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        const state = path.join(run, 'checkpoint', 'state.json');
        let step = 0;
        try {
          step = (JSON.parse(fs.readFileSync(state, 'utf8')) as { step: number }).step;
        } catch {
          // not written yet, or being replaced
        }
        if (step >= 10) {
          clearInterval(poll);
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, extra);
        } else if (Date.now() - t0 > 120_000) {
          clearInterval(poll);
          child.kill('SIGKILL');
          reject(new Error('the child never saved a checkpoint'));
        }
      }, 5);
    });
    await new Promise((r) => child.once('exit', r));
    await runTrain({ resume: run, overrides: { epochs: EPOCHS_KILL }, json: true, figures: false }, silent);
    expect(metricsLines(run).map(metricsKey)).toEqual(metricsLines(ref).map(metricsKey));
    expect(weightsOf(run).equals(weightsOf(ref))).toBe(true);
    expect(stale(run)).toEqual([]);
  }, 180_000);
});
