/**
 * Loading a program: read and parse a file, follow `extends "parent.vae"` (relative to the
 * file), apply the child's declarations and site overrides to the parent with immer, then apply
 * `--set` fragments the same way. The result is a new Program that goes through the full
 * checker again. Cycles, missing parents and overrides of unknown sites are diagnostics.
 *
 * Merge rules (documented in docs/language.md): a child's const/data/param/net replaces the
 * parent's declaration of the same name; a child's `model { }` or `guide { }` replaces the whole
 * block; `model.z ~ D` replaces one site (keeping its declared type unless the override gives
 * one); a child's `train { }` entries win over the parent's.
 */
import { produce, castDraft } from 'immer';
import * as path from '../core/posix-path';
import type * as A from './ast';
import { diag, type Diagnostic } from './diagnostics';
import { parseSource } from './parse';
import { makeSource, type Source } from './source';
import { didYouMean } from './suggest';

export interface LoadOptions {
  /** `--set` fragments, applied in order after the file itself. */
  readonly sets?: readonly string[];
  /** Reads a file by absolute path (the Node entry reads the disk; a browser serves files from memory). */
  readonly readFile?: (absPath: string) => string;
  /** Base directory for display paths and relative file names (the Node entry: the current directory). */
  readonly cwd?: string;
}

/** Load options with the reader and the base directory given (the loader itself touches no file system). */
export type LoaderOptions = LoadOptions & { readonly readFile: (absPath: string) => string; readonly cwd: string };

export interface LoadedProgram {
  readonly program: A.Program;
  readonly sources: Map<string, Source>;
  readonly diagnostics: Diagnostic[];
}

function declName(d: A.Decl): string | undefined {
  return d.kind === 'const' || d.kind === 'data' || d.kind === 'param' || d.kind === 'net' ? d.name.text : undefined;
}

/** Applies a child's declarations to a parent program (immer: the parent is never mutated). */
export function mergeChild(parent: A.Program, childDecls: readonly A.Decl[], diagnostics: Diagnostic[]): A.Program {
  return produce(parent, (draft) => {
    for (const d of childDecls) {
      if (d.kind === 'extends') continue;
      const name = declName(d);
      if (name !== undefined) {
        const i = draft.decls.findIndex((p) => declName(p as A.Decl) === name);
        if (i >= 0) draft.decls[i] = castDraft(d);
        else draft.decls.push(castDraft(d));
        continue;
      }
      if (d.kind === 'block') {
        const i = draft.decls.findIndex((p) => p.kind === 'block' && p.block === d.block);
        if (i >= 0) draft.decls[i] = castDraft(d);
        else draft.decls.push(castDraft(d));
        continue;
      }
      if (d.kind === 'train') {
        draft.decls.push(castDraft(d));
        continue;
      }
      if (d.kind === 'override') {
        const block = draft.decls.find((p) => p.kind === 'block' && p.block === d.block);
        const stmts = block?.kind === 'block' ? (block.stmts as A.Stmt[]) : undefined;
        const i = stmts?.findIndex((s) => s.kind === 'site' && s.name.text === d.site.name.text) ?? -1;
        if (!stmts || i < 0) {
          const names = stmts?.filter((s) => s.kind === 'site').map((s) => s.name.text) ?? [];
          diagnostics.push(
            diag('VAE604', `\`${d.block}.${d.site.name.text}\` does not exist in the program being extended`, { span: d.site.name.span }, {
              hint: didYouMean(d.site.name.text, names) ?? (names.length ? `the ${d.block}'s sites are: ${names.join(', ')}` : `the extended program has no ${d.block} block`),
            }),
          );
          continue;
        }
        const old = stmts[i] as A.SiteStmt;
        const site: A.SiteStmt = d.site.type === null && old.type !== null ? { ...d.site, type: old.type } : d.site;
        stmts[i] = castDraft(site);
      }
    }
  });
}

export function loadProgram(file: string, opts: LoaderOptions): LoadedProgram {
  const read = opts.readFile;
  const cwd = opts.cwd;
  const sources = new Map<string, Source>();
  const diagnostics: Diagnostic[] = [];
  const display = (abs: string) => {
    const rel = path.relative(cwd, abs);
    return rel === '' || rel.startsWith('..') ? abs : rel;
  };

  const loadOne = (abs: string, chain: string[]): A.Program | undefined => {
    const shown = display(abs);
    const src = makeSource(shown, read(abs));
    sources.set(shown, src);
    const parsed = parseSource(src);
    diagnostics.push(...parsed.diagnostics);
    const ext = parsed.program.decls.filter((d): d is A.ExtendsDecl => d.kind === 'extends');
    for (const extra of ext.slice(1)) {
      diagnostics.push(diag('VAE603', 'a file can extend only one other file', { span: extra.span }, { secondary: [{ span: ext[0]!.span, message: 'the first `extends`' }], hint: 'remove one `extends`; to combine two files, let one of them extend the other' }));
    }
    const e = ext[0];
    if (!e) return parsed.program;
    // An unterminated path string is already reported (VAE102); following it would add a
    // second error for the same mistake.
    if (parsed.diagnostics.some((d) => d.code === 'VAE102' && d.primary.span.start === e.pathSpan.start)) return parsed.program;
    const parentAbs = path.resolve(path.dirname(abs), e.path);
    if (chain.includes(parentAbs)) {
      const cycle = [...chain.slice(chain.indexOf(parentAbs)), parentAbs].map((p) => path.basename(p)).join(' -> ');
      diagnostics.push(diag('VAE603', `\`extends\` forms a cycle: ${cycle}`, { span: e.pathSpan }, { hint: 'a file cannot extend itself, directly or through others' }));
      return parsed.program;
    }
    let parent: A.Program | undefined;
    try {
      parent = loadOne(parentAbs, [...chain, parentAbs]);
    } catch {
      diagnostics.push(diag('VAE605', `cannot read \`${e.path}\``, { span: e.pathSpan }, { hint: `the path is relative to this file; looked for ${display(parentAbs)}` }));
      return { file: shown, decls: parsed.program.decls.filter((d) => d.kind !== 'override' && d.kind !== 'extends') };
    }
    if (!parent) return parsed.program;
    return { ...mergeChild(parent, parsed.program.decls, diagnostics), file: shown };
  };

  const rootAbs = path.resolve(cwd, file);
  let program = loadOne(rootAbs, [rootAbs]) ?? { file: display(rootAbs), decls: [] };
  (opts.sets ?? []).forEach((text, i) => {
    const name = (opts.sets?.length ?? 0) > 1 ? `--set#${i + 1}` : '--set';
    const src = makeSource(name, text);
    sources.set(name, src);
    const parsed = parseSource(src);
    diagnostics.push(...parsed.diagnostics);
    for (const e of parsed.program.decls) {
      if (e.kind !== 'extends') continue;
      diagnostics.push(
        diag('VAE610', '`extends` cannot be given with --set', { span: e.span }, { hint: `write a file that starts with \`extends "${e.path}"\` and check or train that file` }),
      );
    }
    program = mergeChild(program, parsed.program.decls, diagnostics);
  });
  return { program, sources, diagnostics };
}
