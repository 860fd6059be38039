/**
 * How the CLI shows errors: a UserError (core/errors.ts) or a rendered diagnostic, and exit
 * code 1, never a stack trace. A file-system failure (errno) and running out of memory are the
 * user's environment and sizes, so they are shown as UserErrors too (VAE705, VAE701, VAE904).
 * Anything else is reported as an internal error without its stack (set VAE_DEBUG=1 to see it).
 */
import { isUserError, resourceError, UserError } from '../core/errors';

export { resourceError };
import { DiagnosticError } from '../dsl/diagnostics';
import { renderDiagnostics } from '../dsl/render-diagnostic';
import type { Source } from '../dsl/source';

/** The CLI's name for a UserError (a bad flag value): one error type for every layer. */
export const CliError = UserError;
export type CliError = UserError;

export type { Printer } from '../core/printer';

/** Why a system call failed, in words, and what to do: by errno code. */
const ERRNO: Readonly<Record<string, [string, string]>> = {
  ENOENT: ['no such file or directory', 'check the path'],
  ENOTDIR: ['part of the path is a file, not a directory', 'check the path: a file is in the way of a directory'],
  EEXIST: ['it already exists', 'choose another path, or remove it first'],
  EISDIR: ['it is a directory', 'name a file inside it'],
  ENOTEMPTY: ['the directory is not empty', 'choose another path, or empty it first'],
  EACCES: ['permission denied', 'check the permissions, or choose a location you can write to'],
  EPERM: ['operation not permitted', 'check the permissions, or choose a location you can write to'],
  EROFS: ['the file system is read-only', 'choose a writable location'],
  ENOSPC: ['no space left on the device', 'free some disk space, or choose another location'],
  EDQUOT: ['the disk quota is exceeded', 'free some space, or choose another location'],
  EMFILE: ['too many open files', 'close other programs, or raise the limit (ulimit -n)'],
  ENFILE: ['too many open files in the system', 'close other programs and try again'],
  ENAMETOOLONG: ['the name is too long', 'choose a shorter path'],
  ELOOP: ['too many symbolic links', 'check the symbolic links in the path'],
  EIO: ['an input/output error', 'the disk may be failing; check it and try again'],
  EBUSY: ['the resource is busy', 'close programs that use it and try again'],
  EXDEV: ['it is on another file system', 'choose a location on the same file system'],
};

const SYSCALL_VERB: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the directory',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list',
  stat: 'access',
  lstat: 'access',
  access: 'access',
  copyfile: 'copy',
  fsync: 'write',
  close: 'write',
};

/**
 * A failure of the file system (an errno error from node:fs) as a UserError: the user's
 * environment caused it (a path under a file, a read-only or full disk, permissions), so it is
 * never an internal error. Returns undefined for anything else.
 */
export function systemError(e: unknown): UserError | undefined {
  const any = e as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown } | null;
  if (!(e instanceof Error) || typeof any?.code !== 'string' || typeof any.syscall !== 'string') return undefined;
  const known = ERRNO[any.code];
  const [reason, hint] = known ?? [`a system error (${any.code})`, 'check the path and try again'];
  const verb = SYSCALL_VERB[any.syscall] ?? any.syscall;
  const where = typeof any.path === 'string' ? ` '${any.path}'${any.syscall === 'rename' && typeof any.dest === 'string' ? ` to '${any.dest}'` : ''}` : '';
  return new UserError(`cannot ${verb}${where}: ${reason}`, hint, any.code === 'ENOENT' && any.syscall !== 'mkdir' && any.syscall !== 'rename' ? 'VAE701' : 'VAE705');
}

export function formatCliError(e: unknown, sources: ReadonlyMap<string, Source> = new Map(), color = false): string {
  if (e instanceof DiagnosticError) return renderDiagnostics(e.diagnostics, e.sources ?? sources, { color });
  const withHint = (code: string, msg: string, hint?: string) => `error[${code}]: ${msg}${hint ? `\n  = hint: ${hint}` : ''}`;
  if (isUserError(e)) return withHint(e.code, e.message, e.hint);
  const known = systemError(e) ?? resourceError(e);
  if (known) return withHint(known.code, known.message, known.hint);
  const any = e as { message?: string };
  const msg = any?.message ? String(any.message).split('\n')[0] : String(e);
  return `internal error: ${msg}\n  = hint: this is a bug in vaelang; please report it with the command you ran${process.env['VAE_DEBUG'] ? `\n${(e as Error).stack ?? ''}` : ' (VAE_DEBUG=1 shows details)'}`;
}
