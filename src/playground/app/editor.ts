/**
 * The editor: CodeMirror 6 with `.vae` highlighting, and the checker as its linter. Each
 * diagnostic marks its exact span (the checker's offsets) with the VAE code, the message and
 * the hint; a diagnostic in another file (the zoo model an `extends` names) is shown at the
 * start of the document with that file's name. After each check, `onChecked` receives the
 * outcome (the plan table and the diagnostics list read it).
 */
import { basicSetup, EditorView } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import type { CheckOutcome } from '../../checking';
import { lineCol } from '../../dsl/source';
import { vaeLanguage } from './language';

const style = HighlightStyle.define([
  { tag: t.comment, color: '#6a737d', fontStyle: 'italic' },
  { tag: t.keyword, color: '#d73a49', fontWeight: 'bold' },
  { tag: t.typeName, color: '#6f42c1' },
  { tag: t.constant(t.variableName), color: '#005cc5' },
  { tag: t.number, color: '#005cc5' },
  { tag: t.string, color: '#032f62' },
  { tag: t.meta, color: '#e36209' },
  { tag: t.function(t.variableName), color: '#22863a' },
  { tag: t.operator, color: '#d73a49' },
]);

export interface EditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** Checks the text (the page's checkProgram with the current file name and zoo). */
  readonly check: (text: string) => CheckOutcome;
  readonly onChecked: (r: CheckOutcome, text: string) => void;
  readonly onChange?: (text: string) => void;
}

export function lintDiagnostics(r: CheckOutcome, text: string, root: string): CmDiagnostic[] {
  return r.diagnostics.map((d) => {
    const own = d.primary.span.file === root;
    const from = own ? Math.min(d.primary.span.start, text.length) : 0;
    const to = own ? Math.min(Math.max(d.primary.span.end, from), text.length) : 0;
    let where = '';
    if (!own) {
      const src = r.sources.get(d.primary.span.file);
      const lc = src ? lineCol(src, d.primary.span.start) : undefined;
      where = ` (in ${d.primary.span.file}${lc ? `:${lc.line}:${lc.column}` : ''})`;
    }
    return { from, to, severity: d.severity, source: d.code, message: `${d.code}: ${d.message}${where}${d.hint ? `\nhint: ${d.hint}` : ''}` };
  });
}

export function createEditor(o: EditorOptions & { root: () => string }): EditorView {
  const vaeLinter = linter(
    (view) => {
      const text = view.state.doc.toString();
      let r: CheckOutcome;
      try {
        r = o.check(text);
      } catch (e) {
        // The checker never throws for bad input; if it does, the page shows it and goes on.
        return [{ from: 0, to: 0, severity: 'error', message: `internal error in the checker: ${e instanceof Error ? e.message : String(e)}` }];
      }
      o.onChecked(r, text);
      return lintDiagnostics(r, text, o.root());
    },
    { delay: 250 },
  );
  return new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        basicSetup,
        vaeLanguage,
        syntaxHighlighting(style),
        lintGutter(),
        vaeLinter,
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });
}
