/**
 * The language's public surface: load (with `extends` and `--set`), check, and plan a
 * program in one call. `vae check` is a thin wrapper around `checkFile`.
 *
 * @example
 *   const r = checkFile('models/vae.vae');
 *   if (r.checked) console.log(r.plan.sites.map((s) => `${s.name}: ${s.estimator}`));
 */
import * as fs from 'node:fs';
import { planEstimators, type Plan, type PlanOptions } from '../inference/plan';
import type { CheckedProgram } from './checked';
import { checkProgram } from './check';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics';
import { loadProgram, type LoadOptions } from './load';
import type { Source } from './source';

export interface CheckOutcome {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, Source>;
  readonly checked: CheckedProgram | undefined;
  readonly plan: Plan | undefined;
}

export type CheckOptions = LoadOptions & PlanOptions;

/** Loads, checks and plans a `.vae` file. Never throws for bad input: problems are diagnostics. */
export function checkFile(file: string, opts: CheckOptions = {}): CheckOutcome {
  const read = opts.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8'));
  try {
    read(file.startsWith('/') ? file : `${opts.cwd ?? process.cwd()}/${file}`);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    const d = diag('VAE701', `cannot read \`${file}\`: ${reason}`, { span: { file, start: 0, end: 0 } }, { hint: 'check the path; model files usually live in models/, e.g. models/vae.vae' });
    return { diagnostics: [d], sources: new Map(), checked: undefined, plan: undefined };
  }
  const loaded = loadProgram(file, opts);
  return finish(loaded.program, loaded.sources, loaded.diagnostics, opts);
}

/** Checks source text directly (tests, the API, editors). */
export function checkText(text: string, name = 'input.vae', opts: CheckOptions = {}): CheckOutcome {
  const files = new Map([[name, text]]);
  return checkFile(name, { ...opts, cwd: '/', readFile: (p) => {
    const key = p.replace(/^\/+/, '');
    const t = files.get(key) ?? (opts.readFile ? opts.readFile(p) : undefined);
    if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return t;
  } });
}

function finish(program: CheckedProgram['program'], sources: Map<string, Source>, syntax: Diagnostic[], opts: CheckOptions): CheckOutcome {
  if (hasErrors(syntax)) return { diagnostics: sortDiagnostics(syntax), sources, checked: undefined, plan: undefined };
  const result = checkProgram(program, sources);
  const all = [...syntax, ...result.diagnostics];
  const plan = planEstimators(result.partial, opts);
  all.push(...plan.diagnostics);
  const diagnostics = sortDiagnostics(all);
  return hasErrors(diagnostics) || !result.checked ? { diagnostics, sources, checked: undefined, plan: undefined } : { diagnostics, sources, checked: result.checked, plan };
}
