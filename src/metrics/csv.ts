/**
 * metrics.jsonl as a tidy CSV (one row per line of the file, one column per variable), for
 * pandas: `pd.read_csv(f)` then `df[df.kind == "step"]`. Browser-safe.
 *
 * Columns, in order: kind, step, epoch, steps, loss, elbo, kl, beta, grad_norm, lr,
 * examples_per_sec, seconds, valid_elbo, valid_kl. An epoch row puts its training bound in
 * `elbo` and its training KL in `kl`, so one column holds one quantity for both kinds; columns
 * a kind does not have are empty, and so are non-finite values (pandas reads both as NaN).
 * Numbers are written in JavaScript's shortest round-trip form. Lines end with \n.
 */
import type { MetricsRecord } from './records';

export const CSV_COLUMNS = ['kind', 'step', 'epoch', 'steps', 'loss', 'elbo', 'kl', 'beta', 'grad_norm', 'lr', 'examples_per_sec', 'seconds', 'valid_elbo', 'valid_kl'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

function cells(r: MetricsRecord): Partial<Record<CsvColumn, string | number | null>> {
  if (r.kind === 'step') {
    return { kind: 'step', step: r.step, epoch: r.epoch, steps: r.steps, loss: r.loss, elbo: r.elbo, kl: r.kl, beta: r.beta, grad_norm: r.gradNorm, lr: r.lr, examples_per_sec: r.examplesPerSec, seconds: r.seconds };
  }
  return { kind: 'epoch', step: r.step, epoch: r.epoch, steps: null, elbo: r.trainElbo, kl: r.kl, examples_per_sec: r.examplesPerSec, seconds: r.seconds, valid_elbo: r.validElbo, valid_kl: r.validKl };
}

const cell = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v);

/** The CSV text of `records` (header first); see the module comment. */
export function metricsCsv(records: readonly MetricsRecord[], kinds: ReadonlySet<MetricsRecord['kind']> = new Set(['step', 'epoch'])): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    if (!kinds.has(r.kind)) continue;
    const c = cells(r);
    rows.push(CSV_COLUMNS.map((k) => cell(c[k])).join(','));
  }
  return `${rows.join('\n')}\n`;
}
