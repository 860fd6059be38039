import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as radial from '../../src/flows/radial';
import { expectClose, flat, jacobianAD, jacobianFD, logAbsDet, randomParams, randomPoints, vals } from './helpers';

describe('radial flow layer', () => {
  for (const d of [2, 3, 5]) {
    it(`logDet = log|det J| (autodiff and finite-difference Jacobians), d = ${d}`, () => {
      tf.tidy(() => {
        // α̂, β̂ ~ N(0, 1.5²): α = softplus(α̂) from ~0.05 to ~3, β from about -α (contraction)
        // to +3 (expansion) -- both regimes of the layer.
        const layer = radial.build(randomParams(radial.paramShapes(d), 30 + d, 1.5));
        const z = randomPoints([16, d], 40 + d); // [16, d]
        const ld = vals(layer.forward(z).logDet); // [16]
        // Autodiff: float32 rounding only -> tol 1e-4 + 1e-4 |ref| (see planar.test.ts).
        const J = jacobianAD((x) => layer.forward(x).z, z);
        expectClose(ld, J.map(logAbsDet), 1e-4, 1e-4, 'autodiff');
        // Central differences entrywise (h = 5e-3): the points are at r = ‖z − z0‖ ~ 1.5 sqrt(2 d) >> h,
        // where f is smooth -> tol 3e-3 (1 + |J|) (arithmetic in planar.test.ts).
        expectClose(flat(jacobianFD((x) => layer.forward(x).z, z, 5e-3)), flat(J), 3e-3, 3e-3, 'finite differences');
      });
    });
  }

  it('stays finite and positive-determinant at the edge β → −α and at z = z0', () => {
    tf.tidy(() => {
      const d = 3;
      const z0 = tf.tensor1d([0.5, -1, 2]); // [d]
      // β̂ = -12: softplus(β̂) ~ 6e-6, β = -α + 6e-6, the strongest contraction allowed.
      const layer = radial.build({ z0, alpha: tf.tensor1d([0.3]), beta: tf.tensor1d([-12]) });
      const z = tf.concat([tf.reshape(z0, [1, d]), randomPoints([8, d], 9)]); // [9, d]  z0 itself first
      const ld = vals(layer.forward(z).logDet); // [9]
      for (const v of ld) expect(Number.isFinite(v)).toBe(true);
      const g = tf.grad((x: tf.Tensor) => tf.sum(layer.forward(x).logDet))(z); // [9, d]
      for (const v of vals(g)) expect(Number.isFinite(v)).toBe(true);
      // Away from z0 the autodiff check still holds (rel 1e-3: log(1 + βh) loses digits when 1 + βh ~ r/(α+r)).
      const zf = tf.slice(z, [1, 0], [8, d]); // [8, d]
      expectClose(vals(layer.forward(zf).logDet), jacobianAD((x) => layer.forward(x).z, zf).map(logAbsDet), 1e-3, 1e-3, 'edge');
    });
  });

  it('amortized parameters [B, ·] broadcast against z [K, B, d]', () => {
    tf.tidy(() => {
      const [K, B, d] = [2, 5, 4];
      const p = radial.fromNetOutput(randomPoints([B, radial.amortizedSize(d)], 11, 1), d); // z0 [B, d], α̂, β̂ [B, 1]
      const layer = radial.build(p);
      expect(layer.batchShape).toEqual([B]);
      const z = randomPoints([K, B, d], 12); // [K, B, d]
      const res = layer.forward(z);
      expect(res.z.shape).toEqual([K, B, d]);
      expect(res.logDet.shape).toEqual([K, B]);
      // The Jacobian check on the flattened [K * B] points: amortized parameters are per example.
      const exact = jacobianAD((x) => layer.forward(x).z, z).map(logAbsDet);
      expectClose(vals(res.logDet), exact, 1e-4, 1e-4, 'amortized');
    });
  });
});
