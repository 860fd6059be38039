/**
 * Reading and writing a run's metrics.jsonl (the format is in records.ts).
 *
 * Contract.
 *  - `readMetricsFile(file)` returns the records, or throws a DataError: the file is missing
 *    (a directory that holds no training run), or a line is corrupt (the error names the line).
 *  - `appendMetrics(file, records)` appends the records' lines with one write, so a crash leaves
 *    at most one cut-off line at the end.
 *  - `reconcileMetrics(file, step)` makes the file agree with a checkpoint taken after `step`
 *    optimizer steps, before a resumed run appends to it: lines of later steps (written after the
 *    checkpoint by the run that stopped) are dropped, as is a cut-off last line, so the resumed
 *    run neither repeats nor skips steps. The file is rewritten atomically, and only when
 *    something changes. Corrupt lines before the end are kept as they are.
 */
import * as fs from 'node:fs';
import { DataError, fsError, q } from '../data/errors';
import { writeFileAtomic } from '../data/files';
import { metricsLine, parseMetrics, type MetricsRecord } from './records';

export function readMetricsFile(file: string): MetricsRecord[] {
  if (!fs.existsSync(file)) {
    throw new DataError(`${q(file)} does not exist: the directory holds no training metrics`, { file, hint: 'give a run directory written by vae train (it holds metrics.jsonl, config.json and checkpoint/)' });
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw fsError(e, file, 'read');
  }
  return parseMetrics(text, file);
}

export function appendMetrics(file: string, records: readonly MetricsRecord[]): void {
  if (records.length === 0) return;
  fs.appendFileSync(file, records.map((r) => `${metricsLine(r)}\n`).join(''));
}

/** The `step` of a JSON line, or undefined when it has none (or is not JSON). */
function stepOf(line: string): number | undefined {
  try {
    const v = (JSON.parse(line) as { step?: unknown }).step;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function reconcileMetrics(file: string, step: number): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  const kept: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const last = i === lines.length - 1;
    if (last && !complete) return; // cut off while being written
    const s = stepOf(line);
    if (s !== undefined && s > step) return;
    kept.push(line);
  });
  const out = kept.map((l) => `${l}\n`).join('');
  if (out !== text) writeFileAtomic(file, new TextEncoder().encode(out));
}
