/**
 * Opens a run for sampling: the program and weights from its checkpoint (restoreRun), the test
 * split of its data (or of `--data`; a file given with --data is used whole, and a run trained
 * on files, whose data have no test split, falls back to the validation split), and, for
 * colouring scatter plots, the data set's labels.
 */
import { storedData } from '../train/data-record';
import * as tf from '@tensorflow/tfjs';
import { DATASET_INFO, isDatasetName, loadDataset } from '../data/datasets';
import type { Dataset } from '../data/dataset';
import { MNIST_SOURCES } from '../data/mnist';
import { bindData } from '../train/data-binding';
import { restoreRun } from '../train/session';
import type { CheckedProgram } from '../dsl/checked';
import { UserError } from '../core/errors';
import type { SampleContext } from './context';
import type { Mode } from './decode';

export interface OpenOptions {
  readonly run: string;
  readonly out: string;
  readonly mode: Mode;
  /** Default: the run's seed. */
  readonly seed?: number | undefined;
  readonly data?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly scale: number;
  /** Load class labels for colouring (scatter plots). */
  readonly labels: boolean;
}

export interface OpenRun {
  readonly ctx: SampleContext;
  /** Where the examples come from, e.g. `binarized-mnist, test split`. */
  readonly source: string;
  dispose(): void;
}

async function datasetLabels(cp: CheckedProgram, ds: Dataset, source: string, opts: OpenOptions, seed: number): Promise<{ labels: Int32Array | null; names?: readonly string[] }> {
  const own = cp.data.find((d) => d.type.vk === 'Category');
  const names = source === 'mnist' || source === 'fashion-mnist' ? MNIST_SOURCES[source].classNames : undefined;
  const withNames = (labels: Int32Array | null) => ({ labels, ...(names ? { names } : {}) });
  if (own) return withNames(Int32Array.from(ds.columns[own.name]!.data));
  if (!isDatasetName(source)) return { labels: null };
  const col = DATASET_INFO[source].columns.find((c) => c.kind === 'Category');
  if (!col) return { labels: null };
  const raw = await loadDataset(source, { splits: ['test'], seed, ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
  return withNames(Int32Array.from(raw.test.columns[col.name]!.data));
}

export async function openRun(opts: OpenOptions): Promise<OpenRun> {
  const run = restoreRun(opts.run);
  const { prog } = run;
  tf.dispose([...run.contents.weights.values(), ...run.contents.optimizer.map((t) => t.tensor)]); // copied into prog's variables
  try {
    const runSeed = run.contents.state.seed;
    const named = opts.data === undefined || isDatasetName(opts.data);
    const bound = await bindData(prog.checked, {
      data: opts.data ?? storedData(run.contents.state.data, 'evaluate'),
      dataDir: opts.dataDir,
      role: named ? 'train' : 'eval',
      labelsPerClass: null,
      seed: runSeed,
      splits: ['test'],
    });
    const split = bound.splits.test.size > 0 ? 'test' : 'valid';
    const data = bound.splits[split];
    if (data.size === 0) throw new UserError(`${bound.source} has no test or validation examples`, 'give data to draw from: --data x=FILE');
    const { labels, names } = opts.labels ? await datasetLabels(prog.checked, data, bound.source, opts, runSeed) : { labels: null, names: undefined };
    const ctx: SampleContext = {
      prog,
      data,
      dynamic: bound.dynamic,
      labels: labels && labels.length >= data.size ? labels : null,
      ...(names ? { labelNames: names } : {}),
      mode: opts.mode,
      seed: opts.seed ?? runSeed,
      out: opts.out,
      scale: opts.scale,
    };
    return { ctx, source: `${bound.source}, ${split} split`, dispose: () => prog.dispose() };
  } catch (e) {
    prog.dispose();
    throw e;
  }
}
