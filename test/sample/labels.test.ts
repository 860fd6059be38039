// `vae sample` on class-conditional toys: 4x4 images of a horizontal (class 0) or vertical
// (class 1) bar, bound from .npy files (so the figures draw from the validation split). An
// M2-like program (`y ~ Categorical` in the model, `@enumerate` in the guide, a third of the
// labels missing) and a conditional VAE (`y` a covariate the decoder reads, no site).
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSampleCommand } from '../../src/cli/sample';
import { writeNpy } from '../../src/data/npy';
import { gridSize } from '../../src/sample/context';
import { cellPixel, expectChart, expectPng, sample, silent, trainTiny, type GridFigure } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-sample-labels-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const NETS = (encoderIn: string) => `
data x: Binary[16]
const Z = 2
net encoder: ${encoderIn} -> (loc: Real[Z], scale: Positive[Z]) = mlp(hidden: [32], activation: softplus)
net decoder: (Real[Z], OneHot[2]) -> Real[16] = mlp(hidden: [32], activation: softplus)
`;
const TRAIN = 'train {\n  objective: elbo  optimizer: adam(lr: 1e-2)  batch: 50\n  epochs: 50\n}\n';

const M2 = `${NETS('(Real[16], OneHot[2])')}
data y: Category[2]?
net classifier: Real[16] -> Simplex[2] = mlp(hidden: [16], activation: softplus)
model {
  z: Real[Z] ~ Normal(0, 1)
  y ~ Categorical(probs: uniform(2))
  x ~ Bernoulli(logits: decoder(z, onehot(y)))
}
guide {
  y ~ Categorical(probs: classifier(x)) @enumerate
  let q = encoder(x, onehot(y))
  z ~ Normal(q.loc, q.scale)
}
${TRAIN}`;

const CVAE = `${NETS('(Real[16], OneHot[2])')}
data y: Category[2]
model {
  z: Real[Z] ~ Normal(0, 1)
  x ~ Bernoulli(logits: decoder(z, onehot(y)))
}
guide {
  let q = encoder(x, onehot(y))
  z ~ Normal(q.loc, q.scale)
}
${TRAIN}`;

/** 400 bars: example i has class i % 2 at position (i >> 1) % 4. */
function writeBars(missing: boolean): string {
  const n = 400;
  const x = new Uint8Array(n * 16);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const k = (i >> 1) % 4;
    for (let j = 0; j < 4; j++) x[i * 16 + (c === 0 ? k * 4 + j : j * 4 + k)] = 1;
    y[i] = missing && i % 3 === 0 ? -1 : c;
  }
  const xf = path.join(tmp, 'x.npy');
  const yf = path.join(tmp, missing ? 'y-partial.npy' : 'y.npy');
  writeNpy(xf, { shape: [n, 16], data: x });
  writeNpy(yf, { shape: [n], data: y });
  return `x=${xf},y=${yf}`;
}

let m2 = '';
let cvae = '';

beforeAll(async () => {
  fs.writeFileSync(path.join(tmp, 'm2.vae'), M2);
  fs.writeFileSync(path.join(tmp, 'cvae.vae'), CVAE);
  m2 = await trainTiny({ file: path.join(tmp, 'm2.vae'), data: writeBars(true), overrides: {}, out: path.join(tmp, 'm2') });
  cvae = await trainTiny({ file: path.join(tmp, 'cvae.vae'), data: writeBars(false), overrides: {}, out: path.join(tmp, 'cvae') });
});

const cell = { h: 4, w: 4, scale: 1 };
const image = (png: GridFigure, row: number, col: number) => Array.from({ length: 16 }, (_, i) => cellPixel(png, cell, row, col, i % 4, Math.floor(i / 4)));

describe.each([
  ['M2 (label site)', () => m2],
  ['conditional VAE (label covariate)', () => cvae],
])('%s', (_name, runDir) => {
  it('--analogies: a row per example, its image, then every class with its latent code', async () => {
    const [file] = await sample(runDir(), { out: path.join(runDir(), 'a'), analogies: true, n: '6', scale: '1' });
    const png = expectPng(file!, ...(Object.values(gridSize(6, 3, 4, 4, 1)) as [number, number]));
    let differ = 0;
    for (let r = 0; r < 6; r++) {
      expect(image(png, r, 0).every((v) => v === 0 || v === 255)).toBe(true); // the example itself
      const [a, b] = [image(png, r, 1), image(png, r, 2)];
      differ += a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / 16;
    }
    expect(differ / 6).toBeGreaterThan(20); // the class changes the image
  });

  it('class k of --analogies draws class k: a bar along a row for 0, along a column for 1', async () => {
    const [file] = await sample(runDir(), { out: path.join(runDir(), 'k'), analogies: true, n: '8', scale: '1' });
    const png = expectPng(file!, ...(Object.values(gridSize(8, 3, 4, 4, 1)) as [number, number]));
    const spread = (img: number[], byRow: boolean) => {
      const sums = [0, 1, 2, 3].map((k) => [0, 1, 2, 3].reduce((s, j) => s + img[byRow ? k * 4 + j : j * 4 + k]!, 0));
      return Math.max(...sums) - Math.min(...sums);
    };
    let right = 0;
    for (let r = 0; r < 8; r++) {
      if (spread(image(png, r, 1), true) > spread(image(png, r, 1), false)) right++;
      if (spread(image(png, r, 2), false) > spread(image(png, r, 2), true)) right++;
    }
    expect(right).toBeGreaterThanOrEqual(12);
  });

  it('--grid2d keeps the label fixed (--label k) and names the file after it', async () => {
    const [file] = await sample(runDir(), { out: path.join(runDir(), 'g'), grid2d: true, label: '1', n: '4', scale: '1' });
    expect(path.basename(file!)).toBe('grid2d-y1.png');
    expectPng(file!, ...(Object.values(gridSize(4, 4, 4, 4, 1)) as [number, number]));
    await expect(runSampleCommand(runDir(), { grid2d: true, label: '2' }, silent)).rejects.toThrow('--label 2 is out of range: `y` has 2 classes');
  });

  it('--from prior, --reconstruct, --interpolate and --scatter (coloured by label)', async () => {
    const files = await sample(runDir(), { out: path.join(runDir(), 'all'), from: 'prior', reconstruct: true, interpolate: true, scatter: true, n: '6', scale: '1' });
    expect(files.map((f) => path.basename(f))).toEqual(['prior.png', 'reconstruct.png', 'interpolate.png', 'scatter.png']);
    expectPng(files[0]!, ...(Object.values(gridSize(2, 3, 4, 4, 1)) as [number, number]));
    expectPng(files[1]!, ...(Object.values(gridSize(2, 6, 4, 4, 1)) as [number, number]));
    expectPng(files[2]!, ...(Object.values(gridSize(12, 12, 4, 4, 1)) as [number, number]));
    const scatter = expectChart(files[3]!);
    let colourful = 0;
    for (let i = 0; i < scatter.data.length; i += 4) if (Math.abs(scatter.data[i]! - scatter.data[i + 2]!) > 60) colourful++;
    expect(colourful).toBeGreaterThan(50);
  });
});

it('covariates come from the data: more prior samples than examples is a clear error', async () => {
  const before = tf.memory().numTensors;
  await expect(runSampleCommand(cvae, { n: '100' }, silent)).rejects.toThrow(/--from prior \(for the covariates the model reads\) needs 100 examples, but .* has 40/);
  expect(tf.memory().numTensors).toBe(before);
});
