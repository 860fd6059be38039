/**
 * The protocol of `vae compare`: every model is trained on the same data, with the same seed,
 * for the same number of epochs, with the same minibatch size. What stays each model's own is
 * what the comparison is about: the program (prior, likelihood, guide), the objective
 * (elbo, iwae(k)), the optimizer and learning rate, particles, β, free bits.
 *
 * Resolution of each shared setting (epochs, batch, seed, data):
 *   1. the command-line flag, when given, overrides every model's train block;
 *   2. otherwise the value all the models' train blocks agree on (defaults included);
 *   3. otherwise the comparison is refused with a message that names the disagreeing values
 *      and the flag that settles it.
 * A model whose train block fixes `steps:` is refused (it would not train for the protocol's
 * epochs), and so is a program without data.
 *
 * Data. Models can share data only when their `data` declarations agree (names, kinds, shapes,
 * partial observation), and their train blocks name the same data set and the same `binarize:`
 * and `labels:` settings. Differing declarations (e.g. `x: Binary[784]` and `x: Unit[784]`) are
 * refused up front unless `--data` names data that binds to every model: binarized MNIST fits
 * both Binary and Unit pixels. {@link bindEvalData} binds each distinct declaration once and so
 * validates the data against every model before any training starts.
 */
import * as path from 'node:path';
import type { CheckedProgram } from '../dsl/checked';
import { formatTensorType } from '../dsl/types';
import type { TrainConfig } from '../dsl/train-config';
import { UserError } from '../core/errors';
import { DataError } from '../data/errors';
import { bindData, type BoundData } from '../train/data-binding';
import { loadChecked, type Checked } from '../train/session';

/** One model of a comparison: its file, its display name and its checked program. */
export interface CompareModel {
  readonly file: string;
  /** The file name without `.vae`, made unique (`vae`, `vae#2`, ...). */
  readonly name: string;
  readonly outcome: Checked;
  /** The model's own train block, before the protocol overrides. */
  readonly config: TrainConfig;
}

/** Where a shared setting came from. */
export type ProtocolOrigin = 'flag' | 'models';

export interface Protocol {
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  /** The data every model is trained and evaluated on (a named set, a file, or x=FILE,...). */
  readonly data: string;
  readonly origin: { readonly epochs: ProtocolOrigin; readonly batch: ProtocolOrigin; readonly seed: ProtocolOrigin; readonly data: ProtocolOrigin };
}

export interface ProtocolFlags {
  readonly epochs?: number | undefined;
  readonly batch?: number | undefined;
  readonly seed?: number | undefined;
  readonly data?: string | undefined;
}

/** Loads and checks every file (with the same `--set` fragments); names are made unique. */
export function loadModels(files: readonly string[], sets: readonly string[] = []): CompareModel[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const outcome = loadChecked({ file, sets });
    const base = path.basename(file).replace(/\.vae$/, '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { file, name: n === 1 ? base : `${base}#${n}`, outcome, config: outcome.checked.train.config };
  });
}

/** The data declarations of a program, e.g. `x: Binary[784], y: Category[10]?`. */
export function dataSignature(cp: CheckedProgram): string {
  return cp.data.map((d) => `${d.name}: ${formatTensorType(d.type)}${d.partial || d.masked ? '?' : ''}`).join(', ');
}

/** The data set a model trains on when `--data` is not given (as bindData resolves it). */
function defaultData(m: CompareModel): string {
  return m.config.dataset ?? 'binarized-mnist';
}

function listing<T>(models: readonly CompareModel[], value: (m: CompareModel) => T, show: (v: T) => string = String): string {
  return models.map((m) => `${m.name}: ${show(value(m))}`).join('; ');
}

/** The one value all models share, or undefined when they disagree. */
function common<T>(models: readonly CompareModel[], value: (m: CompareModel) => T): T | undefined {
  const first = value(models[0]!);
  return models.every((m) => value(m) === first) ? first : undefined;
}

/** Resolves the shared settings (see the module comment); throws a UserError when they conflict. */
export function resolveProtocol(models: readonly CompareModel[], flags: ProtocolFlags): Protocol {
  if (models.length === 0) throw new UserError('no models to compare', 'give two or more .vae files: vae compare models/vae.vae models/iwae.vae');
  for (const m of models) {
    if (m.outcome.checked.data.length === 0) {
      throw new UserError(`${m.name} declares no data; vae compare compares models of the same data`, 'compare programs with `data` declarations and a model block');
    }
    if (m.config.objective.kind === 'expectation') {
      throw new UserError(`${m.name} trains an expectation objective, which has no ELBO or log-likelihood to compare`, 'compare programs trained with elbo or iwae(k)');
    }
    if (m.config.steps !== null) {
      throw new UserError(`${m.name} fixes \`steps: ${m.config.steps}\` in its train block; vae compare trains every model for the same number of epochs`, 'remove `steps:` from its train block and choose the length with --epochs');
    }
  }
  const signatures = new Set(models.map((m) => dataSignature(m.outcome.checked)));
  if (signatures.size > 1 && flags.data === undefined) {
    throw new UserError(
      `the models declare different data, so they cannot share a data set: ${listing(models, (m) => dataSignature(m.outcome.checked))}`,
      'compare models with the same data declarations, or give --data that fits all of them (binary pixels fit Unit too: --data binarized-mnist)',
    );
  }
  let data: string;
  let dataOrigin: ProtocolOrigin;
  if (flags.data !== undefined) {
    data = flags.data;
    dataOrigin = 'flag';
  } else {
    const d = common(models, defaultData);
    if (d === undefined) throw new UserError(`the models are trained on different data (${listing(models, defaultData)})`, 'choose the data of all of them with --data NAME (or FILE)');
    data = d;
    dataOrigin = 'models';
  }
  if (common(models, (m) => m.config.binarize) === undefined) {
    throw new UserError(`the models binarize their data differently (${listing(models, (m) => m.config.binarize)})`, "make them agree, e.g. --set 'train { binarize: dynamic }'");
  }
  if (common(models, (m) => m.config.labelsPerClass) === undefined) {
    throw new UserError(`the models keep different numbers of labels (${listing(models, (m) => m.config.labelsPerClass, (v) => (v === null ? 'all' : `${v} per class`))})`, "make them agree, e.g. --set 'train { labels: 100 per class }'");
  }
  const settle = (key: 'epochs' | 'batch' | 'seed', flag: number | undefined): [number, ProtocolOrigin] => {
    if (flag !== undefined) return [flag, 'flag'];
    const v = common(models, (m) => m.config[key]);
    if (v === undefined) {
      throw new UserError(`the models' train blocks disagree on ${key} (${listing(models, (m) => m.config[key])}); a comparison trains them all alike`, `choose one for all of them with --${key} N`);
    }
    return [v, 'models'];
  };
  const [epochs, eo] = settle('epochs', flags.epochs);
  const [batch, bo] = settle('batch', flags.batch);
  const [seed, so] = settle('seed', flags.seed);

  return { epochs, batch, seed, data, origin: { epochs: eo, batch: bo, seed: so, data: dataOrigin } };
}

/** The held-out data of one data declaration, bound once for every model that shares it. */
export interface EvalData {
  readonly bound: BoundData;
  /** `test`, or `valid` when the data has no test split (a file bound with --data x=FILE). */
  readonly split: 'test' | 'valid';
}

/**
 * Binds the evaluation split for every distinct data declaration, before any training: a model
 * the data does not fit stops the comparison here, with the model's name in the message.
 */
export async function bindEvalData(
  models: readonly CompareModel[],
  protocol: Protocol,
  opts: { dataDir?: string | undefined; sizes?: { train?: number; valid?: number; test?: number } | undefined } = {},
): Promise<Map<string, EvalData>> {
  const out = new Map<string, EvalData>();
  for (const m of models) {
    const sig = dataSignature(m.outcome.checked);
    if (out.has(sig)) continue;
    let bound: BoundData;
    try {
      bound = await bindData(m.outcome.checked, {
        data: protocol.data,
        dataDir: opts.dataDir,
        role: 'train',
        labelsPerClass: null,
        seed: protocol.seed,
        splits: ['test'],
        ...(opts.sizes ? { sizes: opts.sizes } : {}),
      });
    } catch (e) {
      if (e instanceof DataError) throw new UserError(`${m.name} cannot use the data ${protocol.data}: ${e.message}`, e.hint ?? 'compare models whose data declarations fit the same data', 'VAE702');
      throw e;
    }
    const split = bound.splits.test.size > 0 ? 'test' : 'valid';
    if (bound.splits[split].size === 0) throw new UserError(`the data ${bound.source} has no held-out examples to evaluate on`, 'give a larger data file, or a named data set with a test split');
    out.set(sig, { bound, split });
  }
  return out;
}
