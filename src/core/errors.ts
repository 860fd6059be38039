/**
 * Errors as data. A `UserError` is a failure the user can cause and fix: a stable code from
 * the catalog (dsl/diagnostics.ts: VAE7xx files and data, VAE9xx runtime, ...), a one-line
 * message that says what was expected and what was found, and at most one hint. Every layer
 * throws these; only the CLI turns them into text on a terminal (cli/errors.ts), and anything
 * that is not a UserError (or a DiagnosticError) is a bug, reported as an internal error.
 *
 * Subclasses (DataError, CheckpointError, BackendError) add fields for tools (the file and line
 * of a data problem) but never change how the message and hint are shown.
 */

/** A catalog code: `VAE` and three digits. */
export type ErrorCode = `VAE${number}`;

/**
 * What an error is about, as data (the expected and found values), for the errors whose message
 * and hint are rendered from it (src/dsl/problems/files.ts); discriminated by `kind`.
 */
export interface ErrorData {
  readonly kind: string;
}

/** A user-facing failure: code, message and hint, shown as `error[code]: message` + hint. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code: ErrorCode = 'VAE704',
    /** The problem as data, where the message was rendered from it. */
    readonly data?: ErrorData,
  ) {
    super(message);
  }

  /** The fields a tool needs, as plain JSON. */
  toJSON(): { code: ErrorCode; message: string; hint?: string; data?: ErrorData } {
    return { code: this.code, message: this.message, ...(this.hint !== undefined ? { hint: this.hint } : {}), ...(this.data !== undefined ? { data: this.data } : {}) };
  }
}

/** True for a UserError, also across module copies (bundles, workers): by shape, not by class. */
export function isUserError(e: unknown): e is UserError {
  if (e instanceof UserError) return true;
  const any = e as { message?: unknown; code?: unknown } | null;
  return typeof any === 'object' && any !== null && e instanceof Error && typeof any.code === 'string' && /^VAE\d{3}$/.test(any.code);
}

/**
 * Running out of memory (a typed array or buffer that cannot be allocated, the wasm heap that
 * cannot grow) as a UserError: the sizes the user chose caused it. Undefined for anything else.
 */
export function resourceError(e: unknown): UserError | undefined {
  const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  const oom = /Invalid typed array length|Array buffer allocation failed|Invalid array buffer length|Invalid array length|Cannot enlarge memory|Out of memory|\bOOM\b|^Aborted\(/i.test(msg);
  if (!oom) return undefined;
  return new UserError(
    'out of memory: a tensor or buffer could not be allocated',
    'use a smaller --batch, fewer --particles or --iwae samples, or --limit; `vae check` states the parameter count',
    'VAE904',
  );
}
