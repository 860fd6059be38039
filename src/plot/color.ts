/**
 * Colours and palettes of the plotting module.
 *
 * Contract. A `Color` is a CSS-style hex string ('#rgb', '#rrggbb', '#rrggbbaa') or an
 * [r, g, b] / [r, g, b, a] tuple of 0..255 integers; `parseColor` turns either into an `Rgba`
 * and throws a RangeError on anything else. `DEFAULT_PALETTE` is Tableau 10 (the 2016 revision,
 * designed to stay distinguishable under the common colour-vision deficiencies); `OKABE_ITO` is
 * the 8-colour Okabe–Ito set for when fewer, maximally separated colours are wanted.
 */

/** A colour as a hex string or an RGB(A) tuple of 0..255 components. */
export type Color = string | readonly [number, number, number] | readonly [number, number, number, number];

/** A parsed colour, 0..255 per channel. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

const clamp255 = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));

/** Parses a `Color`; throws a RangeError for malformed strings. */
export function parseColor(c: Color): Rgba {
  if (typeof c !== 'string') {
    const [r, g, b, a = 255] = c;
    return { r: clamp255(r), g: clamp255(g), b: clamp255(b), a: clamp255(a) };
  }
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c.trim());
  if (m === null || m[1] === undefined) throw new RangeError(`not a colour: '${c}' (expected '#rrggbb')`);
  let hex = m[1];
  if (hex.length === 3) hex = [...hex].map((h) => h + h).join('');
  const n = (i: number): number => parseInt(hex.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: hex.length === 8 ? n(6) : 255 };
}

/** '#rrggbb' of an Rgba (alpha dropped). */
export function toHex(c: Rgba): string {
  return '#' + [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Mixes `c` toward white by `t` in [0, 1] (0 = c, 1 = white). */
export function lighten(c: Color, t: number): Rgba {
  const p = parseColor(c);
  return { r: clamp255(p.r + (255 - p.r) * t), g: clamp255(p.g + (255 - p.g) * t), b: clamp255(p.b + (255 - p.b) * t), a: p.a };
}

/** Tableau 10 (2016): blue, orange, red, teal, green, yellow, purple, pink, brown, grey. */
export const TABLEAU10: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

/** Okabe–Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black. */
export const OKABE_ITO: readonly string[] = [
  '#0072b2', '#d55e00', '#009e73', '#e69f00', '#cc79a7', '#56b4e9', '#f0e442', '#000000',
];

/** The palette series and categories take their colours from, in order. */
export const DEFAULT_PALETTE: readonly string[] = TABLEAU10;

/** The i-th colour of `palette`, cycling. */
export function paletteColor(i: number, palette: readonly Color[] = DEFAULT_PALETTE): Color {
  const n = palette.length;
  return palette[((i % n) + n) % n] as Color;
}

/** Colours of the chart furniture. */
export const THEME = {
  background: '#ffffff',
  text: '#222222',
  mutedText: '#444444',
  axis: '#555555',
  grid: '#e5e5e5',
  minorGrid: '#f2f2f2',
  legendBorder: '#cccccc',
  legendBackground: [255, 255, 255, 230] as const,
} as const;
