import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as coupling from '../../src/flows/coupling';
import { createParams } from '../../src/flows/common';
import { ParamStore } from '../../src/inference/params';
import { expectClose, flat, jacobianAD, jacobianFD, logAbsDet, randomParams, randomPoints, rng, vals } from './helpers';

const CASES: [number, coupling.CouplingOptions][] = [
  [2, {}],
  [3, { mask: 'half', flip: true, hidden: [5] }],
  [5, { mask: 'checkerboard', flip: true, hidden: [6, 4], activation: 'tanh' }],
  [5, { mask: 'half', contextDim: 3 }],
];

describe('affine coupling layer', () => {
  it('builds checkerboard and half masks, flipped or not', () => {
    expect(coupling.couplingMask(5)).toEqual([1, 0, 1, 0, 1]);
    expect(coupling.couplingMask(5, 'checkerboard', true)).toEqual([0, 1, 0, 1, 0]);
    expect(coupling.couplingMask(5, 'half')).toEqual([1, 1, 1, 0, 0]);
    expect(coupling.couplingMask(4, 'half', true)).toEqual([0, 0, 1, 1]);
  });

  for (const [d, opts] of CASES) {
    const label = `d = ${d}, ${JSON.stringify(opts)}`;
    it(`forward and inverse logDet = log|det J|; inverse(forward(z)) = z (${label})`, () => {
      tf.tidy(() => {
        // N(0, 0.7²) weights (the heads are zero at init: randomize them for a non-trivial map).
        const params = randomParams(coupling.paramShapes(d, opts), 80 + d, 0.7, [], { scale: 1 });
        const N = 12;
        const ctx = opts.contextDim ? randomPoints([N, opts.contextDim], 81) : undefined; // [N, c]
        const layer = coupling.build(params, opts, ctx);
        const z = randomPoints([N, d], 82 + d); // [N, d]
        const fwd = layer.forward(z);
        const ld = vals(fwd.logDet); // [N]
        // Autodiff Jacobian (float32 rounding only) -> 1e-4 + 1e-4 |ref|; central differences
        // entrywise with h = 5e-3 -> 3e-3 (1 + |J|) (see planar.test.ts for the arithmetic).
        const J = jacobianAD((x) => layer.forward(x).z, z);
        expectClose(ld, J.map(logAbsDet), 1e-4, 1e-4, 'forward autodiff');
        expectClose(flat(jacobianFD((x) => layer.forward(x).z, z, 5e-3)), flat(J), 3e-3, 3e-3, 'forward finite differences');
        // The map is non-trivial: some dimension moved.
        expect(vals(tf.max(tf.abs(tf.sub(fwd.z, z))))[0]!).toBeGreaterThan(1e-2);

        // Round trip: z -> y -> z. |s| <= |scale| ~ 1, so exp(±s) amplifies float32 rounding of y
        // (~1e-7 |y|, |y| < 20) by at most e^2 -> error < 2e-5; tol 1e-4.
        const back = layer.inverse(fwd.z);
        expectClose(vals(back.z), vals(z), 1e-4, 0, 'inverse(forward(z))');
        // logDet of the inverse at y = f(z) is minus the forward one (same s: exact up to rounding).
        expectClose(vals(back.logDet), ld.map((v) => -v), 1e-5, 1e-5, 'inverse logDet');
        // The inverse's own Jacobian agrees at arbitrary points y.
        const y = randomPoints([N, d], 83 + d, 2); // [N, d]
        const inv = layer.inverse(y);
        expectClose(vals(inv.logDet), jacobianAD((x) => layer.inverse(x).z, y).map(logAbsDet), 1e-4, 1e-4, 'inverse autodiff');
        expectClose(vals(layer.forward(inv.z).z), vals(y), 1e-4, 0, 'forward(inverse(y))');
      });
    });
  }

  it('starts as the identity from paramShapes initializers (zero heads)', () => {
    const store = new ParamStore();
    try {
      tf.tidy(() => {
        const ps = createParams(store, 'prior.flow0', 'prior', coupling.paramShapes(4, { hidden: [8] }), rng(90));
        expect(Object.keys(ps)).toEqual(['l0.w', 'l0.b', 's.w', 's.b', 't.w', 't.b', 'scale']);
        expect(store.has('prior.flow0.l0.w')).toBe(true);
        const layer = coupling.build(ps, { hidden: [8] });
        const z = randomPoints([5, 4], 91); // [5, 4]
        const out = layer.forward(z);
        expectClose(vals(out.z), vals(z), 0, 0, 'identity');
        expectClose(vals(out.logDet), [0, 0, 0, 0, 0], 0, 0, 'zero logDet');
      });
    } finally {
      store.dispose();
    }
  });

  it('context [B, c] broadcasts against z [K, B, d]', () => {
    tf.tidy(() => {
      const [K, B, d, c] = [2, 3, 4, 2];
      const opts: coupling.CouplingOptions = { contextDim: c, hidden: [5] };
      const layer = coupling.build(randomParams(coupling.paramShapes(d, opts), 92, 0.7), opts, randomPoints([B, c], 93));
      expect(layer.batchShape).toEqual([B]);
      const z = randomPoints([K, B, d], 94); // [K, B, d]
      const out = layer.forward(z);
      expect(out.z.shape).toEqual([K, B, d]);
      expect(out.logDet.shape).toEqual([K, B]);
      expectClose(vals(layer.inverse(out.z).z), vals(z), 1e-4, 0, 'round trip');
    });
  });
});
