// vaelang's GEMM (src/kernels/c/gemm.c) in front of tfjs's BatchMatMul, against the generic
// kernel (tfjs-backend-wasm's own) on random shapes: values and gradients to 1e-5 relative
// (test/kernels/helpers.ts), in both builds (SIMD128 and relaxed SIMD).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { TEST_SEED } from '../helpers/seed';
import { compareGrads, expectNormRel, expectRelScaled, uniform, useBuild, withFused } from './helpers';

/** Random sizes that cover the tile edges (1-7 leftover columns, 1-3 leftover rows) and the k blocking (K > 256). */
function shapes(n: number, seed: number): [number, number, number][] {
  const u = Rng.fromSeed(TEST_SEED).fold(seed).uniforms();
  const pick = (xs: number[]): number => xs[Math.floor(u() * xs.length)]!;
  const dims = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 17, 22, 23, 31, 50, 64];
  const out: [number, number, number][] = [[100, 40, 300], [37, 29, 530], [1, 1, 1]];
  for (const n of [9, 10, 11, 22, 23]) out.push([7, n, 5], [5, n, 260]);
  while (out.length < n) out.push([pick(dims), pick(dims), pick([...dims, 257, 300])]);
  return out;
}

const stored = (rows: number, cols: number, t: boolean): number[] => (t ? [cols, rows] : [rows, cols]);

for (const build of ['relaxed', 'simd'] as const) {
  describe(`GEMM, ${build} build`, () => {
    beforeAll(async () => expect(await useBuild(build)).toBe(true));
    afterAll(async () => void (await useBuild('relaxed')));

    it('A·B, Aᵀ·B and A·Bᵀ match the generic kernel on random shapes', () => {
      let i = 0;
      for (const [M, N, K] of shapes(24, 1)) {
        for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
          tf.tidy(() => {
            const a = uniform(100 + i, stored(M, K, ta));
            const b = uniform(200 + i++, stored(K, N, tb));
            const fused = withFused(['gemm'], () => tf.matMul(a, b, ta, tb)); // [M, N]
            const generic = withFused(false, () => tf.matMul(a, b, ta, tb)); // [M, N]
            expectRelScaled(fused, generic, withFused(false, () => tf.matMul(tf.abs(a), tf.abs(b), ta, tb)));
          });
        }
      }
    });

    it('tall products taken in row blocks (A larger than L2: IWAE particles, M2 classes) match the generic kernel', () => {
      // A·B and Aᵀ·B block rows when M x min(K, 256) floats exceed 512 KB (120 rows a block),
      // A·Bᵀ when M x K floats do; leftover blocks of 1-119 rows and tile edges included.
      const cases: [number, number, number][] = [[700, 13, 300], [601, 37, 257], [250, 9, 784], [1000, 5, 140]];
      cases.forEach(([M, N, K], i) => {
        for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
          tf.tidy(() => {
            const a = uniform(900 + 3 * i, stored(M, K, ta));
            const b = uniform(901 + 3 * i, stored(K, N, tb));
            const fused = withFused(['gemm'], () => tf.matMul(a, b, ta, tb)); // [M, N]
            const generic = withFused(false, () => tf.matMul(a, b, ta, tb)); // [M, N]
            expectRelScaled(fused, generic, withFused(false, () => tf.matMul(tf.abs(a), tf.abs(b), ta, tb)));
          });
        }
      });
    });

    it('batched products: equal batches, a broadcast batch of one on either side', () => {
      tf.tidy(() => {
        const cases: [number[], number[], boolean, boolean][] = [
          [[3, 5, 7], [3, 7, 6], false, false],
          [[2, 3, 5, 7], [7, 6], false, false],
          [[5, 7], [4, 7, 6], false, false],
          [[3, 7, 5], [3, 7, 6], true, false],
          [[3, 5, 7], [1, 6, 7], false, true],
          [[1, 7, 5], [3, 7, 6], true, false],
        ];
        cases.forEach(([sa, sb, ta, tb], i) => {
          const a = uniform(300 + i, sa);
          const b = uniform(400 + i, sb);
          const scale = withFused(false, () => tf.matMul(tf.abs(a), tf.abs(b), ta, tb));
          expectRelScaled(withFused(['gemm'], () => tf.matMul(a, b, ta, tb)), withFused(false, () => tf.matMul(a, b, ta, tb)), scale);
        });
      });
    });

    it('gradients of op(A)·op(B) in all four transpose combinations (the backward pass uses the transposed layouts)', () => {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        tf.tidy(() => {
          const a = uniform(500, stored(9, 300, ta));
          const b = uniform(501, stored(300, 13, tb));
          const { fused, generic } = compareGrads([a, b], (x, y) => tf.matMul(x!, y!, ta, tb), ['gemm']);
          fused.forEach((t, j) => expectNormRel(t, generic[j]!));
        });
      }
    });
  });
}

describe('GEMM fallbacks', () => {
  it('Aᵀ·Bᵀ and other batch broadcasts go to the generic kernel and stay exact', () => {
    tf.tidy(() => {
      const a = uniform(600, [6, 4]);
      const b = uniform(601, [5, 6]);
      expect(withFused(['gemm'], () => tf.matMul(a, b, true, true)).dataSync()).toEqual(withFused(false, () => tf.matMul(a, b, true, true)).dataSync());
      const x = uniform(602, [2, 1, 3, 4]);
      const y = uniform(603, [1, 5, 4, 2]);
      expect(withFused(['gemm'], () => tf.matMul(x, y)).dataSync()).toEqual(withFused(false, () => tf.matMul(x, y)).dataSync());
    });
  });
});
