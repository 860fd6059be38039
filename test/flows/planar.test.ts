import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as planar from '../../src/flows/planar';
import { expectClose, flat, jacobianAD, jacobianFD, logAbsDet, randomParams, randomPoints, vals } from './helpers';

describe('planar flow layer', () => {
  for (const d of [2, 3, 5]) {
    it(`logDet = log|det J| (autodiff and finite-difference Jacobians), d = ${d}`, () => {
      tf.tidy(() => {
        const layer = planar.build(randomParams(planar.paramShapes(d), 10 + d, 1));
        const z = randomPoints([16, d], 20 + d); // [16, d]
        const ld = vals(layer.forward(z).logDet); // [16]
        // Autodiff Jacobian: entries exact to float32 rounding (~1e-7 relative); log|det| of a
        // d <= 5 matrix with O(1) entries then agrees to ~1e-5 -> tol 1e-4 + 1e-4 |ref|.
        const J = jacobianAD((x) => layer.forward(x).z, z);
        expectClose(ld, J.map(logAbsDet), 1e-4, 1e-4, 'autodiff');
        // Cross-check of the autodiff Jacobian by central differences, entrywise (h = 5e-3 in float32):
        // rounding eps |f| / h <= 1.2e-7 * 10 / 5e-3 = 2.4e-4; truncation h^2 |f'''| / 6 = 4.2e-6 |f'''|
        // for smooth maps, O(h |jump of f''|) near an ELU kink (IAF/coupling nets). Measured over 60
        // seeds per layer kind: max |FD - AD| / (1 + |J|) <= 4e-4 -> tol 3e-3 (1 + |J|).
        expectClose(flat(jacobianFD((x) => layer.forward(x).z, z, 5e-3)), flat(J), 3e-3, 3e-3, 'finite differences');
      });
    });
  }

  it('the reparameterized û keeps 1 + ûᵀψ(z) > 0 where the raw u would not', () => {
    tf.tidy(() => {
      const d = 3;
      const w = tf.tensor1d([1.5, -0.5, 1]); // [d]
      const u = tf.mul(w, -3); // [d]  wᵀu = -3 * 3.5 = -10.5: raw 1 + h' wᵀu < 0 near the hyperplane
      const b = tf.tensor1d([0.2]); // [1]
      const layer = planar.build({ u, w, b });
      // Points across the hyperplane wᵀz + b = 0, where h' = 1 - tanh^2 is largest (up to 1).
      const z = tf.concat([randomPoints([64, d], 3, 0.3), randomPoints([64, d], 4, 3)]); // [128, d]
      const det = vals(layer.detTerm(z)); // [128]
      expect(Math.min(...det)).toBeGreaterThan(0);
      // wᵀû = m(wᵀu) = softplus(-10.5) - 1 > -1.
      const wuHat = vals(tf.sum(tf.mul(w, planar.constrainU(u, w))))[0]!;
      expect(wuHat).toBeCloseTo(Math.log1p(Math.exp(-10.5)) - 1, 5);
      expect(wuHat).toBeGreaterThan(-1);
      // Without the reparameterization the determinant 1 + h' wᵀu changes sign (f not invertible).
      const hp = tf.sub(1, tf.square(tf.tanh(tf.add(tf.sum(tf.mul(w, z), -1), b)))); // [128]
      const raw = vals(tf.add(1, tf.mul(hp, -10.5))); // [128]
      expect(Math.min(...raw)).toBeLessThan(0);
      // And the random-parameter layers of the Jacobian test stay positive too.
      for (const seed of [1, 2, 3, 4, 5]) {
        const l = planar.build(randomParams(planar.paramShapes(5), seed, 2));
        expect(Math.min(...vals(l.detTerm(randomPoints([64, 5], seed + 50, 2))))).toBeGreaterThan(0);
      }
    });
  });

  it('amortized parameters [B, d] broadcast against z [K, B, d]; each example matches a global layer', () => {
    tf.tidy(() => {
      const [K, B, d] = [3, 4, 3];
      const out = randomPoints([B, planar.amortizedSize(d)], 7, 1); // [B, 2d + 1]  a net output
      const p = planar.fromNetOutput(out, d);
      expect(p.u.shape).toEqual([B, d]);
      expect(p.b.shape).toEqual([B, 1]);
      const layer = planar.build(p);
      expect(layer.batchShape).toEqual([B]);
      const z = randomPoints([K, B, d], 8); // [K, B, d]
      const res = layer.forward(z);
      expect(res.z.shape).toEqual([K, B, d]);
      expect(res.logDet.shape).toEqual([K, B]);
      for (let i = 0; i < B; i++) {
        const row = (t: tf.Tensor) => tf.squeeze(tf.slice(t, [i, 0], [1, -1]), [0]); // [n]
        const g = planar.build({ u: row(p.u), w: row(p.w), b: row(p.b) });
        const zi = tf.squeeze(tf.slice(z, [0, i, 0], [K, 1, d]), [1]); // [K, d]
        const gi = g.forward(zi);
        // Same float32 ops on the same numbers, up to reduction order -> 1e-6.
        expectClose(vals(tf.squeeze(tf.slice(res.z, [0, i, 0], [K, 1, d]), [1])), vals(gi.z), 1e-6, 1e-6, 'z');
        expectClose(vals(tf.squeeze(tf.slice(res.logDet, [0, i], [K, 1]), [1])), vals(gi.logDet), 1e-6, 1e-6, 'logDet');
      }
    });
  });

  it('rejects wrong parameter and input shapes with clear errors', () => {
    tf.tidy(() => {
      const p = randomParams(planar.paramShapes(3), 1);
      expect(() => planar.build({ ...p, b: tf.zeros([2]) })).toThrow(/'b' has shape \[2\], expected \[\.\.\., 1\]/);
      expect(() => planar.build({ u: p['u']!, w: p['w']! })).toThrow(/missing parameter 'b'/);
      expect(() => planar.build(p).forward(tf.zeros([4, 2]))).toThrow(/expected \[\.\.\., 3\]/);
    });
  });
});
