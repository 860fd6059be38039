/**
 * The TypeScript API in Node: everything in src/program.ts (browser-safe) plus compiling a
 * `.vae` file from disk.
 *
 * @example
 *   import { compileFile, evaluate } from 'vaelang';
 *   const prog = compileFile('models/vae.vae', { seed: 1 });
 */
import { checkFile } from './check';
import { fromOutcome, toOptions, type CompileOptions, type Program } from './program';

export * from './program';

/** Compiles a `.vae` file (with `extends`). */
export function compileFile(path: string, opts: CompileOptions = {}): Program {
  return fromOutcome(checkFile(path, toOptions(opts)), opts.seed ?? 1);
}
