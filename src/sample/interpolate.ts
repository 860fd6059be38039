/**
 * `--interpolate`: paths between the guide means of pairs of test examples (picks 2p and 2p+1),
 * decoded. Each pair gives two rows: the linear path, then the spherical one (slerp, as in
 * White 2016, "Sampling generative networks"), `steps` points from t = 0 to 1, with the two
 * originals at the ends. Rows are labelled with the pair and the method, columns with t. Every continuous latent site is interpolated; discrete latents (e.g.
 * M2's y) and covariates are those of the pair's first example.
 */
import * as tf from '@tensorflow/tfjs';
import { dataRows, modeWords, originals, pickExamples, figurePath, figureRng, splitImages, writeGrid, type SampleContext } from './context';
import { decode, encode, gatherRows } from './decode';
import { scoped } from '../engine/scope';
import { continuousLatents, imageSite } from './sites';

export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => (1 - t) * v + t * b[i]!);
}

/** Spherical interpolation of unnormalized vectors; linear where they are (anti)parallel or zero. */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, ab / Math.sqrt(aa * bb))));
  const so = Math.sin(omega);
  if (!(so > 1e-6)) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / so;
  const wb = Math.sin(t * omega) / so;
  return a.map((v, i) => wa * v + wb * b[i]!);
}

export function interpolateLayout(pairs: number, steps: number): { rows: number; cols: number } {
  return { rows: 2 * pairs, cols: steps + 2 };
}

export function sampleInterpolations(ctx: SampleContext, pairs: number, steps: number): string {
  const cp = ctx.prog.checked;
  const image = imageSite(cp);
  const zs = continuousLatents(cp);
  const rng = figureRng(ctx, 'interpolate');
  const n = 2 * pairs;
  const rowsOut = 2 * pairs * steps;
  const idx = pickExamples(ctx, n, '--interpolate (two examples per pair)');
  const decoded = scoped(() => {
    const data = dataRows(ctx, idx); // name -> [2P, ...]
    const means = encode(ctx.prog, data, { mode: 'mean', rng: rng.fold(0), n }); // site -> [2P, ...event]
    const first = Array.from({ length: rowsOut }, (_, r) => 2 * Math.floor(r / (2 * steps))); // row -> example A of its pair
    const values = gatherRows(means, first); // site -> [R, ...event]
    for (const z of zs) {
      const m = means.get(z.name)!.dataSync() as Float32Array; // [2P * d]
      const d = m.length / n;
      const path = new Float32Array(rowsOut * d);
      for (let p = 0; p < pairs; p++) {
        const a = m.subarray(2 * p * d, (2 * p + 1) * d);
        const b = m.subarray((2 * p + 1) * d, (2 * p + 2) * d);
        for (let s = 0; s < steps; s++) {
          const t = steps === 1 ? 0.5 : s / (steps - 1);
          path.set(lerp(a, b, t), (2 * p * steps + s) * d);
          path.set(slerp(a, b, t), ((2 * p + 1) * steps + s) * d);
        }
      }
      values.set(z.name, tf.tensor(path, [rowsOut, ...z.shape])); // [R, ...event]
    }
    return decode(ctx.prog, image.site, values, gatherRows(data, first), { mode: ctx.mode, rng: rng.fold(1), n: rowsOut }).dataSync() as Float32Array; // [R * event]
  });
  const ends = originals(ctx, image.site.name, idx);
  const path = splitImages(decoded, rowsOut);
  const { rows, cols } = interpolateLayout(pairs, steps);
  const cells: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const p = Math.floor(r / 2);
    cells.push(ends[2 * p]!, ...path.slice(r * steps, (r + 1) * steps), ends[2 * p + 1]!);
  }
  const t = (s: number) => (steps === 1 ? 0.5 : s / (steps - 1));
  return writeGrid(ctx, figurePath(ctx, 'interpolate'), image, cells, rows, cols, {
    title: `interpolations between ${pairs} pair${pairs === 1 ? '' : 's'} of test examples A and B`,
    subtitle: `paths between their guide means, ${modeWords(ctx)} of ${image.site.name}; linear: (1−t)·a + t·b, slerp: along the great circle`,
    rowLabels: Array.from({ length: rows }, (_, r) => `${Math.floor(r / 2) + 1}: ${r % 2 === 0 ? 'linear' : 'slerp'}`),
    colLabels: ['A', ...Array.from({ length: steps }, (_, s) => `${Number(t(s).toFixed(2))}`), 'B'],
    colTitle: 't',
  });
}
