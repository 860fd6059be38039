/**
 * MADE masks (Germain, Gregor, Murray & Larochelle 2015, "MADE: Masked Autoencoder for
 * Distribution Estimation", §4): a dense net whose output j depends only on the inputs that
 * come before j in an autoregressive order.
 *
 * Degrees. Input i (0-based) has degree m_in(i) = i + 1 (natural order 1..d) or d − i (reversed).
 * Hidden unit k of every hidden layer has degree m_h(k) = (k mod (d − 1)) + 1 — a fixed cyclic
 * assignment over 1..d−1 instead of the paper's random draw, so masks are deterministic and
 * every degree is used once H ≥ d − 1 (d = 1: all hidden degrees 0, the outputs are constant).
 * Output j has the degree of input j.
 *
 * Masks (eq. 12-13): M[i→k] = 1 iff m_h(k) ≥ m_in(i) (input/hidden into hidden) and
 * M[k→j] = 1 iff m_out(j) > m_h(k) (hidden into output, strict). Then output j depends only on
 * inputs i with m_in(i) < m_out(j), so the Jacobian of an IAF step in degree order is triangular.
 */

/** The degrees of the inputs (= outputs) and of each hidden layer. */
export interface MadeDegrees {
  /** m_in(i), i = 0..d−1. */
  readonly input: readonly number[];
  /** m_h per hidden layer. */
  readonly hidden: readonly (readonly number[])[];
}

/** A dense mask, row-major [rows, cols] (rows: the layer's inputs, cols: its outputs). */
export interface Mask {
  readonly shape: readonly [number, number];
  readonly values: Float32Array;
}

/**
 * The degrees for d inputs and the given hidden sizes.
 * @example madeDegrees(3, [4]) // { input: [1, 2, 3], hidden: [[1, 2, 1, 2]] }
 */
export function madeDegrees(d: number, hidden: readonly number[], reverse = false): MadeDegrees {
  const input = Array.from({ length: d }, (_, i) => (reverse ? d - i : i + 1));
  const hid = hidden.map((h) => Array.from({ length: h }, (_, k) => (d <= 1 ? 0 : (k % (d - 1)) + 1)));
  return { input, hidden: hid };
}

function mask(rows: readonly number[], cols: readonly number[], connected: (from: number, to: number) => boolean): Mask {
  const values = new Float32Array(rows.length * cols.length);
  rows.forEach((a, i) => cols.forEach((b, j) => (values[i * cols.length + j] = connected(a, b) ? 1 : 0)));
  return { shape: [rows.length, cols.length], values };
}

/**
 * The masks of a MADE with hidden sizes `hidden`: one per hidden layer ([d, H0], [H0, H1], …)
 * and the output mask [H_last, d] (shared by every output head).
 */
export function madeMasks(d: number, hidden: readonly number[], reverse = false): { hidden: Mask[]; output: Mask } {
  const deg = madeDegrees(d, hidden, reverse);
  const hiddenMasks: Mask[] = [];
  let prev = deg.input;
  for (const h of deg.hidden) {
    hiddenMasks.push(mask(prev, h, (from, to) => to >= from));
    prev = h;
  }
  return { hidden: hiddenMasks, output: mask(prev, deg.input, (from, to) => to > from) };
}
