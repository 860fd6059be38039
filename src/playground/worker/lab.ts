/**
 * The estimator lab: `vae estimators` on the editor's program, in the worker. For each
 * estimator (reparam, score, score+baseline, stl, iwae:K+dreg, ...; src/estimators/spec.ts),
 * S independent gradient estimates at fixed parameters (the trained ones when a run of this
 * program is loaded, else the seeded initialization) on a fixed minibatch, and the table of
 * `vae estimators`: ‖E[g]‖, tr Cov[g] and SNR per parameter group (src/estimators/report.ts).
 * On models/toy-gaussian.vae the variances are the lecture's 4 (reparam) and 11415 (score).
 */
import * as tf from '@tensorflow/tfjs';
import { Program } from '../../program';
import { makeBatch } from '../../inference/execute';
import { rowGroups } from '../../estimators/groups';
import { measure } from '../../estimators/measure';
import { planSpec } from '../../estimators/planning';
import { formatTable, rowsOf, shownRows, type Row } from '../../estimators/report';
import { parseSpecs } from '../../estimators/spec';
import { DiagnosticError } from '../../dsl/diagnostics';
import { batchTensors, EVAL_EPOCH } from '../../train/batches';
import type { BoundData } from '../../train/memory-data';
import { checkProgram } from '../check';
import type { ProgramText } from '../protocol';

export interface LabResult {
  readonly lines: string[];
  readonly rows: Row[];
  readonly parameters: string;
  readonly data: string;
}

export async function estimatorLab(p: ProgramText, specsText: string, draws: number, trained: Program | undefined, loadData: (cp: Program['checked']) => Promise<BoundData>): Promise<LabResult> {
  const r = checkProgram(p);
  if (!r.checked || !r.plan) throw new DiagnosticError(r.diagnostics.filter((d) => d.severity === 'error'), r.sources);
  const checked = r.checked;
  const specs = parseSpecs(specsText);
  const jobs = specs.map((s) => planSpec(checked, s, p.name));
  const seed = checked.train.config.seed;
  // The trained parameters when the run is of this same program; else a seeded initialization.
  const same = trained && trained.checked.sources.get(p.name)?.text === p.text;
  const prog = same ? trained! : new Program(checked, r.plan, seed);
  tf.engine().startScope();
  try {
    let batch;
    let data = 'no data (one pseudo-example per draw)';
    if (checked.data.length === 0) batch = makeBatch(checked, new Map());
    else {
      const bound = await loadData(checked);
      const ds = bound.splits.train;
      const n = Math.min(20, ds.size);
      const idx = Int32Array.from({ length: n }, (_, i) => Math.floor((i * ds.size) / n));
      batch = makeBatch(checked, batchTensors(checked, ds, idx, bound.dynamic, seed, EVAL_EPOCH));
      data = `${bound.source}: ${n} evenly spaced training examples`;
    }
    const groups = rowGroups(prog.store, checked, r.plan.sites.map((s) => s.name));
    const rows: Row[] = [];
    for (const planned of jobs) rows.push(...rowsOf(measure(prog, batch, planned, { draws, seed }), groups));
    return { lines: formatTable(shownRows(rows)), rows, parameters: same ? 'the trained parameters' : `seeded initialization (seed ${seed})`, data };
  } finally {
    tf.engine().endScope();
    if (!same) prog.dispose();
  }
}
