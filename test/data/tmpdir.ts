// A per-file temporary directory for the data tests, removed after the file's tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

/** Creates a fresh temp dir (removed after all tests of the calling file) and returns a path joiner. */
export function useTempDir(prefix = 'vae-data-'): (...parts: string[]) => string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return (...parts: string[]) => path.join(dir, ...parts);
}

/** Runs `f` and returns the error it throws (failing the test when it does not throw). */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Awaits `p` and returns the error it rejects with. */
export async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, the promise resolved');
}
