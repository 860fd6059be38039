/**
 * Source text and spans. A span is a pair of offsets into one file; line and column are
 * computed only when a diagnostic is rendered (1-based, columns count UTF-16 units).
 */
export interface Span {
  readonly file: string;
  readonly start: number;
  /** Exclusive end offset. */
  readonly end: number;
}

export interface Source {
  readonly path: string;
  readonly text: string;
  readonly lineStarts: readonly number[];
}

/** A source; a leading byte-order mark (U+FEFF) is dropped, so columns match what editors show. */
export function makeSource(path: string, raw: string): Source {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return { path, text, lineStarts };
}

export interface LineCol {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of an offset. */
export function lineCol(src: Source, offset: number): LineCol {
  const starts = src.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** The text of line `line` (1-based), without its newline. */
export function lineText(src: Source, line: number): string {
  const start = src.lineStarts[line - 1] ?? src.text.length;
  const next = src.lineStarts[line];
  const end = next === undefined ? src.text.length : next - 1;
  return src.text.slice(start, end).replace(/\r$/, '');
}

export function spanText(src: Source, span: Span): string {
  return src.text.slice(span.start, span.end);
}

export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** All sources a diagnostic may point into, keyed by path (the root file and what it extends). */
export type SourceSet = ReadonlyMap<string, Source>;
