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
import { findKlPair } from '../distributions/kl-pairs';
import { MAX_ENUMERATE } from '../distributions/schema';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { diag, type Diagnostic } from '../dsl/diagnostics';
import type { Span } from '../dsl/source';
import type { KlMode, Objective } from '../dsl/train-config';
import { numel } from '../dsl/types';
import { dependencyGraph, downstreamCosts, guideDescendants, guidePath, parentsDrawnFrom, type DependencyGraph } from './dependencies';

export const ESTIMATORS = ['reparam', 'score', 'enumerate', 'stl', 'dreg', 'vimco'] as const;
export type EstimatorKind = (typeof ESTIMATORS)[number];

/** Auto-enumeration limit (issue 3); the hard limit for an explicit `@enumerate` is MAX_ENUMERATE (distributions/schema.ts). */
export const AUTO_ENUMERATE_LIMIT = 64;
export { MAX_ENUMERATE };
/** The most joint configurations of all enumerated sites together (their supports multiply). */
export const MAX_ENUMERATED_CONFIGURATIONS = 4096;

/** Estimators that draw with a path derivative (rsample). */
export const PATHWISE: ReadonlySet<EstimatorKind> = new Set<EstimatorKind>(['reparam', 'stl', 'dreg']);

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
  /**
   * Score-function sites under the ELBO: the model sites whose costs make up the learning
   * signal (Rao-Blackwellized: those that read this site or a guide site drawn from it), in
   * model order. Null for the other estimators and objectives (IWAE's signal is the bound).
   */
  readonly signal: readonly string[] | null;
  /** log q of the site is evaluated at detached guide parameters (stl, dreg). */
  readonly detach: boolean;
  /** Whether free bits (when λ > 0) act on this site's per-dimension KL, and why. */
  readonly freeBits: { readonly applies: boolean; readonly reason: string };
}

export interface Plan {
  readonly objective: Objective;
  /** Free bits λ the plan was made for (0: off). */
  readonly freeBits: number;
  readonly sites: readonly SitePlan[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface PlanOptions {
  readonly objective?: Objective;
  readonly kl?: KlMode;
  /** Free bits λ (the train block's unless given); only changes the diagnostics. */
  readonly freeBits?: number;
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

/**
 * The plan's "why" for one site: the estimator's reason, the KL decision and its reason, the
 * learning signal of a score-function site, and free bits when they are on.
 * @example "Normal has a reparameterized sampler; KL sampled: the prior of z1 depends on z2, which the guide draws from z1"
 */
export function explainSite(s: SitePlan, freeBits = 0): string {
  const kl = s.kl === 'analytic' ? 'KL analytic' : s.kl === 'mc' ? 'KL sampled' : s.kl === 'exact' ? 'KL exact' : 'no KL';
  const parts = [s.reason, `${kl}: ${s.klReason}`];
  if (s.signal) parts.push(`learning signal from ${s.signal.join(', ')}`);
  if (freeBits > 0) parts.push(s.freeBits.applies ? `free bits: ${s.freeBits.reason}` : `no free bits: ${s.freeBits.reason}`);
  return parts.join('; ');
}

function autoChoice(g: SiteInfo, objective: Objective, enumerated: boolean): { estimator: EstimatorKind; reason: string } {
  if (g.spec.reparam) return { estimator: 'reparam', reason: `${g.spec.name} has a reparameterized sampler` };
  const n = supportSizeOf(g);
  if (g.spec.discrete && n !== undefined && n <= AUTO_ENUMERATE_LIMIT) {
    return { estimator: 'enumerate', reason: `finite support of ${n}, summed exactly` };
  }
  if (objective.kind === 'iwae' && objective.k > 1 && !enumerated) {
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

/**
 * The KL term of a site. An analytic KL(q(s | pa_q) ‖ p(s | pa_p)) at the sampled parents is the
 * expectation the ELBO needs only when s, given its guide parents, is independent of its model
 * parents: no model parent of s may be a guide descendant of s (drawn by the guide from s).
 */
function klFor(g: SiteInfo, m: SiteInfo, estimator: EstimatorKind, objective: Objective, mode: KlMode, graph: DependencyGraph): { kl: SitePlan['kl']; klReason: string; blocked?: string } {
  if (objective.kind === 'expectation') return { kl: 'none', klReason: 'expectation objective' };
  if (estimator === 'enumerate') return { kl: 'exact', klReason: 'summed over the enumerated support' };
  if (objective.kind === 'iwae') return { kl: 'mc', klReason: 'iwae uses per-sample log-weights' };
  if (mode === 'mc') return { kl: 'mc', klReason: 'kl: mc' };
  if (estimator === 'stl') return { kl: 'mc', klReason: 'stl evaluates log q at the sample' };
  const rule = findKlPair(g.spec.name, m.spec.name);
  if (!rule) return { kl: 'mc', klReason: `no closed form for ${g.spec.name}–${m.spec.name}` };
  const drawn = parentsDrawnFrom(graph, g.name);
  if (drawn.length > 0) {
    const p = drawn[0]!;
    const path = guidePath(graph, g.name, p) ?? [g.name, p];
    const via = path.length > 2 ? ` through ${path.slice(1, -1).join(', ')}` : '';
    const why = `the prior of ${g.name} depends on ${drawn.join(' and ')}, which the guide draws from ${g.name}${via}`;
    return { kl: 'mc', klReason: why, blocked: why };
  }
  const given = [...(m.deps)];
  return { kl: 'analytic', klReason: `closed form for ${g.spec.name}–${m.spec.name}${given.length ? ` given ${given.join(', ')}, which the guide does not draw from ${g.name}` : ''}` };
}

/** Whether free bits act on the site: its per-dimension KL must exist and carry a gradient. */
function freeBitsFor(g: SiteInfo, m: SiteInfo, estimator: EstimatorKind, kl: SitePlan['kl'], objective: Objective): SitePlan['freeBits'] {
  if (objective.kind !== 'elbo') return { applies: false, reason: `free bits are a term of the ELBO; the objective is ${objective.kind}` };
  if (estimator === 'enumerate') return { applies: false, reason: 'enumerated: its KL is summed exactly' };
  const rule = kl === 'analytic' ? findKlPair(g.spec.name, m.spec.name) : undefined;
  const perDim = rule ? rule.elementwise : g.spec.factorized && m.spec.factorized;
  if (!perDim) return { applies: false, reason: `${g.spec.name}–${m.spec.name} has no per-dimension KL` };
  if (kl !== 'analytic' && !PATHWISE.has(estimator)) return { applies: false, reason: 'a sampled KL of a score-function site has no gradient through max(λ, KL)' };
  return { applies: true, reason: kl === 'analytic' ? 'closed-form KL per dimension' : 'sampled KL per dimension, differentiated through the sample' };
}

/** True when some guide site will be enumerated (annotated, forced, or auto-chosen). */
function enumerates(checked: CheckedProgram, overrides: ReadonlyMap<string, string>): boolean {
  return checked.guide.sites.some((g) => {
    const forced = overrides.get(g.name) ?? (g.step ? overrides.get(g.step.base) : undefined) ?? g.stmt.annotations.find((a) => (ESTIMATORS as readonly string[]).includes(a.name.text))?.name.text;
    if (forced !== undefined) return forced === 'enumerate';
    const n = supportSizeOf(g);
    return !g.spec.reparam && g.spec.discrete && n !== undefined && n <= AUTO_ENUMERATE_LIMIT;
  });
}

export function planEstimators(checked: CheckedProgram, opts: PlanOptions = {}): Plan {
  const objective = opts.objective ?? checked.train.config.objective;
  const mode = opts.kl ?? checked.train.config.kl;
  const lambda = opts.freeBits ?? checked.train.config.freeBits;
  const graph = dependencyGraph(checked);
  const diagnostics: Diagnostic[] = [];
  const sites: SitePlan[] = [];
  const overrides = new Map(opts.overrides ?? []);
  const anyEnumerated = enumerates(checked, overrides);
  const reparamSites = new Set<string>();
  const usedOverrides = new Set<string>();
  for (const g of checked.guide.sites) {
    const m = objective.kind === 'expectation' ? g : checked.model.sites.find((s) => s.name === g.name);
    if (!m) continue;
    const annotation = g.stmt.annotations.find((a) => (ESTIMATORS as readonly string[]).includes(a.name.text));
    // `--estimator z=score` applies to every step of a sequence z; `z[3]=score` to one.
    const cli = overrides.get(g.name) ?? (g.step ? overrides.get(g.step.base) : undefined);
    usedOverrides.add(overrides.has(g.name) ? g.name : (g.step?.base ?? g.name));
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
      const bad = illegal(estimator, g, objective, reparamSites, anyEnumerated);
      if (bad) {
        const span = cli === undefined && annotation ? annotation.span : g.stmt.name.span;
        const message = cli !== undefined ? `--estimator ${g.name}=${cli}: ${bad.message}` : bad.message;
        diagnostics.push(diag(bad.code, message, { span }, { hint: bad.hint }));
        continue;
      }
      const n = supportSizeOf(g);
      reason = `${source === 'cli' ? `--estimator ${g.name}=${estimator}` : `annotated @${estimator}`}${estimator === 'enumerate' && n !== undefined ? `; finite support of ${n}` : ''}`;
    } else {
      ({ estimator, reason } = autoChoice(g, objective, anyEnumerated));
      source = 'auto';
      if (estimator === 'enumerate' && m.observed === 'partial') reason += ' where the label is missing';
    }
    if (PATHWISE.has(estimator)) reparamSites.add(g.name);
    const { blocked, ...kl } = klFor(g, m, estimator, objective, mode, graph);
    if (mode === 'analytic' && kl.kl === 'mc' && objective.kind === 'elbo') {
      const message = blocked
        ? `\`kl: analytic\` but the KL of \`${g.name}\` cannot be analytic: ${blocked}`
        : `\`kl: analytic\` but \`${g.name}\` has no closed-form KL (${g.spec.name} against ${m.spec.name})`;
      diagnostics.push(diag('VAE602', message, { span: g.stmt.dist.span }, { hint: 'use `kl: auto` to fall back to a sampled KL for this site' }));
    }
    const signal = estimator === 'score' && objective.kind !== 'iwae' && objective.kind !== 'expectation' ? downstreamCosts(graph, g.name) : null;
    const freeBits = freeBitsFor(g, m, estimator, kl.kl, objective);
    sites.push({ name: g.name, guide: g, model: m, estimator, source, reason, ...kl, supportSize: supportSizeOf(g), signal, detach: estimator === 'stl' || estimator === 'dreg', freeBits });
  }
  diagnostics.push(...dregDescendants(sites, graph), ...enumerationSize(checked, sites));
  diagnostics.push(...settingsWithoutEffect(checked, sites, objective, lambda));
  for (const [name, kind] of overrides) {
    if (usedOverrides.has(name)) continue;
    const span = checked.guide.decl?.keywordSpan ?? checked.model.decl?.keywordSpan ?? { file: checked.program.file, start: 0, end: 0 };
    diagnostics.push(diag('VAE704', `--estimator ${name}=${kind}: the guide has no site \`${name}\``, { span }, { hint: `the guide's sites are: ${checked.guide.sites.map((s) => s.name).join(', ') || 'none'}` }));
  }
  return { objective, freeBits: lambda, sites, diagnostics };
}

/**
 * DReG multiplies the whole gradient that reaches a `dreg` site's value by w̃ once more; that is
 * Tucker et al.'s estimator only when every guide site drawn from it is drawn with a path
 * derivative too (a score-function site's surrogate would be re-weighted as well).
 */
function dregDescendants(sites: readonly SitePlan[], graph: DependencyGraph): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of sites) {
    if (s.estimator !== 'dreg') continue;
    const bad = sites.find((d) => guideDescendants(graph, s.name).has(d.name) && !PATHWISE.has(d.estimator));
    if (!bad) continue;
    const span = s.guide.stmt.annotations.find((a) => a.name.text === 'dreg')?.span ?? s.guide.stmt.name.span;
    out.push(diag('VAE505', `\`dreg\` for \`${s.name}\` needs every guide site drawn from it to be reparameterized, but \`${bad.name}\` (${bad.estimator}) is drawn from \`${s.name}\``, { span }, { hint: `use \`@reparam\` for \`${s.name}\`, or reparameterize \`${bad.name}\`` }));
  }
  return out;
}

/** Enumerated sites multiply their supports: every configuration is evaluated at once. */
function enumerationSize(checked: CheckedProgram, sites: readonly SitePlan[]): Diagnostic[] {
  const enumerated = sites.filter((s) => s.estimator === 'enumerate');
  const total = enumerated.reduce((a, s) => a * (s.supportSize ?? 1), 1);
  if (enumerated.length < 2 || total <= MAX_ENUMERATED_CONFIGURATIONS) return [];
  const last = enumerated[enumerated.length - 1]!;
  const sizes = enumerated.map((s) => `${s.name} (${s.supportSize})`).join(' × ');
  void checked;
  return [diag('VAE503', `the enumerated sites have ${total} joint configurations, ${sizes}; the limit is ${MAX_ENUMERATED_CONFIGURATIONS}`, { span: last.guide.stmt.name.span }, { hint: `use \`@score\` for one of them, e.g. \`${last.name}\`` })];
}

/** The span of the last `key:` entry of the train block(s), or the model/guide keyword. */
function trainEntrySpan(checked: CheckedProgram, key: string): Span {
  let span: Span | undefined;
  for (const d of checked.program.decls) if (d.kind === 'train') for (const e of d.entries) if (e.key.text === key) span = e.key.span;
  return span ?? checked.guide.decl?.keywordSpan ?? checked.model.decl?.keywordSpan ?? { file: checked.program.file, start: 0, end: 0 };
}

/** Free bits that act on no site, and β or free bits under an objective that has no KL term. */
function settingsWithoutEffect(checked: CheckedProgram, sites: readonly SitePlan[], objective: Objective, lambda: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const beta = checked.train.config.beta;
  if (objective.kind !== 'elbo') {
    const what = objective.kind === 'iwae' ? 'the iwae bound has no separate KL term' : 'an expectation objective has no KL term';
    if (lambda > 0) out.push(diag('VAE609', `\`freeBits: ${lambda}\` has no effect: ${what}`, { span: trainEntrySpan(checked, 'freeBits') }, { hint: 'remove `freeBits`, or train with `objective: elbo`' }));
    if (checked.train.explicit.has('beta') && !(beta.kind === 'constant' && beta.value === 1)) {
      out.push(diag('VAE609', `\`beta\` has no effect: ${what}`, { span: trainEntrySpan(checked, 'beta') }, { hint: 'remove `beta`, or train with `objective: elbo`' }));
    }
    return out;
  }
  if (lambda > 0 && sites.length > 0 && !sites.some((s) => s.freeBits.applies)) {
    const why = sites.map((s) => `\`${s.name}\`: ${s.freeBits.reason}`).join('; ');
    out.push(diag('VAE609', `\`freeBits: ${lambda}\` acts on no latent site (${why})`, { span: trainEntrySpan(checked, 'freeBits') }, { hint: 'free bits need a per-dimension KL with a gradient: a reparameterized site, or a closed-form KL' }));
  }
  return out;
}
