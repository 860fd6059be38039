/** The command line of one task, as both executors run it: node bin/vae.js [flags] sweep-task DIR N. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from './manifest';

/** bin/vae.js of this installation. */
export const VAE_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'vae.js');

/** `index` is a number, or `$SLURM_ARRAY_TASK_ID` in the job script. */
export function taskCommand(m: Manifest, dir: string, index: string, node: string = process.execPath): string[] {
  return [node, VAE_BIN, ...m.vaeFlags, 'sweep-task', path.resolve(dir), index];
}

/** Quotes a word for bash (single quotes), leaving `$SLURM_ARRAY_TASK_ID` expandable. */
export function shellWord(w: string): string {
  if (w === '"$SLURM_ARRAY_TASK_ID"') return w;
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
