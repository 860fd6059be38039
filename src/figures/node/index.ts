/**
 * The Node side of the figures: rendering specs to SVG and PNG with the shipped font, writing
 * figures atomically, captioned image grids, and the font's metrics. Browser code uses
 * ../index.ts (the specs) instead.
 */
export { figureBase, renderSvg, svgToPng, writeFigure, writeSvgFigure, type FigureFormat, type RenderedSvg, type WriteOptions } from './render';
export { FONT_FILE, shippedFontMetrics, useFontMetrics } from './font';
export { fontMetrics, type FontMetrics } from './font-metrics';
export { gridFigureLayout, gridPng, writeGridFigure } from './grid-figure';
