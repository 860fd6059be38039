/**
 * Measuring gradient estimators (`vae estimators`, docs/estimators.md): specs, their plans,
 * the draws and their moments, report rows and sweep plots.
 *
 * @example
 *   const prog = compile(source);
 *   const planned = planSpec(prog.checked, parseSpec('iwae:10+dreg'), 'model.vae');
 *   const m = measure(prog, prog.batch({ x }), planned, { draws: 1000, seed: 1 });
 *   const rows = rowsOf(m, rowGroups(prog.store, prog.checked, ['z']));
 */
export { parseSpec, parseSpecs, parseSweep, sweepName, withK, type EstimatorSpec, type SiteKind, type Sweep } from './spec';
export { describePlan, planSpec, type PlannedSpec } from './planning';
export { canVectorize, measure, type Measurement, type MeasureOptions } from './measure';
export { Moments, summarize, type Summary } from './stats';
export { rowGroups, siteGroups, type RowGroup, type RowKind } from './groups';
export { formatTable, rowsOf, shownRows, type Row } from './report';
export { snrVsKChart, varianceVsNChart } from './plots';
