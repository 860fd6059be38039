/**
 * Renders a Diagnostic as text, in the `file:line:col: error[CODE]: message` form that tsc,
 * gcc and editors understand, followed by the source line with a caret underline of the whole
 * span, any second location, and one hint line. Pure: colour only when asked (TTY).
 */
import { CODES, type Diagnostic, type Label, type ProblemData } from './diagnostics';
import { lineCol, lineText, type Source, type SourceSet, type Span } from './source';

export interface RenderOptions {
  readonly color?: boolean;
}

const ESC = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
};

function paint(on: boolean, code: string, s: string): string {
  return on ? `${code}${s}${ESC.reset}` : s;
}

/** `path:line:col` of a span start (1-based). */
export function location(src: Source | undefined, span: Span): string {
  if (!src) return span.file;
  const lc = lineCol(src, span.start);
  return `${span.file}:${lc.line}:${lc.column}`;
}

function expandTabs(s: string): string {
  return s.replace(/\t/g, '    ');
}

/** Lines longer than this are shown as a window around the span, with `...` at the cut ends. */
const MAX_SHOWN = 120;

/** The source line under a label, with carets under the span (first line of a multi-line span). */
function snippet(src: Source, label: Label, color: boolean, caretColor: string): string[] {
  const start = lineCol(src, label.span.start);
  const end = lineCol(src, Math.max(label.span.start, label.span.end));
  const text = lineText(src, start.line);
  const gutter = String(start.line);
  const pad = ' '.repeat(gutter.length);
  let shown = expandTabs(text);
  let before = expandTabs(text.slice(0, start.column - 1)).length;
  const lastCol = end.line === start.line ? end.column : text.length + 1;
  let width = Math.max(1, expandTabs(text.slice(start.column - 1, lastCol - 1)).length);
  let more = end.line > start.line;
  if (shown.length > MAX_SHOWN) {
    // A window of MAX_SHOWN columns that starts a little before the span.
    const from = Math.max(0, Math.min(before - 20, shown.length - MAX_SHOWN));
    const to = Math.min(shown.length, from + MAX_SHOWN);
    const lead = from > 0 ? '...' : '';
    shown = `${lead}${shown.slice(from, to)}${to < shown.length ? '...' : ''}`;
    before = before - from + lead.length;
    if (before + width > lead.length + (to - from)) {
      width = Math.max(1, lead.length + (to - from) - before);
      more = true;
    }
  }
  const carets = '^'.repeat(width) + (more ? '...' : '');
  const msg = label.message ? ` ${label.message}` : '';
  return [
    `${pad} ${paint(color, ESC.dim, '|')}`,
    `${gutter} ${paint(color, ESC.dim, '|')} ${shown}`,
    `${pad} ${paint(color, ESC.dim, '|')} ${' '.repeat(before)}${paint(color, caretColor, carets + msg)}`,
  ];
}

export function renderDiagnostic(d: Diagnostic, sources: SourceSet, opts: RenderOptions = {}): string {
  const color = opts.color ?? false;
  const src = sources.get(d.primary.span.file);
  const sevColor = d.severity === 'error' ? ESC.red : ESC.yellow;
  const head = `${location(src, d.primary.span)}: ${paint(color, ESC.bold + sevColor, `${d.severity}[${d.code}]`)}: ${paint(color, ESC.bold, d.message)}`;
  const lines = [head];
  if (src) lines.push(...snippet(src, d.primary, color, sevColor));
  for (const s of d.secondary) {
    const ssrc = sources.get(s.span.file);
    lines.push(`${location(ssrc, s.span)}: ${paint(color, ESC.cyan, 'note')}: ${s.message ?? 'related location'}`);
    if (ssrc) lines.push(...snippet(ssrc, { span: s.span }, color, ESC.cyan));
  }
  if (d.hint) lines.push(`  = ${paint(color, ESC.cyan, 'hint')}: ${d.hint}`);
  return lines.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources: SourceSet, opts: RenderOptions = {}): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const body = ds.map((d) => renderDiagnostic(d, sources, opts)).join('\n\n');
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return ds.length === 0 ? '' : `${body}\n\n${parts.join(', ')}`;
}

/** The JSON form used by `vae check --json`. */
export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  title: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint: string | null;
  /** The structured fields (expected and found values), for the codes that have them. */
  data?: ProblemData;
}

export function diagnosticToJson(d: Diagnostic, sources: SourceSet): JsonDiagnostic {
  const src = sources.get(d.primary.span.file);
  const s = src ? lineCol(src, d.primary.span.start) : { line: 1, column: 1 };
  const e = src ? lineCol(src, d.primary.span.end) : s;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    title: CODES[d.code].title,
    file: d.primary.span.file,
    line: s.line,
    column: s.column,
    endLine: e.line,
    endColumn: e.column,
    hint: d.hint ?? null,
    ...(d.data ? { data: d.data } : {}),
  };
}
