/**
 * The results of a sweep, built from the runs that finished (their result.json):
 *
 *   - per cell, the mean over seeds and its standard error (sample standard deviation / √n) of
 *     the held-out ELBO, the IWAE log p(x), the KL, the active units and, for models that
 *     classify, the accuracy; `n/a` for the standard error of a single seed;
 *   - paired comparisons of every cell against the first: for each seed both cells finished,
 *     the difference of their values. Runs are paired only when they share their test images
 *     (the same evaluation key: data, split, examples, K), so the test-set noise common to both
 *     cancels and the standard error is that of the mean difference over seeds;
 *   - the figure DIR/sweep.svg and .png (src/figures/specs/sweep.ts).
 *
 * Tables are Markdown, so they paste into BENCHMARKS.md as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFigure } from '../figures/node/render';
import { sweepSpec, type SweepPoint, type SweepSummaryPoint } from '../figures/specs/sweep';
import { resultPath, type Manifest } from './manifest';
import type { TaskResult } from './task';

export interface Stat {
  readonly mean: number;
  /** Standard error of the mean over seeds, null with one seed. */
  readonly se: number | null;
  readonly n: number;
}

export function meanSe(xs: readonly number[]): Stat | null {
  if (xs.length === 0) return null;
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, se: null, n };
  const v = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n), n };
}

export interface CellRow {
  readonly cell: number;
  readonly label: string;
  /** Finished runs / tasks. */
  readonly finished: number;
  readonly tasks: number;
  readonly testElbo: Stat | null;
  readonly testLogLikelihood: Stat | null;
  readonly kl: Stat | null;
  readonly activeUnits: Stat | null;
  readonly latentDims: number | null;
  readonly accuracy: Stat | null;
  readonly secondsPerEpoch: Stat | null;
  readonly seeds: readonly number[];
}

export interface PairedRow {
  readonly cell: number;
  readonly label: string;
  readonly baseline: string;
  readonly pairs: number;
  readonly testElbo: Stat | null;
  readonly testLogLikelihood: Stat | null;
  readonly accuracy: Stat | null;
  /** Seeds on which the cell's log p(x) (else ELBO) is higher than the baseline's. */
  readonly better: number;
}

export interface SweepReport {
  readonly rows: CellRow[];
  readonly paired: PairedRow[];
  readonly results: TaskResult[];
}

export function readResults(dir: string, m: Manifest): TaskResult[] {
  const out: TaskResult[] = [];
  for (const t of m.tasks) {
    try {
      out.push(JSON.parse(fs.readFileSync(resultPath(dir, t), 'utf8')) as TaskResult);
    } catch {
      // not finished
    }
  }
  return out;
}

const vals = (rs: readonly TaskResult[], f: (r: TaskResult) => number | null): number[] => rs.map(f).filter((x): x is number => x !== null && Number.isFinite(x));

export function buildReport(dir: string, m: Manifest): SweepReport {
  const results = readResults(dir, m);
  const rows: CellRow[] = m.cells.map((c) => {
    const rs = results.filter((r) => r.cell === c.index);
    return {
      cell: c.index,
      label: c.label,
      finished: rs.length,
      tasks: m.tasks.filter((t) => t.cell === c.index).length,
      testElbo: meanSe(vals(rs, (r) => r.testElbo)),
      testLogLikelihood: meanSe(vals(rs, (r) => r.testLogLikelihood)),
      kl: meanSe(vals(rs, (r) => r.kl)),
      activeUnits: meanSe(vals(rs, (r) => r.activeUnits)),
      latentDims: rs[0]?.latentDims ?? null,
      accuracy: meanSe(vals(rs, (r) => r.accuracy)),
      secondsPerEpoch: meanSe(vals(rs, (r) => r.secondsPerEpoch)),
      seeds: rs.map((r) => r.seed).sort((a, b) => a - b),
    };
  });
  const paired: PairedRow[] = [];
  const base = rows.find((r) => r.finished > 0);
  if (base) {
    const byCell = (cell: number) => new Map(results.filter((r) => r.cell === cell).map((r) => [r.seed, r]));
    const b = byCell(base.cell);
    for (const row of rows) {
      if (row.cell === base.cell || row.finished === 0) continue;
      const pairs = [...byCell(row.cell).values()].flatMap((r) => {
        const o = b.get(r.seed);
        return o && o.evalKey === r.evalKey ? [[r, o] as const] : [];
      });
      if (pairs.length === 0) continue;
      const diff = (f: (r: TaskResult) => number | null) => {
        const ds = pairs.flatMap(([r, o]) => {
          const x = f(r);
          const y = f(o);
          return x !== null && y !== null ? [x - y] : [];
        });
        return meanSe(ds);
      };
      const key = (r: TaskResult) => r.testLogLikelihood ?? r.testElbo;
      paired.push({
        cell: row.cell,
        label: row.label,
        baseline: base.label,
        pairs: pairs.length,
        testElbo: diff((r) => r.testElbo),
        testLogLikelihood: diff((r) => r.testLogLikelihood),
        accuracy: diff((r) => r.accuracy),
        better: pairs.filter(([r, o]) => key(r) > key(o)).length,
      });
    }
  }
  return { rows, paired, results };
}

function pm(s: Stat | null, digits = 2): string {
  if (!s) return 'n/a';
  return `${s.mean.toFixed(digits)} ± ${s.se === null ? 'n/a' : s.se.toFixed(digits)}`;
}

function markdown(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, j) => (j > 0 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (j > 0 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The results table: one row per cell, mean ± standard error over seeds. */
export function formatSweepTable(rep: SweepReport, m: Manifest): string {
  const split = rep.results[0]?.evalKey.split('|')[1] ?? 'test';
  const k = m.spec.protocol.iwae;
  const acc = rep.rows.some((r) => r.accuracy !== null);
  const header = ['cell', 'runs', `${split} ELBO`, k > 0 ? `${split} log p(x) (IWAE-${k})` : `${split} log p(x)`, 'KL', 'active units', ...(acc ? ['accuracy (%)'] : []), 's/epoch'];
  const body = rep.rows.map((r) => [
    r.label,
    `${r.finished}/${r.tasks}`,
    pm(r.testElbo),
    pm(r.testLogLikelihood),
    pm(r.kl),
    r.activeUnits ? `${r.activeUnits.mean.toFixed(1)} / ${r.latentDims}` : 'n/a',
    ...(acc ? [r.accuracy ? pm({ ...r.accuracy, mean: r.accuracy.mean * 100, se: r.accuracy.se === null ? null : r.accuracy.se * 100 }) : 'n/a'] : []),
    r.secondsPerEpoch ? r.secondsPerEpoch.mean.toFixed(1) : 'n/a',
  ]);
  return markdown(header, body);
}

/** The paired comparisons against the first cell, or '' when there are none. */
export function formatPairedTable(rep: SweepReport): string {
  if (rep.paired.length === 0) return '';
  const acc = rep.paired.some((p) => p.accuracy !== null);
  const header = ['cell', `vs ${rep.paired[0]!.baseline}`, 'Δ ELBO', 'Δ log p(x)', ...(acc ? ['Δ accuracy (%)'] : []), 'higher'];
  const body = rep.paired.map((p) => [
    p.label,
    `${p.pairs} seed${p.pairs === 1 ? '' : 's'}`,
    pm(p.testElbo),
    pm(p.testLogLikelihood),
    ...(acc ? [p.accuracy ? pm({ ...p.accuracy, mean: p.accuracy.mean * 100, se: p.accuracy.se === null ? null : p.accuracy.se * 100 }) : 'n/a'] : []),
    `${p.better}/${p.pairs}`,
  ]);
  return markdown(header, body);
}

/** Writes DIR/sweep.svg and DIR/sweep.png; returns the PNG's path, or null with no finished run. */
export async function writeSweepFigure(dir: string, rep: SweepReport, m: Manifest): Promise<string | null> {
  const useLl = rep.results.some((r) => r.testLogLikelihood !== null);
  const main = useLl ? `log p(x) (IWAE-${m.spec.protocol.iwae})` : 'ELBO';
  const metrics = [main, ...(rep.results.some((r) => r.accuracy !== null) ? ['accuracy (%)'] : [])];
  const label = (cell: number) => m.cells[cell]!.label;
  const points: SweepPoint[] = rep.results.flatMap((r) => [
    { cell: label(r.cell), metric: main, seed: r.seed, value: useLl ? r.testLogLikelihood! : r.testElbo },
    ...(r.accuracy !== null ? [{ cell: label(r.cell), metric: 'accuracy (%)', seed: r.seed, value: r.accuracy * 100 }] : []),
  ]);
  const summary: SweepSummaryPoint[] = rep.rows.flatMap((r) => {
    const s = useLl ? r.testLogLikelihood : r.testElbo;
    return [
      ...(s ? [{ cell: r.label, metric: main, mean: s.mean, se: s.se ?? 0, n: s.n }] : []),
      ...(r.accuracy ? [{ cell: r.label, metric: 'accuracy (%)', mean: r.accuracy.mean * 100, se: (r.accuracy.se ?? 0) * 100, n: r.accuracy.n }] : []),
    ];
  });
  const spec = sweepSpec({ cells: m.cells.map((c) => c.label), metrics, points, summary, title: `vae sweep ${m.id}: ${m.spec.seeds.length} seed${m.spec.seeds.length === 1 ? '' : 's'} per cell on ${m.spec.protocol.data}` });
  if (!spec) return null;
  const written = await writeFigure(path.join(dir, 'sweep'), spec);
  return written.find((f) => f.endsWith('.png')) ?? null;
}
