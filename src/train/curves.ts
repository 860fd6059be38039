/** curves.png: train and valid ELBO, and KL, against epoch (two panels). */
import * as path from 'node:path';
import { renderPanels, writeCanvasPng } from '../plot/index';

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
export function writeCurves(dir: string, history: readonly EpochRecord[], title: string): string | null {
  if (history.length === 0) return null;
  const pts = (f: (r: EpochRecord) => number | null): [number, number][] => history.map((r) => [r.epoch, f(r) ?? NaN]);
  const hasValid = history.some((r) => r.validElbo !== null);
  const canvas = renderPanels(
    [
      {
        title: 'ELBO (nats per example)',
        xLabel: 'epoch',
        yLabel: 'ELBO',
        series: [{ name: 'train', points: pts((r) => r.trainElbo), marker: history.length < 30 }, ...(hasValid ? [{ name: 'valid', points: pts((r) => r.validElbo), dashed: true, marker: history.length < 30 }] : [])],
      },
      {
        title: 'KL(q(z|x) || p(z))',
        xLabel: 'epoch',
        yLabel: 'KL (nats)',
        series: [{ name: 'train', points: pts((r) => r.kl), marker: history.length < 30 }, ...(hasValid ? [{ name: 'valid', points: pts((r) => r.validKl), dashed: true, marker: history.length < 30 }] : [])],
      },
    ],
    { columns: 2, title: `${title}: training curves` },
  );
  const file = path.join(dir, 'curves.png');
  writeCanvasPng(file, canvas);
  return file;
}
