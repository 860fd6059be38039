/**
 * `vae plot RUN`: redraws every figure of a run from what it recorded, without the model:
 *  - a training run (metrics.jsonl): curves and diagnostics (src/train/figures.ts);
 *  - a `vae compare` directory (compare.json): compare, and each model's run inside it.
 * `--format svg|png` (default both), `--size WxH` (each panel's plot area, in pixels),
 * `--scale K` (PNG pixels per SVG unit), `--out DIR` (default: the run itself). Prints one path
 * per line. A directory that holds neither file, an empty metrics.jsonl or a corrupt line stops
 * with a message naming the file (and the line), exit code 1, before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Objective } from '../dsl/train-config';
import { compareSpec } from '../figures/specs/compare';
import { writeFigure, type FigureFormat } from '../figures/node/render';
import type { PanelSize } from '../figures/theme';
import { isEpoch, type EpochRecord, type MetricsRecord } from '../metrics/records';
import { readMetricsFile } from '../metrics/file';
import { RUN_FIGURES, writeRunFigures } from '../train/figures';
import { CliError, type Printer } from './errors';

export interface PlotFlags {
  format?: string;
  size?: string;
  scale?: string;
  out?: string;
  force?: boolean;
}

export interface PlotOptions {
  readonly formats: readonly FigureFormat[];
  readonly size?: PanelSize;
  readonly scale: number;
}

export function parsePlotFlags(f: PlotFlags): PlotOptions {
  const formats = (f.format ?? 'svg,png').split(',').map((s) => s.trim().toLowerCase());
  for (const x of formats) if (x !== 'svg' && x !== 'png') throw new CliError(`invalid --format '${f.format}'`, 'choose svg, png, or svg,png (the default: both)');
  let size: PanelSize | undefined;
  if (f.size !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(f.size.trim());
    const w = Number(m?.[1]);
    const h = Number(m?.[2]);
    if (!m || w < 50 || h < 50 || w > 4000 || h > 4000) throw new CliError(`invalid --size '${f.size}'`, 'give the plot area of each panel as WIDTHxHEIGHT in pixels, from 50 to 4000, e.g. --size 480x300');
    size = { width: w, height: h };
  }
  const scale = f.scale !== undefined ? Number(f.scale) : 2;
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 8)) throw new CliError(`invalid --scale '${f.scale}'`, 'give the PNG pixels per SVG pixel, a number from 0.5 to 8 (default 2)');
  return { formats: [...new Set(formats)] as FigureFormat[], ...(size ? { size } : {}), scale };
}

interface RunConfig {
  readonly program?: string;
  readonly objective?: Objective;
}

/** The program and objective from a run's config.json (absent or unreadable: neither). */
function runConfig(dir: string): RunConfig {
  try {
    const c = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { program?: unknown; settings?: { objective?: { value?: unknown } } };
    const o = c.settings?.objective?.value as Objective | undefined;
    return { ...(typeof c.program === 'string' ? { program: c.program } : {}), ...(o && typeof o === 'object' && 'kind' in o ? { objective: o } : {}) };
  } catch {
    return {};
  }
}

/** Reads a run's records; throws the CLI's message for a directory without usable metrics. */
export function runRecords(dir: string): MetricsRecord[] {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) throw new CliError(`'${dir}' holds no metrics.jsonl: it is not a training run`, 'give a run directory written by vae train (or a vae compare directory, which holds compare.json)');
  const records = readMetricsFile(file);
  if (records.length === 0) throw new CliError(`'${file}' holds no metrics yet`, 'a run writes its first lines after its first 20 steps; train longer, or wait for the run to get there');
  return records;
}

async function plotRun(dir: string, out: string, o: PlotOptions, records?: readonly MetricsRecord[]): Promise<string[]> {
  const recs = records ?? runRecords(dir);
  const cfg = runConfig(dir);
  return writeRunFigures(out, recs, { ...(cfg.program ? { title: cfg.program } : {}), ...(cfg.objective ? { objective: cfg.objective } : {}), formats: o.formats, scale: o.scale, ...(o.size ? { size: o.size } : {}) });
}

interface CompareFile {
  readonly models?: readonly { model: string }[];
  readonly curves?: readonly { model: string; history: readonly EpochRecord[] }[];
  readonly protocol?: { data?: string };
}

async function plotCompare(dir: string, out: string, o: PlotOptions): Promise<string[]> {
  const file = path.join(dir, 'compare.json');
  let saved: CompareFile;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as CompareFile;
  } catch {
    throw new CliError(`'${file}' is not valid JSON`, 'it is written by vae compare; run the comparison again');
  }
  if (!Array.isArray(saved.curves)) throw new CliError(`'${file}' has no curves`, 'it is written by vae compare; run the comparison again');
  // Each model's own run first (its records must parse), then the combined figure.
  const subruns = saved.curves.map((c) => ({ model: c.model, dir: path.join(dir, c.model.replace(/[^A-Za-z0-9._-]/g, '_')) })).filter((r) => fs.existsSync(path.join(r.dir, 'metrics.jsonl')));
  const records = subruns.map((r) => ({ ...r, records: runRecords(r.dir) }));
  const written: string[] = [];
  const curves = saved.curves.map((c) => {
    const mine = records.find((r) => r.model === c.model);
    return { model: c.model, history: mine ? mine.records.filter(isEpoch) : c.history };
  });
  const spec = compareSpec({ curves, title: `vae compare: ${curves.map((c) => c.model).join(', ')}${saved.protocol?.data ? ` on ${saved.protocol.data}` : ''}`, ...(o.size ? { size: o.size } : {}) });
  if (spec) written.push(...(await writeFigure(path.join(out, 'compare'), spec, { formats: o.formats, scale: o.scale })));
  for (const r of records) written.push(...(await plotRun(r.dir, out === dir ? r.dir : path.join(out, path.basename(r.dir)), o, r.records)));
  return written;
}

/**
 * Redrawing a run's figures in the run itself replaces vaelang's own files; elsewhere (--out),
 * existing figures are replaced only with --force.
 */
function refuseOverwrite(run: string, out: string, o: PlotOptions, isCompare: boolean): void {
  const names = (dir: string, bases: readonly string[]) => bases.flatMap((b) => o.formats.map((f) => path.join(dir, `${b}.${f}`)));
  const subruns = isCompare ? fs.readdirSync(run).filter((e) => fs.existsSync(path.join(run, e, 'metrics.jsonl'))) : [];
  const targets = isCompare ? [...names(out, ['compare']), ...subruns.flatMap((e) => names(path.join(out, e), RUN_FIGURES))] : names(out, RUN_FIGURES);
  const existing = targets.filter((t) => fs.existsSync(t));
  if (existing.length === 0) return;
  throw new CliError(`${existing.slice(0, 4).join(', ')}${existing.length > 4 ? ` and ${existing.length - 4} more` : ''} already exist${existing.length === 1 ? 's' : ''}`, 'vae plot replaces figures outside the run only when asked: add --force, or choose another --out');
}

export async function runPlotCommand(run: string, f: PlotFlags, io: Printer): Promise<number> {
  const o = parsePlotFlags(f);
  if (!fs.existsSync(run) || !fs.statSync(run).isDirectory()) throw new CliError(`'${run}' is not a directory`, 'give a run directory written by vae train or vae compare');
  const out = f.out ?? run;
  const isCompare = fs.existsSync(path.join(run, 'compare.json')) && !fs.existsSync(path.join(run, 'metrics.jsonl'));
  if (f.out !== undefined && path.resolve(f.out) !== path.resolve(run) && !f.force) refuseOverwrite(run, out, o, isCompare);
  const written = isCompare ? await plotCompare(run, out, o) : await plotRun(run, out, o);
  if (written.length === 0) throw new CliError(`nothing to draw in '${run}'`, 'the run has no finite metrics yet');
  for (const w of written) io.out(w);
  return 0;
}
