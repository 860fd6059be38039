/** `vae check FILE`: diagnostics, then the estimator plan. `--json` gives both as data. */
import { checkFile } from '../check';
import { diagnosticToJson, renderDiagnostics } from '../dsl/render-diagnostic';
import { describeDist, explainSite, type Plan } from '../inference/plan';
import { parseEstimatorFlags, parseObjectiveFlag } from './flags';
import type { Printer } from './errors';
import { formatTensorType } from '../dsl/types';
import { formatObjective } from '../dsl/train-config';
import type { CheckedProgram } from '../dsl/checked';
import { describeLayer, formatLayerShape } from '../dsl/layers';

export interface CheckFlags {
  json?: boolean;
  set?: string[];
  estimator?: string[];
  objective?: string;
}

/** A step's explanation with addresses relative to its step (`z[t - 1]`), so that steps with the same decision read alike. */
function relativeToStep(text: string, step: number): string {
  return text.replace(/\b([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]/g, (_, base: string, k: string) => {
    const d = Number(k) - step;
    return `${base}[t${d === 0 ? '' : d > 0 ? ` + ${d}` : ` - ${-d}`}]`;
  });
}

/** Plan rows, with consecutive steps of a sequence that share their decision joined into one row (`z[1..9]`). */
function planRows(plan: Plan): string[][] {
  const rows: { base: string | null; from: number; to: number; cells: string[] }[] = [];
  for (const s of plan.sites) {
    const step = s.guide.step;
    const why = explainSite(s, plan.freeBits);
    const cells = [s.name, describeDist(s.guide), s.estimator, step ? relativeToStep(why, step.index) : why];
    const last = rows[rows.length - 1];
    if (step && last && last.base === step.base && last.to === step.index - 1 && last.cells.slice(1).every((c, i) => c === cells[i + 1])) {
      last.to = step.index;
      continue;
    }
    rows.push({ base: step?.base ?? null, from: step?.index ?? 0, to: step?.index ?? 0, cells });
  }
  return rows.map((r) => {
    if (r.base === null) return r.cells;
    if (r.from === r.to) return [`${r.base}[${r.from}]`, ...r.cells.slice(1, 3), r.cells[3]!.replace(/\[t( [+-] \d+)?\]/g, (_, d: string | undefined) => `[${r.from + (d ? Number(d.replace(/ /g, '')) : 0)}]`)];
    return [`${r.base}[${r.from}..${r.to}]`, ...r.cells.slice(1)];
  });
}

export function formatPlan(plan: Plan): string {
  const rows = planRows(plan);
  const header = ['site', 'distribution', 'estimator', 'why'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ')}`;
  const obj = formatObjective(plan.objective);
  if (rows.length === 0) return `estimator plan (objective: ${obj}): no latent sites`;
  const note = plan.chainRefused ? [`  note: ${plan.chainRefused}`] : [];
  return [`estimator plan (objective: ${obj}):`, line(header), ...rows.map(line), ...note].join('\n');
}

/** The layer shapes of every `sequential` net, one line per layer (nothing for mlp/linear nets). */
export function formatLayerShapes(checked: CheckedProgram): string {
  const out: string[] = [];
  for (const n of checked.nets) {
    if (n.body.kind !== 'sequential') continue;
    const rows: [string, string][] = [['input', formatLayerShape(n.body.layers[0]!.input)], ...n.body.layers.map((l): [string, string] => [describeLayer(l), formatLayerShape(l.output)])];
    if (n.body.ending === 'heads') rows.push(['heads', n.outputs.map((o) => (o.name ? `${o.name} ` : '') + formatTensorType(o.type)).join(', ')]);
    const width = Math.max(...rows.map((r) => r[0].length));
    out.push(`net ${n.name}:`, ...rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`));
  }
  return out.join('\n');
}

export function sitesJson(checked: CheckedProgram, plan: Plan) {
  const all = [...checked.model.sites, ...checked.guide.sites];
  return all.map((s) => {
    const p = plan.sites.find((q) => q.name === s.name);
    return {
      name: s.name,
      block: s.block,
      type: formatTensorType(s.type),
      distribution: s.spec.name,
      observed: s.observed === 'yes' ? true : s.observed === 'partial' ? 'partial' : false,
      estimator: s.block === 'guide' ? (p?.estimator ?? null) : null,
      reason: s.block === 'guide' ? (p?.reason ?? null) : null,
      kl: s.block === 'guide' ? (p?.kl ?? null) : null,
      klReason: s.block === 'guide' ? (p?.klReason ?? null) : null,
      signal: s.block === 'guide' ? (p?.signal ?? null) : null,
    };
  });
}

export function runCheck(file: string, flags: CheckFlags, io: Printer): number {
  const overrides = parseEstimatorFlags(flags.estimator ?? []);
  const objective = flags.objective !== undefined ? parseObjectiveFlag(flags.objective) : undefined;
  const r = checkFile(file, { sets: flags.set ?? [], overrides, ...(objective ? { objective } : {}) });
  const ok = r.checked !== undefined;
  if (flags.json) {
    const out = {
      ok,
      diagnostics: r.diagnostics.map((d) => diagnosticToJson(d, r.sources)),
      sites: r.checked && r.plan ? sitesJson(r.checked, r.plan) : [],
    };
    io.out(JSON.stringify(out, null, 2));
    return ok ? 0 : 1;
  }
  if (r.diagnostics.length > 0) io.err(renderDiagnostics(r.diagnostics, r.sources, { color: io.color }));
  if (!ok || !r.checked || !r.plan) return 1;
  const latents = r.plan.sites.length;
  io.out(`${file}: ok (${r.checked.model.sites.length} model site${r.checked.model.sites.length === 1 ? '' : 's'}, ${latents} latent)`);
  io.out(formatPlan(r.plan));
  const layers = formatLayerShapes(r.checked);
  if (layers) io.out(`layer shapes:\n${layers.replace(/^/gm, '  ')}`);
  const sequences = formatSequences(r.checked);
  if (sequences) io.out(sequences);
  return 0;
}

/**
 * Sequences of up to T steps (`data x: Real[..T, D]`): which steps follow each example's length,
 * e.g. `  x: up to T = 10 steps; z[0..9], x[0..9] count before each example's length; nets over it: backward`.
 */
export function formatSequences(checked: CheckedProgram): string {
  const out: string[] = [];
  for (const d of checked.data) {
    if (!d.upTo) continue;
    const bound = d.upTo.bound;
    const bases = new Map<string, number[]>();
    for (const s of [...checked.model.sites, ...checked.guide.sites]) {
      if (s.step?.upTo !== bound) continue;
      const steps = bases.get(s.step.base) ?? [];
      if (!steps.includes(s.step.index)) steps.push(s.step.index);
      bases.set(s.step.base, steps);
    }
    const sites = [...bases].map(([b, steps]) => `${b}[${Math.min(...steps)}..${Math.max(...steps)}]`).join(', ');
    const nets = checked.nets.filter((n) => n.upTo === bound).map((n) => n.name);
    out.push(`  ${d.name}: up to ${bound} = ${d.upTo.max} steps; ${sites || 'no site'} count${bases.size === 1 ? 's' : ''} before each example's length${nets.length > 0 ? `; ${nets.join(', ')} stop${nets.length === 1 ? 's' : ''} there` : ''}`);
  }
  return out.length > 0 ? `sequences (NaN after an example's last step is padding):\n${out.join('\n')}` : '';
}
