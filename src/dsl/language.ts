/**
 * The language's entry without a file system: load a program through a reader (with `extends`
 * and `--set`) and check it, in one call. Runs in a browser; the Node entry (dsl/index.ts) adds
 * the disk as the default reader. Nothing here plans estimators or touches tensors.
 *
 * @example
 *   const r = checkLanguageText('data x : Binary[784]\n...', 'input.vae');
 *   if (r.checked) console.log(r.checked.guide.sites.map((s) => s.name));
 */
import type { CheckedProgram } from './checked';
import { checkProgram } from './check';
import { hasErrors, problem, sortDiagnostics, type Diagnostic } from './diagnostics';
import { loadProgram, type LoaderOptions, type LoadOptions } from './load';
import type { Source } from './source';

export interface LanguageOutcome {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, Source>;
  /** The checked program when there are no errors. */
  readonly checked: CheckedProgram | undefined;
  /** The parts that did check, even alongside errors (estimator checks report on these); undefined after syntax errors. */
  readonly partial: CheckedProgram | undefined;
}

/** Loads `file` through `opts.readFile` and checks it. Never throws for bad input: problems are diagnostics. */
export function checkLanguage(file: string, opts: LoaderOptions): LanguageOutcome {
  try {
    opts.readFile(file.startsWith('/') ? file : `${opts.cwd.replace(/\/+$/, '')}/${file}`);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'missing' : code === 'EISDIR' ? 'directory' : 'unreadable';
    const d = problem('VAE701', { kind: 'program-file-unreadable', file, reason }, { span: { file, start: 0, end: 0 } });
    return { diagnostics: [d], sources: new Map(), checked: undefined, partial: undefined };
  }
  const loaded = loadProgram(file, opts);
  if (hasErrors(loaded.diagnostics)) return { diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources, checked: undefined, partial: undefined };
  const result = checkProgram(loaded.program, loaded.sources);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]);
  return { diagnostics, sources: loaded.sources, checked: result.checked, partial: result.partial };
}

/** Checks source text directly (tests, the API, editors); `extends` reads through `opts.readFile` (none: no parent can be read). */
export function checkLanguageText(text: string, name = 'input.vae', opts: LoadOptions = {}): LanguageOutcome {
  return checkLanguage(name, { ...opts, ...textReader(text, name, opts.readFile) });
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
