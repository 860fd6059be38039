/**
 * Checking and planning without a file system (browser-safe): check a program (the language
 * entry, dsl/language.ts), then plan its gradient estimators (inference/plan.ts). Estimator
 * problems (VAE5xx) are diagnostics like any other, reported alongside the checker's.
 * `check(text)` gives the outcome as plain data, for editors, pages and notebooks; src/check.ts
 * adds files on disk (Node).
 *
 * @example
 *   const r = check('data x : Binary[784]\n...');
 *   if (!r.ok) for (const d of r.diagnostics) console.log(`${d.line}:${d.column} ${d.code} ${d.message}`);
 *   else for (const s of r.plan!.sites) console.log(`${s.site}: ${s.estimator}`);
 */
import type { CheckedProgram } from './dsl/checked';
import { hasErrors, sortDiagnostics, type Diagnostic } from './dsl/diagnostics';
import { checkLanguage, textReader, type LanguageOutcome } from './dsl/language';
import type { LoaderOptions, LoadOptions } from './dsl/load';
import { diagnosticToJson, type JsonDiagnostic } from './dsl/render-diagnostic';
import type { Source } from './dsl/source';
import { formatObjective } from './dsl/train-config';
import { describeDist, explainSite, planEstimators, type Plan, type PlanOptions } from './inference/plan';

export interface CheckOutcome {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, Source>;
  readonly checked: CheckedProgram | undefined;
  readonly plan: Plan | undefined;
}

export type CheckOptions = LoadOptions & PlanOptions;

/** Loads (through `opts.readFile`), checks and plans a program. Never throws for bad input. */
export function checkSource(file: string, opts: LoaderOptions & PlanOptions): CheckOutcome {
  return withPlan(checkLanguage(file, opts), opts);
}

/** Checks and plans source text directly (tests, the API, editors). */
export function checkText(text: string, name = 'input.vae', opts: CheckOptions = {}): CheckOutcome {
  return checkSource(name, { ...opts, ...textReader(text, name, opts.readFile) });
}

function withPlan(r: LanguageOutcome, opts: PlanOptions): CheckOutcome {
  if (!r.partial) return { diagnostics: r.diagnostics, sources: r.sources, checked: undefined, plan: undefined };
  const plan = planEstimators(r.partial, opts);
  const diagnostics = sortDiagnostics([...r.diagnostics, ...plan.diagnostics]);
  return hasErrors(diagnostics) || !r.checked ? { diagnostics, sources: r.sources, checked: undefined, plan: undefined } : { diagnostics, sources: r.sources, checked: r.checked, plan };
}

/** A diagnostic as data: the code, where (offsets and 1-based line/column), the message and the hint. */
export interface CheckDiagnostic extends JsonDiagnostic {
  /** The primary span as character offsets into the file's text (end exclusive). */
  readonly span: { readonly file: string; readonly start: number; readonly end: number };
}

/** One latent site of the estimator plan. */
export interface PlanRow {
  readonly site: string;
  /** The guide's distribution, e.g. 'Normal[20]' or 'Categorical(10)'. */
  readonly distribution: string;
  /** The gradient estimator, e.g. 'reparam', 'score', 'enumerate'. */
  readonly estimator: string;
  /** 'auto' (chosen by the planner), 'annotation' (in the program) or 'cli' (an override). */
  readonly source: string;
  /** How the KL term is computed: 'analytic', 'mc', 'exact' or 'none'. */
  readonly kl: string;
  /** The planner's reasons, as `vae check` prints them. */
  readonly why: string;
}

export interface CheckResult {
  /** True when the program checks (no error; warnings may remain). */
  readonly ok: boolean;
  readonly diagnostics: readonly CheckDiagnostic[];
  /** The estimator plan when the program checks. */
  readonly plan: { readonly objective: string; readonly sites: readonly PlanRow[] } | undefined;
  /** The full outcome (checked program, plan, sources), for compiling without checking again. */
  readonly outcome: CheckOutcome;
}

/**
 * Checks `text` and plans its estimators; diagnostics and the plan come back as plain data.
 * Never throws for bad input.
 */
export function check(text: string, opts: CheckOptions & { name?: string } = {}): CheckResult {
  const outcome = checkText(text, opts.name ?? 'input.vae', opts);
  const diagnostics = outcome.diagnostics.map((d) => ({ ...diagnosticToJson(d, outcome.sources), span: { ...d.primary.span } }));
  const p = outcome.plan;
  const plan = outcome.checked && p
    ? { objective: formatObjective(p.objective), sites: p.sites.map((s) => ({ site: s.name, distribution: describeDist(s.guide), estimator: s.estimator, source: s.source, kl: s.kl, why: explainSite(s, p.freeBits) })) }
    : undefined;
  return { ok: outcome.checked !== undefined, diagnostics, plan, outcome };
}
