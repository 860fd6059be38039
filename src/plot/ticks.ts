/**
 * Axis domains, "nice" ticks and tick labels.
 *
 * Contract. `niceTicks` covers [min, max] with at most `maxTicks` (≥ 3) equally spaced ticks whose step
 * is the smallest 1, 2 or 5 times a power of ten that keeps the count within bounds. The domain
 * is widened to the enclosing multiples of the step (so [0.13, 9.7] gives 0, 2, ..., 10) unless
 * that would waste more than a fifth of the axis, in which case the domain is the data range
 * padded by 4% with the ticks inside it; with `fixed` it keeps [min, max] as the domain and
 * returns the multiples of the step inside it. A degenerate range (min = max) is padded first, non-finite
 * bounds give [0, 1]. `logTicks` does the same on a log10 scale: the domain snaps outward to
 * powers of ten (unless that wastes more than a fifth of the axis: then the padded data range)
 * and the labelled ticks are powers of ten (every k-th decade when there are many), with 2 and
 * 5 multiples labelled as well when few decades are shown, and 1-2-5 or linear ticks when the
 * domain holds fewer than two powers of ten. Labels are short decimals
 * ("0.001", "2.5", "-40", "10000") or, when values are too large or too small for that,
 * exponent forms ("2.5e-7"; "10^{-7}" on log axes, drawn as a superscript). All tick values
 * are exact to the printed precision (no 0.30000000000000004).
 */

/** One labelled tick. */
export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** A resolved axis: its domain in data units, labelled ticks and unlabelled minor ticks. */
export interface Axis {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly Tick[];
  readonly minor: readonly number[];
}

/** Options of `linearAxis` / `logAxis`. */
export interface AxisOptions {
  /** The largest number of labelled ticks wanted (default 6; linear axes take at least 3). */
  readonly maxTicks?: number;
  /** A fixed domain: ticks are placed inside it and it is not widened. */
  readonly range?: readonly [number, number];
}

const STEPS = [1, 2, 5, 10];

/** The smallest 1-2-5 × 10^k at or above `raw` (> 0). */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  for (const s of STEPS) if (s * base >= raw * (1 - 1e-9)) return cleanNumber(s * base);
  return cleanNumber(10 * base);
}

/** The next 1-2-5 step above `step`. */
function nextStep(step: number): number {
  return niceStep(step * 1.0001);
}

/** Decimal places that print every multiple of a 1-2-5 `step` exactly. */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

function cleanNumber(v: number): number {
  return Number(v.toPrecision(12));
}

/** Pads a degenerate or non-finite range into a usable one. */
export function padRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    if (Number.isFinite(min)) return padRange(min, min);
    if (Number.isFinite(max)) return padRange(max, max);
    return [0, 1];
  }
  if (min > max) [min, max] = [max, min];
  if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-12 || max - min < 1e-200) {
    const m = Math.max(Math.abs(min), Math.abs(max));
    const d = m < 1e-200 ? 1 : m * 0.1;
    return [min - d, max + d];
  }
  return [min, max];
}

/** Nice linear ticks; see the module comment. */
export function niceTicks(min: number, max: number, maxTicks = 6, fixed = false): { min: number; max: number; step: number; values: number[] } {
  [min, max] = padRange(min, max);
  // Keep the span finite (±1e308 would overflow it).
  min = Math.max(min, -1e300);
  max = Math.min(max, 1e300);
  if (!(max > min)) [min, max] = padRange(min, min);
  // Three is the least that always works: a range around 0 needs -s, 0, s.
  const n = Math.max(3, Math.floor(maxTicks));
  if (!fixed) {
    // Snap the domain out to the ticks unless that wastes much of the axis; then keep a
    // slightly padded data range with the ticks inside it.
    const snapped = ticksWithin(min, max, n, false);
    if (snapped.max - snapped.min <= 1.25 * (max - min)) return snapped;
    const pad = (max - min) * 0.04;
    const inner = ticksWithin(min - pad, max + pad, n, true);
    if (inner.values.length >= Math.min(3, n)) return inner;
    return snapped;
  }
  return ticksWithin(min, max, n, true);
}

/** The smallest 1-2-5 step giving at most `n` ticks, snapped outward or kept inside. */
function ticksWithin(min: number, max: number, n: number, inside: boolean): { min: number; max: number; step: number; values: number[] } {
  let step = niceStep((max - min) / (2 * n));
  for (let guard = 0; ; guard++) {
    const lo = inside ? Math.ceil(min / step - 1e-9) : Math.floor(min / step + 1e-9);
    const hi = inside ? Math.floor(max / step + 1e-9) : Math.ceil(max / step - 1e-9);
    if (guard >= 400) return { min, max, step: max - min, values: [min, max] };
    if (hi - lo + 1 <= n) {
      const d = stepDecimals(step);
      const values: number[] = [];
      for (let i = lo; i <= hi; i++) values.push(roundTo(i * step, d));
      return inside ? { min, max, step, values } : { min: roundTo(lo * step, d), max: roundTo(hi * step, d), step, values };
    }
    step = nextStep(step);
  }
}

function roundTo(v: number, decimals: number): number {
  const r = decimals <= 15 ? Number(v.toFixed(decimals)) : cleanNumber(v);
  return r === 0 ? 0 : r; // no -0
}

/** Labels for linear ticks spaced `step` apart, one format for the whole axis. */
export function formatLinearTicks(values: readonly number[], step: number): string[] {
  const big = Math.max(0, ...values.map(Math.abs));
  if (big >= 1e6 || (big > 0 && big < 1e-3) || step < 1e-4) {
    // Exponent form with just enough mantissa digits to tell neighbours apart.
    return values.map((v) => {
      if (v === 0) return '0';
      const e = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
      const digits = Math.max(0, Math.min(6, e - Math.floor(Math.log10(step) + 1e-9)));
      const m = Number((v / 10 ** e).toFixed(digits));
      return `${m}e${e}`;
    });
  }
  const d = stepDecimals(step);
  return values.map((v) => (v === 0 ? '0' : v.toFixed(d)));
}

/** A linear axis over the data range [dataMin, dataMax]. */
export function linearAxis(dataMin: number, dataMax: number, opts: AxisOptions = {}): Axis {
  const fixed = opts.range !== undefined;
  const [a, b] = opts.range ?? [dataMin, dataMax];
  const t = niceTicks(a, b, opts.maxTicks ?? 6, fixed);
  const labels = formatLinearTicks(t.values, t.step);
  return { log: false, min: t.min, max: t.max, ticks: t.values.map((value, i) => ({ value, label: labels[i] as string })), minor: [] };
}

/** The label of 10^k on a log axis: a decimal for small |k|, else "10^{k}". */
function decadeLabel(k: number, decimal: boolean): string {
  if (!decimal) return `10^{${k}}`;
  return k >= 0 ? String(10 ** k) : (10 ** k).toFixed(-k);
}

function decimalLabel(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  return e >= 0 ? String(Math.round(v)) : v.toFixed(-e);
}

/** Log ticks over [min, max] (both > 0); see the module comment. */
export function logTicks(min: number, max: number, maxTicks = 8, fixed = false): { min: number; max: number; ticks: Tick[]; minor: number[] } {
  if (!(min > 0) || !Number.isFinite(min)) min = max > 0 && Number.isFinite(max) ? max / 10 : 1;
  if (!(max > 0) || !Number.isFinite(max)) max = min * 10;
  if (min > max) [min, max] = [max, min];
  // Stay within what 10^k can represent.
  min = Math.min(Math.max(min, 1e-300), 1e299);
  max = Math.min(Math.max(max, 1e-299), 1e300);
  if (max / min < 1 + 1e-9) {
    min /= 2;
    max *= 2;
  }
  const n = Math.max(2, Math.floor(maxTicks));
  const span = Math.log10(max / min);
  if (!fixed) {
    const lo = Math.floor(Math.log10(min) + 1e-9), hi = Math.ceil(Math.log10(max) - 1e-9);
    if (hi - lo <= 1.25 * span) {
      // Snap out to whole decades.
      min = 10 ** lo;
      max = 10 ** hi;
    } else {
      const pad = 0.04 * span;
      min = 10 ** (Math.log10(min) - pad);
      max = 10 ** (Math.log10(max) + pad);
    }
  }
  return { min, max, ...ticksInLogDomain(min, max, n) };
}

/** Labelled and minor ticks inside the log domain [min, max]. */
function ticksInLogDomain(min: number, max: number, n: number): { ticks: Tick[]; minor: number[] } {
  const inside = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const lo = Math.floor(Math.log10(min) + 1e-9), hi = Math.ceil(Math.log10(max) - 1e-9);
  const decimal = lo >= -3 && hi <= 4;
  const decadesIn: number[] = [];
  for (let k = lo; k <= hi; k++) if (inside(10 ** k)) decadesIn.push(k);
  if (decadesIn.length < 2) return innerLogTicks(min, max, n);
  const mults = (ms: readonly number[]): number[] => {
    const out: number[] = [];
    for (let k = lo; k <= hi; k++) for (const m of ms) if (inside(m * 10 ** k)) out.push(cleanNumber(m * 10 ** k));
    return out;
  };
  const label = (v: number): string => {
    const k = Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / 10 ** k);
    if (m === 1) return decadeLabel(k, decimal);
    return decimal ? decimalLabel(v) : `${m}e${k}`;
  };
  const dense = mults([1, 2, 5]);
  if (dense.length <= n && decadesIn.length <= 3) {
    return { ticks: dense.map((v) => ({ value: v, label: label(v) })), minor: mults([3, 4, 6, 7, 8, 9]) };
  }
  const every = Math.max(1, Math.ceil((decadesIn.length - 1) / (n - 1)));
  // Labelled decades: multiples of `every`, so the labels read 10^-6, 10^-3, 10^0, ...
  const first = decadesIn[0] as number;
  const aligned = Math.ceil(first / every) * every;
  const count = (start: number): number => decadesIn.filter((k) => (k - start) % every === 0).length;
  const start = count(aligned) >= 2 ? aligned : first;
  const ticks: Tick[] = [];
  const minor: number[] = [];
  for (const k of decadesIn) {
    if ((k - start) % every === 0) ticks.push({ value: cleanNumber(10 ** k), label: label(10 ** k) });
    else if (decadesIn.length <= 40) minor.push(cleanNumber(10 ** k));
  }
  if (every === 1 && decadesIn.length <= 9) minor.push(...mults([2, 3, 4, 5, 6, 7, 8, 9]));
  return { ticks, minor };
}

/** Ticks strictly inside [min, max] of a log domain spanning little: 1-2-5 values, else linear. */
function innerLogTicks(min: number, max: number, n: number): { ticks: Tick[]; minor: number[] } {
  const inside = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const decimal = lo >= -3 && hi <= 4;
  for (const mult of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const vals: number[] = [];
    for (let k = lo; k <= hi; k++) for (const m of mult) if (inside(m * 10 ** k)) vals.push(cleanNumber(m * 10 ** k));
    if (vals.length >= 3 && vals.length <= n) {
      return { ticks: vals.map((v) => ({ value: v, label: decimal ? decimalLabel(v) : formatLinearTicks([v], v / 10)[0] as string })), minor: [] };
    }
    if (vals.length > n) break;
  }
  const t = niceTicks(min, max, Math.min(n, 5), true);
  const labels = formatLinearTicks(t.values, t.step);
  const ticks = t.values.map((value, i) => ({ value, label: labels[i] as string })).filter((t2) => t2.value > 0);
  return { ticks, minor: [] };
}

/** A log10 axis over the positive data range [dataMin, dataMax]. */
export function logAxis(dataMin: number, dataMax: number, opts: AxisOptions = {}): Axis {
  const fixed = opts.range !== undefined;
  const [a, b] = opts.range ?? [dataMin, dataMax];
  const t = logTicks(a, b, opts.maxTicks ?? 8, fixed);
  return { log: true, min: t.min, max: t.max, ticks: t.ticks, minor: t.minor };
}

/** Where `v` falls along `axis`, 0 at its min and 1 at its max (NaN for v ≤ 0 on a log axis). */
export function axisFraction(axis: Axis, v: number): number {
  if (axis.log) {
    if (!(v > 0)) return NaN;
    return (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  }
  return (v - axis.min) / (axis.max - axis.min);
}
