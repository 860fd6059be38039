/**
 * Report rows (one per estimator and parameter set) and their text table.
 */
import type { Side } from '../inference/params';
import type { RowGroup, RowKind } from './groups';
import type { Measurement } from './measure';
import { summarize } from './stats';

export interface Row {
  readonly estimator: string;
  /** The parameter set: a net or param, `guide` / `model` (a side), `all`, or a latent site. */
  readonly group: string;
  readonly side: Side | 'all';
  readonly kind: RowKind;
  /** Scalar components covered. */
  readonly size: number;
  /** ‖E[g]‖ over the draws. */
  readonly meanNorm: number;
  /** Σ_j Var[g_j], the trace of the covariance. */
  readonly variance: number;
  /** Mean over components of |E[g_j]| / sd[g_j] (Rainforth et al. 2018); null when nothing varies. */
  readonly snr: number | null;
  readonly msPerDraw: number;
  readonly draws: number;
  /** Particles per estimate (K under IWAE, N in an N sweep). */
  readonly particles: number;
  /** Sweep coordinates, when in a sweep. */
  readonly k?: number;
  readonly n?: number;
  /** For site rows: the groups feeding the site. */
  readonly groups?: readonly string[];
}

export function rowsOf(m: Measurement, groups: readonly RowGroup[], extra: { k?: number; n?: number } = {}): Row[] {
  return groups.map((g) => {
    const s = summarize(g.variables.map((v) => m.moments.get(v)!));
    return {
      estimator: m.planned.label,
      group: g.name,
      side: g.side,
      kind: g.kind,
      size: s.size,
      meanNorm: s.meanNorm,
      variance: s.variance,
      snr: s.snr,
      msPerDraw: m.msPerDraw,
      draws: m.draws,
      particles: m.particles,
      ...extra,
      ...(g.groups && g.kind === 'site' ? { groups: g.groups } : {}),
    };
  });
}

/** Rows worth printing: groups; sides and all when they add something; sites when there are several. */
export function shownRows(rows: readonly Row[]): Row[] {
  const groups = new Map(rows.filter((r) => r.kind === 'group').map((r) => [r.group, r.side]));
  const sides = new Map<string, number>();
  for (const side of groups.values()) for (const s of side === 'both' ? ['guide', 'model'] : [side]) sides.set(s, (sides.get(s) ?? 0) + 1);
  const sites = new Set(rows.filter((r) => r.kind === 'site').map((r) => r.group));
  return rows.filter((r) => {
    if (r.kind === 'group') return true;
    if (r.kind === 'side') return (sides.get(r.group) ?? 0) > 1;
    if (r.kind === 'all') return groups.size > 1;
    return sites.size > 1;
  });
}

export function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return x === null ? '—' : String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return x.toPrecision(4);
}

function label(r: Row): string {
  if (r.kind === 'side') return `all ${r.group}`;
  if (r.kind === 'all') return 'all parameters';
  if (r.kind === 'site') return `site ${r.group} <- ${(r.groups ?? []).join(', ') || 'none'}`;
  return r.group;
}

/** A fixed-width table of rows. */
export function formatTable(rows: readonly Row[], sweep?: 'K' | 'N'): string[] {
  const header = ['estimator', ...(sweep ? [sweep] : []), 'parameters', 'side', 'size', '‖E[g]‖', 'tr Cov[g]', 'SNR', 'ms/draw'];
  const body = rows.map((r) => [
    r.estimator,
    ...(sweep ? [String(sweep === 'K' ? r.k : r.n)] : []),
    label(r),
    r.kind === 'group' || r.kind === 'site' ? r.side : '',
    String(r.size),
    fmt(r.meanNorm),
    fmt(r.variance),
    fmt(r.snr),
    r.msPerDraw.toFixed(r.msPerDraw < 10 ? 3 : 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = new Set(header.map((h, i) => (['size', '‖E[g]‖', 'tr Cov[g]', 'SNR', 'ms/draw', 'K', 'N'].includes(h) ? i : -1)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header)];
  let last = '';
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    const key = `${b[0]}|${sweep ? b[1] : ''}`;
    if (i > 0 && key !== last) out.push('');
    last = key;
    out.push(line(b));
  }
  return out;
}
