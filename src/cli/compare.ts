/** `vae compare A.vae B.vae ...`: flags to a CompareCommand; prints the table or {rows} as JSON. */
import { runCompare } from '../compare/run';
import { CliError, type Printer } from './errors';
import { epochBar } from './progress';
import { parseNonNegInt, parsePositiveInt } from './flags';

export interface CompareFlags {
  epochs?: string;
  batch?: string;
  seed?: string;
  data?: string;
  dataDir?: string;
  limit?: string;
  evalLimit?: string;
  iwae?: string;
  set?: string[];
  out?: string;
  json?: boolean;
}

/** The default number of importance samples of the log-likelihood estimate. */
export const DEFAULT_COMPARE_IWAE = 1000;

export async function runCompareCommand(files: readonly string[], f: CompareFlags, io: Printer): Promise<number> {
  if (files.length < 2) throw new CliError(`vae compare needs two or more .vae files, found ${files.length}`, 'e.g. vae compare models/vae.vae models/iwae.vae --epochs 2');
  for (const file of files) if (!file.endsWith('.vae')) throw new CliError(`'${file}' is not a .vae file`, 'vae compare takes programs, e.g. vae compare models/vae.vae models/iwae.vae');
  const result = await runCompare(
    {
      files,
      sets: f.set ?? [],
      ...(f.epochs !== undefined ? { epochs: parsePositiveInt('--epochs', f.epochs) } : {}),
      ...(f.batch !== undefined ? { batch: parsePositiveInt('--batch', f.batch) } : {}),
      ...(f.seed !== undefined ? { seed: parseNonNegInt('--seed', f.seed) } : {}),
      ...(f.data !== undefined ? { data: f.data } : {}),
      ...(f.dataDir !== undefined ? { dataDir: f.dataDir } : {}),
      ...(f.limit !== undefined ? { limit: parsePositiveInt('--limit', f.limit) } : {}),
      ...(f.evalLimit !== undefined ? { evalLimit: parsePositiveInt('--eval-limit', f.evalLimit) } : {}),
      iwae: f.iwae !== undefined ? parseNonNegInt('--iwae', f.iwae) : DEFAULT_COMPARE_IWAE,
      ...(f.out !== undefined ? { out: f.out } : {}),
      json: f.json === true,
      progress: process.stderr.isTTY === true && f.json !== true,
      ...(process.stderr.isTTY === true && f.json !== true ? { onTrainProgress: epochBar() } : {}),
    },
    io,
  );
  if (f.json) {
    io.out(JSON.stringify({ rows: result.rows }));
    return 0;
  }
  io.err('');
  io.out(result.table);
  io.err(`\nwrote ${result.dir}/compare.json${result.plot ? ` and ${result.plot}` : ''}`);
  return 0;
}
