/**
 * Broadcasting rules, written down in one place (NumPy's): shapes are right-aligned; two
 * dimensions are compatible when equal or when one is 1; the result takes the larger.
 * Static shapes are event shapes. At run time a value is [...batch, ...event]; to broadcast
 * two values the runtime left-pads the lower-rank operand's event part with 1s, i.e. inserts
 * the 1s between its batch axes and its event axes (see inference/align.ts), so batch axes
 * line up with batch axes and event axes with event axes.
 */
import type { Shape } from './types';

/** The broadcast of two shapes, or undefined when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(Math.max(da, db));
  }
  return out;
}

/** True when a value of shape `from` broadcasts to exactly `to` (without growing it). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  const b = broadcastShapes(from, to);
  return b !== undefined && b.length === to.length && b.every((d, i) => d === to[i]);
}
