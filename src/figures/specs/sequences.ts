/**
 * `vae sample`'s figure for sequence data (`x[t] ~ ...` over `data x: Real[T, D]`): one panel
 * per observed dimension, the step on the x axis, one coloured line per drawn sequence.
 *
 * Contract of `sequencesSpec`: `values[s][t][d]` is dimension d at step t of sequence s; the
 * panels are stacked in dimension order; non-finite values are left out. Browser-safe: data in,
 * Vega-Lite spec out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PALETTE } from '../theme';
import { frame } from './common';

export interface SequencesInput {
  readonly values: readonly (readonly (readonly number[])[])[];
  /** The data's name, e.g. `x`: panels are titled `x[t][0]`, `x[t][1]`, ... */
  readonly name: string;
  readonly title: string;
  readonly subtitle?: readonly string[];
}

export function sequencesSpec(input: SequencesInput): TopLevelSpec {
  const rows: { step: number; value: number; sequence: string; dim: string }[] = [];
  input.values.forEach((seq, s) =>
    seq.forEach((step, t) =>
      step.forEach((v, d) => {
        if (Number.isFinite(v)) rows.push({ step: t, value: v, sequence: `sequence ${s + 1}`, dim: `${input.name}[t][${d}]` });
      }),
    ),
  );
  const n = input.values.length;
  return {
    ...frame(input.title, input.subtitle),
    data: { values: rows },
    facet: { row: { field: 'dim', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 420,
      height: 120,
      mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step t', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false, nice: true } },
        color: { field: 'sequence', type: 'nominal', title: null, sort: null, scale: { range: Array.from({ length: n }, (_, i) => PALETTE[i % PALETTE.length]!) }, legend: n <= 10 ? {} : null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
