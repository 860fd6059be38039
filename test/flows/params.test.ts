import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createParams, initialValue } from '../../src/flows/common';
import * as coupling from '../../src/flows/coupling';
import * as iaf from '../../src/flows/iaf';
import * as planar from '../../src/flows/planar';
import * as radial from '../../src/flows/radial';
import { ParamStore } from '../../src/inference/params';
import { rng, vals } from './helpers';

describe('flow parameters in a ParamStore', () => {
  it('creates prefixed variables with the described shapes, deterministically per seed', () => {
    const a = new ParamStore();
    const b = new ParamStore();
    try {
      const opts: iaf.IafOptions = { hidden: [6, 4], contextDim: 2 };
      const shapes = iaf.paramShapes(3, opts);
      const pa = createParams(a, 'q_z.iaf0', 'q_z', shapes, rng(1));
      const pb = createParams(b, 'q_z.iaf0', 'q_z', shapes, rng(1));
      expect(Object.keys(pa)).toEqual(['l0.w', 'l0.b', 'l0.wc', 'l1.w', 'l1.b', 'm.w', 'm.b', 's.w', 's.b']);
      for (const [name, p] of Object.entries(shapes)) {
        expect(pa[name]!.shape).toEqual([...p.shape]);
        expect(a.has(`q_z.iaf0.${name}`)).toBe(true);
        expect(vals(pa[name]!)).toEqual(vals(pb[name]!)); // same seed, same values
      }
      expect(a.list().every((e) => e.group === 'q_z')).toBe(true);
      // Asking again returns the existing variables.
      expect(createParams(a, 'q_z.iaf0', 'q_z', shapes, rng(2))['l0.w']).toBe(pa['l0.w']);
      // The created variables build a working layer.
      tf.tidy(() => {
        const out = iaf.build(pa, opts, tf.ones([5, 2])).forward(tf.ones([5, 3]));
        expect(vals(out.logDet).every(Number.isFinite)).toBe(true);
      });
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('draws initial values from the stated initializers', () => {
    tf.tidy(() => {
      // Glorot uniform [8, 24]: limit sqrt(6 / 32) = 0.433.
      const g = vals(initialValue({ shape: [8, 24], init: { kind: 'glorot', fanIn: 8, fanOut: 24 }, doc: '' }, rng(3)));
      expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 32));
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.3);
      expect(vals(initialValue({ shape: [3], init: { kind: 'constant', value: 1 }, doc: '' }, rng(4)))).toEqual([1, 1, 1]);
      // Every family's defaults give finite layers (radial/coupling start as the identity).
      const store = new ParamStore();
      try {
        const z = tf.randomNormal([6, 4], 0, 1, 'float32', rng(5).seed()); // [6, 4]
        const layers = [
          planar.build(createParams(store, 'f.p', 'f', planar.paramShapes(4), rng(6))),
          radial.build(createParams(store, 'f.r', 'f', radial.paramShapes(4), rng(7))),
          iaf.build(createParams(store, 'f.i', 'f', iaf.paramShapes(4), rng(8))),
          coupling.build(createParams(store, 'f.c', 'f', coupling.paramShapes(4), rng(9))),
        ];
        for (const l of layers) {
          const out = l.forward(z);
          expect(vals(out.z).every(Number.isFinite), l.kind).toBe(true);
          expect(vals(out.logDet).every(Number.isFinite), l.kind).toBe(true);
        }
        expect(vals(layers[1]!.forward(z).logDet)).toEqual([0, 0, 0, 0, 0, 0]); // β̂ = 0 -> β = 0
      } finally {
        store.dispose();
      }
    });
  });
});
