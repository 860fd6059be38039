/**
 * vaelang's browser entry (`import … from 'vaelang'` in a bundler or a browser; Node gets
 * src/index.ts, a superset): the language, the checker, the planner, the compiler, the
 * objectives and the engine, with no Node built-in anywhere below (a layer rule in
 * .dependency-cruiser.cjs keeps it so). Programs come from source text; data from memory.
 *
 * @example
 *   import { check, compile, initBackend } from 'vaelang';
 *   const r = check(source);              // diagnostics and the estimator plan, as data
 *   await initBackend('wasm', { assets: '/wasm/' });
 *   const prog = compile(source, { seed: 1 });
 */
export { initBackend, backendName, BROWSER_BACKENDS, type BrowserBackendOptions } from './backend-browser';
export { BackendError, type BackendName } from './backend-core';
export { compile, elbo, iwae, evaluate, gradients, withObjective, formatErrors, Program } from './program';
export type { CompileOptions, EvaluateOptions } from './program';
export { check, checkText } from './checking';
export type { CheckDiagnostic, CheckOptions, CheckOutcome, CheckResult, PlanRow } from './checking';
export { renderDiagnostics, diagnosticToJson } from './dsl/render-diagnostic';
export { DiagnosticError, CODES } from './dsl/diagnostics';
export { planEstimators, ESTIMATORS } from './inference/plan';
export { DISTRIBUTIONS } from './distributions/registry';
