// Fused log-densities, KL and reparameterized samples (src/kernels/c/densities.c) against the
// generic tfjs path, through the distributions that use them: values and gradients to 1e-5
// relative, with the broadcasting cases the kernels handle (scalars, leading particle and
// enumeration axes) and the ones they leave to the generic path.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDistSpec } from '../../src/distributions/registry';
import { klDivergence } from '../../src/distributions/kl';
import type { Distribution } from '../../src/distributions/types';
import { fusedBernoulliLogits, fusedNormalKl, fusedNormalLogPdf, fusedNormalRsample } from '../../src/kernels/ops';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';
import { compareGrads, expectNormRel, expectRel, uniform, useBuild, withFused } from './helpers';

const dist = (name: string, params: Record<string, tf.Tensor>, event: number[]): Distribution => getDistSpec(name)!.create(params, event);
const normal = (loc: tf.Tensor, scale: tf.Tensor, event: number[]): Distribution => dist('Normal', { loc, scale }, event);

/** Binary data, float32. */
function bits(n: number, shape: number[]): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.greater(uniform(n, shape), 0), 'float32'));
}

for (const build of ['relaxed', 'simd'] as const) {
  describe(`fused densities, ${build} build`, () => {
    beforeAll(async () => expect(await useBuild(build)).toBe(true));
    afterAll(async () => void (await useBuild('relaxed')));

    it('Bernoulli(logits) log-likelihood summed over the event, and its gradients', () => {
      // [B, D] data against [B, D], [K, B, D] (particles) and [E, 1, B, D] (enumeration) logits; D = 37 leaves a tail.
      const cases: [number[], number[]][] = [[[20, 37], [20, 37]], [[3, 20, 37], [20, 37]], [[4, 1, 20, 37], [20, 37]], [[20, 37], [1, 37]]];
      cases.forEach(([ls, xs], i) => {
        tf.tidy(() => {
          const l = uniform(10 + i, ls, -30, 30); // far tails: softplus(±30)
          const x = bits(20 + i, xs);
          const lp = (ll: tf.Tensor, xx: tf.Tensor): tf.Tensor => dist('Bernoulli', { logits: ll }, [37]).logProb(xx);
          expect(withFused(true, () => fusedBernoulliLogits(l, x, ls, [37]))).not.toBeNull();
          expectRel(withFused(true, () => lp(l, x)), withFused(false, () => lp(l, x)));
          const { fused, generic } = compareGrads([l, x], lp);
          fused.forEach((t, j) => expectNormRel(t, generic[j]!));
        });
      });
    });

    it('Normal log-density, elementwise, with scalar and broadcast parameters, and its gradients', () => {
      const cases: [number[], number[], number[]][] = [
        [[30, 9], [30, 9], [30, 9]],
        [[5, 30, 9], [30, 9], [30, 9]], // K particles against one guide
        [[30, 9], [], []], // the N(0, 1) prior
        [[30, 9], [9], [1, 9]],
      ];
      cases.forEach(([vs, ms, ss], i) => {
        tf.tidy(() => {
          const v = uniform(30 + i, vs, -3, 3);
          const mu = uniform(40 + i, ms, -1, 1);
          const sg = uniform(50 + i, ss, 0.05, 3);
          const lp = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor => normal(b, c, [9]).logProbElementwise!(a);
          expect(withFused(true, () => fusedNormalLogPdf(v, mu, sg))).not.toBeNull();
          expectRel(withFused(true, () => lp(v, mu, sg)), withFused(false, () => lp(v, mu, sg)));
          const { fused, generic } = compareGrads([v, mu, sg], lp);
          fused.forEach((t, j) => expectNormRel(t, generic[j]!));
        });
      });
    });

    it('KL(Normal || Normal), elementwise, against N(0, 1) and against a full Normal, and its gradients', () => {
      const cases: [number[], number[]][] = [[[40, 7], []], [[40, 7], [40, 7]], [[40, 7], [7]]];
      cases.forEach(([qs, ps], i) => {
        tf.tidy(() => {
          const mq = uniform(60 + i, qs, -2, 2);
          const sq = uniform(61 + i, qs, 0.01, 4); // small scales: log r far from 0
          const mp = ps.length ? uniform(62 + i, ps) : tf.scalar(0);
          const sp = ps.length ? uniform(63 + i, ps, 0.3, 2) : tf.scalar(1);
          const kl = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor): tf.Tensor => klDivergence(normal(a, b, [7]), normal(c, d, [7]))!.value;
          expect(withFused(true, () => fusedNormalKl(mq, sq, mp, sp))).not.toBeNull();
          expectRel(withFused(true, () => kl(mq, sq, mp, sp)), withFused(false, () => kl(mq, sq, mp, sp)));
          const { fused, generic } = compareGrads([mq, sq, mp, sp], kl);
          fused.forEach((t, j) => expectNormRel(t, generic[j]!));
        });
      });
    });

    it('reparameterized Normal samples (same noise), and their gradients in loc and scale', () => {
      for (const [ms, batch] of [[[30, 9], undefined], [[30, 9], [4, 30]], [[9], [30]]] as [number[], number[] | undefined][]) {
        tf.tidy(() => {
          const mu = uniform(70, ms);
          const sg = uniform(71, ms, 0.1, 2);
          const draw = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => (normal(a, b, [9]) as unknown as { rsample(r: Rng, s?: number[]): tf.Tensor }).rsample(Rng.fromSeed(TEST_SEED), batch);
          expectRel(withFused(true, () => draw(mu, sg)), withFused(false, () => draw(mu, sg)));
          const { fused, generic } = compareGrads([mu, sg], draw);
          fused.forEach((t, j) => expectNormRel(t, generic[j]!));
        });
      }
    });
  });
}

describe('fused densities: what goes to the generic path', () => {
  it('middle-axis broadcasts and non-float32 operands are not fused, and stay correct', () => {
    tf.tidy(() => {
      const v = uniform(80, [6, 5]);
      const mu = uniform(81, [6, 1]); // broadcast along the last axis: not a suffix
      const sg = tf.onesLike(v);
      expect(fusedNormalLogPdf(v, mu, sg)).toBeNull();
      expect(fusedNormalKl(v, sg, mu, sg)).toBeNull();
      expect(fusedNormalRsample(mu, tf.ones([6, 1]), uniform(82, [6, 5]))).toBeNull();
      expect(fusedBernoulliLogits(uniform(83, [6, 5]), tf.ones([6, 5], 'int32'), [6, 5], [5])).toBeNull();
      const lp = normal(mu, sg, [5]).logProbElementwise!(v);
      expectRel(lp, withFused(false, () => normal(mu, sg, [5]).logProbElementwise!(v)));
    });
  });

  it('special values give what the generic path gives (scale 0, a tiny scale, infinite logits)', () => {
    tf.tidy(() => {
      const v = tf.tensor1d([0, 1, 0]);
      const mu = tf.tensor1d([0, 0, 0]);
      const sg = tf.tensor1d([1, 0, 1e-30]);
      const a = Array.from(withFused(true, () => normal(mu, sg, [3]).logProbElementwise!(v)).dataSync());
      const b = Array.from(withFused(false, () => normal(mu, sg, [3]).logProbElementwise!(v)).dataSync());
      expect(a[1]).toBe(b[1]);
      expectRel([a[0]!, a[2]!], [b[0]!, b[2]!]);
      const l = tf.tensor2d([[Infinity, -Infinity]]);
      const x = tf.tensor2d([[1, 0]]);
      const f = Array.from(withFused(true, () => dist('Bernoulli', { logits: l }, [2]).logProb(x)).dataSync());
      const g = Array.from(withFused(false, () => dist('Bernoulli', { logits: l }, [2]).logProb(x)).dataSync());
      expect(f).toEqual(g);
    });
  });
});
