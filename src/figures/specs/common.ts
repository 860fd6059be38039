/**
 * Helpers shared by the figure specifications: superscripts, JSON-safe numbers, a robust y range
 * (so an initial transient does not flatten a whole curve), and the detection of series that
 * overlap on a chart (one would hide the other). Browser-safe.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG } from '../theme';

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '-': '⁻', '+': '⁺', '/': 'ᐟ', '(': '⁽', ')': '⁾', n: 'ⁿ', '=': '⁼',
};

/** `sup('-1/2')` is '⁻¹ᐟ²'; throws on a character with no superscript form. */
export function sup(s: string): string {
  return [...s].map((c) => {
    const t = SUPERSCRIPT[c];
    if (t === undefined) throw new RangeError(`sup: no superscript for '${c}'`);
    return t;
  }).join('');
}

/** A number for inline data: non-finite values become null (JSON has no NaN; vega skips nulls). */
export function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Vega-Lite's schema URL, recorded in every spec. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The top-level frame every figure shares: schema, theme, title and subtitle. */
export function frame(title: string, subtitle: readonly string[] | undefined): Pick<TopLevelSpec, '$schema' | 'config' | 'title'> & { background: string } {
  return {
    $schema: SCHEMA,
    background: 'white',
    config: CONFIG,
    title: subtitle && subtitle.length > 0 ? { text: title, subtitle: [...subtitle] } : title,
  };
}

/**
 * A y range for values given in x order: the full extent, unless the values after the first
 * `skip` fraction span less than a third of it (an initial transient, e.g. the ELBO of the first
 * steps); then that later extent, padded by 5%, with `clipped` set so the figure can say so.
 */
export function robustDomain(values: readonly (number | null)[], skip = 0.1): { domain: [number, number] | null; clipped: boolean } {
  const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (ok.length === 0) return { domain: null, clipped: false };
  const ext = (xs: readonly number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  const full = ext(ok);
  const start = Math.floor(values.length * skip);
  const later = values.slice(start).filter((v): v is number => v !== null && Number.isFinite(v));
  if (ok.length < 20 || later.length < 2) return { domain: null, clipped: false };
  const rest = ext(later);
  const span = rest[1] - rest[0];
  if (!(span > 0) || full[1] - full[0] <= 3 * span) return { domain: null, clipped: false };
  return { domain: [rest[0] - 0.05 * span, rest[1] + 0.05 * span], clipped: true };
}

/** A series of (x, y) points. */
export interface XySeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number | null])[];
}

/**
 * Series that would hide another: the same x values, and at every x a y within `tolerance` of
 * the y axis's span of an earlier series' (default 1.5%: 3 to 4 pixels on a 230-pixel axis,
 * about a marker's radius), compared on a log scale when `log`. The span is the series' own
 * unless `span` gives the axis's (in log units on a log axis), which other lines may widen.
 * Returns, for each series that overlaps an earlier one, the name of the first such earlier series.
 */
export function overlaps(series: readonly XySeries[], opts: { log?: boolean; tolerance?: number; span?: number } = {}): Map<string, string> {
  const tol = opts.tolerance ?? 0.015;
  const tf = (y: number): number => (opts.log ? Math.log(y) : y);
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y): y is number => y !== null && Number.isFinite(y) && (!opts.log || y > 0)).map(tf);
  const span = opts.span ?? (ys.length > 0 ? Math.max(...ys) - Math.min(...ys) : 0);
  const eps = span > 0 ? tol * span : 1e-12;
  const out = new Map<string, string>();
  for (let j = 1; j < series.length; j++) {
    const b = series[j]!;
    for (let i = 0; i < j; i++) {
      const a = series[i]!;
      if (out.has(a.name) || a.points.length !== b.points.length || a.points.length === 0) continue;
      const same = a.points.every((p, k) => {
        const q = b.points[k]!;
        if (p[0] !== q[0]) return false;
        if (p[1] === null || q[1] === null) return p[1] === q[1];
        if (opts.log && (p[1] <= 0 || q[1] <= 0)) return p[1] === q[1];
        return Math.abs(tf(p[1]) - tf(q[1])) <= eps;
      });
      if (same) {
        out.set(b.name, a.name);
        break;
      }
    }
  }
  return out;
}

/** Subtitle notes "WHERE: b overlaps a at every X (drawn dashed over it)". */
export function overlapNotes(found: ReadonlyMap<string, string>, x: string, where?: string): string[] {
  return [...found].map(([b, a]) => `${where ? `${where}: ` : ''}${b} overlaps ${a} at every ${x} (drawn dashed over it)`);
}

/**
 * Tick values for a log axis over [lo, hi] (lo > 0): the powers of ten, with 2 and 5 times them
 * when the range spans at most three decades, and with the range's own ends when it spans less
 * than one (so an axis never has fewer than two labels).
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0 && hi >= lo)) return [];
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const steps = b - a <= 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = a; e <= b; e++) for (const m of steps) {
    const v = Number((m * 10 ** e).toPrecision(12));
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  if (out.length < 2) return [...new Set([Number(lo.toPrecision(2)), ...out, Number(hi.toPrecision(2))])].sort((x, y) => x - y);
  return out;
}
