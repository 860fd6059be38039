/**
 * `vae compare A.vae B.vae ...`: trains every model under one protocol (src/compare/protocol.ts),
 * evaluates each on the held-out split, and writes DIR/compare.json (after every model, so a
 * long comparison can be followed and an interrupted one keeps what it finished) and
 * DIR/compare.svg and DIR/compare.png. Each model's run (checkpoint, metrics.jsonl, its figures)
 * is DIR/<model>.
 *
 * Evaluation (src/eval/metrics.ts) on the test split (the valid split for data files, which
 * have none), optionally on `evalLimit` evenly spaced examples (the binarized-MNIST test set is
 * sorted by digit, so the first N would all be zeros):
 *   - the ELBO and its KL, with one sample per example;
 *   - log p(x) by IWAE with K importance samples and its standard error across examples;
 *   - active units, summed over the latent sites (for flow guides, from 64 samples of the guide
 *     per example: src/eval/activity.ts).
 * The seconds per epoch are the training epochs' wall-clock times (the validation pass
 * excluded), averaged; they are only comparable between models measured on the same machine
 * under the same load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import type { Printer } from '../core/printer';
import { subsetDataset, type Dataset } from '../data/dataset';
import { evalElbo, evalIwae, evalLatents, type EvalContext } from '../eval/metrics';
import type { EpochRecord } from '../metrics/records';
import { runTrain, type TrainCommand } from '../train/run';
import { restoreRun } from '../train/session';
import { bindEvalData, dataSignature, loadModels, resolveProtocol, type CompareModel, type EvalData, type Protocol } from './protocol';
import { formatTable, writeCompareCurves, type CompareRow } from './report';

export interface CompareCommand {
  readonly files: readonly string[];
  /** `--set` fragments applied to every model. */
  readonly sets?: readonly string[];
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly data?: string;
  readonly dataDir?: string;
  /** Train on the first N training examples (and at most N validation examples). */
  readonly limit?: number;
  /** Evaluate on N evenly spaced held-out examples. */
  readonly evalLimit?: number;
  /** Importance samples of the log-likelihood estimate (0: skip it). */
  readonly iwae: number;
  readonly out?: string;
  readonly json?: boolean;
  readonly progress?: boolean;
  /** Each model's training progress (the CLI draws a bar: src/cli/progress.ts). */
  readonly onTrainProgress?: TrainCommand['onProgress'];
  /** Synthetic data set sizes (tests). */
  readonly sizes?: { train?: number; valid?: number; test?: number };
}

export interface CompareResult {
  readonly dir: string;
  readonly protocol: Protocol;
  readonly rows: CompareRow[];
  readonly plot: string | null;
  readonly table: string;
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Evenly spaced rows (not the first N: some test sets are sorted by class). */
export function evenlySpaced(ds: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= ds.size) return ds;
  return subsetDataset(ds, Int32Array.from({ length: n }, (_, i) => Math.floor((i * ds.size) / n)));
}

export async function runCompare(cmd: CompareCommand, io: Printer): Promise<CompareResult> {
  if (cmd.files.length < 2) throw new UserError(`vae compare needs two or more models, found ${cmd.files.length}`, 'e.g. vae compare models/vae.vae models/iwae.vae --epochs 2');
  const models = loadModels(cmd.files, cmd.sets ?? []);
  const protocol = resolveProtocol(models, { epochs: cmd.epochs, batch: cmd.batch, seed: cmd.seed, data: cmd.data });
  const dir = cmd.out ?? path.join('runs', `compare-${timestamp()}`);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UserError(`the output directory ${dir} is not empty`, 'choose another --out (each model trains into DIR/<model>)');
  const evalData = await bindEvalData(models, protocol, { dataDir: cmd.dataDir, sizes: cmd.sizes });
  fs.mkdirSync(dir, { recursive: true });

  const first = evalData.values().next().value!;
  const evalN = Math.min(first.bound.splits[first.split].size, cmd.evalLimit ?? Infinity);
  const status = (s: string) => io.err(s);
  status(`comparing ${models.length} models on ${protocol.data}: ${protocol.epochs} epochs, batch ${protocol.batch}, seed ${protocol.seed}${cmd.limit !== undefined ? `, first ${cmd.limit} training examples` : ''}`);
  status(`  evaluation: ${first.split} split, ${evalN} examples${cmd.evalLimit !== undefined ? ' (evenly spaced)' : ''}, ${cmd.iwae > 0 ? `IWAE-${cmd.iwae}` : 'no IWAE'}; results in ${dir}`);

  const rows: CompareRow[] = [];
  const curves: { model: string; history: EpochRecord[] }[] = [];
  const record = () =>
    fs.writeFileSync(
      path.join(dir, 'compare.json'),
      JSON.stringify(
        {
          protocol: { ...protocol, limit: cmd.limit ?? null, iwae: cmd.iwae, evalSplit: first.split, evalExamples: evalN, sets: cmd.sets ?? [] },
          models: models.map((m) => ({ model: m.name, file: m.file })),
          rows,
          curves,
        },
        null,
        2,
      ),
    );

  for (const [i, m] of models.entries()) {
    status(`\n[${i + 1}/${models.length}] ${m.name} (${m.file})`);
    const runDir = path.join(dir, m.name.replace(/[^A-Za-z0-9._-]/g, '_'));
    const trained = await runTrain(
      {
        file: m.file,
        sets: cmd.sets ?? [],
        overrides: { epochs: protocol.epochs, batch: protocol.batch, seed: protocol.seed },
        data: protocol.data,
        ...(cmd.dataDir !== undefined ? { dataDir: cmd.dataDir } : {}),
        out: runDir,
        json: false,
        ...(cmd.onTrainProgress ? { onProgress: cmd.onTrainProgress } : {}),
        ...(cmd.sizes ? { sizes: cmd.sizes } : {}),
        ...(cmd.limit !== undefined ? { limit: cmd.limit } : {}),
      },
      // The per-model configuration block (indented lines) is left out: it is in DIR/<model>/config.json.
      { out: () => {}, err: (s) => (s.startsWith('  ') ? undefined : io.err(s)), color: io.color },
    );
    curves.push({ model: m.name, history: trained.history });
    if (trained.stopped === 'interrupted') {
      record();
      throw new UserError(`interrupted while training ${m.name}`, `the results of the models before it are in ${path.join(dir, 'compare.json')}; its run can be resumed with vae train --resume ${trained.dir}`);
    }
    rows.push(await evaluateModel(m, trained.dir, trained.history, evalData.get(dataSignature(m.outcome.checked))!, protocol, cmd, io));
    record();
  }

  const plot = await writeCompareCurves(dir, curves, `vae compare: ${models.map((m) => m.name).join(', ')} on ${protocol.data}`);
  record();
  return { dir, protocol, rows, plot, table: formatTable(rows, cmd.iwae, first.split) };
}

async function evaluateModel(
  m: CompareModel,
  runDir: string,
  history: readonly EpochRecord[],
  held: EvalData,
  protocol: Protocol,
  cmd: CompareCommand,
  io: Printer,
): Promise<CompareRow> {
  const run = restoreRun(runDir);
  try {
    const data = evenlySpaced(held.bound.splits[held.split], cmd.evalLimit);
    const ctx: EvalContext = { prog: run.prog, data, dynamic: held.bound.dynamic, seed: protocol.seed };
    const t0 = performance.now();
    const elbo = evalElbo(ctx);
    const iwae =
      cmd.iwae > 0
        ? evalIwae(ctx, cmd.iwae, {
            onProgress: cmd.progress ? (done, total) => process.stderr.write(`\r  IWAE-${cmd.iwae}: ${done}/${total} examples`) : undefined,
          })
        : null;
    if (iwae && cmd.progress) process.stderr.write('\r\x1b[K');
    // I(x; z) is not reported; a small sample keeps its [M, M] density matrix cheap.
    const latents = evalLatents(ctx, { miSamples: 100 });
    const seconds = history.reduce((a, r) => a + r.seconds, 0) / Math.max(1, history.length);
    const row: CompareRow = {
      model: m.name,
      file: m.file,
      testElbo: elbo.elbo,
      testLogLikelihood: iwae ? iwae.logLikelihood : null,
      standardError: iwae ? iwae.standardError : null,
      kl: elbo.kl,
      activeUnits: latents.reduce((a, l) => a + l.activeUnits, 0),
      latentDims: latents.reduce((a, l) => a + l.dims, 0),
      secondsPerEpoch: seconds,
      epochs: history.length,
      run: runDir,
    };
    io.err(
      `  ${m.name}: ELBO ${elbo.elbo.toFixed(2)}${iwae ? `, log p(x) ${iwae.logLikelihood.toFixed(2)} ± ${iwae.standardError.toFixed(2)}` : ''}, KL ${elbo.kl.toFixed(2)}, active units ${row.activeUnits}/${row.latentDims}, ${seconds.toFixed(1)} s/epoch (evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    return row;
  } finally {
    run.prog.dispose();
  }
}
