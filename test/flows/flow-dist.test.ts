import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Normal } from '../../src/distributions/normal';
import type { Distribution } from '../../src/distributions/types';
import * as coupling from '../../src/flows/coupling';
import type { FlowLayer, ParamShapes } from '../../src/flows/common';
import { Flow, FlowDist } from '../../src/flows/flow-dist';
import * as iaf from '../../src/flows/iaf';
import * as planar from '../../src/flows/planar';
import * as radial from '../../src/flows/radial';
import { ParamStore } from '../../src/inference/params';
import { expectClose, jacobianAD, logAbsDet, randomParams, randomPoints, rng, vals } from './helpers';

const [K, B, d, C] = [3, 4, 3, 2];

/**
 * Variables with random (non-trivial) values for `shapes`, registered in `store` as `${prefix}.${name}`
 * (the way the compiler will create them, but randomized so every gradient is non-zero).
 */
function randomVars(store: ParamStore, prefix: string, shapes: ParamShapes, seed: number, std = 0.6, bounds: Readonly<Record<string, number>> = {}): Record<string, tf.Variable> {
  const vals0 = randomParams(shapes, seed, std);
  const out: Record<string, tf.Variable> = {};
  for (const [name, t] of Object.entries(vals0)) {
    const bound = bounds[name];
    out[name] = store.create(`${prefix}.${name}`, prefix, () => {
      if (bound === undefined) return t; // [...shape]
      const clipped = tf.clipByValue(t, -bound, bound); // [...shape]
      t.dispose();
      return clipped;
    });
  }
  return out;
}

/** Everything a test flow needs: variables (in a store) and a builder run inside each test's tidy. */
interface Fixture {
  store: ParamStore;
  /** The base and layers, built from the variables (call inside a tidy: amortized parameters are intermediate tensors). */
  make(): FlowDist;
}

/** A mixed stack on d = 3: amortized planar, radial, IAF with context, coupling, reversed IAF. */
function mixedFixture(): Fixture {
  const store = new ParamStore();
  const loc = store.create('base.loc', 'base', () => randomPoints([B, d], 100, 0.5)); // [B, d]
  const logScale = store.create('base.logScale', 'base', () => randomPoints([d], 101, 0.3)); // [d]
  const net = store.create('net.out', 'net', () => randomPoints([B, planar.amortizedSize(d)], 102, 0.8)); // [B, 2d + 1]  stands in for an encoder head
  const ctx = store.create('net.ctx', 'net', () => randomPoints([B, C], 103, 1)); // [B, C]  encoder features
  const iafOpts: iaf.IafOptions = { hidden: [6], contextDim: C };
  const iafRev: iaf.IafOptions = { hidden: [5], reverse: true };
  const cOpts: coupling.CouplingOptions = { hidden: [4], flip: true };
  const rad = randomVars(store, 'q.radial', radial.paramShapes(d), 104, 1);
  const ia = randomVars(store, 'q.iaf0', iaf.paramShapes(d, iafOpts), 105);
  const co = randomVars(store, 'q.coupling', coupling.paramShapes(d, cOpts), 106);
  const ib = randomVars(store, 'q.iaf1', iaf.paramShapes(d, iafRev), 107);
  return {
    store,
    make() {
      const base = Normal.create({ loc, scale: tf.exp(logScale) }, [d]); // batch [B], event [d]
      const layers: FlowLayer[] = [
        planar.build(planar.fromNetOutput(net, d)),
        radial.build(rad),
        iaf.build(ia, iafOpts, ctx),
        coupling.build(co, cOpts),
        iaf.build(ib, iafRev),
      ];
      return new FlowDist(base, layers);
    },
  };
}

/**
 * Four alternating coupling layers on d = 2 over a global base: a flow prior. tanh hidden units and
 * clipped heads bound every layer: |s| <= |scale| <= 0.5 and |t| <= 6 * 0.25 + 0.25 = 1.75.
 */
function couplingFixture(): Fixture {
  const store = new ParamStore();
  const loc = store.create('prior.loc', 'prior', () => tf.tensor1d([0.3, -0.2])); // [2]
  const scale = store.create('prior.scale', 'prior', () => tf.tensor1d([1, 0.8])); // [2]
  const opts = (i: number): coupling.CouplingOptions => ({ hidden: [6], flip: i % 2 === 1, activation: 'tanh' });
  const bounds = { scale: 0.5, 't.w': 0.25, 't.b': 0.25 };
  const ps = [0, 1, 2, 3].map((i) => randomVars(store, `prior.flow${i}`, coupling.paramShapes(2, opts(i)), 110 + i, 0.5, bounds));
  return {
    store,
    make() {
      const base = Normal.create({ loc, scale }, [2]);
      return new FlowDist(base, ps.map((p, i) => coupling.build(p, opts(i))));
    },
  };
}

describe('FlowDist', () => {
  let mixed: Fixture;
  let prior: Fixture;
  beforeAll(() => {
    mixed = mixedFixture();
    prior = couplingFixture();
  });
  afterAll(() => {
    mixed.store.dispose();
    prior.store.dispose();
  });

  it('has the Flow spec; create and withParams throw', () => {
    expect(Flow).toMatchObject({ name: 'Flow', reparam: true, discrete: false, factorized: false, support: 'Real', shapeRule: 'elementwise' });
    expect(Flow.supportSize([3], 0)).toBeUndefined();
    expect(() => Flow.create({}, [3])).toThrow(/built by the compiler/);
    tf.tidy(() => {
      const q = mixed.make();
      expect(q.spec).toBe(Flow);
      expect(q.eventShape).toEqual([d]);
      expect(q.batchShape).toEqual([B]);
      expect(q.invertible).toBe(false);
      expect(Object.keys(q.params)).toContain('base.loc');
      expect(Object.keys(q.params)).toContain('layer2.context');
      expect(() => q.withParams(q.params)).toThrow(/STL\/DReG/);
    });
  });

  it('log q of its own samples = log q0(z0) − Σ log|det J_l| with Jacobians computed directly', () => {
    tf.tidy(() => {
      const q = mixed.make();
      const x = q.rsample(rng(1), [K, B]); // [K, B, d]
      expect(x.shape).toEqual([K, B, d]);
      const lq = q.logProb(x); // [K, B]
      expect(lq.shape).toEqual([K, B]);
      // Re-draw z0 with the same key (the base's sampler is deterministic given it) and walk the
      // layers, with log|det J| from autodiff Jacobians (independent of the layers' formulas).
      const z0 = q.base.rsample!(rng(1), [K, B]); // [K, B, d]
      let z = z0; // [K, B, d]
      const sum = new Array<number>(K * B).fill(0);
      for (const layer of q.layers) {
        jacobianAD((v) => layer.forward(v).z, z).forEach((J, n) => (sum[n]! += logAbsDet(J)));
        z = layer.forward(z).z; // [K, B, d]
      }
      expectClose(vals(x), vals(z), 1e-5, 1e-5, 'same sample');
      const ref = vals(q.base.logProb(z0)).map((v, n) => v - sum[n]!);
      // Five layers, each log|det| within 1e-4 + 1e-4 |·| (float32), plus the base log-density
      // (float32, |log q0| < 10 -> 1e-5): tol 5e-4 + 1e-4 |ref|.
      expectClose(vals(lq), ref, 5e-4, 1e-4, 'change of variables');
    });
  });

  it('sample() is rsample() without gradient, with the same density; foreign values throw', () => {
    tf.tidy(() => {
      const q = mixed.make();
      const xr = q.rsample(rng(2), [K, B]); // [K, B, d]
      const xs = q.sample(rng(2), [K, B]); // [K, B, d]
      expectClose(vals(xs), vals(xr), 1e-6, 1e-6, 'same draw');
      expectClose(vals(q.logProb(xs)), vals(q.logProb(xr)), 1e-5, 1e-5, 'same density');
      // A copy of the value is a foreign tensor: planar/radial/IAF layers have no inverse.
      expect(() => q.logProb(xr.clone())).toThrow(/the density of a planar\/radial\/IAF flow is only available at its own samples/);
      expect(() => q.logProb(tf.zeros([B, d]))).toThrow(/planar, radial, iaf/);
      // sample() carries no gradient to the parameters; rsample() does.
      const loc = q.base.params['loc']!;
      const gS = tf.grad((l: tf.Tensor) => tf.sum(new FlowDist(Normal.create({ loc: l, scale: q.base.params['scale']! }, [d]), q.layers).sample(rng(3), [K, B])))(loc);
      expect(vals(tf.sum(tf.abs(gS)))[0]).toBe(0);
      const gR = tf.grad((l: tf.Tensor) => tf.sum(new FlowDist(Normal.create({ loc: l, scale: q.base.params['scale']! }, [d]), q.layers).rsample(rng(3), [K, B])))(loc);
      expect(vals(tf.sum(tf.abs(gR)))[0]).toBeGreaterThan(0);
      // The density of a sample() draw of a non-invertible flow is a value without gradient.
      const gL = tf.grad((l: tf.Tensor) => {
        const ql = new FlowDist(Normal.create({ loc: l, scale: q.base.params['scale']! }, [d]), q.layers);
        return tf.sum(ql.logProb(ql.sample(rng(3), [K, B])));
      })(loc);
      expect(vals(tf.sum(tf.abs(gL)))[0]).toBe(0);
    });
  });

  it('a sample kept past its tidy scope loses its cache: a clear error (planar/radial/IAF)', () => {
    const store = new ParamStore();
    const loc = tf.zeros([d]); // [d]
    const scale = tf.ones([d]); // [d]
    try {
      const p = randomVars(store, 'q.planar', planar.paramShapes(d), 120, 1);
      const flow = new FlowDist(Normal.create({ loc, scale }, [d]), [planar.build(p)]);
      const x = tf.tidy(() => flow.rsample(rng(4), [B])); // [B, d]; z0 and Σ logDet were freed by the tidy
      expect(() => flow.logProb(x)).toThrow(/disposed/);
      x.dispose();
    } finally {
      loc.dispose();
      scale.dispose();
      store.dispose();
    }
  });

  it('coupling-only flow: a density at any point, integrating to 1 over a 2-D grid', () => {
    tf.tidy(() => {
      const q = prior.make();
      expect(q.invertible).toBe(true);
      // Own samples: the cached density equals the one through the inverses (a clone is foreign).
      const x = q.rsample(rng(5), [64]); // [64, 2]
      // Round trip of 4 layers in float32 (|s| <= ~1.5 per layer): 1e-4.
      expectClose(vals(q.logProb(x.clone())), vals(q.logProb(x)), 1e-4, 1e-4, 'cache vs inverse');
      const back = q.invert(x); // [64, 2]
      expectClose(vals(q.transform(back.z).z), vals(x), 1e-4, 1e-4, 'invert then transform');
      // Tail bound. Each coordinate is moved by 2 of the 4 layers, y = z e^s + t with |s| <= 0.5,
      // |t| <= 1.75, so |x_i| <= e^1 |z0_i| + 1.75 (e^0.5 + 1) = 2.72 |z0_i| + 4.64, and z0_i =
      // loc_i + scale_i ε_i with |loc_i| <= 0.3, scale_i <= 1. Leaving the box [-L, L]^2, L = 16,
      // needs 2.72 (0.3 + |ε_i|) > 11.36, i.e. |ε_i| > 3.88 (P = 1.04e-4) for some i: tail mass
      // <= 2.1e-4. Sanity check with n = 20 000 samples: at most ~4 expected outside; allow 20.
      const L = 16;
      const n = 20000;
      const s = q.sample(rng(15), [n]).dataSync(); // [n, 2]
      let outside = 0;
      let right = 0; // samples with x_0 > 0.5, for the sampler/density consistency check below
      for (let k = 0; k < n; k++) {
        if (Math.abs(s[2 * k]!) > L || Math.abs(s[2 * k + 1]!) > L) outside++;
        if (s[2 * k]! > 0.5) right++;
      }
      expect(outside).toBeLessThanOrEqual(20);
      // Midpoint Riemann sum of exp(log q) on the box with step h = 0.08 (400^2 = 160 000 points),
      // summed in double. The density is smooth (tanh nets) with length scales >= 0.8 e^-1 = 0.29
      // >> h, so the uniform-grid sum's discretization error is far below the tail bound (measured
      // ~1e-8 with finer grids); float32 log q (error ~1e-5 relative) moves the sum by ~1e-5.
      // |sum - 1| <= 2.1e-4 (tail) + 1e-5 (float32) + discretization -> tol 1e-3.
      const h = 0.08;
      const m = Math.round((2 * L) / h);
      const axis = Array.from({ length: m }, (_, i) => -L + (i + 0.5) * h);
      const grid = new Float32Array(m * m * 2);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          grid[(i * m + j) * 2] = axis[i]!;
          grid[(i * m + j) * 2 + 1] = axis[j]!;
        }
      }
      const lp = q.logProb(tf.tensor2d(grid, [m * m, 2])).dataSync(); // [m^2]
      let total = 0;
      let rightMass = 0;
      for (let k = 0; k < lp.length; k++) {
        const p = Math.exp(lp[k]!) * h * h;
        total += p;
        if (grid[2 * k]! > 0.5) rightMass += p;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-3);
      // The sampler and the density agree: P(x_0 > 0.5) by the grid vs the sample frequency,
      // SE = sqrt(p (1 - p) / n) <= sqrt(0.25 / 20 000) = 0.0035 -> 5 SE = 0.018.
      expect(Math.abs(right / n - rightMass)).toBeLessThan(0.018);
    });
  });

  it('gradients reach the base and every layer parameter (reparameterized path and inverse path)', () => {
    tf.tidy(() => {
      // Mixed stack: E[log q(x)] + E[c·x] over x = rsample (an ELBO-like objective).
      const vars = mixed.store.variables();
      const c = tf.tensor1d([0.7, -1.1, 0.4]); // [d]
      const { value, grads } = tf.variableGrads(() => {
        const q = mixed.make();
        const x = q.rsample(rng(6), [K, B]); // [K, B, d]
        return tf.add(tf.mean(q.logProb(x)), tf.mean(tf.sum(tf.mul(x, c), -1))) as tf.Scalar;
      }, vars);
      expect(Number.isFinite(vals(value)[0]!)).toBe(true);
      for (const v of vars) {
        const g = vals(grads[v.name]!);
        expect(g.every(Number.isFinite), v.name).toBe(true);
        expect(Math.max(...g.map(Math.abs)), v.name).toBeGreaterThan(0);
      }
      // Coupling prior: log p(x) at fixed points, through the inverses.
      const pvars = prior.store.variables();
      const pts = randomPoints([32, 2], 7); // [32, 2]
      const res = tf.variableGrads(() => tf.mean(prior.make().logProb(pts)) as tf.Scalar, pvars);
      for (const v of pvars) {
        const g = vals(res.grads[v.name]!);
        expect(g.every(Number.isFinite), v.name).toBe(true);
        expect(Math.max(...g.map(Math.abs)), v.name).toBeGreaterThan(0);
      }
    });
  });

  it('leaks no tensors from tidy-wrapped calls', () => {
    const run = (f: () => void): number => {
      const before = tf.memory().numTensors;
      tf.tidy(f);
      return tf.memory().numTensors - before;
    };
    expect(
      run(() => {
        const q = mixed.make();
        q.logProb(q.rsample(rng(8), [K, B]));
        q.logProb(q.sample(rng(9), [K, B]));
        q.logProb(q.rsample(rng(10)));
      }),
    ).toBe(0);
    expect(
      run(() => {
        const q = prior.make();
        q.logProb(q.sample(rng(11), [5]));
        q.logProb(tf.zeros([7, 2]));
        q.invert(q.rsample(rng(12), [2, 3]));
      }),
    ).toBe(0);
    expect(
      run(() => {
        const { grads } = tf.variableGrads(() => {
          const q = mixed.make();
          return tf.mean(q.logProb(q.rsample(rng(13), [K, B]))) as tf.Scalar;
        }, mixed.store.variables());
        void grads;
      }),
    ).toBe(0);
  });

  it('validates the base and layer sizes and broadcasts batch shapes', () => {
    tf.tidy(() => {
      const p3 = randomParams(planar.paramShapes(3), 130);
      const base2 = Normal.create({ loc: tf.zeros([2]), scale: tf.ones([2]) }, [2]);
      expect(() => new FlowDist(base2, [planar.build(p3)])).toThrow(/layer 0 \(planar\) is for vectors of size 3/);
      const scalarBase = Normal.create({ loc: tf.zeros([]), scale: tf.ones([]) }, []) as Distribution;
      expect(() => new FlowDist(scalarBase, [])).toThrow(/event shape \[d\]/);
      // Global base [] with amortized planar [B]: batch [B]; sample [K, B]; log q [K, B].
      const base = Normal.create({ loc: tf.zeros([3]), scale: tf.ones([3]) }, [3]);
      const am = planar.build(planar.fromNetOutput(randomPoints([B, 7], 131), 3));
      const q = new FlowDist(base, [am]);
      expect(q.batchShape).toEqual([B]);
      const x = q.rsample(rng(14), [K, B]);
      expect(q.logProb(x).shape).toEqual([K, B]);
      expect(() => q.rsample(rng(14), [K, 5])).toThrow(/does not contain the batch shape/);
      // An identity flow (no layers) is the base itself, at any point.
      const id = new FlowDist(base, []);
      expect(id.invertible).toBe(true);
      const pts = randomPoints([6, 3], 132); // [6, 3]
      expectClose(vals(id.logProb(pts)), vals(base.logProb(pts)), 1e-6, 1e-6, 'identity');
    });
  });
});
