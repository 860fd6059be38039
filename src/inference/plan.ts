/**
 * The estimator plan: for every latent site, which gradient estimator the engine uses and why,
 * and whether its KL term is analytic. The automatic choice (issue: "reparam where possible;
 * enumerate finite supports of at most 64 values; otherwise score with a baseline") can be
 * overridden per site by an annotation (`@score`) or from the CLI (`--estimator y=score`).
 * Illegal choices are diagnostics (VAE5xx), reported before any work starts.
 *
 * Each estimator is a rule in src/inference/estimators/ (when it is legal, the automatic choice,
 * how it draws, which q terms it detaches, its score part, and its paper); this file combines
 * the rules with the KL, learning-signal and free-bits decisions.
 */
import { isDiscreteKind } from '../distributions/constraints';
import { findKlPair } from '../distributions/kl-pairs';
import { MAX_ENUMERATE } from '../distributions/schema';
import type { CheckedProgram, SiteInfo } from '../dsl/checked';
import { diag, problem as diagnosticOf, type Diagnostic, type ProblemData } from '../dsl/diagnostics';
import type { Span } from '../dsl/source';
import type { KlMode, Objective } from '../dsl/train-config';
import { numel } from '../dsl/types';
import { dependencyGraph, downstreamCosts, guideDescendants, guidePath, parentsDrawnFrom, type DependencyGraph } from './dependencies';
import { chainLabel, markovChain, type MarkovChain } from './markov';
import { AUTO_ENUMERATE_LIMIT, AUTO_ORDER, ESTIMATOR_NAMES, findRule, isPathwise, ruleOf, type EstimatorRule, type SiteFacts } from './estimators/index';

/** The estimator names, from the registry (src/inference/estimators/). */
export const ESTIMATORS = ESTIMATOR_NAMES;
/** An estimator's name in the registry. */
export type EstimatorKind = string;

export { AUTO_ENUMERATE_LIMIT, MAX_ENUMERATE };
/** The most joint configurations of all enumerated sites together (their supports multiply). */
export const MAX_ENUMERATED_CONFIGURATIONS = 4096;
/**
 * The most sites enumerated together, unless they form a Markov chain (src/inference/markov.ts:
 * its steps share two axes, and the limit is on two adjacent steps' configurations). Each takes an axis left of [K, B] (src/inference/layout.ts);
 * with a fourth, values and log-densities reach 6-7 axes, past what the wasm backend's XNNPACK
 * kernels compute (measured: a 4-step HMM's exact log-likelihood came out wrong on wasm and
 * right on the cpu backend; XNNPACK's binary ops fail silently at 7 axes).
 */
export const MAX_ENUMERATED_SITES = 3;

/**
 * A problem of the plan: the diagnostic `vae check` shows, whose `data` other front ends render
 * their own way (`vae estimators` names estimators without `@`: `via: 'spec'`).
 */
export interface PlanProblem {
  readonly diagnostic: Diagnostic;
}

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
  /** The errors and warnings of `diagnostics` that the planner found, as data. */
  readonly problems: readonly PlanProblem[];
  /** The enumerated steps of a sequence eliminated along a Markov chain (the forward algorithm), or null. */
  readonly chain: MarkovChain | null;
  /** Why a sequence with two or more enumerated steps is enumerated jointly instead (null otherwise). */
  readonly chainRefused: string | null;
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

/** What a rule is told about a guide site. */
function factsOf(g: SiteInfo, objective: Objective, enumerated: boolean, pathwiseSites: ReadonlySet<string>): SiteFacts {
  return { site: g, objective, supportSize: supportSizeOf(g), discrete: g.spec.discrete || isDiscreteKind(g.spec.support), enumerated, pathwiseSites };
}

/** The automatic choice: the first rule of AUTO_ORDER with a reason (score always has one). */
function autoChoice(facts: SiteFacts): { rule: EstimatorRule; reason: string } {
  for (const rule of AUTO_ORDER) {
    const reason = rule.auto?.(facts);
    if (reason !== undefined) return { rule, reason };
  }
  throw new Error('no automatic estimator: the registry lists score last in AUTO_ORDER');
}

/**
 * The KL term of a site. An analytic KL(q(s | pa_q) ‖ p(s | pa_p)) at the sampled parents is the
 * expectation the ELBO needs only when s, given its guide parents, is independent of its model
 * parents: no model parent of s may be a guide descendant of s (drawn by the guide from s).
 */
function klFor(g: SiteInfo, m: SiteInfo, rule: EstimatorRule, objective: Objective, mode: KlMode, graph: DependencyGraph): { kl: SitePlan['kl']; klReason: string; blocked?: string } {
  if (objective.kind === 'expectation') return { kl: 'none', klReason: 'expectation objective' };
  if (rule.kl?.kl === 'exact') return { kl: 'exact', klReason: rule.kl.reason };
  if (objective.kind === 'iwae') return { kl: 'mc', klReason: 'iwae uses per-sample log-weights' };
  if (mode === 'mc') return { kl: 'mc', klReason: 'kl: mc' };
  if (rule.kl) return { kl: rule.kl.kl, klReason: rule.kl.reason };
  const pair = findKlPair(g.spec.name, m.spec.name);
  if (!pair) return { kl: 'mc', klReason: `no closed form for ${g.spec.name}–${m.spec.name}` };
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
function freeBitsFor(g: SiteInfo, m: SiteInfo, rule: EstimatorRule, kl: SitePlan['kl'], objective: Objective): SitePlan['freeBits'] {
  if (objective.kind !== 'elbo') return { applies: false, reason: `free bits are a term of the ELBO; the objective is ${objective.kind}` };
  if (rule.draw === 'enumerate') return { applies: false, reason: 'enumerated: its KL is summed exactly' };
  const pair = kl === 'analytic' ? findKlPair(g.spec.name, m.spec.name) : undefined;
  const perDim = pair ? pair.elementwise : g.spec.factorized && m.spec.factorized;
  if (!perDim) return { applies: false, reason: `${g.spec.name}–${m.spec.name} has no per-dimension KL` };
  if (kl !== 'analytic' && rule.draw !== 'rsample') return { applies: false, reason: 'a sampled KL of a score-function site has no gradient through max(λ, KL)' };
  return { applies: true, reason: kl === 'analytic' ? 'closed-form KL per dimension' : 'sampled KL per dimension, differentiated through the sample' };
}

/** The estimator annotation of a guide site, if it has one. */
function annotationOf(g: SiteInfo) {
  return g.stmt.annotations.find((a) => findRule(a.name.text) !== undefined);
}

/** True when some guide site will be enumerated (annotated, forced, or auto-chosen). */
function enumerates(checked: CheckedProgram, objective: Objective, overrides: ReadonlyMap<string, string>): boolean {
  return checked.guide.sites.some((g) => {
    const forced = overrides.get(g.name) ?? (g.step ? overrides.get(g.step.base) : undefined) ?? annotationOf(g)?.name.text;
    if (forced !== undefined) return findRule(forced)?.draw === 'enumerate';
    return autoChoice(factsOf(g, objective, false, new Set())).rule.draw === 'enumerate';
  });
}

export function planEstimators(checked: CheckedProgram, opts: PlanOptions = {}): Plan {
  const objective = opts.objective ?? checked.train.config.objective;
  const mode = opts.kl ?? checked.train.config.kl;
  const lambda = opts.freeBits ?? checked.train.config.freeBits;
  const graph = dependencyGraph(checked);
  const problems: PlanProblem[] = [];
  const report = (p: PlanProblem): void => void problems.push(p);
  const sites: SitePlan[] = [];
  const overrides = new Map(opts.overrides ?? []);
  const anyEnumerated = enumerates(checked, objective, overrides);
  const pathwiseSites = new Set<string>();
  const usedOverrides = new Set<string>();
  for (const g of checked.guide.sites) {
    const m = objective.kind === 'expectation' ? g : checked.model.sites.find((s) => s.name === g.name);
    if (!m) continue;
    const annotation = annotationOf(g);
    // `--estimator z=score` applies to every step of a sequence z; `z[3]=score` to one.
    const cli = overrides.get(g.name) ?? (g.step ? overrides.get(g.step.base) : undefined);
    usedOverrides.add(overrides.has(g.name) ? g.name : (g.step?.base ?? g.name));
    const facts = factsOf(g, objective, anyEnumerated, pathwiseSites);
    let rule: EstimatorRule;
    let source: SitePlan['source'];
    let reason: string;
    const requested = cli ?? annotation?.name.text;
    if (requested !== undefined) {
      const found = findRule(requested);
      if (!found) {
        report(problem(diagnosticOf('VAE704', { kind: 'unknown-estimator', site: g.name, found: requested, expected: ESTIMATORS }, { span: g.stmt.name.span })));
        continue;
      }
      rule = found;
      source = cli !== undefined ? 'cli' : 'annotation';
      const bad = rule.refuse(facts);
      if (bad) {
        const span = cli === undefined && annotation ? annotation.span : g.stmt.name.span;
        report(problem(diagnosticOf(bad.code, { ...bad.problem, via: source === 'cli' ? 'cli' : 'annotation' } as ProblemData, { span })));
        continue;
      }
      const n = facts.supportSize;
      reason = `${source === 'cli' ? `--estimator ${g.name}=${rule.name}` : `annotated @${rule.name}`}${rule.draw === 'enumerate' && n !== undefined ? `; finite support of ${n}` : ''}`;
    } else {
      ({ rule, reason } = autoChoice(facts));
      source = 'auto';
      if (rule.draw === 'enumerate' && m.observed === 'partial') reason += ' where the label is missing';
    }
    if (rule.draw === 'rsample') pathwiseSites.add(g.name);
    const { blocked, ...kl } = klFor(g, m, rule, objective, mode, graph);
    if (mode === 'analytic' && kl.kl === 'mc' && objective.kind === 'elbo') {
      report(problem(diagnosticOf('VAE602', { kind: 'kl-not-analytic', site: g.name, guideFamily: g.spec.name, modelFamily: m.spec.name, ...(blocked ? { blocked } : {}) }, { span: g.stmt.dist.span })));
    }
    const signal = rule.score && objective.kind === 'elbo' ? downstreamCosts(graph, g.name) : null;
    const freeBits = freeBitsFor(g, m, rule, kl.kl, objective);
    sites.push({ name: g.name, guide: g, model: m, estimator: rule.name, source, reason, ...kl, supportSize: facts.supportSize, signal, detach: rule.detachQ, freeBits });
  }
  const enumerated = sites.filter((s) => ruleOf(s.estimator).draw === 'enumerate');
  const decision = markovChain({ model: checked.model.sites, guide: checked.guide.sites, enumerated, objective: objective.kind });
  for (const p of [...pathwiseDescendants(sites, graph), ...enumerationSize(sites, decision), ...settingsWithoutEffect(checked, sites, objective, lambda)]) report(p);
  for (const [name, kind] of overrides) {
    if (usedOverrides.has(name)) continue;
    const span = checked.guide.decl?.keywordSpan ?? checked.model.decl?.keywordSpan ?? { file: checked.program.file, start: 0, end: 0 };
    report(problem(diagnosticOf('VAE704', { kind: 'unknown-override-site', site: name, estimator: kind, sites: checked.guide.sites.map((s) => s.name) }, { span })));
  }
  const chain = decision.chain;
  const planned = chain ? sites.map((s) => (chain.slots.has(s.name) ? { ...s, reason: `${s.reason}; eliminated along the chain ${chainLabel(chain)} (forward algorithm)` } : s)) : sites;
  return { objective, freeBits: lambda, sites: planned, diagnostics: problems.map((p) => p.diagnostic), problems, chain, chainRefused: decision.refused };
}

function problem(d: Diagnostic): PlanProblem {
  return { diagnostic: d };
}

/**
 * A rule with `pathwiseDescendants` (DReG multiplies the whole gradient that reaches the site's
 * value by w̃ once more) is its estimator only when every guide site drawn from it is drawn with
 * a path derivative too (a score-function site's surrogate would be re-weighted as well).
 */
function pathwiseDescendants(sites: readonly SitePlan[], graph: DependencyGraph): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const s of sites) {
    const rule = ruleOf(s.estimator);
    if (!rule.pathwiseDescendants) continue;
    const bad = sites.find((d) => guideDescendants(graph, s.name).has(d.name) && !isPathwise(d.estimator));
    if (!bad) continue;
    const span = s.guide.stmt.annotations.find((a) => a.name.text === rule.name)?.span ?? s.guide.stmt.name.span;
    out.push(problem(diagnosticOf('VAE505', { kind: 'descendant-not-reparameterized', via: 'annotation', site: s.name, estimator: rule.name, descendant: bad.name, descendantEstimator: bad.estimator }, { span })));
  }
  return out;
}

/**
 * Enumerated sites multiply their supports: every configuration is evaluated at once. A Markov
 * chain's steps share two axes: the limit is then on two adjacent steps' configurations.
 */
function enumerationSize(sites: readonly SitePlan[], decision: ReturnType<typeof markovChain>): PlanProblem[] {
  const enumerated = sites.filter((s) => ruleOf(s.estimator).draw === 'enumerate');
  const chain = decision.chain;
  if (chain) {
    const i = chain.sizes.findIndex((n, j) => j > 0 && chain.sizes[j - 1]! * n > MAX_ENUMERATED_CONFIGURATIONS);
    if (i < 0) return [];
    const site = enumerated.find((s) => s.name === chain.sites[i])!;
    const steps = [i - 1, i].map((j) => ({ name: chain.sites[j]!, size: chain.sizes[j]! }));
    return [problem(diagnosticOf('VAE503', { kind: 'chain-steps-too-large', via: 'annotation', chain: chainLabel(chain), base: chain.base, steps, limit: MAX_ENUMERATED_CONFIGURATIONS }, { span: site.guide.stmt.name.span }))];
  }
  const why = decision.refused ? { chainRefused: decision.refused } : {};
  if (enumerated.length > MAX_ENUMERATED_SITES) {
    const last = enumerated[enumerated.length - 1]!;
    return [problem(diagnosticOf('VAE503', { kind: 'too-many-enumerated', via: 'annotation', sites: enumerated.map((s) => s.name), limit: MAX_ENUMERATED_SITES, ...why }, { span: last.guide.stmt.name.span }))];
  }
  const total = enumerated.reduce((a, s) => a * (s.supportSize ?? 1), 1);
  if (enumerated.length < 2 || total <= MAX_ENUMERATED_CONFIGURATIONS) return [];
  const last = enumerated[enumerated.length - 1]!;
  const sizes = enumerated.map((s) => ({ name: s.name, size: s.supportSize ?? 1 }));
  return [problem(diagnosticOf('VAE503', { kind: 'too-many-configurations', via: 'annotation', sites: sizes, total, limit: MAX_ENUMERATED_CONFIGURATIONS, ...why }, { span: last.guide.stmt.name.span }))];
}

/** The span of the last `key:` entry of the train block(s), or the model/guide keyword. */
function trainEntrySpan(checked: CheckedProgram, key: string): Span {
  let span: Span | undefined;
  for (const d of checked.program.decls) if (d.kind === 'train') for (const e of d.entries) if (e.key.text === key) span = e.key.span;
  return span ?? checked.guide.decl?.keywordSpan ?? checked.model.decl?.keywordSpan ?? { file: checked.program.file, start: 0, end: 0 };
}

/** Free bits that act on no site, and β or free bits under an objective that has no KL term. */
function settingsWithoutEffect(checked: CheckedProgram, sites: readonly SitePlan[], objective: Objective, lambda: number): PlanProblem[] {
  const out: PlanProblem[] = [];
  const beta = checked.train.config.beta;
  if (objective.kind !== 'elbo') {
    const kind = objective.kind === 'iwae' ? 'iwae' : 'expectation';
    if (lambda > 0) out.push(problem(diagnosticOf('VAE609', { kind: 'setting-without-kl', setting: 'freeBits', value: lambda, objective: kind }, { span: trainEntrySpan(checked, 'freeBits') })));
    if (checked.train.explicit.has('beta') && !(beta.kind === 'constant' && beta.value === 1)) {
      out.push(problem(diagnosticOf('VAE609', { kind: 'setting-without-kl', setting: 'beta', value: null, objective: kind }, { span: trainEntrySpan(checked, 'beta') })));
    }
    return out;
  }
  if (lambda > 0 && sites.length > 0 && !sites.some((s) => s.freeBits.applies)) {
    out.push(problem(diagnosticOf('VAE609', { kind: 'free-bits-on-no-site', value: lambda, sites: sites.map((s) => ({ name: s.name, reason: s.freeBits.reason })) }, { span: trainEntrySpan(checked, 'freeBits') })));
  }
  return out;
}
