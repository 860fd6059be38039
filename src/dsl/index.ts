/**
 * The language's entry: load a program (with `extends` and `--set`) and check it, in one call.
 * Nothing here plans estimators or touches tensors: the API (src/check.ts) adds the estimator
 * plan on top, and `vae check` is a thin wrapper around that.
 *
 * @example
 *   const r = checkLanguageFile('models/vae.vae');
 *   if (r.checked) console.log(r.checked.guide.sites.map((s) => s.name));
 */
import * as fs from 'node:fs';
import type { CheckedProgram } from './checked';
import { checkProgram } from './check';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics';
import { loadProgram, type LoadOptions } from './load';
import type { Source } from './source';

export interface LanguageOutcome {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, Source>;
  /** The checked program when there are no errors. */
  readonly checked: CheckedProgram | undefined;
  /** The parts that did check, even alongside errors (estimator checks report on these); undefined after syntax errors. */
  readonly partial: CheckedProgram | undefined;
}

/** Loads and checks a `.vae` file. Never throws for bad input: problems are diagnostics. */
export function checkLanguageFile(file: string, opts: LoadOptions = {}): LanguageOutcome {
  const read = opts.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8'));
  try {
    read(file.startsWith('/') ? file : `${opts.cwd ?? process.cwd()}/${file}`);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    const d = diag('VAE701', `cannot read \`${file}\`: ${reason}`, { span: { file, start: 0, end: 0 } }, { hint: 'check the path; model files usually live in models/, e.g. models/vae.vae' });
    return { diagnostics: [d], sources: new Map(), checked: undefined, partial: undefined };
  }
  const loaded = loadProgram(file, opts);
  if (hasErrors(loaded.diagnostics)) return { diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources, checked: undefined, partial: undefined };
  const result = checkProgram(loaded.program, loaded.sources);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]);
  return { diagnostics, sources: loaded.sources, checked: result.checked, partial: result.partial };
}

/** Checks source text directly (tests, the API, editors); `extends` reads through `opts.readFile`. */
export function checkLanguageText(text: string, name = 'input.vae', opts: LoadOptions = {}): LanguageOutcome {
  return checkLanguageFile(name, { ...opts, ...textReader(text, name, opts.readFile) });
}

/** Options that serve `text` as the file `name` (read from `/`), other paths through `fallback`. */
export function textReader(text: string, name: string, fallback?: (p: string) => string): { cwd: string; readFile: (p: string) => string } {
  const files = new Map([[name, text]]);
  return {
    cwd: '/',
    readFile: (p) => {
      const key = p.replace(/^\/+/, '');
      const t = files.get(key) ?? (fallback ? fallback(p) : undefined);
      if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return t;
    },
  };
}
