/**
 * Loading programs for training and evaluation: from a `.vae` file (with `--set` and
 * `--estimator`), or from the sources saved in a checkpoint, so a run can be evaluated or
 * resumed even after the files it came from have changed.
 */
import type * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { Program } from '../program';
import { diag, DiagnosticError } from '../dsl/diagnostics';
import { checkFile, type CheckOutcome } from '../check';
import { parseObjectiveText, shortObjective, type Objective } from '../dsl/objectives';
import { CheckpointError, loadCheckpoint, type CheckpointContents, type LoadOptions, type ProgramRecord } from './checkpoint';

/** A check outcome that succeeded. */
export type Checked = CheckOutcome & { readonly checked: NonNullable<CheckOutcome['checked']>; readonly plan: NonNullable<CheckOutcome['plan']> };

export interface ProgramRequest {
  readonly file: string;
  readonly sets?: readonly string[];
  readonly estimators?: ReadonlyMap<string, string>;
  readonly objective?: Objective | undefined;
}

function fail(outcome: CheckOutcome): never {
  throw new DiagnosticError(outcome.diagnostics.filter((d) => d.severity === 'error'), outcome.sources);
}

/** Checks a file; throws a DiagnosticError (with sources) when it does not check. */
export function loadChecked(req: ProgramRequest, readFile?: (p: string) => string): Checked {
  const outcome = checkFile(req.file, {
    sets: req.sets ?? [],
    overrides: req.estimators ?? new Map(),
    ...(req.objective ? { objective: req.objective } : {}),
    ...(readFile ? { readFile } : {}),
  });
  if (!outcome.checked || !outcome.plan) fail(outcome);
  return outcome as Checked;
}

export function programRecord(req: ProgramRequest, outcome: CheckOutcome): ProgramRecord {
  const sources: Record<string, string> = {};
  for (const [k, v] of outcome.sources) if (!k.startsWith('--set')) sources[k] = v.text;
  const objective = req.objective && req.objective.kind !== 'expectation' ? shortObjective(req.objective) : null;
  return { root: req.file, sources, sets: [...(req.sets ?? [])], estimators: Object.fromEntries(req.estimators ?? []), objective };
}

/** Re-checks a program from the sources saved in a checkpoint. */
export function checkedFromRecord(rec: ProgramRecord): Checked {
  const byAbs = new Map(Object.entries(rec.sources).map(([p, text]) => [path.resolve(p), text]));
  const parsed = rec.objective ? parseObjectiveText(rec.objective) : undefined;
  const objective: Objective | undefined = parsed?.ok ? parsed.value : undefined;
  const read = (p: string): string => {
    const t = byAbs.get(path.resolve(p));
    if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return t;
  };
  try {
    return loadChecked({ file: rec.root, sets: rec.sets, estimators: new Map(Object.entries(rec.estimators)), objective }, read);
  } catch (e) {
    if (e instanceof DiagnosticError) {
      throw new CheckpointError(`the program saved in the checkpoint no longer checks: ${e.diagnostics[0]?.message ?? 'error'}`, 'the checkpoint was written by another version of vaelang');
    }
    throw e;
  }
}

/** Copies saved weights into a program's variables, checking names and shapes. */
export function loadWeights(prog: Program, weights: ReadonlyMap<string, tf.Tensor>, dir: string): void {
  for (const e of prog.store.list()) {
    const w = weights.get(e.name);
    if (!w) throw new CheckpointError(`the checkpoint in '${dir}' has no weights for \`${e.name}\``, 'it belongs to a different program; evaluate it with the program it was trained with');
    if (w.shape.join(',') !== e.variable.shape.join(',')) {
      throw CheckpointError.of({ kind: 'checkpoint-weight-shape', weight: e.name, found: [...w.shape], expected: [...e.variable.shape] });
    }
    e.variable.assign(w);
  }
  const known = new Set(prog.store.list().map((e) => e.name));
  const extra = [...weights.keys()].filter((n) => !known.has(n));
  if (extra.length > 0) {
    throw new CheckpointError(`weights.json in '${dir}' holds weights the program does not have: ${extra.slice(0, 3).map((n) => `\`${n}\``).join(', ')}${extra.length > 3 ? ` and ${extra.length - 3} more` : ''}`, 'it belongs to a different program; evaluate it with the program it was trained with');
  }
}

export interface RestoredRun {
  readonly prog: Program;
  readonly contents: CheckpointContents;
  readonly outcome: Checked;
}

/** Loads a run directory: program from its saved sources, weights, and state. */
export function restoreRun(dir: string, opts: LoadOptions = {}): RestoredRun {
  const contents = loadCheckpoint(dir, opts);
  const outcome = checkedFromRecord(contents.program);
  const prog = new Program(outcome.checked, outcome.plan, contents.state.seed);
  try {
    loadWeights(prog, contents.weights, dir);
  } catch (e) {
    prog.dispose();
    throw e;
  }
  return { prog, contents, outcome };
}

export function siteSpanError(message: string, hint: string, outcome: CheckOutcome): DiagnosticError {
  const file = outcome.checked?.program.file ?? '';
  return new DiagnosticError([diag('VAE704', message, { span: { file, start: 0, end: 0 } }, { hint })], outcome.sources);
}
