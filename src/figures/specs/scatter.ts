/**
 * `vae sample --scatter`'s figure: 2-D points (posterior means, or their first two principal
 * components) coloured by class.
 *
 * Contract of `scatterSpec`. Each distinct label gets the next palette colour in sorted order
 * (numbers ascending, then strings); past ten labels the colours repeat with another marker
 * shape, so every class stays distinguishable. Unlabelled points are gray, listed last in the
 * legend as "unlabelled".
 * Points are listed in a fixed pseudo-random order, so no class hides the others by coming
 * last, and are more transparent the more there are. Non-finite points are left out.
 * Browser-safe: data in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PALETTE, panelSize, type PanelSize } from '../theme';
import { frame } from './common';

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly label?: number | string;
}

export interface ScatterInput {
  readonly points: readonly ScatterPoint[];
  readonly title: string;
  readonly subtitle?: readonly string[];
  readonly xTitle: string;
  readonly yTitle: string;
  /** Legend names: `names[label]` for numeric labels, or a record keyed by label. */
  readonly labelNames?: readonly string[] | Readonly<Record<string, string>>;
  readonly size?: PanelSize;
}

const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'cross'] as const;
const GRAY = '#9a9a9a';
export const UNLABELLED = 'unlabelled';

/** The distinct labels in display order: numbers ascending, then strings. */
export function sortedLabels(points: readonly ScatterPoint[]): (number | string)[] {
  const set = new Set<number | string>();
  for (const p of points) if (p.label !== undefined) set.add(p.label);
  return [...set].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function nameOf(label: number | string, names: ScatterInput['labelNames']): string {
  if (names !== undefined) {
    const n = Array.isArray(names) ? (typeof label === 'number' ? (names as readonly string[])[label] : undefined) : (names as Readonly<Record<string, string>>)[String(label)];
    if (n !== undefined) return n;
  }
  return String(label);
}

/** A fixed shuffle of 0..n-1 (xorshift32): the order the points are drawn in. */
export function drawOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export function scatterSpec(input: ScatterInput): TopLevelSpec {
  const pts = input.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const n = pts.length;
  const size = panelSize(input.size ?? { width: 460, height: 400 });
  const labels = sortedLabels(pts);
  const names = labels.map((l) => nameOf(l, input.labelNames));
  const nameByLabel = new Map(labels.map((l, i) => [l, names[i]!]));
  const order = drawOrder(n);
  const values = Array.from(order, (i) => {
    const p = pts[i]!;
    return { x: p.x, y: p.y, class: p.label === undefined ? UNLABELLED : nameByLabel.get(p.label)! };
  });
  const domain = pts.some((p) => p.label === undefined) ? [...names, UNLABELLED] : names;
  const colors = [...names.map((_, i) => PALETTE[i % PALETTE.length]!), GRAY];
  const opacity = n <= 300 ? 0.9 : n <= 3000 ? 0.7 : 0.5;
  const pointSize = n <= 300 ? 40 : n <= 3000 ? 18 : 10;
  const labelled = names.length > 0;
  const shapes = [...names.map((_, i) => SHAPES[Math.floor(i / PALETTE.length) % SHAPES.length]!), 'circle'];
  const encoding = {
    x: { field: 'x', type: 'quantitative', title: input.xTitle, scale: { zero: false, nice: true } },
    y: { field: 'y', type: 'quantitative', title: input.yTitle, scale: { zero: false, nice: true } },
    ...(labelled
      ? {
          color: { field: 'class', type: 'nominal', title: 'class', sort: null, scale: { domain, range: colors.slice(0, domain.length) }, legend: { symbolOpacity: 1 } },
          ...(names.length > PALETTE.length ? { shape: { field: 'class', type: 'nominal', sort: null, scale: { domain, range: shapes.slice(0, domain.length) } } } : {}),
        }
      : {}),
  };
  return {
    ...frame(input.title, input.subtitle),
    data: { values },
    width: size.width,
    height: size.height,
    mark: { type: 'point', filled: true, size: pointSize, opacity, ...(labelled ? {} : { color: PALETTE[0] }) },
    encoding,
  } as TopLevelSpec;
}
