/**
 * `--scatter`: the guide means of the main continuous latent for n test examples (evenly spaced),
 * drawn in 2-D (the two coordinates of a 2-D latent, else its first two principal components,
 * see project.ts), coloured by the data set's label when it has one.
 */
import * as path from 'node:path';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { numel } from '../dsl/types';
import { UserError } from '../core/errors';
import { scatterSpec, type ScatterPoint } from '../figures/specs/scatter';
import { writeFigure } from '../figures/node/render';
import { dataRows, pickExamples, figureRng, type SampleContext } from './context';
import { encode } from './decode';
import { scoped } from '../engine/scope';
import { pca2 } from './project';
import { mainLatent } from './sites';

/** Rows encoded per guide pass. */
const CHUNK = 500;

/** Guide means of `site` for the examples `idx`: [idx.length * d]. */
function latentMeans(ctx: SampleContext, site: string, idx: Int32Array, d: number): Float32Array {
  const out = new Float32Array(idx.length * d);
  const rng = figureRng(ctx, 'scatter');
  for (let start = 0; start < idx.length; start += CHUNK) {
    const part = idx.subarray(start, start + CHUNK);
    const m = part.length;
    const means = scoped(() => encode(ctx.prog, dataRows(ctx, part), { mode: 'mean', rng: rng.fold(start), n: m }).get(site)!.dataSync() as Float32Array); // [m * d]
    out.set(means, start * d);
  }
  return out;
}

/** The latent a --scatter figure draws, or the one-line error why there is none. */
export function scatterSetup(cp: CheckedProgram): { z: SiteInfo; d: number } {
  const z = mainLatent(cp);
  const d = numel(z.shape);
  if (d < 2) throw new UserError(`the latent \`${z.name}\` has 1 dimension; --scatter draws 2-D projections`, 'use a model with at least 2 latent dimensions');
  return { z, d };
}

/** Writes scatter.svg and scatter.png; returns the PNG's path. */
export async function sampleScatter(ctx: SampleContext, n: number): Promise<string> {
  const { z, d } = scatterSetup(ctx.prog.checked);
  const idx = pickExamples(ctx, n, '--scatter');
  const codes = latentMeans(ctx, z.name, idx, d);
  const proj = d === 2 ? { points: Float64Array.from(codes), explained: null } : pca2(codes, n, d);
  const points: ScatterPoint[] = Array.from({ length: n }, (_, i) => {
    const label = ctx.labels?.[idx[i]!];
    return { x: proj.points[2 * i]!, y: proj.points[2 * i + 1]!, ...(label !== undefined && label >= 0 ? { label } : {}) };
  });
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  const spec = scatterSpec({
    points,
    title: `posterior means of ${z.name}, ${n} test examples`,
    subtitle: [proj.explained ? `first two principal components of ${d} dimensions (${pct(proj.explained[0] + proj.explained[1])} of the variance)` : `${z.name} is 2-dimensional`],
    xTitle: proj.explained ? `PC 1 (${pct(proj.explained[0])})` : `${z.name}[0]`,
    yTitle: proj.explained ? `PC 2 (${pct(proj.explained[1])})` : `${z.name}[1]`,
    ...(ctx.labelNames ? { labelNames: ctx.labelNames } : {}),
  });
  const [, png] = await writeFigure(path.join(ctx.out, 'scatter'), spec);
  return png!;
}
