/**
 * vaelang's figures as data: every chart is a Vega-Lite specification built from plain data
 * (metrics records, estimator measurements, points), the same in Node (rendered to SVG and PNG
 * by node/render.ts) and in a browser (rendered live, e.g. with vega-embed). Image grids are
 * composed here too, with their captions as SVG. Nothing in this entry imports Node modules.
 *
 *   import { curvesSpec, parseMetrics } from 'vaelang/figures';
 *   const spec = curvesSpec({ records: parseMetrics(text), title: 'models/vae.vae' });
 *   // Node:    await writeFigure('runs/x/curves', spec)        (vaelang's Node entry, node/index.ts)
 *   // browser: await vegaEmbed('#chart', spec)
 */
export { curvesSpec, curvesMode, SHORT_RUN_EPOCHS, type CurvesInput } from './specs/curves';
export { diagnosticsSpec, smoothingWindow, type DiagnosticsInput } from './specs/diagnostics';
export { compareSpec, type CompareCurve, type CompareInput } from './specs/compare';
export { sweepSpec, type SweepInput, type SweepPoint, type SweepSummaryPoint } from './specs/sweep';
export { snrSpec, type SnrInput, type SnrPoint } from './specs/snr';
export { varianceSpec, type VarianceInput, type VariancePoint } from './specs/variance';
export { scatterSpec, sortedLabels, type ScatterInput, type ScatterPoint } from './specs/scatter';
export { logTicks, overlaps, robustDomain, sup } from './specs/common';
export { CONFIG, FONT, FONT_FAMILY, PALETTE, PANEL, type PanelSize } from './theme';
export { composeGrid, type GridBitmap, type GridImages, type GridOptions } from './grid';
export { captionedGridSvg, captionLayout, type CaptionLayout, type GridCaptions, type GridGeometry, type Measure } from './grid-captions';
export { parseMetrics, metricsLine, isEpoch, isStep, type EpochRecord, type MetricsRecord, type StepRecord } from '../metrics/records';
export { metricsCsv, CSV_COLUMNS } from '../metrics/csv';
