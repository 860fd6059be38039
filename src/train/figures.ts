/**
 * The figures of a training run, drawn from its metrics.jsonl records: curves (bound and KL,
 * src/figures/specs/curves.ts) and diagnostics (loss, gradient norm, β, learning rate,
 * throughput per step, src/figures/specs/diagnostics.ts), each as DIR/NAME.svg and DIR/NAME.png.
 * `vae train` calls this at the end of a run and `vae plot` to redraw.
 */
import { objectiveLabel } from '../dsl/objectives';
import * as path from 'node:path';
import type { Objective } from '../dsl/train-config';
import type { MetricsRecord } from '../metrics/records';
import { curvesSpec } from '../figures/specs/curves';
import { diagnosticsSpec } from '../figures/specs/diagnostics';
import type { PanelSize } from '../figures/theme';
import { writeFigure, type FigureFormat } from '../figures/node/render';

export interface RunFigureOptions {
  /** What the run trained (the program's file). */
  readonly title?: string;
  readonly objective?: Objective;
  readonly size?: PanelSize;
  readonly formats?: readonly FigureFormat[];
  readonly scale?: number;
}

/** The name of the training bound of an objective: 'ELBO', 'IWAE-5', or 'objective'. */
export function boundName(o: Objective | undefined): string {
  return objectiveLabel(o);
}

/** The names of the figures a run's records give (curves when any line exists, diagnostics with step lines). */
export const RUN_FIGURES = ['curves', 'diagnostics'] as const;

/** Writes the run's figures into `dir`; returns the files written. */
export async function writeRunFigures(dir: string, records: readonly MetricsRecord[], opts: RunFigureOptions = {}): Promise<string[]> {
  const base = { ...(opts.title !== undefined ? { title: opts.title } : {}), ...(opts.size ? { size: opts.size } : {}) };
  const specs = [
    ['curves', curvesSpec({ records, bound: boundName(opts.objective), ...base })],
    ['diagnostics', diagnosticsSpec({ records, ...base })],
  ] as const;
  const out: string[] = [];
  for (const [name, spec] of specs) {
    if (spec) out.push(...(await writeFigure(path.join(dir, name), spec, { ...(opts.formats ? { formats: opts.formats } : {}), ...(opts.scale !== undefined ? { scale: opts.scale } : {}) })));
  }
  return out;
}
