/**
 * The API's check: load and check a program (the language entry, dsl/index.ts), then plan its
 * gradient estimators (inference/plan.ts). Estimator problems (VAE5xx) are diagnostics like
 * any other, reported alongside the checker's. `vae check` is a thin wrapper around `checkFile`.
 *
 * @example
 *   const r = checkFile('models/vae.vae');
 *   if (r.checked) console.log(r.plan.sites.map((s) => `${s.name}: ${s.estimator}`));
 */
import type { CheckedProgram } from './dsl/checked';
import { hasErrors, sortDiagnostics, type Diagnostic } from './dsl/diagnostics';
import { checkLanguageFile, textReader, type LanguageOutcome } from './dsl/index';
import type { LoadOptions } from './dsl/load';
import type { Source } from './dsl/source';
import { planEstimators, type Plan, type PlanOptions } from './inference/plan';

export interface CheckOutcome {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, Source>;
  readonly checked: CheckedProgram | undefined;
  readonly plan: Plan | undefined;
}

export type CheckOptions = LoadOptions & PlanOptions;

/** Loads, checks and plans a `.vae` file. Never throws for bad input: problems are diagnostics. */
export function checkFile(file: string, opts: CheckOptions = {}): CheckOutcome {
  return withPlan(checkLanguageFile(file, opts), opts);
}

/** Checks and plans source text directly (tests, the API, editors). */
export function checkText(text: string, name = 'input.vae', opts: CheckOptions = {}): CheckOutcome {
  return checkFile(name, { ...opts, ...textReader(text, name, opts.readFile) });
}

function withPlan(r: LanguageOutcome, opts: PlanOptions): CheckOutcome {
  if (!r.partial) return { diagnostics: r.diagnostics, sources: r.sources, checked: undefined, plan: undefined };
  const plan = planEstimators(r.partial, opts);
  const diagnostics = sortDiagnostics([...r.diagnostics, ...plan.diagnostics]);
  return hasErrors(diagnostics) || !r.checked ? { diagnostics, sources: r.sources, checked: undefined, plan: undefined } : { diagnostics, sources: r.sources, checked: r.checked, plan };
}
