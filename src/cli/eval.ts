/** `vae eval DIR` (or `vae eval FILE --checkpoint DIR`): the metrics of src/eval/metrics.ts. */
import { Program } from '../api';
import type { SplitName } from '../data/dataset';
import { evalAccuracy, evalElbo, evalIwae, evalLatents, type EvalContext } from '../eval/metrics';
import { loadCheckpoint } from '../train/checkpoint';
import { subsetDataset } from '../data/dataset';
import { isDatasetName } from '../data/datasets';
import { bindData } from '../train/data-binding';
import { storedData } from '../train/data-record';
import { loadChecked, loadWeights, restoreRun } from '../train/session';
import { CliError, type Printer } from './errors';
import { parseNonNegInt, parsePositiveInt, parsePositiveNumber } from './flags';
import { latentLines } from './eval-latents';

export interface EvalFlags {
  checkpoint?: string;
  split?: string;
  iwae?: string;
  limit?: string;
  epsilon?: string;
  data?: string;
  dataDir?: string;
  seed?: string;
  miSamples?: string;
  /** One group of latent lines per step of a sequence site, not one summary per site. */
  perStep?: boolean;
  json?: boolean;
}

function loadForEval(target: string, f: EvalFlags): { prog: Program; source: string; seed: number; label: string; valid?: number | undefined } {
  if (target.endsWith('.vae')) {
    if (!f.checkpoint) throw new CliError(`${target} is a program; evaluating it needs trained weights`, `add --checkpoint runs/DIR, or give the run directory: vae eval runs/DIR`);
    const outcome = loadChecked({ file: target });
    const contents = loadCheckpoint(f.checkpoint);
    const prog = new Program(outcome.checked, outcome.plan, contents.state.seed);
    try {
      loadWeights(prog, contents.weights, f.checkpoint);
    } catch (e) {
      prog.dispose();
      throw e;
    }
    return { prog, source: f.data !== undefined ? contents.state.data.source : storedData(contents.state.data, 'evaluate'), seed: contents.state.seed, label: `${target} with ${f.checkpoint}`, valid: contents.state.data.valid };
  }
  const run = restoreRun(target);
  return { prog: run.prog, source: f.data !== undefined ? run.contents.state.data.source : storedData(run.contents.state.data, 'evaluate'), seed: run.contents.state.seed, label: target, valid: run.contents.state.data.valid };
}

export async function runEvalCommand(target: string, f: EvalFlags, io: Printer): Promise<number> {
  // Every flag is read before any work, so a bad value never comes after printed results.
  if (f.split !== undefined && !['train', 'valid', 'test'].includes(f.split)) throw new CliError(`invalid --split '${f.split}'`, 'choose train, valid or test');
  const k = f.iwae !== undefined ? parseNonNegInt('--iwae', f.iwae) : 5000;
  const eps = f.epsilon !== undefined ? parsePositiveNumber('--epsilon', f.epsilon) : 0.01;
  const limit = f.limit !== undefined ? parsePositiveInt('--limit', f.limit) : undefined;
  const evalSeed = f.seed !== undefined ? parseNonNegInt('--seed', f.seed) : undefined;
  const miSamples = f.miSamples !== undefined ? parsePositiveInt('--mi-samples', f.miSamples) : undefined;
  const { prog, source, seed, label, valid } = loadForEval(target, f);
  try {
    // A run trained on files has no test split: by default it is evaluated on the examples it
    // held out for validation (a file given with --data is used whole, as its test split).
    const named = isDatasetName(source);
    const split = (f.split ?? (f.data === undefined && !named ? 'valid' : 'test')) as SplitName;
    const bound = await bindData(prog.checked, {
      data: f.data ?? source,
      dataDir: f.dataDir,
      role: f.data && !isDatasetName(f.data) ? 'eval' : 'train',
      labelsPerClass: null,
      seed,
      // The run's own validation split (`vae train --valid N`); only for the run's data.
      ...(valid !== undefined && f.data === undefined ? { validSize: valid } : {}),
      splits: [split],
    });
    let ds = bound.splits[split];
    if (ds.size === 0) {
      const hint =
        split === 'valid' && f.split === undefined
          ? 'the run held out no validation examples (--valid 0) and a file has no test split: evaluate on a file with --data x=FILE, or use --split train'
          : split === 'test'
            ? 'evaluate files with --data x=FILE (the whole file is used), or use --split valid'
            : 'choose another split';
      throw new CliError(`the ${split} split of ${bound.source} is empty`, hint);
    }
    if (limit !== undefined) {
      // Evenly spaced examples, not the first N: some test sets (binarized MNIST) are sorted by class.
      const n = Math.min(ds.size, limit);
      ds = subsetDataset(ds, Int32Array.from({ length: n }, (_, i) => Math.floor((i * ds.size) / n)));
    }
    const ctx: EvalContext = { prog, data: ds, dynamic: bound.dynamic, seed: evalSeed ?? seed };
    if (!f.json) io.err(`evaluating ${label} on ${bound.source}/${split} (${ds.size} examples${split === 'valid' && f.split === undefined ? ', held out in training: files have no test split' : ''})`);
    const elbo = evalElbo(ctx);
    if (!f.json) io.out(`  ${'ELBO'.padEnd(22)}${elbo.elbo.toFixed(2)} nats (reconstruction ${elbo.recon.toFixed(2)}, KL ${elbo.kl.toFixed(2)})`);
    const iwae = k > 0 ? evalIwae(ctx, k, { onProgress: f.json ? undefined : (done, total) => process.stderr.isTTY && process.stderr.write(`\r  IWAE-${k}: ${done}/${total} examples`) }) : null;
    if (iwae && !f.json) {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      io.out(`  ${`log p(x), IWAE-${k}`.padEnd(22)}${iwae.logLikelihood.toFixed(2)} ± ${iwae.standardError.toFixed(2)} nats (${iwae.seconds.toFixed(1)} s)`);
    }
    const latents = evalLatents(ctx, { epsilon: eps, ...(miSamples !== undefined ? { miSamples } : {}) });
    const accuracy = evalAccuracy(ctx);
    if (f.json) {
      io.out(JSON.stringify({ split, n: ds.size, elbo: elbo.elbo, recon: elbo.recon, kl: elbo.kl, iwae, latents, accuracy, epsilon: eps }));
      return 0;
    }
    for (const line of latentLines(latents, elbo.recon, eps, f.perStep === true)) io.out(line);
    for (const a of accuracy) io.out(`  ${`accuracy (${a.site})`.padEnd(22)}${(100 * a.accuracy).toFixed(2)}% of ${a.n} labelled examples`);
    return 0;
  } finally {
    prog.dispose();
  }
}
