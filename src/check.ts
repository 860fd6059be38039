/**
 * The API's check in Node: load a program from disk, check it and plan its gradient estimators
 * (the file-system-free core is src/checking.ts). `vae check` is a thin wrapper around `checkFile`.
 *
 * @example
 *   const r = checkFile('models/vae.vae');
 *   if (r.checked) console.log(r.plan.sites.map((s) => `${s.name}: ${s.estimator}`));
 */
import * as fs from 'node:fs';
import { checkSource, type CheckOptions, type CheckOutcome } from './checking';

export { check, checkText, type CheckDiagnostic, type CheckOptions, type CheckOutcome, type CheckResult, type PlanRow } from './checking';

/** Loads, checks and plans a `.vae` file. Never throws for bad input: problems are diagnostics. */
export function checkFile(file: string, opts: CheckOptions = {}): CheckOutcome {
  return checkSource(file, { ...opts, readFile: opts.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8')), cwd: opts.cwd ?? process.cwd() });
}
