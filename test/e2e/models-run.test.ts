// Every model in models/ is checked, trained for a few steps and evaluated, on small synthetic
// data bound with --data (so the test needs neither network access nor optional data sets).
// Synthetic columns follow each data declaration: Binary -> 0/1, Unit -> k/255, Real -> N(0, 1),
// Count -> geometric counts with mean 3, Category[k] -> random classes (with some -1 where the
// site is partly observed); a `?` site of another kind gets NaN (missing) in a fifth of its entries;
// a sequence of up to T steps (`Real[..T, D]`) is cut at lengths 1..T (NaN after).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/data/npy';
import { main } from '../../src/cli/main';
import { checkFile } from '../../src/check';
import { numel } from '../../src/dsl/types';
import { Rng } from '../../src/core/rng';
import { runTrain } from '../../src/train/run';
import { captureIo } from '../helpers/io';

const root = path.resolve(__dirname, '../..');
const models = fs.readdirSync(path.join(root, 'models')).filter((f) => f.endsWith('.vae')).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-models-'));
const N = 48;

function dataFor(file: string): string | undefined {
  const r = checkFile(`models/${file}`, { cwd: root });
  const cp = r.checked!;
  if (cp.data.length === 0) return undefined;
  const u = Rng.fromSeed(7).foldName(file).uniforms();
  const parts: string[] = [];
  for (const d of cp.data) {
    const per = numel(d.type.shape);
    const f = path.join(tmp, `${file}-${d.name}.npy`);
    if (d.type.vk === 'Category') {
      const k = d.type.classes!;
      const data = new Int32Array(N).map((_, i) => (d.partial && i % 3 === 0 ? -1 : Math.floor(u() * k)));
      writeNpy(f, { shape: [N], data });
    } else {
      const data = new Float32Array(N * per).map(() => {
        if (d.masked && u() < 0.2) return NaN;
        if (d.type.vk === 'Binary') return u() < 0.3 ? 1 : 0;
        if (d.type.vk === 'Count') return Math.floor(Math.log(1 - u()) / Math.log(0.75));
        if (d.type.vk === 'Unit') return Math.floor(u() * 256) / 255;
        return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
      });
      // Sequences of up to T steps (`..T`): example i ends after 1 + (i mod T) steps, NaN after.
      if (d.upTo) for (let i = 0; i < N; i++) data.fill(NaN, i * per + (1 + (i % d.upTo.max)) * (per / d.upTo.max), (i + 1) * per);
      writeNpy(f, { shape: [N, ...d.type.shape], data });
    }
    parts.push(`${d.name}=${f}`);
  }
  return parts.join(',');
}

describe('every model in models/', () => {
  it('has at least the zoo the project documents', () => {
    for (const m of ['vae', 'iwae', 'm2', 'cvae', 'ppca', 'vae-laplace-prior', 'vae-mog-prior', 'vae-vampprior', 'vae-planar-flow', 'vae-iaf', 'vae-gaussian-likelihood', 'vae-continuous-bernoulli', 'toy-gaussian', 'hvae2', 'gmvae', 'zinb-vae', 'prodlda', 'vae-missing', 'dmm', 'dmm-ragged']) {
      expect(models).toContain(`${m}.vae`);
    }
  });

  for (const file of models) {
    it(`${file} trains a few steps and evaluates`, async () => {
      const before = tf.memory().numTensors;
      const data = dataFor(file);
      const out = path.join(tmp, file.replace('.vae', ''));
      const r = await runTrain(
        { file: `models/${file}`, overrides: { steps: 3, batch: 16 }, ...(data ? { data } : {}), out, json: true, figures: false },
        captureIo(),
      );
      expect(r.history.length).toBeGreaterThan(0);
      expect(Number.isFinite(r.history[r.history.length - 1]!.trainElbo)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      if (!data) return; // a data-free program (an expectation objective) has nothing to evaluate on
      const io = captureIo();
      const code = await main(['eval', out, '--iwae', '4', '--data', data, '--json'], io);
      expect(code, io.text()).toBe(0);
      const ev = JSON.parse(io.stdout.join(''));
      expect(Number.isFinite(ev.elbo)).toBe(true);
      // IWAE-4 is a tighter bound than the ELBO on average (loosely: Monte Carlo noise on 48 examples).
      expect(ev.iwae.logLikelihood).toBeGreaterThan(ev.elbo - 5);
    });
  }
});
