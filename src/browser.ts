/**
 * vaelang's browser entry (`import … from 'vaelang'` in a bundler or a browser; Node gets
 * src/index.ts, a superset): the language, the checker, the planner, the compiler, the
 * objectives, the training loop, in-memory data sets, sampling, weights through tfjs IOHandlers
 * and the chart specifications, with no Node built-in anywhere below (a layer rule in
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
export { train, type TrainOptions, type TrainRun, type MemoryData, type Columns } from './training';
export { bindMemory, type BoundData } from './train/memory-data';
export { DataError } from './data/errors';
export { UserError } from './core/errors';
export { makeDataset, type Dataset, type DatasetSplits } from './data/dataset';
export type { NdArray } from './data/ndarray';
export { sample, encode, decode, type SiteValues, type DrawOptions } from './sampling';
export { evaluateData, type DataEvaluation, type EvaluateDataOptions, type IwaeResult, type LatentStats } from './evaluation';
export { saveWeights, loadWeights } from './weights';
export * from './figures/index';
