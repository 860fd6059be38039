/**
 * GEMM on more than one thread (placeholder until the worker lands: single-threaded).
 */
import { kx } from './runtime';

/** C = op(A)·op(B) with tight leading dimensions, split across the GEMM threads when worthwhile. */
export function gemmParallel(ta: number, tb: number, M: number, N: number, K: number, pa: number, pb: number, pc: number): void {
  kx().vk_gemm(ta, tb, M, N, K, pa, pb, pc, 0);
}
