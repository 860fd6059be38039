// `vae sample` on tiny runs of models/vae.vae (a 50-D and a 2-D latent) on binarized MNIST:
// every figure writes a PNG of the size its layout gives, with varied pixels and no leaked
// tensors; errors are one line with a hint and exit code 1.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { runSampleCommand } from '../../src/cli/sample';
import { gridSize } from '../../src/sample/context';
import { gridQuantiles } from '../../src/sample/grid2d';
import { cellPixel, expectChart, expectPng, sample, silent, trainTiny } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-sample-'));
let run50 = '';
let run2 = '';

beforeAll(async () => {
  [run50, run2] = await Promise.all([
    trainTiny({ file: 'models/vae.vae', overrides: { epochs: 1 }, limit: 600, out: path.join(tmp, 'z50') }),
    trainTiny({ file: 'models/vae.vae', sets: ['const Z = 2'], overrides: { epochs: 1 }, limit: 600, out: path.join(tmp, 'z2') }),
  ]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const out = (name: string) => path.join(tmp, 'out', name);

describe('figures', () => {
  it('draws prior samples by default into RUN/samples (8 x 8 grid of 28 x 28 images)', async () => {
    const files = await sample(run50, {});
    expect(files).toEqual([path.join(run50, 'samples', 'prior.png')]);
    const { width, height } = gridSize(8, 8, 28, 28, 2);
    const png = expectPng(files[0]!, width, height);
    // Bernoulli means are gray levels, not only 0 and 255
    const cell = { h: 28, w: 28, scale: 2 };
    const levels = new Set(Array.from({ length: 28 }, (_, i) => cellPixel(png, cell, 0, 0, i, 14)));
    expect([...levels].some((v) => v > 0 && v < 255)).toBe(true);
  });

  it('is reproducible for a seed and varies with it', async () => {
    const [a] = await sample(run50, { out: out('s1'), n: '4', seed: '7', mode: 'sample' });
    const [b] = await sample(run50, { out: out('s2'), n: '4', seed: '7', mode: 'sample' });
    const [c] = await sample(run50, { out: out('s3'), n: '4', seed: '8', mode: 'sample' });
    expect(path.basename(a!)).toBe('prior-sample.png');
    expect(fs.readFileSync(a!).equals(fs.readFileSync(b!))).toBe(true);
    expect(fs.readFileSync(a!).equals(fs.readFileSync(c!))).toBe(false);
  });

  it('--reconstruct alternates rows of originals and reconstructions; missing cells stay gray', async () => {
    const [file] = await sample(run50, { out: out('rec'), reconstruct: true, n: '12', scale: '1' });
    const png = expectPng(file!, ...Object.values(gridSize(4, 10, 28, 28, 1)) as [number, number]);
    const cell = { h: 28, w: 28, scale: 1 };
    const row0 = Array.from({ length: 28 * 28 }, (_, i) => cellPixel(png, cell, 0, 0, i % 28, Math.floor(i / 28)));
    const row1 = Array.from({ length: 28 * 28 }, (_, i) => cellPixel(png, cell, 1, 0, i % 28, Math.floor(i / 28)));
    expect(row0.every((v) => v === 0 || v === 255)).toBe(true); // binarized MNIST originals
    expect(row1.some((v) => v > 0 && v < 255)).toBe(true); // Bernoulli means
    expect(cellPixel(png, cell, 2, 5, 10, 10)).toBe(128); // example 13 of 12: blank
    const svg = fs.readFileSync(file!.replace(/png$/, 'svg'), 'utf8');
    expect(svg.split('>original</text>').length - 1).toBe(2);
    expect(svg.split('>reconstruction</text>').length - 1).toBe(2);
  });

  it('--interpolate draws a linear and a slerp row per pair, originals at both ends', async () => {
    const [file] = await sample(run50, { out: out('int'), interpolate: true, n: '2', steps: '5', scale: '1' });
    const png = expectPng(file!, ...Object.values(gridSize(4, 7, 28, 28, 1)) as [number, number]);
    const cell = { h: 28, w: 28, scale: 1 };
    for (const col of [0, 6]) {
      const px = Array.from({ length: 28 * 28 }, (_, i) => cellPixel(png, cell, 0, col, i % 28, Math.floor(i / 28)));
      expect(px.every((v) => v === 0 || v === 255)).toBe(true);
    }
    const svg = fs.readFileSync(file!.replace(/png$/, 'svg'), 'utf8');
    for (const label of ['1: linear', '1: slerp', '2: linear', '2: slerp', 'A', 'B', '0', '0.25', '0.5', '0.75', '1']) expect(svg).toContain(`>${label}</text>`);
  });

  it('--grid2d draws the manifold of a 2-D latent', async () => {
    const [file] = await sample(run2, { out: out('g2'), grid2d: true, n: '5' });
    expectPng(file!, ...Object.values(gridSize(5, 5, 28, 28, 2)) as [number, number]);
    // z values on both axes: the 5 normal quantiles Φ⁻¹(0.05), Φ⁻¹(0.275), ..., Φ⁻¹(0.95), on each axis
    const svg = fs.readFileSync(file!.replace(/png$/, 'svg'), 'utf8');
    expect(gridQuantiles(5).map((v) => v.toFixed(2))).toEqual(['-1.64', '-0.60', '0.00', '0.60', '1.64']);
    for (const v of ['−1.64', '−0.60', '0.00', '0.60', '1.64']) expect(svg.split(`>${v}</text>`).length - 1).toBe(2);
    expect(svg).toContain('>z[0]</text>');
    expect(svg).toContain('>z[1]</text>');
  });

  it('--scatter projects posterior means (PCA for 50 dims, as is for 2)', async () => {
    const [a] = await sample(run50, { out: out('sc50'), scatter: true, n: '300' });
    const [b] = await sample(run2, { out: out('sc2'), scatter: true, n: '300' });
    expectChart(a!);
    expectChart(b!);
    expect(fs.readFileSync(a!.replace(/png$/, 'svg'), 'utf8')).toContain('PC 1 (');
  });

  it('draws several figures in one call, printing one path per line', async () => {
    const files = await sample(run2, { out: out('all'), from: 'prior', reconstruct: true, grid2d: true, n: '4' });
    expect(files.map((f) => path.basename(f))).toEqual(['prior.png', 'reconstruct.png', 'grid2d.png']);
  });
});

describe('errors', () => {
  const fail = async (flags: Parameters<typeof runSampleCommand>[1], run = run50) => {
    const before = tf.memory().numTensors;
    try {
      await runSampleCommand(run, flags, silent);
    } catch (e) {
      expect(tf.memory().numTensors).toBe(before);
      return e as Error & { hint?: string };
    }
    throw new Error('expected an error');
  };

  it('--grid2d on a 50-D latent says why, with a hint', async () => {
    const e = await fail({ grid2d: true, out: out('bad') });
    expect(e.message).toBe('the latent `z` has 50 dimensions; --grid2d needs a 2-D latent');
    expect(e.hint).toContain("--set 'const Z = 2'");
    expect(fs.existsSync(out('bad'))).toBe(false);
  });

  it('--analogies needs a label', async () => {
    const e = await fail({ analogies: true });
    expect(e.message).toContain('--analogies needs a class-conditional model');
    expect(e.hint).toContain('m2.vae');
  });

  it('checks flag values', async () => {
    expect((await fail({ mode: 'median' })).message).toBe("invalid --mode 'median'");
    expect((await fail({ n: '0' })).message).toBe("invalid --n '0'");
    expect((await fail({ from: 'test' })).message).toBe("invalid --from 'test'");
    expect((await fail({ interpolate: true, steps: '1' })).message).toBe("invalid --steps '1'");
    expect((await fail({ label: '1' }, run2)).message).toBe('--label applies to --grid2d only');
    expect((await fail({ grid2d: true, label: '1' }, run2)).message).toContain('--label needs a class-conditional model');
  });

  it('the command prints one line and a hint, exit code 1, never a stack trace', async () => {
    const broken = path.join(tmp, 'broken');
    fs.cpSync(run50, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'checkpoint', 'weights.bin'), new Uint8Array(10));
    for (const [args, text] of [
      [['sample', path.join(tmp, 'nope')], 'no such directory'],
      [['sample', broken], 'weights.bin holds 10 bytes'],
      [['sample', run50, '--grid2d'], '--grid2d needs a 2-D latent'],
      [['sample', run50, '--n', 'many'], "invalid --n 'many'"],
    ] as const) {
      const err: string[] = [];
      const code = await main([...args], { out() {}, err: (s) => err.push(s), color: false });
      expect(code).toBe(1);
      const lines = err.join('\n').split('\n').filter((l) => !l.startsWith('vaelang '));
      expect(lines[0]).toMatch(/^error\[VAE70\d\]: /);
      expect(lines[0]).toContain(text);
      expect(lines[1]).toMatch(/^ {2}= hint: /);
      expect(lines).toHaveLength(2);
    }
  });
});
