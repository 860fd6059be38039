/**
 * `--grid2d`: the learned manifold of a 2-D latent (Kingma & Welling 2013, figure 4): a g x g
 * grid of normal quantiles, z_i = Φ⁻¹(p_i) with p evenly spaced over [0.05, 0.95], decoded.
 * Columns run over the first coordinate (left to right, increasing), rows over the second (top
 * to bottom, decreasing). A class-conditional or M2 model decodes every cell with the label
 * fixed to `label` (default 0); any other latent is drawn from its prior; other covariates are
 * those of the first test example. The axes are labelled with the z values of the columns and rows.
 */
import * as tf from '@tensorflow/tfjs';
import { numel } from '../dsl/types';
import { UserError } from '../core/errors';
import { dataRows, modeWords, pickExamples, figurePath, figureRng, splitImages, writeGrid, type SampleContext } from './context';
import { decode, gatherRows, labelColumn } from './decode';
import { scoped } from '../engine/scope';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { continuousLatents, covariateNames, imageSite, labelInfo, type LabelInfo } from './sites';

export { normalQuantile, gridQuantiles } from './quantiles';
import { gridQuantiles } from './quantiles';

/** The 2-D latent and the label value of a --grid2d figure, or the one-line error why it cannot be drawn. */
export function grid2dSetup(cp: CheckedProgram, label: number | undefined): { z: SiteInfo; y: LabelInfo | undefined; k: number } {
  const zs = continuousLatents(cp);
  const z = zs.find((s) => numel(s.shape) === 2);
  if (!z) {
    const dims = zs.map((s) => `the latent \`${s.name}\` has ${numel(s.shape)} dimension${numel(s.shape) === 1 ? '' : 's'}`).join(', ');
    throw new UserError(
      `${dims || 'the model has no continuous latent'}; --grid2d needs a 2-D latent`,
      "train a model with a 2-D latent, e.g. `const Z = 2`: vae train models/vae.vae --set 'const Z = 2'",
    );
  }
  const y = labelInfo(cp);
  if (label !== undefined && !y) throw new UserError('--label needs a class-conditional model, but the model uses no Category data', 'leave out --label');
  const k = label ?? 0;
  if (y && k >= y.classes) throw new UserError(`--label ${k} is out of range: \`${y.name}\` has ${y.classes} classes`, `choose a class from 0 to ${y.classes - 1}`);
  return { z, y, k };
}

export function sampleGrid2d(ctx: SampleContext, g: number, label: number | undefined): string {
  const cp = ctx.prog.checked;
  const image = imageSite(cp);
  const { z, y, k } = grid2dSetup(cp, label);
  const q = gridQuantiles(g);
  const grid = new Float32Array(g * g * 2);
  for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) grid.set([q[c]!, q[g - 1 - r]!], 2 * (r * g + c));
  const n = g * g;
  const pixels = scoped(() => {
    const values = new Map<string, tf.Tensor>([[z.name, tf.tensor(grid, [n, ...z.shape])]]); // [g*g, ...event]
    const others = covariateNames(cp).filter((c) => c !== y?.name);
    const data = others.length > 0 ? gatherRows(dataRows(ctx, pickExamples(ctx, 1, '--grid2d (for the covariates the model reads)')), new Array<number>(n).fill(0)) : new Map<string, tf.Tensor>(); // name -> [g*g, ...]
    if (y) {
      values.set(y.name, labelColumn(n, k)); // [g*g]
      data.set(y.name, labelColumn(n, k)); // [g*g]
    }
    return decode(ctx.prog, image.site, values, data, { mode: ctx.mode, rng: figureRng(ctx, 'grid2d'), n }).dataSync() as Float32Array; // [g*g * event]
  });
  const name = y ? `grid2d-${y.name}${k}` : 'grid2d';
  const tick = (v: number) => v.toFixed(2).replace('-', '−');
  return writeGrid(ctx, figurePath(ctx, name), image, splitImages(pixels, n), g, g, {
    title: `the learned manifold of ${z.name}${y ? ` with ${y.name} = ${k}` : ''}`,
    subtitle: `${z.name} over a ${g} × ${g} grid of normal quantiles Φ⁻¹(p), p from 0.05 to 0.95; ${modeWords(ctx)} of ${image.site.name}`,
    colLabels: q.map(tick),
    colTitle: `${z.name}[0]`,
    colLabelsAt: 'bottom',
    rowLabels: q.map((_, r) => tick(q[g - 1 - r]!)),
    rowTitle: `${z.name}[1]`,
  });
}
