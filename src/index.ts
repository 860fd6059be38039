/**
 * vaelang's public TypeScript API in Node: everything in the browser entry (src/browser.ts)
 * plus files on disk (programs, data sets, checkpoints), the native and threaded backends, and
 * the CLI's training run.
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import { initBackend, compile, elbo, iwae } from 'vaelang';
 *   await initBackend();
 *   const prog = compile(source, { seed: 1 });
 *   const batch = prog.batch({ x: tf.tensor2d(images, [100, 784]) });
 *   console.log(elbo(prog, batch).mean, iwae(prog, batch, 50).mean);
 *   prog.dispose();
 *
 * Built to dist/index.js (`npm run build`, run by `npm install`); the sources also run with tsx.
 */
export * from './browser';
export { initBackend, backendName, BACKENDS, type BackendOptions } from './backend';
export { compileFile } from './api';
export { checkFile } from './check';
export { runTrain } from './train/run';
export { loadDataset } from './data/datasets';
export { fileHandler } from './weights-files';
