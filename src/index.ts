/**
 * vaelang's public TypeScript API. The engine behind the `vae` command, usable from code:
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import { initBackend, compile, elbo, iwae, gradients } from 'vaelang';
 *   await initBackend();
 *   const prog = compile(source, { seed: 1 });
 *   const batch = prog.batch({ x: tf.tensor2d(images, [100, 784]) });
 *   console.log(elbo(prog, batch).mean, iwae(prog, batch, 50).mean);
 *   prog.dispose();
 *
 * The sources are TypeScript: run them with tsx (`node --import tsx`), vitest, or a bundler.
 */
export { initBackend, backendName } from './backend';
export { compile, compileFile, elbo, iwae, evaluate, gradients, withObjective, formatErrors, Program } from './api';
export type { CompileOptions, EvaluateOptions } from './api';
export { checkFile, checkText } from './check';
export type { CheckOutcome } from './check';
export { renderDiagnostics, diagnosticToJson } from './dsl/render-diagnostic';
export { DiagnosticError, CODES } from './dsl/diagnostics';
export { planEstimators, ESTIMATORS } from './inference/plan';
export { DISTRIBUTIONS } from './distributions/registry';
export { runTrain } from './train/run';
export { loadDataset } from './data/datasets';
