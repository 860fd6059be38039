// A resumed run reproduces the uninterrupted run's losses for the same seed: data order,
// dynamic binarization, particles and the optimizer state are all restored or re-derived; its
// metrics.jsonl has every step once, even after a crash left lines past the checkpoint.
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
    // A crash during epoch 2: step lines past the checkpoint (step 10), the last one cut off.
    const metrics = path.join(tmp, 'b', 'metrics.jsonl');
    const stray = (step: number) => JSON.stringify({ kind: 'step', step, epoch: step / 10, steps: 1, loss: 1, elbo: -1, kl: 1, beta: 1, gradNorm: 1, lr: 1e-3, examplesPerSec: 1, seconds: 1 });
    fs.appendFileSync(metrics, `${stray(11)}\n${stray(12)}\n{"kind":"step","st`);
    const resumed = await runTrain({ resume: path.join(tmp, 'b'), overrides: { epochs: 3 }, json: true }, captureIo());
    expect(resumed.history).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      // Same seed, same kernels, same order of operations: equal to float32 rounding.
      expect(resumed.history[e]!.trainElbo).toBeCloseTo(straight.history[e]!.trainElbo, 3);
      expect(resumed.history[e]!.validElbo!).toBeCloseTo(straight.history[e]!.validElbo!, 3);
    }
    const read = (dir: string) => fs.readFileSync(path.join(tmp, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const [a, b] = [read('a'), read('b')];
    expect(b.map((l) => `${l.kind} ${l.step}`)).toEqual(a.map((l) => `${l.kind} ${l.step}`));
    expect(b.filter((l) => l.kind === 'step').map((l) => l.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    b.forEach((l, i) => expect(l.elbo ?? l.trainElbo).toBeCloseTo(a[i].elbo ?? a[i].trainElbo, 3));
  });
});
