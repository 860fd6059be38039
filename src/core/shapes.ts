/**
 * Shapes and broadcasting, written down once (NumPy's rule) for the checker and the runtime:
 * shapes are right-aligned; two dimensions are compatible when equal or when one is 1; the
 * result takes the larger.
 *
 * Static shapes are event shapes (the checker's types). At run time a value is
 * [...batch, ...event]; to combine two values the runtime gives the lower-rank one 1s between
 * its batch axes and its event axes (inference/align.ts padEvent), so batch axes line up with
 * batch axes and event axes with event axes, and then broadcasts the full shapes by this rule.
 */

export type Shape = readonly number[];

/** The broadcast of any number of shapes, or undefined when two of them are incompatible. */
export function broadcast(...shapes: readonly Shape[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      const o = out[j]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[j] = d;
      else return undefined;
    }
  }
  return out;
}

/** True when a value of shape `from` broadcasts to exactly `to` (without growing it). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  const b = broadcast(from, to);
  return b !== undefined && sameShape(b, to);
}

/** True when the two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The product of a shape's dimensions (1 for []). */
export function numel(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `[a, b, c]`, as messages show a shape. */
export function formatShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}
