/**
 * Fault injection at the file-system boundary: every call of node:fs that changes the disk
 * (write, append, rename, mkdir, rm) goes through a hook while `intercept` is active. The hook
 * sees the operation before it runs, so a test can
 *  - copy the run directory at that instant: exactly what a SIGKILL just before the operation
 *    leaves on disk (a killed process runs no finally blocks, so this is the faithful model);
 *  - throw an errno error instead (EACCES, EROFS, ENOSPC, EIO): what root cannot provoke with
 *    chmod, simulated as the operating system would report it.
 * Works on the ESM namespace the sources import (`import * as fs from 'node:fs'`) through
 * syncBuiltinESMExports.
 */
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';

const cjs = createRequire(import.meta.url)('node:fs') as Record<string, (...a: unknown[]) => unknown>;

export type FsOp = 'writeFileSync' | 'appendFileSync' | 'renameSync' | 'mkdirSync' | 'rmSync';
export const MUTATING: readonly FsOp[] = ['writeFileSync', 'appendFileSync', 'renameSync', 'mkdirSync', 'rmSync'];

export interface FsCall {
  readonly op: FsOp;
  readonly path: string;
  readonly args: readonly unknown[];
}

/** Runs `body` with `hook` called before every mutating fs call under `root`; restores fs after. */
export async function intercept<T>(root: string, hook: (call: FsCall) => void, body: () => Promise<T>): Promise<T> {
  const saved = new Map<FsOp, (...a: unknown[]) => unknown>();
  const abs = path.resolve(root);
  for (const op of MUTATING) {
    const orig = cjs[op]!;
    saved.set(op, orig);
    cjs[op] = function (this: unknown, ...args: unknown[]) {
      const p = typeof args[0] === 'string' ? path.resolve(args[0]) : '';
      if (p.startsWith(abs)) hook({ op, path: p, args });
      return orig.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  try {
    return await body();
  } finally {
    for (const [op, orig] of saved) cjs[op] = orig;
    syncBuiltinESMExports();
  }
}

/** An errno error as node:fs throws it. */
export function errnoError(code: string, call: FsCall): Error {
  const syscall = call.op === 'writeFileSync' || call.op === 'appendFileSync' ? 'open' : call.op === 'renameSync' ? 'rename' : call.op === 'mkdirSync' ? 'mkdir' : 'rm';
  return Object.assign(new Error(`${code}: simulated, ${syscall} '${call.path}'`), { code, errno: -1, syscall, path: call.path });
}

/** Copies a directory tree (the originals of fs, never intercepted). */
export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
