/**
 * How the CLI shows errors: a UserError (core/errors.ts) or a rendered diagnostic, and exit
 * code 1, never a stack trace. Anything else is reported as an internal error without its
 * stack (set VAE_DEBUG=1 to see it).
 */
import { isUserError, UserError } from '../core/errors';
import { DiagnosticError } from '../dsl/diagnostics';
import { renderDiagnostics } from '../dsl/render-diagnostic';
import type { Source } from '../dsl/source';

/** The CLI's name for a UserError (a bad flag value): one error type for every layer. */
export const CliError = UserError;
export type CliError = UserError;

export type { Printer } from '../core/printer';

export function formatCliError(e: unknown, sources: ReadonlyMap<string, Source> = new Map(), color = false): string {
  if (e instanceof DiagnosticError) return renderDiagnostics(e.diagnostics, e.sources ?? sources, { color });
  const withHint = (code: string, msg: string, hint?: string) => `error[${code}]: ${msg}${hint ? `\n  = hint: ${hint}` : ''}`;
  if (isUserError(e)) return withHint(e.code, e.message, e.hint);
  const any = e as { message?: string };
  const msg = any?.message ? String(any.message).split('\n')[0] : String(e);
  return `internal error: ${msg}\n  = hint: this is a bug in vaelang; please report it with the command you ran${process.env['VAE_DEBUG'] ? `\n${(e as Error).stack ?? ''}` : ' (VAE_DEBUG=1 shows details)'}`;
}
