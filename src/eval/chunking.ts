/**
 * How much of an evaluation runs at once. A forward pass over a minibatch holds every
 * intermediate tensor for examples × particles × enumerated configurations "cells" (each
 * enumerated site adds an axis of its support size: M2's y multiplies every cell by 10), and
 * each cell holds about `floatsPerCell` numbers: the data, the sites and every net's layers.
 * Chunks are sized so that cells × configurations × floatsPerCell stays under one budget.
 *
 * The budget, 8.4e7 floats (336 MB per copy of the forward pass), is what `models/vae.vae`
 * ran with before (20,000 example-particles of 4,186 floats; peak RSS about 1.9 GB at IWAE-5000),
 * so its speed is unchanged; a program with enumeration or wider layers gets smaller chunks
 * (`models/m2.vae`: 1,466 particles of one example per chunk, against 20,000 × 10 before).
 */
import type { CheckedProgram } from '../dsl/checked';
import type { Layer } from '../dsl/layers';
import type { NetBody } from '../dsl/net-bodies';
import { numel } from '../dsl/types';
import type { Plan } from '../inference/plan';

export const CELL_FLOAT_BUDGET = 8.4e7;

/**
 * The enumerated configurations a value holds at once (1 without enumeration): the joint
 * configurations of the enumerated sites, or for a Markov chain (src/inference/markov.ts) those of
 * two adjacent steps, the two axes its steps share.
 */
export function enumeratedConfigurations(plan: Plan): number {
  const chain = plan.chain;
  if (chain) return chain.sizes.reduce((m, n, i) => Math.max(m, i === 0 ? n : chain.sizes[i - 1]! * n), 1);
  return plan.sites.filter((s) => s.estimator === 'enumerate').reduce((n, s) => n * (s.supportSize ?? 1), 1);
}

/**
 * Numbers a forward pass holds per cell: every data value, every site's value (a label counts as
 * its one-hot vector), each net's inputs, layer outputs and outputs, and for a VampPrior or a
 * mixture prior of k components the [k, d] terms of its log-density (three copies: difference,
 * square, per-component density).
 */
export function floatsPerCell(checked: CheckedProgram): number {
  let n = 0;
  for (const d of checked.data) n += d.type.vk === 'Category' ? (d.type.classes ?? 1) : numel(d.type.shape);
  for (const s of [...checked.model.sites, ...checked.guide.sites]) {
    n += s.type.vk === 'Category' ? (s.type.classes ?? 1) : numel(s.shape);
    const target = checked.calls.get(s.call);
    if (target && (target.kind === 'vamp' || target.kind === 'mixture')) n += 3 * target.k * numel(s.shape);
  }
  for (const net of checked.nets) {
    n += net.inputs.reduce((a, t) => a + numel(t.shape), 0);
    n += bodyFloats(net.body);
    n += net.outputs.reduce((a, o) => a + numel(o.type.shape), 0);
  }
  return Math.max(1, n);
}

/** The numbers a net body's layers hold per cell (outputs of every layer; recurrent: every step's state). */
function bodyFloats(body: NetBody): number {
  switch (body.kind) {
    case 'mlp':
    case 'linear':
      return body.hidden.reduce((a, h) => a + h, 0);
    case 'sequential':
      return layerFloats(body.layers);
    case 'gru':
    case 'lstm':
      // Gates (3 or 4 of hidden size) and the state, at every step.
      return body.steps * body.hidden * (body.kind === 'gru' ? 4 : 6);
  }
}

function layerFloats(layers: readonly Layer[]): number {
  return layers.reduce((a, l) => a + numel(l.output) + (l.kind === 'residual' ? layerFloats(l.layers) : 0), 0);
}

export interface ChunkSizes {
  /** Examples per chunk. */
  readonly examples: number;
  /** Particles per chunk (all of them when an example's particles fit at once). */
  readonly particles: number;
}

/**
 * Examples and particles per chunk: all particles of as many examples as fit, else one example
 * with as many particles as fit (at least one of each: a single cell of a program wider than the
 * budget still runs).
 * @example chunkSizes({ examples: 10000, particles: 5000, configurations: 10, floatsPerCell: 5730 }) // { examples: 1, particles: 1466 }
 */
export function chunkSizes(o: { examples: number; particles: number; configurations: number; floatsPerCell: number; maxExamples?: number; budget?: number }): ChunkSizes {
  const cells = Math.max(1, Math.floor((o.budget ?? CELL_FLOAT_BUDGET) / (o.floatsPerCell * o.configurations)));
  const maxExamples = Math.max(1, Math.min(o.examples, o.maxExamples ?? Infinity));
  if (o.particles <= cells) return { examples: Math.max(1, Math.min(maxExamples, Math.floor(cells / o.particles))), particles: o.particles };
  return { examples: 1, particles: cells };
}

/** Chunk sizes of an evaluation of `prog` with `particles` per example. */
export function evalChunks(checked: CheckedProgram, plan: Plan, examples: number, particles: number, opts: { maxExamples?: number; budget?: number } = {}): ChunkSizes {
  return chunkSizes({ examples, particles, configurations: enumeratedConfigurations(plan), floatsPerCell: floatsPerCell(checked), ...opts });
}
