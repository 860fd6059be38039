/**
 * `--analogies` (Kingma et al. 2014, figure 1; the lecture notes' "image analogies"): each row
 * is a test example; its latents are the guide means given the example (and its own label, or
 * q(y|x) where it has none); then the label runs over every class while those latents stay
 * fixed, so a row shows one "style" written as every class. The first column is the example.
 */
import * as tf from '@tensorflow/tfjs';
import { dataRows, modeWords, originals, pickExamples, figurePath, figureRng, splitImages, writeGrid, type SampleContext } from './context';
import { decode, encode, gatherRows } from './decode';
import { scoped } from '../engine/scope';
import { imageSite, requireLabel } from './sites';

export function analogiesLayout(n: number, classes: number): { rows: number; cols: number } {
  return { rows: n, cols: classes + 1 };
}

export function sampleAnalogies(ctx: SampleContext, n: number): string {
  const cp = ctx.prog.checked;
  const y = requireLabel(cp, '--analogies');
  const image = imageSite(cp);
  const k = y.classes;
  const rng = figureRng(ctx, 'analogies');
  const rowsOut = n * k;
  const idx = pickExamples(ctx, n, '--analogies');
  const decoded = scoped(() => {
    const data = dataRows(ctx, idx); // name -> [n, ...]
    const means = encode(ctx.prog, data, { mode: 'mean', rng: rng.fold(0), n }); // site -> [n, ...event]
    const rowOf = Array.from({ length: rowsOut }, (_, r) => Math.floor(r / k));
    const values = gatherRows(means, rowOf); // site -> [n*k, ...event]
    const inputs = gatherRows(data, rowOf); // name -> [n*k, ...]
    const classes = tf.tensor1d(Int32Array.from({ length: rowsOut }, (_, r) => r % k), 'int32'); // [n*k]
    if (y.isSite) values.set(y.name, classes);
    inputs.set(y.name, classes);
    return decode(ctx.prog, image.site, values, inputs, { mode: ctx.mode, rng: rng.fold(1), n: rowsOut }).dataSync() as Float32Array; // [n*k * event]
  });
  const a = originals(ctx, image.site.name, idx);
  const b = splitImages(decoded, rowsOut);
  const cells: Float32Array[] = [];
  for (let i = 0; i < n; i++) cells.push(a[i]!, ...b.slice(i * k, (i + 1) * k));
  const { rows, cols } = analogiesLayout(n, k);
  const className = (c: number) => ctx.labelNames?.[c] ?? String(c);
  return writeGrid(ctx, figurePath(ctx, 'analogies'), image, cells, rows, cols, {
    title: `analogies: ${n} test examples, each decoded with every class`,
    subtitle: `each row keeps one example's latents (guide means) and sets ${y.name} to the column's class; ${modeWords(ctx)} of ${image.site.name}`,
    colLabels: ['example', ...Array.from({ length: k }, (_, c) => className(c))],
    colTitle: y.name,
  });
}
