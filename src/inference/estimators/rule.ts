/**
 * An estimator rule: everything vaelang knows about one gradient estimator, read by the checker
 * (annotation names), the planner (legality, the automatic choice, the plan's "why"), the CLI
 * (`vae estimators` specs and help) and the runtime (how a site is drawn, which q terms are
 * detached, and the score part of the surrogate).
 *
 * Score parts follow Pyro's ScoreParts (pyro/distributions/score_parts.py) and the surrogate
 * trick of its Trace_ELBO: the surrogate's value is the objective, and its gradient is the
 * estimator's — a pathwise rule differentiates through the draw (`draw: 'rsample'`), a score rule
 * adds gradientOnly(log q · stop(signal − baseline)), where the objective supplies the signal
 * and the rule the kind of baseline.
 *
 * Tensor-free: rules are data plus static predicates over the checked program, so the checker
 * and the planner read them without loading tfjs (.dependency-cruiser.cjs).
 */
import type { SiteInfo } from '../../dsl/checked';
import type { DiagCode } from '../../dsl/diagnostics';
import type { RuleRefusal } from '../../dsl/problems/estimators';
import type { Objective } from '../../dsl/train-config';

/** What the planner knows about one guide site when it asks a rule. */
export interface SiteFacts {
  /** The guide site. */
  readonly site: SiteInfo;
  readonly objective: Objective;
  /** The number of values of a finite discrete site (undefined when continuous or unbounded). */
  readonly supportSize: number | undefined;
  /** The site is discrete by its family or its value kind. */
  readonly discrete: boolean;
  /** Some guide site is enumerated (annotated, forced or chosen automatically). */
  readonly enumerated: boolean;
  /** Guide sites planned before this one whose estimator draws with a path derivative. */
  readonly pathwiseSites: ReadonlySet<string>;
}

/**
 * Why a rule cannot be used for a site, as data (src/dsl/problems/estimators.ts renders it, naming
 * estimators as `@score` in a program and `score` in `vae estimators --estimators`).
 */
export interface Refusal {
  readonly code: DiagCode;
  readonly problem: RuleRefusal;
}

/** The baseline subtracted from a score rule's learning signal. */
export type Baseline =
  /** A per-site moving average of the signal (Pyro's baseline_beta = 0.9). */
  | 'moving-average'
  /** Per particle: the bound with that particle's log-weight replaced by the others' mean (VIMCO). */
  | 'leave-one-out';

export interface EstimatorRule {
  /** The estimator's name: the annotation `@name`, `--estimator site=name`, and the plan's column. */
  readonly name: string;
  /** A short description, e.g. "score function (REINFORCE) with a baseline". */
  readonly title: string;
  /** The paper, e.g. "Williams 1992". */
  readonly reference: string;
  /** What PyTorch/Pyro users write for it (suggested for an unknown annotation). */
  readonly aliases: readonly string[];
  /** How the guide draws the site: with a path derivative, without one, or every value of its support. */
  readonly draw: 'rsample' | 'sample' | 'enumerate';
  /** log q of the site is evaluated at detached guide parameters (its score term removed). */
  readonly detachQ: boolean;
  /** The score part of the surrogate, log q · stop(signal − baseline); null when there is none. */
  readonly score: { readonly baseline: Baseline } | null;
  /** DReG: the path derivative reaching the site's draw is weighted once more by the normalized importance weight. */
  readonly reweightPath: boolean;
  /** Every guide site drawn from this one must be drawn with a path derivative (VAE505 otherwise). */
  readonly pathwiseDescendants: boolean;
  /**
   * The site's KL when the rule decides it: summed exactly (enumerate) or sampled (stl, whose
   * point is log q at the sample); null leaves the planner's analytic-or-sampled choice.
   */
  readonly kl: { readonly kl: 'exact' | 'mc'; readonly reason: string } | null;
  /** Which objectives it estimates (`vae estimators` specs: `stl`, `iwae:K+dreg`). */
  readonly objectives: readonly ('elbo' | 'iwae' | 'expectation')[];
  /** What it estimates, for a rule of one objective: "an estimator of the IWAE bound". */
  readonly scope?: string;
  /** The rule that does its job under the other bound (stl under iwae is dreg). */
  readonly counterpart?: string;
  /** The static conditions for using it, as docs/language.md states them. */
  readonly conditions: string;
  /** Why the rule cannot be used for the site, or undefined when it can. */
  refuse(facts: SiteFacts): Refusal | undefined;
  /** When the planner chooses this rule unasked: the plan's reason, or undefined. */
  auto?(facts: SiteFacts): string | undefined;
}
