/**
 * Checking a sweep's cells before anything runs: every cell's program (its model file with the
 * sweep's `--set` fragments and the cell's grid fragments) must check, and every grid key must
 * apply to every model (`const Q=...` on a model without `const Q` is refused: it would add an
 * unused constant and silently change nothing). A diagnostic inside a grid fragment is shown
 * in the `--grid` text the user wrote (`--grid:1:7`), with a caret under the key or the value.
 */
import * as fs from 'node:fs';
import { DiagnosticError, problem, type Diagnostic } from '../dsl/diagnostics';
import { loadProgram } from '../dsl/load';
import { makeSource, type Source, type Span } from '../dsl/source';
import { suggest } from '../dsl/suggest';

const optionalSuggestion = (s: string | undefined): { suggestion?: string } => (s === undefined ? {} : { suggestion: s });
import { loadModels, type CompareModel } from '../compare';
import type { Axis, CellSpec } from './grid';

/** The source name of the i-th `--grid` (`--grid`, or `--grid#2` when there are several). */
export function gridSourceName(axes: readonly Axis[], i: number): string {
  return axes.length > 1 ? `--grid#${i + 1}` : '--grid';
}

function gridSources(axes: readonly Axis[]): Map<string, Source> {
  return new Map(axes.map((a, i) => [gridSourceName(axes, i), makeSource(gridSourceName(axes, i), a.arg)]));
}

/** Maps a span inside a cell's generated fragment back into its `--grid` argument. */
function mapSpan(span: Span, axis: Axis, frag: CellSpec['fragments'][number], name: string): Span {
  const { fragment: fv, arg: av, length } = frag.valueAt;
  if (av >= 0 && span.start >= fv && span.start <= fv + length) {
    const start = av + (span.start - fv);
    return { file: name, start, end: Math.min(av + length, Math.max(start + 1, av + (span.end - fv))) };
  }
  if (axis.kind === 'template') {
    // The template is the argument's prefix, so offsets before the value are the same.
    const hole = axis.template.indexOf('{}');
    if (span.start < hole) return { file: name, start: span.start, end: Math.min(span.end, hole) };
  }
  return { file: name, start: axis.nameAt, end: axis.nameAt + axis.name.length };
}

/**
 * Rewrites diagnostics that point into the cell's grid fragments (`--set#k` of the loader, k
 * counted after the sweep's own fragments) to point into the `--grid` texts.
 */
function remap(e: DiagnosticError, cell: CellSpec, axes: readonly Axis[], commonSets: number): DiagnosticError {
  const total = commonSets + cell.fragments.length;
  const setName = (k: number) => (total > 1 ? `--set#${k + 1}` : '--set');
  const byName = new Map(cell.fragments.map((f, j) => [setName(commonSets + j), f]));
  const fix = (span: Span): Span => {
    const f = byName.get(span.file);
    return f ? mapSpan(span, axes[f.axis]!, f, gridSourceName(axes, f.axis)) : span;
  };
  const ds: Diagnostic[] = e.diagnostics.map((d) => ({ ...d, primary: { ...d.primary, span: fix(d.primary.span) }, secondary: d.secondary.map((l) => ({ ...l, span: fix(l.span) })) }));
  const sources = new Map(e.sources ?? []);
  for (const [k, v] of gridSources(axes)) sources.set(k, v);
  // The rendered file name of a --set#k fragment the sweep's own --set flags gave stays as is.
  return new DiagnosticError(ds, sources);
}

/** Const names a model file declares (following `extends`). */
function declaredConsts(file: string): Set<string> {
  const loaded = loadProgram(file, { readFile: (p: string) => fs.readFileSync(p, 'utf8'), cwd: process.cwd() });
  return new Set(loaded.program.decls.flatMap((d) => (d.kind === 'const' ? [d.name.text] : [])));
}

/** Checks every cell; returns each cell's checked model (in cell order). */
export function checkCells(cells: readonly CellSpec[], axes: readonly Axis[], sets: readonly string[]): CompareModel[] {
  const consts = new Map<string, Set<string>>();
  for (const file of new Set(cells.map((c) => c.file))) {
    let names: Set<string>;
    try {
      names = declaredConsts(file);
    } catch {
      continue; // an unreadable file is reported by loadModels below, with its path
    }
    consts.set(file, names);
    for (const [i, a] of axes.entries()) {
      if (a.kind !== 'const' || names.has(a.name)) continue;
      const name = gridSourceName(axes, i);
      throw new DiagnosticError(
        [
          problem('VAE604', { kind: 'grid-const-not-declared', name: a.name, file, consts: [...names], ...optionalSuggestion(suggest(a.name, [...names])) }, { span: { file: name, start: a.nameAt, end: a.nameAt + a.name.length } }),
        ],
        gridSources(axes),
      );
    }
  }
  return cells.map((c) => {
    try {
      return loadModels([c.file], [...sets, ...c.fragments.map((f) => f.text)])[0]!;
    } catch (e) {
      if (e instanceof DiagnosticError) throw remap(e, c, axes, sets.length);
      throw e;
    }
  });
}
