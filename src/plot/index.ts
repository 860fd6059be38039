/**
 * Dependency-free plotting to PNG: a raster canvas with a built-in bitmap font, line charts
 * (linear or log axes), multi-panel figures and labelled scatter plots.
 *
 *   const c = renderLineChart({ title: 'ELBO', series: [{ name: 'train', points }] });
 *   writeCanvasPng('runs/x/curves.png', c);
 */
export { Canvas, measureText } from './canvas';
export type { MarkerShape, Point, StrokeOptions, TextAlign, TextBaseline, TextMetrics, TextOptions } from './canvas';
export { DEFAULT_PALETTE, OKABE_ITO, TABLEAU10, THEME, lighten, paletteColor, parseColor, toHex } from './color';
export type { Color, Rgba } from './color';
export { DEFAULT_HEIGHT, DEFAULT_WIDTH, lineChart, renderLineChart } from './line-chart';
export type { LineChartSpec, Series } from './line-chart';
export { renderPanels, tileCanvases } from './panels';
export type { PanelOptions, TileOptions } from './panels';
export { renderScatter, scatterChart, sortedLabels } from './scatter';
export type { ScatterPoint, ScatterSpec } from './scatter';
export { encodePng, writeCanvasPng } from './png';
export type { Frame, PlotRect } from './axes';
export { axisFraction, formatLinearTicks, linearAxis, logAxis, logTicks, niceStep, niceTicks } from './ticks';
export type { Axis, AxisOptions, Tick } from './ticks';
