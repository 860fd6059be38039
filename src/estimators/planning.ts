/**
 * From an estimator spec to an estimator plan (src/inference/plan.ts), checked before any work.
 *
 * The spec's estimator is forced (as `--estimator site=kind` would be) on every latent guide site
 * that admits it; the other sites keep the plan's automatic choice. Whether a site admits the
 * estimator is decided by `planEstimators` itself (its VAE5xx diagnostics), so the rules stay in
 * one place. A spec that applies to no site, or whose combined plan has an error (e.g. DReG
 * beside an enumerated site), is rejected with that diagnostic's message and hint.
 *
 * The objective: `iwae:K` specs use the IWAE bound with K particles; the others the ELBO, or the
 * program's own expectation objective (`minimize(f)`, the lecture's toy) where it has one.
 * At K = 1 DReG is STL: w̃ = 1, and IWAE_1 is the ELBO with a sampled KL, so `iwae:1+dreg` is
 * measured as `stl` under the ELBO (planEstimators asks k >= 2 of `dreg`). VIMCO needs K >= 2.
 */
import { UserError } from '../core/errors';
import type { CheckedProgram } from '../dsl/checked';
import { renderProblem } from '../dsl/problems/index';
import { isEstimatorRefusal, refusalNamesSite } from '../dsl/problems/estimators';
import type { Objective } from '../dsl/train-config';
import { ruleOf } from '../inference/estimators/index';
import { planEstimators, type EstimatorKind, type Plan, type PlanProblem } from '../inference/plan';
import type { EstimatorSpec } from './spec';

export interface PlannedSpec {
  readonly spec: EstimatorSpec;
  /** The label of the measured configuration, e.g. `iwae:10+dreg`. */
  readonly label: string;
  readonly objective: Objective;
  readonly plan: Plan;
  /** Every latent guide site: its estimator, and whether the spec chose it (else automatic). */
  readonly sites: readonly { readonly name: string; readonly estimator: EstimatorKind; readonly applied: boolean; readonly source: 'auto' | 'annotation' | 'cli' }[];
  /** A baseline estimated from warm-up draws (score+baseline). */
  readonly baseline: boolean;
  /** Particles per estimate under the ELBO / expectation (null: the IWAE's K). */
  readonly note: string | null;
}

function errors(p: Plan): PlanProblem[] {
  return p.problems.filter((d) => d.diagnostic.severity === 'error');
}

/**
 * A plan problem as a spec shows it: estimators named as in `--estimators` (`score`, not
 * `@score`), without the `--estimator site=kind: ` prefix of a command-line override.
 */
function asSpec(p: PlanProblem): { message: string; hint?: string } {
  const data = p.diagnostic.data;
  if (data && 'via' in data) return renderProblem({ ...data, via: 'spec' });
  return { message: p.diagnostic.message, ...(p.diagnostic.hint !== undefined ? { hint: p.diagnostic.hint } : {}) };
}

function reject(label: string, p: PlanProblem, prefix = '', suffix = ''): never {
  const r = asSpec(p);
  throw new UserError(`--estimators ${label}: ${prefix}${r.message}${suffix}`, r.hint, p.diagnostic.code);
}

/** The plan of one spec at a concrete K (for `iwae:K`); throws a UserError when it does not apply. */
export function planSpec(checked: CheckedProgram, spec: EstimatorSpec, file: string): PlannedSpec {
  const label = spec.text;
  if (spec.k === 'K') throw new UserError(`--estimators ${label}: K is given by a sweep`, 'add --sweep K=1,5,10,50,100, or write iwae:5');
  const expectation = checked.objectiveExpr !== null;
  if (spec.iwae && expectation) {
    throw new UserError(`--estimators ${label}: the IWAE bound needs a model, and ${file} has an expectation objective (${checked.train.config.objective.kind === 'expectation' ? `${checked.train.config.objective.sense}(${checked.train.config.objective.text})` : 'no model'})`, 'use reparam, score or score+baseline for this program');
  }
  let kind: EstimatorKind = spec.kind;
  let objective: Objective = expectation ? checked.train.config.objective : { kind: 'elbo' };
  let note: string | null = null;
  if (spec.iwae) {
    const k = spec.k as number;
    objective = { kind: 'iwae', k };
    const rule = ruleOf(kind);
    if (k === 1 && rule.counterpart !== undefined) {
      // IWAE_1 is the ELBO with a sampled KL, and an IWAE rule is its ELBO counterpart there.
      objective = { kind: 'elbo' };
      kind = rule.counterpart;
      note = `K = 1: ${rule.name} is ${kind} on the ELBO`;
    } else if (k === 1 && rule.score?.baseline === 'leave-one-out') {
      throw new UserError(`--estimators ${label}: VIMCO's leave-one-out baselines need K >= 2`, 'start the sweep at K = 2, or use iwae:1+score');
    }
  }
  const base = planEstimators(checked, { objective });
  const baseErr = errors(base)[0];
  if (baseErr) reject(label, baseErr);
  if (base.sites.length === 0) {
    throw new UserError(`--estimators ${label}: ${file} has no latent guide site`, 'the estimators are gradients through sampled guide sites; add a guide');
  }
  const applied = new Map<string, string>();
  const refusals: { site: string; d: PlanProblem }[] = [];
  for (const s of base.sites) {
    const single = planEstimators(checked, { objective, overrides: new Map([[s.name, kind]]) });
    const err = errors(single)[0];
    if (err) refusals.push({ site: s.name, d: err });
    else applied.set(s.name, kind);
  }
  if (applied.size === 0) {
    // Every site refused. The most telling reason is one that is not about the site's family
    // (a discrete site refusing reparam is expected; DReG refused beside an enumerated site is not).
    const main = refusals.find((r) => r.d.diagnostic.code !== 'VAE501' && r.d.diagnostic.code !== 'VAE502') ?? refusals[0]!;
    const others = refusals.filter((r) => r !== main).map((r) => asSpec(r.d).message);
    const data = main.d.diagnostic.data;
    const mainText = data && isEstimatorRefusal(data) && refusalNamesSite(data) ? '' : `for \`${main.site}\`, `;
    reject(label, main.d, `it applies to no latent site of ${file}: ${mainText}`, others.length ? ` (and ${others.join('; ')})` : '');
  }
  const plan = planEstimators(checked, { objective, overrides: applied });
  const err = errors(plan)[0];
  if (err) reject(label, err);
  return {
    spec,
    label,
    objective,
    plan,
    sites: plan.sites.map((s) => ({ name: s.name, estimator: s.estimator, applied: applied.has(s.name), source: s.source })),
    baseline: spec.baseline,
    note,
  };
}

/** `z=dreg, y=enumerate (auto)`: the spec's sites, and the others with the plan's own choice. */
export function describePlan(p: PlannedSpec): string {
  return p.sites.map((s) => `${s.name}=${s.estimator}${s.applied ? '' : s.source === 'annotation' ? ' (annotated)' : ' (auto)'}`).join(', ') + (p.note ? ` [${p.note}]` : '');
}
