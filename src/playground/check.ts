/**
 * Checking the editor's program in the page and in the worker: the API's `checkText` (the
 * checker and the estimator planner of `vae check`), with `extends "vae.vae"` read from the
 * zoo models the page loaded. Never throws for a bad program: problems are diagnostics.
 */
import { checkText, type CheckOutcome } from '../checking';
import type { ProgramText } from './protocol';

/** `extends` paths resolve against `/` (the loader's cwd for text), so `/vae.vae` is the zoo's `vae.vae`. */
export function zooReader(zoo: Readonly<Record<string, string>>): (p: string) => string {
  return (p) => {
    const name = p.replace(/^\/+/, '').replace(/^models\//, '');
    const text = zoo[name];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return text;
  };
}

export function checkProgram(p: ProgramText): CheckOutcome {
  return checkText(p.text, p.name, { readFile: zooReader(p.zoo) });
}
