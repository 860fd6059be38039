// A resumed run reproduces the uninterrupted run's losses for the same seed: data order,
// dynamic binarization, particles and the optimizer state are all restored or re-derived.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrain } from '../../src/train/run';
import { captureIo } from '../helpers/io';

describe('vae train --resume', () => {
  it('continues exactly where the run stopped', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-resume-'));
    const common = { file: 'models/vae.vae', limit: 1000, json: true } as const;
    const straight = await runTrain({ ...common, overrides: { epochs: 3, batch: 100 }, out: path.join(tmp, 'a') }, captureIo());
    const first = await runTrain({ ...common, overrides: { epochs: 1, batch: 100 }, out: path.join(tmp, 'b') }, captureIo());
    expect(first.history).toHaveLength(1);
    const resumed = await runTrain({ resume: path.join(tmp, 'b'), overrides: { epochs: 3 }, json: true }, captureIo());
    expect(resumed.history).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      // Same seed, same kernels, same order of operations: equal to float32 rounding.
      expect(resumed.history[e]!.trainElbo).toBeCloseTo(straight.history[e]!.trainElbo, 3);
      expect(resumed.history[e]!.validElbo!).toBeCloseTo(straight.history[e]!.validElbo!, 3);
    }
  });
});
