/**
 * Which sites and data of a program the sample figures use:
 *  - the image site: the fully observed model site that is not a label (the largest one), with
 *    the height and width it is drawn at (a 1-D event of a square size, or a 2-D event);
 *  - the continuous latents: model sites that are not observed and not discrete;
 *  - the label: a Category data column the model uses, as a site (M2's `y ~ Categorical`, or an
 *    observed `y ~ ...`) or as a covariate (`decoder(z, onehot(y))` with no `y` site);
 *  - covariates: data the model reads without a site of its own.
 */
import type * as A from '../dsl/ast';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { numel } from '../dsl/types';
import { UserError } from '../core/errors';

export interface ImageSite {
  readonly site: SiteInfo;
  readonly height: number;
  readonly width: number;
}

export interface LabelInfo {
  readonly name: string;
  readonly classes: number;
  /** True when the model has a site of this name (it is fixed by value), else it is a covariate. */
  readonly isSite: boolean;
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** The observed data site shown as images, and its display height and width. */
export function imageSite(cp: CheckedProgram): ImageSite {
  const observed = cp.model.sites.filter((s) => s.observed === 'yes' && s.type.vk !== 'Category');
  if (observed.length === 0) throw new UserError('the model has no observed data site to draw', 'sample draws the observed site of the model (e.g. `x ~ Bernoulli(...)` with `data x`)');
  const site = observed.reduce((a, b) => (numel(b.shape) > numel(a.shape) ? b : a));
  const s = site.shape;
  if (s.length === 2) return { site, height: s[0]!, width: s[1]! };
  const side = Math.round(Math.sqrt(numel(s)));
  if (s.length === 1 && side * side === s[0]) return { site, height: side, width: side };
  throw new UserError(
    `the observed site \`${site.name}\` has shape ${shapeText(s)}, which is not an image`,
    site.stmt.step
      ? `\`${site.stmt.step.base}\` is a sequence, observed step by step: \`vae sample RUN\` (--from prior) draws and plots sequences; --scatter works for any data`
      : 'sample draws images: a 1-D event of a square size (784 is drawn as 28x28) or a 2-D event; --scatter works for any data',
  );
}

/** Model sites that are latent (not observed) and continuous, in program order. */
export function continuousLatents(cp: CheckedProgram): SiteInfo[] {
  return cp.model.sites.filter((s) => s.observed === 'no' && !s.spec.discrete);
}

/** The main continuous latent: the largest one (the first among equals). */
export function mainLatent(cp: CheckedProgram): SiteInfo {
  const zs = continuousLatents(cp);
  if (zs.length === 0) throw new UserError('the model has no continuous latent site', 'this figure needs a latent such as `z: Real[Z] ~ Normal(0, 1)`');
  return zs.reduce((a, b) => (numel(b.shape) > numel(a.shape) ? b : a));
}

/** Data names referenced inside the model block. */
function dataUsedByModel(cp: CheckedProgram): Set<string> {
  const out = new Set<string>();
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if ((node as { kind?: string }).kind === 'name') {
      const ref = cp.refs.get(node as A.NameExpr);
      if (ref?.kind === 'data') out.add(ref.name);
    }
    for (const v of Object.values(node)) if (typeof v === 'object') walk(v);
  };
  for (const s of cp.model.stmts) walk(s.kind === 'let' ? s.value : s.dist);
  return out;
}

/** Data the model reads without a site of its own (e.g. a class-conditional decoder's label). */
export function covariateNames(cp: CheckedProgram): string[] {
  const used = dataUsedByModel(cp);
  return cp.data.filter((d) => used.has(d.name) && !cp.model.sites.some((s) => s.name === d.name)).map((d) => d.name);
}

/** The Category data the model uses (as a site or a covariate), if any. */
export function labelInfo(cp: CheckedProgram): LabelInfo | undefined {
  const covariates = new Set(covariateNames(cp));
  for (const d of cp.data) {
    if (d.type.vk !== 'Category' || d.type.classes === undefined) continue;
    const isSite = cp.model.sites.some((s) => s.name === d.name);
    if (isSite || covariates.has(d.name)) return { name: d.name, classes: d.type.classes, isSite };
  }
  return undefined;
}

/** The label, or a one-line error with a hint naming the figure that needs it. */
export function requireLabel(cp: CheckedProgram, flag: string): LabelInfo {
  const l = labelInfo(cp);
  if (!l) {
    throw new UserError(`${flag} needs a class-conditional model, but the model uses no Category data`, 'train an M2 or class-conditional model, e.g. models/m2.vae (`data y: Category[10]?` and `decoder(z, onehot(y))`)');
  }
  return l;
}
