/**
 * Loading a program: read and parse a file, follow `extends "parent.vae"` (relative to the
 * file), apply the child's declarations and site overrides to the parent with immer, then apply
 * `--set` fragments the same way. The result is a new Program that goes through the full
 * checker again. Cycles, missing parents and overrides of unknown sites are diagnostics.
 *
 * Merge rules (documented in docs/language.md): a child's const/data/param/net replaces the
 * parent's declaration of the same name; a child's `model { }` or `guide { }` replaces the whole
 * block; `model.z ~ D` replaces one site (keeping its declared type unless the override gives
 * one), and `model.z[t] ~ D` one statement of a stepped site, found inside its `for` loop by the
 * index as written; a child's `train { }` entries win over the parent's.
 */
import { produce, castDraft } from 'immer';
import * as path from '../core/posix-path';
import type * as A from './ast';
import { problem, type Diagnostic } from './diagnostics';
import type { StatementData } from './problems/train';
import { parseSource } from './parse';
import { makeSource, type Source } from './source';
import { suggest } from './suggest';
import { formatIndex } from './unroll';

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

/** A site statement of a block, wherever it is (top level or inside `for` loops). */
interface SiteRef {
  /** The array that holds it (a draft: replacing `stmts[i]` replaces the statement). */
  readonly stmts: A.Stmt[];
  readonly i: number;
  readonly site: A.SiteStmt;
  /** The innermost loop around it, or null at the top level. */
  readonly loop: A.ForStmt | null;
}

/** The site statements named `name` (every one for null), in source order. */
function siteRefs(stmts: A.Stmt[], name: string | null, loop: A.ForStmt | null = null): SiteRef[] {
  const out: SiteRef[] = [];
  stmts.forEach((s, i) => {
    if (s.kind === 'site' && (name === null || s.name.text === name)) out.push({ stmts, i, site: s, loop });
    else if (s.kind === 'for') out.push(...siteRefs(s.body as A.Stmt[], name, s));
  });
  return out;
}

/** `z[0]`, or `z[t] (in for t in 1..T)`. */
function statementData(r: SiteRef): StatementData {
  return { site: r.site.name.text, index: r.site.index ? formatIndex(r.site.index) : null, loop: r.loop ? { variable: r.loop.variable.text, from: formatIndex(r.loop.from), to: formatIndex(r.loop.to) } : null };
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
        const refs = stmts ? siteRefs(stmts, d.site.name.text) : [];
        const written = `${d.block}.${d.site.name.text}${d.site.index ? `[${formatIndex(d.site.index)}]` : ''}`;
        if (!stmts || refs.length === 0) {
          const names = stmts ? [...new Set(siteRefs(stmts, null).map((r) => r.site.name.text))] : [];
          const suggestion = suggest(d.site.name.text, names);
          diagnostics.push(problem('VAE604', { kind: 'override-unknown-site', written, block: d.block, sites: stmts ? names : null, ...(suggestion !== undefined ? { suggestion } : {}) }, { span: d.site.name.span }));
          continue;
        }
        // A stepped site (`z[0] ~ ...` and `z[t] ~ ...` in a loop) has one statement per way its
        // steps are written; the override names one of them by its index as written.
        const matches = d.site.index ? refs.filter((r) => r.site.index && formatIndex(r.site.index) === formatIndex(d.site.index!)) : refs;
        if (matches.length === 0) {
          diagnostics.push(problem('VAE604', { kind: 'override-no-statement', written, site: d.site.name.text, statements: refs.map(statementData) }, { span: d.site.index?.span ?? d.site.name.span }));
          continue;
        }
        if (matches.length > 1) {
          const example = d.site.index || !matches[0]!.site.index ? null : formatIndex(matches[0]!.site.index);
          diagnostics.push(problem('VAE611', { kind: 'override-ambiguous', written, block: d.block, site: d.site.name.text, statements: matches.map(statementData), example }, { span: d.site.name.span }));
          continue;
        }
        const { stmts: home, i, site: old } = matches[0]!;
        // The override takes the statement's place (inside its loop, so it reads the loop's
        // variable and lets), keeping the declared type and the step index unless it gives them.
        const index = d.site.index ?? old.index;
        const site: A.SiteStmt = { ...d.site, type: d.site.type ?? old.type, ...(index ? { index } : {}) };
        home[i] = castDraft(site);
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
      diagnostics.push(problem('VAE603', { kind: 'extends-twice' }, { span: extra.span }, { secondary: [{ span: ext[0]!.span, message: 'the first `extends`' }] }));
    }
    const e = ext[0];
    if (!e) return parsed.program;
    // An unterminated path string is already reported (VAE102); following it would add a
    // second error for the same mistake.
    if (parsed.diagnostics.some((d) => d.code === 'VAE102' && d.primary.span.start === e.pathSpan.start)) return parsed.program;
    const parentAbs = path.resolve(path.dirname(abs), e.path);
    if (chain.includes(parentAbs)) {
      const files = [...chain.slice(chain.indexOf(parentAbs)), parentAbs].map((p) => path.basename(p));
      diagnostics.push(problem('VAE603', { kind: 'extends-cycle', files }, { span: e.pathSpan }));
      return parsed.program;
    }
    let parent: A.Program | undefined;
    try {
      parent = loadOne(parentAbs, [...chain, parentAbs]);
    } catch {
      diagnostics.push(problem('VAE605', { kind: 'extends-not-found', path: e.path, looked: display(parentAbs) }, { span: e.pathSpan }));
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
      diagnostics.push(problem('VAE610', { kind: 'extends-in-set', path: e.path }, { span: e.span }));
    }
    program = mergeChild(program, parsed.program.decls, diagnostics);
  });
  return { program, sources, diagnostics };
}
