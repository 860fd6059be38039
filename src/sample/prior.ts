/**
 * `--from prior`: n draws from the model alone (no condition, no replay): latents from the
 * prior, the observed site as its mean or a sample. Covariates (data the model reads without a
 * site) come from n test examples (picked as in context.ts: evenly spaced over the split).
 */
import type * as tf from '@tensorflow/tfjs';
import { dataRows, pickExamples, figurePath, figureRng, modeWords, splitImages, writeGrid, type SampleContext } from './context';
import { decode } from './decode';
import { scoped } from '../engine/scope';
import { covariateNames, imageSite } from './sites';

/** Columns of an n-image grid: as square as possible. */
export function priorLayout(n: number): { rows: number; cols: number } {
  const cols = Math.ceil(Math.sqrt(n));
  return { rows: Math.ceil(n / cols), cols };
}

export function samplePrior(ctx: SampleContext, n: number): string {
  const cp = ctx.prog.checked;
  const image = imageSite(cp);
  const covariates = covariateNames(cp);
  const pixels = scoped(() => {
    const data = new Map<string, tf.Tensor>(); // covariates: name -> [n, ...]
    if (covariates.length > 0) {
      const rows = dataRows(ctx, pickExamples(ctx, n, '--from prior (for the covariates the model reads)')); // name -> [n, ...]
      for (const c of covariates) data.set(c, rows.get(c)!); // [n, ...]
    }
    const x = decode(ctx.prog, image.site, new Map(), data, { mode: ctx.mode, rng: figureRng(ctx, 'prior'), n }); // [n, ...event]
    return x.dataSync() as Float32Array;
  });
  const { rows, cols } = priorLayout(n);
  return writeGrid(ctx, figurePath(ctx, 'prior'), image, splitImages(pixels, n), rows, cols, {
    title: `${n} draws from the prior`,
    subtitle: `latents from p(z), ${modeWords(ctx)} of ${image.site.name}${covariates.length > 0 ? `; covariates of ${n} test examples` : ''}`,
  });
}
