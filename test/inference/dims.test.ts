// The per-run dimension allocator (src/inference/dims.ts): plates from the right, enumeration
// left of every plate, release and reuse, and errors on duplicates and exhaustion.
import { describe, expect, it } from 'vitest';
import { DimAllocator } from '../../src/inference/dims';
import { layoutOf, plateShape } from '../../src/inference/layout';
import { vectorizedPlates } from '../../src/inference/handlers/plate';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../src/api';
import { execute } from '../../src/inference/execute';
import { Rng } from '../../src/core/rng';

// Two enumerated sites and a sampled one: the enumerate handler takes its dims from the run's allocator.
const twoEnumerated = `
data x: Real[3]
param w: Real[3]
model {
  a ~ Bernoulli(logits: 0.3)
  b ~ Categorical(probs: uniform(3))
  z: Real[3] ~ Normal(0, 1)
  x ~ Normal(z + a + onehot(b), 1)
}
guide {
  a ~ Bernoulli(logits: sum(x * w)) @enumerate
  b ~ Categorical(logits: x + a) @enumerate
  z ~ Normal(x * 0.5 + onehot(b), 1)
}
`;

describe('DimAllocator', () => {
  it('allocates plate dims from the right, or at the dim asked for', () => {
    const dims = new DimAllocator();
    expect(dims.allocatePlate('data', 10)).toEqual({ name: 'data', size: 10, dim: -1 });
    expect(dims.allocatePlate('particles', 3)).toEqual({ name: 'particles', size: 3, dim: -2 });
    expect(dims.allocatePlate('far', 2, -5).dim).toBe(-5);
    expect(dims.allocatePlate('next', 4).dim).toBe(-3); // the rightmost free dim
    expect(dims.frames().map((f) => f.name)).toEqual(['far', 'next', 'particles', 'data']);
    expect(dims.plateRank).toBe(5);
    expect(dims.firstEnumDim).toBe(-6);
  });

  it('allocates enumeration dims left of every plate dim, in order', () => {
    const dims = new DimAllocator();
    dims.allocatePlate('data', 10);
    dims.allocatePlate('particles', 3);
    expect(dims.allocateEnum('y')).toBe(-3);
    expect(dims.allocateEnum('z')).toBe(-4);
    expect(dims.enumDim('y')).toBe(-3);
    expect(dims.enumRank).toBe(2);
  });

  it('release frees a dim and the next allocation reuses the rightmost free one', () => {
    const dims = new DimAllocator(2);
    dims.allocatePlate('data', 10);
    const d0 = dims.allocateEnum('z[0]'); // -2
    const d1 = dims.allocateEnum('z[1]'); // -3
    expect([d0, d1]).toEqual([-2, -3]);
    dims.release(d0);
    expect(dims.enumDim('z[0]')).toBeUndefined();
    expect(dims.allocateEnum('z[2]')).toBe(-2);
    dims.release(d1);
    expect(dims.allocateEnum('z[3]')).toBe(-3);
    // A chain of any length fits in two dims when each step releases the one before.
    expect(dims.liveEnumDims).toBe(2);
    expect(dims.enumRank).toBe(2);
  });

  it('throws on a duplicate site, exhaustion, a bad release and a taken plate dim', () => {
    const dims = new DimAllocator(2);
    dims.allocatePlate('data', 10);
    expect(() => dims.allocatePlate('data', 10)).toThrow(/already allocated/);
    expect(() => dims.allocatePlate('other', 10, -1)).toThrow(/plate 'data' holds/);
    expect(() => dims.allocatePlate('bad', 10, 0)).toThrow(/count from the right/);
    expect(() => dims.allocatePlate('empty', 0)).toThrow(/size 0/);
    dims.allocateEnum('a');
    expect(() => dims.allocateEnum('a')).toThrow(/already holds enumeration dim -2/);
    dims.allocateEnum('b');
    expect(() => dims.allocateEnum('c')).toThrow(/2 enumeration dims are live \(a, b\)/);
    expect(() => dims.release(-7)).toThrow(/not allocated/);
    expect(() => dims.allocatePlate('late', 2)).toThrow(/plates come first/);
  });

  it('the run layout: particles (-2) around data (-1) cover [K, B]', () => {
    const dims = new DimAllocator();
    const [outer, inner] = vectorizedPlates(dims, 5, 7);
    expect(outer.frame).toEqual({ name: 'particles', size: 5, dim: -2 });
    expect(inner.frame).toEqual({ name: 'data', size: 7, dim: -1 });
    const layout = layoutOf(dims);
    expect(layout.plate).toEqual([5, 7]);
    expect(layout.plateRank).toBe(2);
    expect([layout.particleAxis, layout.dataAxis]).toEqual([0, 1]);
    expect(dims.allocateEnum('y')).toBe(-3);
  });

  it('plateShape: 1 on dims no frame holds; two frames on one dim are an error', () => {
    expect(plateShape([])).toEqual([]);
    expect(plateShape([{ name: 'd', size: 4, dim: -1 }, { name: 'p', size: 3, dim: -3 }])).toEqual([3, 1, 4]);
    expect(() => plateShape([{ name: 'd', size: 4, dim: -1 }, { name: 'e', size: 4, dim: -1 }])).toThrow(/'d' and 'e' both claim dim -1/);
  });

  it('an execution: enumerated sites on dims -3 and -4, left of the plates [K, B]; the model replays them', () => {
    const prog = compile(twoEnumerated);
    tf.tidy(() => {
      const x = tf.ones([5, 3]); // [B, 3]
      const traces = execute(prog.compiled, prog.store, prog.plan, prog.batch({ x }), Rng.fromSeed(1), { particles: 2 });
      expect(traces.layout.plate).toEqual([2, 5]);
      const a = traces.guide.get('a')!;
      const b = traces.guide.get('b')!;
      expect([a.enumDim, b.enumDim]).toEqual([-3, -4]);
      expect(a.value!.shape).toEqual([2, 1, 1]); // [n_a, K=1, B=1]
      expect(b.value!.shape).toEqual([3, 1, 1, 1]); // [n_b, 1, K=1, B=1]
      expect(traces.guide.get('z')!.value!.shape).toEqual([3, 1, 2, 5, 3]); // [n_b, 1, K, B, 3]
      expect(traces.guide.get('z')!.plates.map((f) => [f.name, f.dim])).toEqual([['particles', -2], ['data', -1]]);
      expect(traces.model.get('b')!.enumDim).toBe(-4);
      expect(traces.dims.enumRank).toBe(2);
    });
    prog.dispose();
  });
});

