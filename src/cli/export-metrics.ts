/**
 * `vae export-metrics RUN --csv`: a run's metrics.jsonl as a tidy CSV (src/metrics/csv.ts) on
 * stdout, or in `--out FILE` (written atomically; an existing file only with `--force`). `--kind step|epoch` keeps one kind of line.
 * A directory without metrics or a corrupt line stops with a message naming it, exit code 1.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../data/files';
import { metricsCsv } from '../metrics/csv';
import type { MetricsRecord } from '../metrics/records';
import { CliError, type Printer } from './errors';
import { runRecords } from './plot';
import * as fs from 'node:fs';

export interface ExportFlags {
  csv?: boolean;
  out?: string;
  kind?: string;
  force?: boolean;
}

export function runExportMetricsCommand(run: string, f: ExportFlags, io: Printer): number {
  const kinds = f.kind === undefined ? ['step', 'epoch'] : f.kind.split(',').map((s) => s.trim());
  for (const k of kinds) if (k !== 'step' && k !== 'epoch') throw new CliError(`invalid --kind '${f.kind}'`, 'choose step, epoch, or step,epoch (the default: both)');
  if (!fs.existsSync(run) || !fs.statSync(run).isDirectory()) throw new CliError(`'${run}' is not a directory`, 'give a run directory written by vae train');
  if (f.out !== undefined && fs.existsSync(f.out) && !f.force) {
    throw new CliError(`--out '${f.out}' already exists`, fs.statSync(f.out).isDirectory() ? '--out names the CSV file to write, not a directory' : 'vae export-metrics never replaces a file unless asked: add --force to replace it, or choose another --out');
  }
  const csv = metricsCsv(runRecords(run), new Set(kinds as MetricsRecord['kind'][]));
  if (f.out !== undefined) {
    writeFileAtomic(f.out, new TextEncoder().encode(csv));
    io.err(`wrote ${path.normalize(f.out)}: ${csv.split('\n').length - 2} rows`);
  } else {
    io.out(csv.replace(/\n$/, ''));
  }
  return 0;
}
