/**
 * The language's entry in Node: load a program from disk (with `extends` and `--set`) and check
 * it, in one call. The file-system-free core is dsl/language.ts (browsers use that); this adds
 * the disk as the default reader and the current directory as the default base. Nothing here
 * plans estimators or touches tensors: the API (src/check.ts) adds the estimator plan on top,
 * and `vae check` is a thin wrapper around that.
 *
 * @example
 *   const r = checkLanguageFile('models/vae.vae');
 *   if (r.checked) console.log(r.checked.guide.sites.map((s) => s.name));
 */
import * as fs from 'node:fs';
import { checkLanguage, type LanguageOutcome } from './language';
import type { LoadOptions } from './load';

export { checkLanguageText, textReader, type LanguageOutcome } from './language';

/** Loads and checks a `.vae` file. Never throws for bad input: problems are diagnostics. */
export function checkLanguageFile(file: string, opts: LoadOptions = {}): LanguageOutcome {
  return checkLanguage(file, { ...opts, readFile: opts.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8')), cwd: opts.cwd ?? process.cwd() });
}
