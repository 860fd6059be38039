/**
 * The look shared by every figure: one font (DejaVu Sans, shipped with the package and given to
 * resvg explicitly, see node/font.ts), a white background, the Tableau 10 palette, light grids,
 * and normal-weight text everywhere (only the regular face is shipped, so the SVG and the PNG
 * look the same). Browser-safe: no Node imports.
 */
import type { Config } from 'vega-lite';

/** The font family every figure names (the shipped TTF's family name first, fallbacks after). */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT = `${FONT_FAMILY}, Verdana, Arial, sans-serif`;

/** Tableau 10, vega's default categorical scheme, spelled out so the reference lines can use grays. */
export const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'] as const;

/** Reference lines (slopes, noise floors): drawn in grays, outside the palette. */
export const REFERENCE_GRAY = '#7f7f7f';
export const LIGHT_GRAY = '#b0b0b0';

/** Dash patterns, in order: solid, then patterns distinct at a glance (used for overlapping series). */
export const DASHES: readonly (readonly number[])[] = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3]];

/** Plot-area size of one panel (pixels), unless the caller gives one. */
export const PANEL = { width: 360, height: 230 } as const;

/** The panel size of a figure: the caller's, or the default. */
export interface PanelSize {
  readonly width?: number;
  readonly height?: number;
}

export function panelSize(s: PanelSize | undefined): { width: number; height: number } {
  return { width: Math.round(s?.width ?? PANEL.width), height: Math.round(s?.height ?? PANEL.height) };
}

export const CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d0d0' },
  title: { fontSize: 14, fontWeight: 'normal', anchor: 'start', offset: 8, subtitleFontSize: 11, subtitleColor: '#555555', subtitlePadding: 4 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#222222',
    labelColor: '#333333',
    gridColor: '#ececec',
    domainColor: '#888888',
    tickColor: '#888888',
    labelFlush: false,
  },
  // Flush end labels keep every panel's plot area (and so its title) at the same height.
  axisY: { labelFlush: true },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', symbolStrokeWidth: 2, labelLimit: 260, orient: 'right' },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', labelFontWeight: 'normal' },
  range: { category: [...PALETTE] },
  line: { strokeWidth: 1.8 },
  point: { size: 36, filled: true },
  concat: { spacing: 28 },
  facet: { spacing: 28 },
};
