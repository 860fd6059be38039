/**
 * File-system failures at every point of a training run: the k-th change the run makes to its
 * directory (a write, append, rename, mkdir or removal) fails with EACCES, EROFS, ENOSPC or EIO,
 * simulated because the tests run as root (fs-faults.ts). Each must end in VAE705/VAE701 naming
 * the path, exit code 1 — or, for a failed clean-up removal, a finished run — and never lose
 * what was saved: the run resumes to exactly the uninterrupted run's weights afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { runTrain } from '../../src/train/run';
import { captureIo, note } from '../helpers/io';
import { errnoError, intercept } from './fs-faults';
import { silent, tinyWorkspace } from './tiny-run';

const { tmp, file, csv } = tinyWorkspace('vae-fserr-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const CODES = ['EACCES', 'EROFS', 'ENOSPC', 'EIO'] as const;
const EPOCHS = 2;

describe('a file-system failure at every point of a run', () => {
  it('is VAE705/VAE701 with the path, and the run resumes exactly afterwards', async () => {
    const ref = path.join(tmp, 'ref');
    await runTrain({ file, data: csv, overrides: { epochs: EPOCHS }, out: ref, json: true, figures: false }, silent);
    const refWeights = fs.readFileSync(path.join(ref, 'checkpoint', 'weights.bin'));
    let calls = 0;
    await intercept(path.join(tmp, 'count'), () => calls++, () => runTrain({ file, data: csv, overrides: { epochs: EPOCHS }, out: path.join(tmp, 'count'), json: true, figures: false }, silent));
    expect(calls).toBeGreaterThan(15);

    let diagnosed = 0;
    let finished = 0;
    let resumed = 0;
    const failures: string[] = [];
    for (let k = 0; k < calls; k++) {
      const code = CODES[k % CODES.length]!;
      const out = path.join(tmp, `run-${k}`);
      let n = 0;
      let failed = '';
      const io = captureIo();
      const exit = await intercept(out, (c) => {
        if (n++ === k) {
          failed = `${c.op} ${path.relative(out, c.path)}`;
          throw errnoError(code, c);
        }
      }, () => main(['train', file, '--data', csv, '--epochs', String(EPOCHS), '--out', out, '--json', '--no-figures'], io));
      const text = io.stderr.join('\n');
      if (exit === 0) {
        // Only a removal may fail without stopping the run (clean-up of the previous checkpoint).
        if (!failed.startsWith('rmSync')) failures.push(`${failed} (${code}): exit 0`);
        finished++;
      } else if (/^error\[VAE70[15]\]: cannot .* '.*': .*\n {2}= hint: /m.test(text) && !/internal error/.test(text)) {
        diagnosed++;
      } else {
        failures.push(`${failed} (${code}): ${text.split('\n').slice(1).join(' | ')}`);
        continue;
      }
      // Nothing saved is lost: the run continues from its last checkpoint to the same end.
      if (fs.existsSync(out) && (fs.existsSync(path.join(out, 'checkpoint', 'state.json')) || fs.readdirSync(out).some((e) => e.startsWith('checkpoint.old-')))) {
        await runTrain({ resume: out, overrides: { epochs: EPOCHS }, json: true, figures: false }, silent).catch((e: Error) => {
          if (!/nothing to do/.test(e.message)) failures.push(`${failed} (${code}): resume failed: ${e.message}`);
        });
        if (!fs.readFileSync(path.join(out, 'checkpoint', 'weights.bin')).equals(refWeights)) failures.push(`${failed} (${code}): resumed weights differ`);
        resumed++;
      }
    }
    note(`file-system failures: ${calls} points, ${diagnosed} diagnosed (VAE705/VAE701), ${finished} finished (a failed clean-up), ${resumed} resumed exactly afterwards, ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, 120_000);
});
