// What the sweep end-to-end tests share: the tiny 2×2 grid with 2 seeds (PPCA and its Laplace-
// prior variant × const K = 1, 2 on linear-gaussian, 5 steps, 100 test examples, IWAE-10), and
// waiting on sweep.json while a sweep runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../../src/sweep/manifest';

export const SWEEP = [
  'models/ppca.vae',
  'test/compare/fixtures/ppca-laplace.vae',
  '--grid',
  'const K=1,2',
  '--seeds',
  '2',
  '--steps',
  '5',
  '--limit',
  '500',
  '--eval-limit',
  '100',
  '--iwae',
  '10',
  '--no-figures',
];

/** Child processes on a loaded 2-core machine: minutes, not the suite's default 2. */
export const E2E_TIMEOUT = 900_000;

export const LABELS = ['ppca const K=1', 'ppca const K=2', 'ppca-laplace const K=1', 'ppca-laplace const K=2'];

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function manifestOf(dir: string): Manifest | null {
  try {
    return readJson<Manifest>(path.join(dir, 'sweep.json'));
  } catch {
    return null; // not written yet (or being replaced)
  }
}

/** Polls sweep.json until `pick` returns a value (or fails after `seconds`). */
export async function waitFor<T>(dir: string, pick: (m: Manifest) => T | undefined | null, seconds = 300): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const m = manifestOf(dir);
    const v = m ? pick(m) : undefined;
    if (v !== undefined && v !== null) return v;
    if (Date.now() - t0 > seconds * 1000) throw new Error(`timed out waiting on ${dir}/sweep.json`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A results table without its last column (seconds per epoch differ from run to run). */
export function withoutTiming(table: string): string {
  return table
    .split('\n')
    .map((l) => l.replace(/\|[^|]*\|$/, '|'))
    .join('\n');
}
