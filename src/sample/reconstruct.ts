/**
 * `--reconstruct` (the lecture notes' Algorithm 1): for each of n test examples (evenly
 * spaced over the split) run the guide on x (latents at their guide means in 'mean' mode,
 * sampled in 'sample' mode; labels observed where given), fix those values in the model, and
 * take the observed site's mean or sample. Originals and reconstructions alternate by rows: a row
 * of up to 10 originals, then the row of their reconstructions, labelled so.
 */
import { dataRows, modeWords, originals, pickExamples, figurePath, figureRng, splitImages, writeGrid, type SampleContext } from './context';
import { decode, encode } from './decode';
import { scoped } from '../engine/scope';
import { imageSite } from './sites';

export const RECONSTRUCT_COLS = 10;

export function reconstructLayout(n: number): { rows: number; cols: number } {
  const cols = Math.min(n, RECONSTRUCT_COLS);
  return { rows: 2 * Math.ceil(n / cols), cols };
}

export function sampleReconstructions(ctx: SampleContext, n: number): string {
  const image = imageSite(ctx.prog.checked);
  const rng = figureRng(ctx, 'reconstruct');
  const idx = pickExamples(ctx, n, '--reconstruct');
  const recons = scoped(() => {
    const data = dataRows(ctx, idx); // name -> [n, ...]
    const values = encode(ctx.prog, data, { mode: ctx.mode, rng: rng.fold(0), n }); // site -> [n, ...event]
    return decode(ctx.prog, image.site, values, data, { mode: ctx.mode, rng: rng.fold(1), n }).dataSync() as Float32Array; // [n * event]
  });
  const { rows, cols } = reconstructLayout(n);
  const a = originals(ctx, image.site.name, idx);
  const b = splitImages(recons, n);
  const cells: (Float32Array | undefined)[] = [];
  for (let r = 0; r < rows / 2; r++) {
    const row = (list: Float32Array[]) => Array.from({ length: cols }, (_, c) => list[r * cols + c]);
    cells.push(...row(a), ...row(b));
  }
  return writeGrid(ctx, figurePath(ctx, 'reconstruct'), image, cells, rows, cols, {
    title: `${n} test examples and their reconstructions`,
    subtitle: `latents at the guide's ${ctx.mode === 'mean' ? 'means' : 'samples'}, ${modeWords(ctx)} of ${image.site.name}`,
    rowLabels: Array.from({ length: rows }, (_, r) => (r % 2 === 0 ? 'original' : 'reconstruction')),
  });
}
