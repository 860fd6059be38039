/**
 * The estimator plan: for every latent site, which gradient estimator the engine uses and why,
 * and whether its KL term is analytic. The automatic choice (issue: "reparam where possible;
 * enumerate finite supports of at most 64 values; otherwise score with a baseline") can be
 * overridden per site by an annotation (`@score`) or from the CLI (`--estimator y=score`).
 * Illegal choices are diagnostics (VAE5xx), reported before any work starts.
 *
 * References: reparam — Kingma & Welling 2013; score — Williams 1992 (REINFORCE) with a
 * moving-average baseline; enumerate — exact expectation over a finite support (Kingma et al.
 * 2014 for M2's y); stl — Roeder et al. 2017; dreg — Tucker et al. 2018; vimco — Mnih & Rezende 2016.
 */
import { isDiscreteKind } from '../distributions/constraints';
import { findKlRule } from '../distributions/kl';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { diag, type Diagnostic } from '../dsl/diagnostics';
import type { KlMode, Objective } from '../dsl/train-config';
import { numel } from '../dsl/types';

export const ESTIMATORS = ['reparam', 'score', 'enumerate', 'stl', 'dreg', 'vimco'] as const;
export type EstimatorKind = (typeof ESTIMATORS)[number];

/** Auto-enumeration limit (issue 3), and the hard limit for an explicit `@enumerate`. */
export const AUTO_ENUMERATE_LIMIT = 64;
export const MAX_ENUMERATE = 256;

export interface SitePlan {
  readonly name: string;
  readonly guide: SiteInfo;
  readonly model: SiteInfo;
  readonly estimator: EstimatorKind;
  readonly source: 'auto' | 'annotation' | 'cli';
  readonly reason: string;
  readonly kl: 'analytic' | 'mc' | 'exact' | 'none';
  readonly klReason: string;
  readonly supportSize: number | undefined;
}

export interface Plan {
  readonly objective: Objective;
  readonly sites: readonly SitePlan[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface PlanOptions {
  readonly objective?: Objective;
  readonly kl?: KlMode;
  /** `--estimator site=kind` from the command line. */
  readonly overrides?: ReadonlyMap<string, string>;
}

export function supportSizeOf(site: SiteInfo): number | undefined {
  const k = site.type.classes ?? site.shape[site.shape.length - 1] ?? 1;
  return site.spec.discrete ? site.spec.supportSize(site.shape, k) : undefined;
}

export function describeDist(site: SiteInfo): string {
  const k = site.type.classes;
  return k !== undefined ? `${site.spec.name}(${k})` : site.shape.length > 0 && numel(site.shape) > 1 ? `${site.spec.name}[${site.shape.join(', ')}]` : site.spec.name;
}

function autoChoice(g: SiteInfo, objective: Objective): { estimator: EstimatorKind; reason: string } {
  if (g.spec.reparam) return { estimator: 'reparam', reason: `${g.spec.name} has a reparameterized sampler` };
  const n = supportSizeOf(g);
  if (g.spec.discrete && n !== undefined && n <= AUTO_ENUMERATE_LIMIT) {
    return { estimator: 'enumerate', reason: `finite support of ${n}, summed exactly` };
  }
  if (objective.kind === 'iwae' && objective.k > 1) {
    return { estimator: 'vimco', reason: `${g.spec.name} has no reparameterized sampler${n !== undefined ? ` and ${n} values are too many to enumerate` : ''}; VIMCO leave-one-out baselines under iwae` };
  }
  return { estimator: 'score', reason: `${g.spec.name} has no reparameterized sampler${n !== undefined ? ` and ${n} values are too many to enumerate` : ''}; score function with a moving-average baseline` };
}

/** Why an explicitly requested estimator cannot be used for this site, or undefined if it can. */
function illegal(kind: EstimatorKind, g: SiteInfo, objective: Objective, reparamSites: ReadonlySet<string>, enumerated: boolean): { code: Diagnostic['code']; message: string; hint: string } | undefined {
  const name = g.name;
  if ((kind === 'dreg' || kind === 'vimco') && enumerated) {
    return { code: 'VAE505', message: `\`${kind}\` is not available when another site is enumerated`, hint: 'use `@reparam` (or `@score`) for this site, or sample the enumerated site' };
  }
  const discrete = g.spec.discrete || isDiscreteKind(g.spec.support);
  const n = supportSizeOf(g);
  switch (kind) {
    case 'reparam':
    case 'stl':
    case 'dreg':
      if (kind !== 'reparam' && objective.kind === 'expectation') return { code: 'VAE505', message: `\`${kind}\` is an estimator of a variational bound; the objective is an expectation`, hint: 'use `@reparam` or `@score`' };
      if (discrete) return { code: 'VAE501', message: `\`${name}\` is discrete (${g.spec.name}); it cannot be reparameterized`, hint: n !== undefined && n <= MAX_ENUMERATE ? 'use `@enumerate` (exact) or `@score`; or a relaxation such as `RelaxedOneHotCategorical`' : 'use `@score`; or a relaxation such as `RelaxedOneHotCategorical`' };
      if (kind !== 'reparam' && g.spec.name === 'Flow') return { code: 'VAE504', message: `\`${kind}\` needs the guide density at detached parameters, which a Flow does not have`, hint: 'use `@reparam` for flow guides' };
      if (!g.spec.reparam) return { code: 'VAE504', message: `\`${g.spec.name}\` has no reparameterized sampler`, hint: 'use `@score`, or a family with a reparameterized sampler such as `LogNormal`' };
      if (kind === 'stl' && objective.kind === 'iwae') return { code: 'VAE505', message: '`stl` is the ELBO path-derivative estimator; the objective is iwae', hint: 'use `@dreg`, its IWAE counterpart (Tucker et al. 2018)' };
      if (kind === 'dreg' && (objective.kind !== 'iwae' || objective.k < 2)) return { code: 'VAE505', message: '`dreg` needs the iwae objective with k >= 2', hint: 'set `objective: iwae(k: 5)`, or use `@stl` under elbo' };
      if (kind !== 'reparam') {
        const parent = [...g.deps].find((d) => reparamSites.has(d));
        if (parent) return { code: 'VAE505', message: `\`${kind}\` for \`${name}\` needs its guide distribution to be free of other reparameterized sites, but it depends on \`${parent}\``, hint: 'use `@reparam` for this site' };
      }
      return undefined;
    case 'enumerate':
      if (!discrete || n === undefined) return { code: 'VAE502', message: `\`${name}\` is continuous (${g.spec.name}); only finite discrete sites can be enumerated`, hint: g.spec.reparam ? 'use `@reparam`' : 'use `@score`' };
      if (n > MAX_ENUMERATE) return { code: 'VAE503', message: `\`${name}\` has ${n} possible values; enumeration is limited to ${MAX_ENUMERATE}`, hint: 'use `@score` (or `@vimco` under iwae)' };
      return undefined;
    case 'vimco':
      if (objective.kind === 'expectation') return { code: 'VAE505', message: '`vimco` is an estimator of the iwae bound; the objective is an expectation', hint: 'use `@score`' };
      if (objective.kind !== 'iwae' || objective.k < 2) return { code: 'VAE505', message: '`vimco` needs the iwae objective with k >= 2', hint: 'set `objective: iwae(k: 5)`, or use `@score` under elbo' };
      return undefined;
    case 'score':
      return undefined;
  }
}

function klFor(g: SiteInfo, m: SiteInfo, estimator: EstimatorKind, objective: Objective, mode: KlMode): { kl: SitePlan['kl']; klReason: string } {
  if (objective.kind === 'expectation') return { kl: 'none', klReason: 'expectation objective' };
  if (estimator === 'enumerate') return { kl: 'exact', klReason: 'exact over the enumerated support' };
  if (objective.kind === 'iwae') return { kl: 'mc', klReason: 'iwae uses per-sample log-weights' };
  if (mode === 'mc') return { kl: 'mc', klReason: 'kl: mc' };
  if (estimator === 'stl') return { kl: 'mc', klReason: 'stl evaluates log q at the sample' };
  const rule = findKlRule(g.spec.name, m.spec.name);
  if (rule) return { kl: 'analytic', klReason: `closed form for ${g.spec.name}–${m.spec.name}` };
  return { kl: 'mc', klReason: `no closed form for ${g.spec.name}–${m.spec.name}; sampled` };
}

/** True when some guide site will be enumerated (annotated, forced, or auto-chosen). */
function enumerates(checked: CheckedProgram, overrides: ReadonlyMap<string, string>): boolean {
  return checked.guide.sites.some((g) => {
    const forced = overrides.get(g.name) ?? g.stmt.annotations.find((a) => (ESTIMATORS as readonly string[]).includes(a.name.text))?.name.text;
    if (forced !== undefined) return forced === 'enumerate';
    const n = supportSizeOf(g);
    return !g.spec.reparam && g.spec.discrete && n !== undefined && n <= AUTO_ENUMERATE_LIMIT;
  });
}

export function planEstimators(checked: CheckedProgram, opts: PlanOptions = {}): Plan {
  const objective = opts.objective ?? checked.train.config.objective;
  const mode = opts.kl ?? checked.train.config.kl;
  const diagnostics: Diagnostic[] = [];
  const sites: SitePlan[] = [];
  const overrides = new Map(opts.overrides ?? []);
  const overrides0 = new Map(overrides);
  const reparamSites = new Set<string>();
  for (const g of checked.guide.sites) {
    const m = objective.kind === 'expectation' ? g : checked.model.sites.find((s) => s.name === g.name);
    if (!m) continue;
    const annotation = g.stmt.annotations.find((a) => (ESTIMATORS as readonly string[]).includes(a.name.text));
    const cli = overrides.get(g.name);
    overrides.delete(g.name);
    let estimator: EstimatorKind;
    let source: SitePlan['source'];
    let reason: string;
    const requested = cli ?? annotation?.name.text;
    if (requested !== undefined) {
      if (!(ESTIMATORS as readonly string[]).includes(requested)) {
        diagnostics.push(diag('VAE704', `unknown estimator \`${requested}\` for \`${g.name}\``, { span: g.stmt.name.span }, { hint: `the estimators are: ${ESTIMATORS.join(', ')}` }));
        continue;
      }
      estimator = requested as EstimatorKind;
      source = cli !== undefined ? 'cli' : 'annotation';
      const bad = illegal(estimator, g, objective, reparamSites, enumerates(checked, overrides0));
      if (bad) {
        const span = cli === undefined && annotation ? annotation.span : g.stmt.name.span;
        const message = cli !== undefined ? `--estimator ${g.name}=${cli}: ${bad.message}` : bad.message;
        diagnostics.push(diag(bad.code, message, { span }, { hint: bad.hint }));
        continue;
      }
      const n = supportSizeOf(g);
      reason = `${source === 'cli' ? `--estimator ${g.name}=${estimator}` : `annotated @${estimator}`}${estimator === 'enumerate' && n !== undefined ? `; finite support of ${n}` : ''}`;
    } else {
      ({ estimator, reason } = autoChoice(g, objective));
      source = 'auto';
      if (estimator === 'enumerate' && m.observed === 'partial') reason += ' where the label is missing';
    }
    if (estimator === 'reparam' || estimator === 'stl' || estimator === 'dreg') reparamSites.add(g.name);
    const kl = klFor(g, m, estimator, objective, mode);
    if (mode === 'analytic' && kl.kl === 'mc' && objective.kind === 'elbo') {
      diagnostics.push(diag('VAE602', `\`kl: analytic\` but \`${g.name}\` has no closed-form KL (${g.spec.name} against ${m.spec.name})`, { span: g.stmt.dist.span }, { hint: 'use `kl: auto` to fall back to a sampled KL for this site' }));
    }
    sites.push({ name: g.name, guide: g, model: m, estimator, source, reason, ...kl, supportSize: supportSizeOf(g) });
  }
  for (const [name, kind] of overrides) {
    const span = checked.guide.decl?.keywordSpan ?? checked.model.decl?.keywordSpan ?? { file: checked.program.file, start: 0, end: 0 };
    diagnostics.push(diag('VAE704', `--estimator ${name}=${kind}: the guide has no site \`${name}\``, { span }, { hint: `the guide's sites are: ${checked.guide.sites.map((s) => s.name).join(', ') || 'none'}` }));
  }
  return { objective, sites, diagnostics };
}
