/**
 * Diagnostics as data: every problem the checker, planner and CLI report is a variant of
 * `ProblemData`, discriminated by `kind`, carrying the expected and found values (names,
 * numbers, shapes), never prose. Each code range has one file with its union and ONE pure
 * renderer to `{ message, hint }`; `renderProblem` dispatches on the kind. `problem()` in
 * diagnostics.ts builds a Diagnostic from the data, so a call site passes only data and spans.
 *
 * Ranges: syntax.ts VAE1xx, names.ts VAE2xx, shapes.ts VAE3xx, model-guide.ts VAE4xx,
 * estimators.ts VAE5xx, train.ts VAE6xx, files.ts VAE7xx, runtime.ts VAE9xx.
 */
import { ESTIMATOR_KINDS, renderEstimators, type EstimatorProblem } from './estimators';
import { FILE_KINDS, renderFiles, type FileProblem } from './files';
import { MODEL_GUIDE_KINDS, renderModelGuide, type ModelGuideProblem } from './model-guide';
import { NAME_KINDS, renderNames, type NameProblem } from './names';
import type { Rendered } from './rendered';
import { RUNTIME_KINDS, renderRuntime, type RuntimeProblem } from './runtime';
import { SHAPE_KINDS, renderShapes, type ShapeProblem } from './shapes';
import { SYNTAX_KINDS, renderSyntax, type SyntaxProblem } from './syntax';
import { TRAIN_KINDS, renderTrain, type TrainProblem } from './train';

export type { Rendered } from './rendered';
export type { EstimatorProblem, FileProblem, ModelGuideProblem, NameProblem, RuntimeProblem, ShapeProblem, SyntaxProblem, TrainProblem };

export type ProblemData = SyntaxProblem | NameProblem | ShapeProblem | ModelGuideProblem | EstimatorProblem | TrainProblem | FileProblem | RuntimeProblem;

/** Each range's kinds, for the dispatch and for the test that no kind is in two ranges. */
export const RANGE_KINDS: Readonly<Record<string, Readonly<Record<string, true>>>> = {
  syntax: SYNTAX_KINDS,
  names: NAME_KINDS,
  shapes: SHAPE_KINDS,
  'model-guide': MODEL_GUIDE_KINDS,
  estimators: ESTIMATOR_KINDS,
  train: TRAIN_KINDS,
  files: FILE_KINDS,
  runtime: RUNTIME_KINDS,
};

function isIn<T extends ProblemData>(kinds: Record<T['kind'], true>, p: ProblemData): p is T {
  return Object.hasOwn(kinds, p.kind);
}

/** The message and hint of a problem, from its range's renderer. Pure. */
export function renderProblem(p: ProblemData): Rendered {
  if (isIn<SyntaxProblem>(SYNTAX_KINDS, p)) return renderSyntax(p);
  if (isIn<NameProblem>(NAME_KINDS, p)) return renderNames(p);
  if (isIn<ShapeProblem>(SHAPE_KINDS, p)) return renderShapes(p);
  if (isIn<ModelGuideProblem>(MODEL_GUIDE_KINDS, p)) return renderModelGuide(p);
  if (isIn<EstimatorProblem>(ESTIMATOR_KINDS, p)) return renderEstimators(p);
  if (isIn<TrainProblem>(TRAIN_KINDS, p)) return renderTrain(p);
  if (isIn<FileProblem>(FILE_KINDS, p)) return renderFiles(p);
  if (isIn<RuntimeProblem>(RUNTIME_KINDS, p)) return renderRuntime(p);
  const never: never = p;
  throw new Error(`no renderer for problem kind ${(never as { kind: string }).kind}`);
}
