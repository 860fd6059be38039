// Active units from guide samples (src/compare/activity.ts), used for flow guides, which have no
// closed-form mean. On a Normal guide the estimate must agree with evalLatents, which uses the
// exact mean: that checks the estimator and its removal of the sampling noise.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/api';
import { flowSites, sampledActiveUnits } from '../../src/eval/activity';
import { evalLatents, type EvalContext } from '../../src/eval/metrics';
import { bindData } from '../../src/train/data-binding';

async function context(file: string, seed: number): Promise<EvalContext & { dispose(): void }> {
  const prog = compileFile(file, { seed });
  const bound = await bindData(prog.checked, { role: 'train', seed: 1, splits: ['test'], sizes: { test: 1000 } });
  return { prog, data: bound.splits.test, dynamic: bound.dynamic, seed, dispose: () => prog.dispose() };
}

describe('sampledActiveUnits', () => {
  it('agrees with the exact-mean activity of a Normal guide', async () => {
    for (const seed of [1, 2]) {
      const ctx = await context('models/ppca.vae', seed);
      try {
        expect(flowSites(ctx)).toEqual([]);
        const exact = evalLatents(ctx, { miSamples: 10 })[0]!;
        // Few samples per example on purpose: each per-example mean then carries noise of variance
        // s²/S (s² ≈ 0.5 at initialization: ≈ 0.13 for S = 4, 20% of the signal), which the
        // estimator must remove to agree with the exact value.
        for (const samples of [4, 64]) {
          const sampled = sampledActiveUnits(ctx, ['z'], { samples })[0]!;
          expect(sampled.dims).toBe(2);
          for (let j = 0; j < 2; j++) expect(Math.abs(sampled.meanVariance[j]! - exact.meanVariance[j]!)).toBeLessThan(0.005 + 0.03 * exact.meanVariance[j]!);
          expect(sampled.activeUnits).toBe(exact.activeUnits);
        }
      } finally {
        ctx.dispose();
      }
    }
  });

  it('runs nothing when no site needs sampling (evalLatents calls it for every model)', async () => {
    // Before this was checked, `vae eval` of M2 ran the program with 64 particles and 10
    // enumerated classes over the whole test split for nothing: 38 s per 1000 images.
    const ctx = await context('models/ppca.vae', 1);
    try {
      const info = await tf.profile(() => {
        expect(sampledActiveUnits(ctx, [])).toEqual([]);
      });
      expect(info.kernels).toHaveLength(0);
    } finally {
      ctx.dispose();
    }
  });

  it('finds the flow sites and measures them', async () => {
    const ctx = await context('test/compare/fixtures/ppca-planar.vae', 1);
    try {
      expect(flowSites(ctx)).toEqual(['z']);
      const [a] = sampledActiveUnits(ctx, ['z']);
      expect(a!.meanVariance.every(Number.isFinite)).toBe(true);
      expect(a!.activeUnits).toBeGreaterThanOrEqual(0);
      expect(a!.activeUnits).toBeLessThanOrEqual(2);
    } finally {
      ctx.dispose();
    }
  });
});
