// A tiny training run for the reliability tests: a 32-parameter linear VAE on 40 rows of a
// seeded CSV, 5 steps per epoch; an epoch takes a few tens of milliseconds.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Printer } from '../../src/cli/errors';

export const TINY_VAE = `data x: Real[4]
net decoder: Real[2] -> Real[4] = linear()
net encoder: Real[4] -> (loc: Real[2], scale: Positive[2]) = linear()
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Normal(decoder(z), 1)
}
guide {
  let q = encoder(x)
  z ~ Normal(q.loc, q.scale)
}
train {
  optimizer: adam(lr: 1e-2)
  batch: 8
  epochs: 2
}
`;

/** A seeded CSV of `rows` rows of 4 columns (a 32-bit LCG, values in [-2, 2]). */
export function tinyCsv(rows: number, seed = 7): string {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ['a,b,c,d'];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: 4 }, () => (4 * u() - 2).toFixed(3)).join(','));
  return `${lines.join('\n')}\n`;
}

/** A temporary directory holding tiny.vae and x.csv (40 rows). */
export function tinyWorkspace(prefix: string): { tmp: string; file: string; csv: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(tmp, 'tiny.vae');
  const csv = path.join(tmp, 'x.csv');
  fs.writeFileSync(file, TINY_VAE);
  fs.writeFileSync(csv, tinyCsv(40));
  return { tmp, file, csv };
}

export const silent: Printer = { out() {}, err() {}, color: false };

/** The lines of a run's metrics.jsonl. */
export function metricsLines(dir: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What must agree between two runs: kind, step and the learning quantities (not timings). */
export function metricsKey(l: Record<string, unknown>): string {
  const { kind, step, epoch, loss, elbo, kl, trainElbo, validElbo } = l;
  return JSON.stringify({ kind, step, epoch, loss, elbo, kl, trainElbo, validElbo });
}
