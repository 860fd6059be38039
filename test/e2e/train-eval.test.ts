// End to end: train models/vae.vae on 2000 binarized-MNIST images for 2 epochs, then load the
// checkpoint and evaluate it. Checks the ELBO rises, the checkpoint loads, and IWAE-50 >= ELBO.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { runTrain, type TrainResult } from '../../src/train/run';
import { captureIo } from '../helpers/io';

let result: TrainResult;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-e2e-'));
  result = await runTrain({ file: 'models/vae.vae', overrides: { epochs: 2 }, limit: 2000, out: path.join(dir, 'run'), json: true }, captureIo());
});

describe('vae train -> eval', () => {
  it('raises the ELBO from epoch 1 to epoch 2 and writes metrics and a checkpoint', () => {
    expect(result.history).toHaveLength(2);
    const [e1, e2] = result.history;
    expect(e2!.trainElbo).toBeGreaterThan(e1!.trainElbo);
    expect(e2!.validElbo!).toBeGreaterThan(e1!.validElbo!);
    // 20 step lines then an epoch line, twice (2000 examples, batch 100: 20 steps per epoch)
    const lines = fs.readFileSync(path.join(result.dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(42);
    expect(lines.map((l) => l.kind)).toEqual([...Array(20).fill('step'), 'epoch', ...Array(20).fill('step'), 'epoch']);
    expect(lines[41]).toMatchObject({ kind: 'epoch', epoch: 2, step: 40 });
    const steps = lines.filter((l) => l.kind === 'step');
    expect(steps.map((l) => l.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const l of steps) {
      expect(Object.keys(l)).toEqual(['kind', 'step', 'epoch', 'steps', 'loss', 'elbo', 'kl', 'beta', 'gradNorm', 'lr', 'examplesPerSec', 'seconds']);
      expect(l).toMatchObject({ steps: 1, beta: 1, lr: 0.001, epoch: l.step / 20 });
      expect(l.loss).toBeCloseTo(-l.elbo, 3); // ELBO, β = 1, analytic KL: the loss is −ELBO
      expect(l.gradNorm).toBeGreaterThan(0);
      expect(l.examplesPerSec).toBeGreaterThan(0);
    }
    // the epoch's training ELBO is the mean of its step lines
    const mean = steps.slice(20).reduce((a, l) => a + l.elbo, 0) / 20;
    expect(lines[41].trainElbo).toBeCloseTo(mean, 3);
    for (const f of ['curves.svg', 'curves.png', 'diagnostics.svg', 'diagnostics.png']) expect(fs.existsSync(path.join(result.dir, f))).toBe(true);
    for (const f of ['weights.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'state.json', 'program.json']) {
      expect(fs.existsSync(path.join(result.dir, 'checkpoint', f))).toBe(true);
    }
    const cfg = JSON.parse(fs.readFileSync(path.join(result.dir, 'config.json'), 'utf8'));
    expect(cfg.settings.epochs).toEqual({ value: 2, origin: 'cli' });
    expect(cfg.settings.kl).toEqual({ value: 'auto', origin: 'default' });
  });

  it('loads the checkpoint and gives an IWAE-50 log-likelihood at least the ELBO', async () => {
    const io = captureIo();
    const code = await main(['eval', result.dir, '--iwae', '50', '--limit', '300', '--json'], io);
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.join(''));
    expect(r.n).toBe(300);
    // IWAE_K >= ELBO in expectation; with 300 examples the gap (a few nats) dwarfs the noise.
    expect(r.iwae.logLikelihood).toBeGreaterThan(r.elbo);
    expect(r.iwae.logLikelihood).toBeLessThan(0);
    expect(r.latents[0].site).toBe('z');
    expect(r.latents[0].dims).toBe(50);
    expect(r.latents[0].activeUnits).toBeGreaterThanOrEqual(0);
  });
});
