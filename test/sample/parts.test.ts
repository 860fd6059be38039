// The pieces of `vae sample`: decode/encode against the nets computed by hand, site discovery,
// interpolation paths, normal quantiles and the PCA projection.
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, type Program } from '../../src/api';
import { Rng } from '../../src/core/rng';
import { decode, encode } from '../../src/sample/decode';
import { scoped } from '../../src/engine/scope';
import { gridQuantiles, normalQuantile } from '../../src/sample/grid2d';
import { lerp, slerp } from '../../src/sample/interpolate';
import { pca2, topTwoEigen } from '../../src/sample/project';
import { covariateNames, imageSite, labelInfo, mainLatent } from '../../src/sample/sites';

const M2 = `
data x: Binary[6, 4]
data y: Category[3]?
net classifier: Real[6, 4] -> Simplex[3] = mlp(hidden: [8], activation: softplus)
net encoder: (Real[6, 4], OneHot[3]) -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [8], activation: softplus)
net decoder: (Real[2], OneHot[3]) -> Real[6, 4] = mlp(hidden: [8], activation: softplus)
model {
  z: Real[2] ~ Normal(0, 1)
  y ~ Categorical(probs: uniform(3))
  x ~ Bernoulli(logits: decoder(z, onehot(y)))
}
guide {
  y ~ Categorical(probs: classifier(x)) @enumerate
  let q = encoder(x, onehot(y))
  z ~ Normal(q.loc, q.scale)
}
`;

const CVAE = `
data x: Real[10]
data c: Real[3]
net decoder: (Real[5], Real[3]) -> Real[10] = mlp(hidden: [8], activation: softplus)
net encoder: Real[10] -> (loc: Real[5], scale: Positive[5]) = mlp(hidden: [8], activation: softplus)
model {
  z: Real[5] ~ Normal(0, 1)
  x ~ Normal(decoder(z, c), 1)
}
guide {
  let q = encoder(x)
  z ~ Normal(q.loc, q.scale)
}
`;

function withProgram<T>(src: string, f: (p: Program) => T): T {
  const p = compile(src, { seed: 3 });
  try {
    return f(p);
  } finally {
    p.dispose();
  }
}

const net = (p: Program, name: string, inputs: tf.Tensor[]) => p.compiled.nets.get(name)!.apply(inputs, p.store, false);

describe('decode and encode', () => {
  it('decode fixes the given values and returns the observed mean: sigmoid(decoder(z, onehot(y)))', () => {
    withProgram(M2, (p) => {
      const before = tf.memory().numTensors;
      const [got, want] = scoped(() => {
        const z = tf.tensor2d([[0.5, -1], [2, 0.25]]); // [2, 2]
        const y = tf.tensor1d([2, 0], 'int32'); // [2]
        const x = decode(p, imageSite(p.checked).site, new Map<string, tf.Tensor>([['z', z], ['y', y]]), new Map(), { mode: 'mean', rng: Rng.fromSeed(1), n: 2 }); // [2, 6, 4]
        expect(x.shape).toEqual([2, 6, 4]);
        const ref = tf.sigmoid(net(p, 'decoder', [z, tf.oneHot(y, 3)])[0]!); // [2, 6, 4]
        return [x.dataSync(), ref.dataSync()];
      });
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it("decode in 'sample' mode draws 0/1 pixels; unfixed latents come from the prior, seeded", () => {
    withProgram(M2, (p) => {
      const draw = (seed: number) =>
        scoped(() => Array.from(decode(p, imageSite(p.checked).site, new Map(), new Map(), { mode: 'sample', rng: Rng.fromSeed(seed), n: 50 }).dataSync()));
      const a = draw(1);
      expect(a).toHaveLength(50 * 24);
      expect(a.every((v) => v === 0 || v === 1)).toBe(true);
      expect(draw(1)).toEqual(a);
      expect(draw(2)).not.toEqual(a);
    });
  });

  it("encode in 'mean' mode gives the guide mean given the observed label, else argmax q(y|x)", () => {
    withProgram(M2, (p) => {
      scoped(() => {
        const x = tf.randomUniform([3, 6, 4], 0, 1, 'float32', 5).round(); // [3, 6, 4]
        const y = tf.tensor1d([1, -1, 0], 'int32'); // [3]: the second label is missing
        const out = encode(p, new Map<string, tf.Tensor>([['x', x], ['y', y]]), { mode: 'mean', rng: Rng.fromSeed(1), n: 3 });
        const guess = tf.argMax(net(p, 'classifier', [x])[0]!, -1).dataSync()[1]!;
        expect(Array.from(out.get('y')!.dataSync())).toEqual([1, guess, 0]);
        const loc = net(p, 'encoder', [x, tf.oneHot(tf.tensor1d([1, guess, 0], 'int32'), 3)])[0]!; // [3, 2]
        expect(out.get('z')!.shape).toEqual([3, 2]);
        const got = out.get('z')!.dataSync();
        loc.dataSync().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      });
    });
  });

  it('decode reads covariates from the data it is given', () => {
    withProgram(CVAE, (p) => {
      const [got, want] = scoped(() => {
        const z = tf.randomNormal([4, 5], 0, 1, 'float32', 1); // [4, 5]
        const c = tf.randomNormal([4, 3], 0, 1, 'float32', 2); // [4, 3]
        const site = p.checked.model.sites.find((s) => s.name === 'x')!; // Real[10]: not an image, decodable all the same
        const x = decode(p, site, new Map([['z', z]]), new Map([['c', c]]), { mode: 'mean', rng: Rng.fromSeed(1), n: 4 }); // [4, 10]
        return [x.dataSync(), net(p, 'decoder', [z, c])[0]!.dataSync()];
      });
      expect(Array.from(got)).toEqual(Array.from(want));
    });
  });
});

describe('sites', () => {
  it('finds the image, latent, label and covariates', () => {
    withProgram(M2, (p) => {
      const img = imageSite(p.checked);
      expect([img.site.name, img.height, img.width]).toEqual(['x', 6, 4]); // a 2-D event as is
      expect(mainLatent(p.checked).name).toBe('z');
      expect(labelInfo(p.checked)).toEqual({ name: 'y', classes: 3, isSite: true });
      expect(covariateNames(p.checked)).toEqual([]);
    });
    withProgram(CVAE, (p) => {
      expect(covariateNames(p.checked)).toEqual(['c']);
      expect(labelInfo(p.checked)).toBeUndefined();
      expect(() => imageSite(p.checked)).toThrow('the observed site `x` has shape [10], which is not an image');
    });
    // A sequence (models/dmm.vae): the hint names the command that plots sequences.
    withProgram(fs.readFileSync(new URL('../../models/dmm.vae', import.meta.url), 'utf8'), (p) => {
      expect(() => imageSite(p.checked)).toThrow(expect.objectContaining({ hint: expect.stringContaining('`x` is a sequence, observed step by step: `vae sample RUN` (--from prior) draws and plots sequences') }));
    });
  });
});

describe('interpolation paths', () => {
  const a = Float32Array.from([3, 0, 0]);
  const b = Float32Array.from([0, 3, 0]);
  it('start and end at the endpoints', () => {
    for (const f of [lerp, slerp]) {
      Array.from(f(a, b, 0)).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
      Array.from(f(a, b, 1)).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
    }
  });
  it('slerp keeps the norm of equal-norm endpoints; lerp cuts the corner', () => {
    const norm = (v: Float32Array) => Math.hypot(...v);
    expect(norm(slerp(a, b, 0.5))).toBeCloseTo(3, 5);
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(Array.from(slerp(a, a, 0.3))).toEqual(Array.from(a)); // parallel: falls back to lerp
  });
});

describe('normal quantiles', () => {
  it('match known values', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644853627, 7);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424309, 6);
  });
  it('the grid runs evenly in probability over [0.05, 0.95], symmetric', () => {
    const q = gridQuantiles(5);
    expect(q[0]).toBeCloseTo(-1.644853627, 7);
    expect(q[2]).toBeCloseTo(0, 9);
    expect(q[4]).toBeCloseTo(1.644853627, 7);
    expect(q[1]).toBeCloseTo(-q[3]!, 9);
  });
});

describe('PCA', () => {
  it('finds the top two eigenvectors of a symmetric matrix', () => {
    const { vectors, values } = topTwoEigen(Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, 3]), 3);
    expect(values[0]).toBeCloseTo(5, 9);
    expect(values[1]).toBeCloseTo(3, 9);
    expect(Array.from(vectors[0]).map((v) => Math.abs(v))).toEqual([0, 1, 0].map((v) => expect.closeTo(v, 9)));
    expect(Array.from(vectors[1]).map((v) => Math.abs(v))).toEqual([0, 0, 1].map((v) => expect.closeTo(v, 9)));
  });

  it('projects points spread along two directions onto them, with the variance they explain', () => {
    const n = 400;
    const d = 6;
    const rows = new Float32Array(n * d);
    const u = [1, 1, 0, 0, 0, 0].map((v) => v / Math.SQRT2);
    const v = [0, 0, 1, -1, 0, 0].map((x) => x / Math.SQRT2);
    for (let i = 0; i < n; i++) {
      const s = 4 * Math.sin(i * 1.3);
      const t = 1.5 * Math.cos(i * 0.7);
      for (let j = 0; j < d; j++) rows[i * d + j] = s * u[j]! + t * v[j]! + 0.01 * Math.sin(i * 7 + j) + 10;
    }
    const p = pca2(rows, n, d);
    expect(p.explained[0] + p.explained[1]).toBeGreaterThan(0.999);
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    // the first coordinate is ±s, centred
    const s0 = 4 * Math.sin(0);
    const mean = Array.from({ length: n }, (_, i) => 4 * Math.sin(i * 1.3)).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(p.points[0]!)).toBeCloseTo(Math.abs(s0 - mean), 1);
  });
});
