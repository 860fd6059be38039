/**
 * Errors the CLI knows how to show: one line (or a rendered diagnostic) and exit code 1,
 * never a stack trace. Anything else is reported as an internal error without its stack
 * (set VAE_DEBUG=1 to see it).
 */
import { BackendError } from '../backend';
import { DiagnosticError } from '../dsl/diagnostics';
import { renderDiagnostics } from '../dsl/render-diagnostic';
import type { Source } from '../dsl/source';

/** A user-facing error: a message, an optional hint, and exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code = 'VAE704',
  ) {
    super(message);
  }
}

export interface Printer {
  out(s: string): void;
  err(s: string): void;
  readonly color: boolean;
}

export function formatCliError(e: unknown, sources: ReadonlyMap<string, Source> = new Map(), color = false): string {
  if (e instanceof DiagnosticError) return renderDiagnostics(e.diagnostics, e.sources ?? sources, { color });
  const withHint = (code: string, msg: string, hint?: string) => `error[${code}]: ${msg}${hint ? `\n  = hint: ${hint}` : ''}`;
  if (e instanceof CliError) return withHint(e.code, e.message, e.hint);
  if (e instanceof BackendError) return withHint('VAE704', e.message);
  const any = e as { name?: string; message?: string; hint?: string; code?: string };
  if (any && typeof any.message === 'string' && (any.name === 'DataError' || any.name === 'CheckpointError')) {
    return withHint(any.code ?? (any.name === 'CheckpointError' ? 'VAE703' : 'VAE702'), any.message, any.hint);
  }
  const msg = any?.message ? String(any.message).split('\n')[0] : String(e);
  return `internal error: ${msg}\n  = hint: this is a bug in vaelang; please report it with the command you ran${process.env['VAE_DEBUG'] ? `\n${(e as Error).stack ?? ''}` : ' (VAE_DEBUG=1 shows details)'}`;
}
