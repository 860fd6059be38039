/**
 * Atomic writes (Node only): a reader never sees a half-written file or directory, and an
 * interrupted write leaves the old one (or none) in place.
 *
 * Contract. `writeFileAtomic` writes a temporary sibling (same directory, hence the same file
 * system), then renames it over the target; parent directories are created. `replaceDirAtomic`
 * fills a fresh temporary sibling directory, then swaps it in: the old directory is renamed
 * aside, the new one renamed into place, and the old one removed. On failure the temporaries are
 * removed and the original error is rethrown unchanged (callers turn it into a UserError that
 * names the file, e.g. data/files.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary sibling name for an atomic write of `file`: `.name.<pid>.<random>.tmp`. */
export function tempPathFor(file: string): string {
  const rand = randomBytes(6).toString('hex');
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${rand}.tmp`);
}

function removeQuietly(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // nothing else to clean up
  }
}

/** Writes `data` to `file` atomically (temporary file + rename), creating parent directories. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(file);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
}

/**
 * Replaces the directory `dir` with one holding exactly `files` (name -> contents), atomically
 * as far as the file system allows: either the old directory or the complete new one is there,
 * except after a crash between the two renames, when only `<dir>.old-<pid>` holds the old one
 * (readers may look for it: see train/checkpoint.ts).
 */
export function replaceDirAtomic(dir: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    removeQuietly(tmp);
    fs.mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), data);
    const existed = fs.existsSync(dir);
    if (existed) fs.renameSync(dir, old);
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      if (existed) fs.renameSync(old, dir);
      throw err;
    }
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
  removeQuietly(old);
}
