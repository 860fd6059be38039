/** `vae train FILE` (or `--resume DIR`): flags to a TrainCommand. */
import { runTrain, type TrainOverrides } from '../train/run';
import { CliError, type Printer } from './errors';
import { downloadBar, epochBar } from './progress';
import { parseEstimatorFlags, parseNonNegInt, parseObjectiveFlag, parsePositiveInt, parsePositiveNumber } from './flags';

export interface TrainFlags {
  data?: string;
  dataDir?: string;
  epochs?: string;
  steps?: string;
  batch?: string;
  lr?: string;
  objective?: string;
  particles?: string;
  estimator?: string[];
  set?: string[];
  seed?: string;
  out?: string;
  json?: boolean;
  resume?: string;
  earlyStopping?: string;
  limit?: string;
  valid?: string;
  logEvery?: string;
  figures?: boolean;
  resetOptimizer?: boolean;
}

export async function runTrainCommand(file: string | undefined, f: TrainFlags, io: Printer): Promise<number> {
  if (!file && !f.resume) throw new CliError('missing the .vae file to train', 'write vae train models/vae.vae, or vae train --resume runs/DIR');
  if (file && f.resume) throw new CliError('give either a .vae file or --resume DIR, not both', 'a resumed run uses the program saved in its checkpoint');
  const overrides: TrainOverrides = {
    ...(f.epochs !== undefined ? { epochs: parsePositiveInt('--epochs', f.epochs) } : {}),
    ...(f.steps !== undefined ? { steps: parsePositiveInt('--steps', f.steps) } : {}),
    ...(f.batch !== undefined ? { batch: parsePositiveInt('--batch', f.batch) } : {}),
    ...(f.lr !== undefined ? { lr: parsePositiveNumber('--lr', f.lr) } : {}),
    ...(f.objective !== undefined ? { objective: parseObjectiveFlag(f.objective) } : {}),
    ...(f.particles !== undefined ? { particles: parsePositiveInt('--particles', f.particles) } : {}),
    ...(f.seed !== undefined ? { seed: parseNonNegInt('--seed', f.seed) } : {}),
    ...(f.earlyStopping !== undefined ? { earlyStopping: parsePositiveInt('--early-stopping', f.earlyStopping) } : {}),
  };
  if (f.resume && (f.set?.length || f.estimator?.length || f.objective)) {
    throw new CliError('--set, --estimator and --objective cannot change a resumed run', 'start a new run with the changed program instead');
  }
  if (f.resetOptimizer && !f.resume) throw new CliError('--reset-optimizer applies only to --resume', 'a new run starts with a fresh optimizer anyway');
  if (f.resume) {
    // These would make the resumed run a different run: another minibatch order, other
    // examples, another split, another directory. The run's own values are in its checkpoint.
    const changing = (['batch', 'seed', 'limit', 'valid', 'out'] as const).filter((k) => f[k] !== undefined).map((k) => `--${k}`);
    if (changing.length > 0) {
      throw new CliError(`${changing.join(' and ')} cannot change a resumed run`, 'a resumed run keeps its batch size, seed, examples, split and directory; start a new run to change them (--epochs, --steps, --lr and --early-stopping may change)');
    }
  }
  await runTrain(
    {
      ...(file ? { file } : {}),
      ...(f.resume ? { resume: f.resume } : {}),
      sets: f.set ?? [],
      estimators: parseEstimatorFlags(f.estimator ?? []),
      overrides,
      ...(f.data !== undefined ? { data: f.data } : {}),
      ...(f.dataDir !== undefined ? { dataDir: f.dataDir } : {}),
      ...(f.out !== undefined ? { out: f.out } : {}),
      json: f.json === true,
      ...(process.stderr.isTTY === true && f.json !== true ? { onProgress: epochBar(), onDownload: downloadBar() } : {}),
      ...(f.limit !== undefined ? { limit: parsePositiveInt('--limit', f.limit) } : {}),
      ...(f.valid !== undefined ? { valid: parseNonNegInt('--valid', f.valid) } : {}),
      ...(f.logEvery !== undefined ? { logEvery: parsePositiveInt('--log-every', f.logEvery) } : {}),
      ...(f.figures === false ? { figures: false } : {}),
      ...(f.resetOptimizer ? { resetOptimizer: true } : {}),
    },
    io,
  );
  return 0;
}
