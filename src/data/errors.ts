/**
 * DataError: the one error type of the data layer.
 *
 * Contract. Every failure a user can cause (a missing file, a malformed header, a value outside
 * the declared kind, a network failure) surfaces as a DataError whose `message` is a single line
 * that names the file, says what was expected and what was found. It never embeds the text of a
 * lower-level exception; `hint` carries the suggested fix, and `file`/`line`/`column` locate the
 * problem for tools (editors, the CLI's error printer).
 */

import { UserError } from '../core/errors';
import { renderProblem, type FileProblem } from '../dsl/problems/index';

/** Where a DataError points and what to do about it. */
export interface DataErrorInfo {
  /** A suggested fix, shown on its own line after the message. */
  readonly hint?: string;
  /** The file at fault, as the user named it. */
  readonly file?: string;
  /** A 1-based line number in a text file (CSV). */
  readonly line?: number;
  /** A 1-based column (field) number within `line`. */
  readonly column?: number;
  /** The problem as data, when the message was rendered from it (src/dsl/problems/files.ts). */
  readonly data?: FileProblem;
}

/** A user-facing data problem; see the module comment for the message conventions. */
export class DataError extends UserError {
  override readonly name = 'DataError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, info: DataErrorInfo = {}) {
    super(message.replace(/\s*\n\s*/g, ' '), info.hint, 'VAE702', info.data);
    if (info.file !== undefined) this.file = info.file;
    if (info.line !== undefined) this.line = info.line;
    if (info.column !== undefined) this.column = info.column;
  }

  /** A data error built from its data: message and hint rendered by problems/files.ts; file, line and column taken from it. */
  static of(data: FileProblem & { readonly file: string; readonly line?: number; readonly column?: number }): DataError {
    const r = renderProblem(data);
    const at = { ...(data.line !== undefined ? { line: data.line } : {}), ...(data.column !== undefined ? { column: data.column } : {}) };
    return new DataError(r.message, { ...(r.hint !== undefined ? { hint: r.hint } : {}), file: data.file, ...at, data });
  }

  /** The message plus the hint, as the CLI prints it. */
  format(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  hint: ${this.hint}`;
  }
}

/** Quotes a file name the way messages show it: `'images.npy'`. */
export function q(file: string): string {
  return `'${file}'`;
}

/**
 * Turns a Node file-system error into a DataError for `verb`ing `file`, e.g.
 * "cannot read 'foo.npy': no such file". Non-fs errors are reported by their code only.
 */
export function fsError(err: unknown, file: string, verb: 'read' | 'write' = 'read'): DataError {
  const errno = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const data: FileProblem = { kind: 'data-file-system', file, verb, errno, cwd: process.cwd() };
  const r = renderProblem(data);
  return new DataError(r.message, { ...(r.hint !== undefined ? { hint: r.hint } : {}), file, data });
}
