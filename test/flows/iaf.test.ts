import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as iaf from '../../src/flows/iaf';
import { madeDegrees, madeMasks } from '../../src/flows/made';
import { expectClose, flat, jacobianAD, jacobianFD, logAbsDet, randomParams, randomPoints, vals } from './helpers';

/** (d, options) cases: both orders, one and two hidden layers, with and without context. */
const CASES: [number, iaf.IafOptions][] = [
  [2, {}],
  [3, { reverse: true, hidden: [7] }],
  [5, { hidden: [6, 5], contextDim: 3 }],
  [5, { reverse: true, hidden: [9], contextDim: 2, sigmoidBias: 0.5, activation: 'tanh' }],
];

describe('MADE masks', () => {
  it('assigns input degrees 1..d (or d..1) and cyclic hidden degrees over 1..d-1', () => {
    expect(madeDegrees(3, [4])).toEqual({ input: [1, 2, 3], hidden: [[1, 2, 1, 2]] });
    expect(madeDegrees(4, [5, 2], true)).toEqual({ input: [4, 3, 2, 1], hidden: [[1, 2, 3, 1, 2], [1, 2]] });
    expect(madeDegrees(1, [2])).toEqual({ input: [1], hidden: [[0, 0]] });
  });

  it('connects input i to output j (through some path) iff deg(i) < deg(j)', () => {
    for (const [d, hidden, reverse] of [[5, [7], false], [5, [6, 5], true], [4, [3, 3, 3], false]] as const) {
      const masks = madeMasks(d, hidden, reverse);
      const deg = madeDegrees(d, hidden, reverse).input;
      // Path counts: the product of the 0/1 masks, [d, d] (input rows, output columns).
      let paths: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
      for (const m of [...masks.hidden, masks.output]) {
        const [r, c] = m.shape;
        expect(r).toBe(paths[0]!.length); // the masks chain: [d, H0], [H0, H1], ..., [H_last, d]
        paths = paths.map((row) => Array.from({ length: c }, (_, k) => row.reduce((s, v, q) => s + v * m.values[q * c + k]!, 0)));
      }
      expect(paths[0]!.length).toBe(d);
      // Every hidden layer has H >= d - 1 units, so every allowed connection exists.
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(paths[i]![j]! > 0).toBe(deg[i]! < deg[j]!);
    }
  });
});

describe('IAF layer', () => {
  for (const [d, opts] of CASES) {
    const label = `d = ${d}, ${JSON.stringify(opts)}`;
    it(`logDet = Σ log σ = log|det J|, and J is triangular in the autoregressive order (${label})`, () => {
      tf.tidy(() => {
        const params = randomParams(iaf.paramShapes(d, opts), 60 + d, 0.7);
        const N = 12;
        const ctx = opts.contextDim ? randomPoints([N, opts.contextDim], 61) : undefined; // [N, c]
        const layer = iaf.build(params, opts, ctx);
        const z = randomPoints([N, d], 62 + d); // [N, d]
        const ld = vals(layer.forward(z).logDet); // [N]
        const J = jacobianAD((x) => layer.forward(x).z, z);
        // Autodiff Jacobian: float32 rounding only -> tol 1e-4 + 1e-4 |ref|.
        expectClose(ld, J.map(logAbsDet), 1e-4, 1e-4, 'autodiff');
        // Central differences entrywise, h = 5e-3 (ELU is only C1: a kink within h of a point costs
        // O(h) in the entries through it) -> tol 3e-3 (1 + |J|) (arithmetic in planar.test.ts).
        const fd = jacobianFD((x) => layer.forward(x).z, z, 5e-3);
        expectClose(flat(fd), flat(J), 3e-3, 3e-3, 'finite differences');
        // Triangular: with position p(i) of dimension i in the order, ∂z'_i/∂z_j = 0 exactly when
        // p(j) > p(i) (masked weights are exact zeros, in both Jacobians), and the diagonal is σ.
        const pos = new Map(layer.order.map((dim, k) => [dim, k]));
        let below = 0;
        for (const [n, Jn] of J.entries()) {
          for (let i = 0; i < d; i++) {
            for (let j = 0; j < d; j++) {
              if (pos.get(j)! > pos.get(i)!) {
                expect(Jn[i]![j]).toBe(0);
                expect(fd[n]![i]![j]).toBe(0);
              } else if (i !== j) below += Math.abs(Jn[i]![j]!);
            }
          }
          // log det of a triangular matrix = Σ log diag = Σ log σ (tol: float32 rounding).
          const diag = Jn.reduce((s, row, i) => s + Math.log(Math.abs(row[i]!)), 0);
          expect(Math.abs(diag - ld[n]!)).toBeLessThan(1e-4 + 1e-4 * Math.abs(diag));
        }
        // ...and the strictly lower part is non-trivial (the step is really autoregressive).
        expect(below).toBeGreaterThan(1e-2);
      });
    });
  }

  it('context [B, c] broadcasts against z [K, B, d] and changes the output', () => {
    tf.tidy(() => {
      const [K, B, d, c] = [3, 4, 3, 2];
      const opts: iaf.IafOptions = { contextDim: c, hidden: [5] };
      const params = randomParams(iaf.paramShapes(d, opts), 70, 0.7);
      const ctx = randomPoints([B, c], 71); // [B, c]
      const layer = iaf.build(params, opts, ctx);
      expect(layer.batchShape).toEqual([B]);
      const z = randomPoints([K, B, d], 72); // [K, B, d]
      const res = layer.forward(z);
      expect(res.z.shape).toEqual([K, B, d]);
      expect(res.logDet.shape).toEqual([K, B]);
      const other = iaf.build(params, opts, tf.add(ctx, 1)).forward(z);
      expect(vals(tf.max(tf.abs(tf.sub(other.z, res.z))))[0]!).toBeGreaterThan(1e-3);
      // Per-example Jacobians of the [K, B] points still match.
      expectClose(vals(res.logDet), jacobianAD((x) => layer.forward(x).z, z).map(logAbsDet), 1e-4, 1e-4, 'context');
    });
  });

  it('rejects a missing or unexpected context and mismatched options', () => {
    tf.tidy(() => {
      const withCtx = randomParams(iaf.paramShapes(3, { contextDim: 2 }), 1);
      expect(() => iaf.build(withCtx, { contextDim: 2 })).toThrow(/no context was given/);
      const plain = randomParams(iaf.paramShapes(3), 2);
      expect(() => iaf.build(plain, {}, tf.zeros([4, 2]))).toThrow(/no context weights/);
      expect(() => iaf.build(plain, { hidden: [4] })).toThrow(/'l0.w' has shape \[3, 6\], expected \[3, 4\]/);
    });
  });
});
