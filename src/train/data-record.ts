/**
 * How a run remembers its data: a data set name as it is; files as absolute paths with the
 * SHA-256 of each, so `vae eval`, `vae sample` and `--resume` work from any directory and notice
 * a file that changed or disappeared since training (a DataError, VAE702, instead of silently
 * using other data).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDatasetName } from '../data/datasets';
import { DataError } from '../data/errors';
import { UserError } from '../core/errors';
import { sha256 } from './checkpoint-schema';

export interface DataRecord {
  readonly source: string;
  readonly hashes?: Readonly<Record<string, string>>;
}

/** The files a --data value names (`FILE` or `x=FILE,y=FILE`), or none for a data set name. */
function filesOf(source: string): { files: string[]; rebuild: (abs: (f: string) => string) => string } {
  if (source.includes('=')) {
    const parts = source.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    });
    return { files: parts.map(([, f]) => f), rebuild: (abs) => parts.map(([n, f]) => `${n}=${abs(f)}`).join(',') };
  }
  if (isDatasetName(source)) return { files: [], rebuild: () => source };
  return { files: [source], rebuild: (abs) => abs(source) };
}

function hashFile(file: string): string {
  return sha256(new Uint8Array(fs.readFileSync(file)));
}

/** The record of a data source that was just read successfully (files exist). */
export function recordData(source: string): DataRecord {
  const { files, rebuild } = filesOf(source);
  if (files.length === 0) return { source };
  const hashes: Record<string, string> = {};
  for (const f of files) hashes[path.resolve(f)] = hashFile(f);
  return { source: rebuild((f) => path.resolve(f)), hashes };
}

/**
 * The source of a run's data for `purpose`, after checking that each file still has the hash
 * it had when the run was trained. Runs written before hashes were stored are used as they are.
 */
export function storedData(data: DataRecord, purpose: 'resume' | 'evaluate'): string {
  for (const [file, hash] of Object.entries(data.hashes ?? {})) {
    const hint = purpose === 'resume' ? 'resuming on other data would make it a different run: restore the file, or start a new run' : `restore the file, or evaluate on the file as it is now with --data ${file}`;
    if (!fs.existsSync(file)) throw new DataError(`the run's data file '${file}' no longer exists`, { file, hint });
    let now: string;
    try {
      now = hashFile(file);
    } catch {
      throw new DataError(`the run's data file '${file}' cannot be read`, { file, hint });
    }
    if (now !== hash) throw new DataError(`the run's data file '${file}' changed since the run was trained (its SHA-256 differs)`, { file, hint });
  }
  return data.source;
}

/**
 * `--resume --data X`: the same data under another path (a moved file, by its SHA-256; the same
 * data set name) is fine and returns its record; other data would make the resumed run a
 * different run and is refused (VAE704).
 */
export function sameData(stored: DataRecord, given: string): DataRecord {
  const now = recordData(given);
  const hashes = (r: DataRecord) => Object.values(r.hashes ?? {}).sort().join(',');
  const same = stored.hashes === undefined ? now.source === stored.source || path.resolve(given) === path.resolve(stored.source) : now.hashes !== undefined && hashes(now) === hashes(stored);
  if (!same) {
    throw new UserError(`--data ${given} is not the data the run was trained on (${stored.source})`, 'a resumed run keeps its data: leave out --data, or give the same file where it is now; start a new run to train on other data');
  }
  return now.hashes !== undefined ? now : stored;
}
