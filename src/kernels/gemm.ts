/**
 * BatchMatMul on the wasm backend through vaelang's GEMM (src/kernels/c/gemm.c) for float32
 * operands in the layouts a training step uses (A·B, Aᵀ·B, A·Bᵀ; batched with equal or
 * broadcast-1 batches), reading the operands where tfjs keeps them: no transposes, no packed
 * copy of the weights. Anything else (Aᵀ·Bᵀ, integer dtypes, other batch broadcasts) and every
 * call while the kernels are off goes to the kernel that was registered before (tfjs's own, or
 * the threaded wrapper of src/wasm-threads).
 */
import * as tf from '@tensorflow/tfjs';
import { addr, kernelsActive, kx, sizeOf, type WasmBackendLike } from './runtime';
import { gemmParallel } from './threads';

/** The output batch shape of a batched matmul whose batches are equal or one of them has one element; undefined otherwise. */
function outBatch(ba: readonly number[], bb: readonly number[]): number[] | undefined {
  const na = sizeOf(ba);
  const nb = sizeOf(bb);
  if (na !== 1 && nb !== 1 && (ba.length !== bb.length || ba.some((d, i) => d !== bb[i]))) return undefined;
  // NumPy broadcast of the two batch shapes (rank = the larger one).
  const rank = Math.max(ba.length, bb.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = ba[ba.length - rank + i] ?? 1;
    const y = bb[bb.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}

export interface MatMulArgs {
  readonly a: tf.TensorInfo;
  readonly b: tf.TensorInfo;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** The output of op(a)·op(b) through the GEMM, or null when this call is not one it handles. */
export function gemmMatMul(backend: WasmBackendLike, { a, b, transposeA, transposeB }: MatMulArgs): tf.TensorInfo | null {
  if (!kernelsActive() || a.dtype !== 'float32' || b.dtype !== 'float32' || (transposeA && transposeB)) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const K2 = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const N = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (K !== K2 || K === 0) return null; // the generic kernel reports the mismatch / fills zeros
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = outBatch(batchA, batchB);
  if (!batch) return null;
  const out = backend.makeOutput([...batch, M, N], 'float32');
  const nBatch = sizeOf(batch);
  if (M === 0 || N === 0 || nBatch === 0) return out;
  const pa = addr(backend, a);
  const pb = addr(backend, b);
  const pc = addr(backend, out);
  const na = sizeOf(batchA);
  const nb = sizeOf(batchB);
  const ta = transposeA ? 1 : 0;
  const tb = transposeB ? 1 : 0;
  if (nb === 1 && !transposeA) {
    // Rows of every batch of A meet the same B: one GEMM over [nBatch·M, K] (A's batches are contiguous).
    gemmParallel(ta, tb, na * M, N, K, pa, pb, pc);
    return out;
  }
  const k = kx();
  for (let i = 0; i < nBatch; i++) {
    const ai = na === 1 ? pa : pa + 4 * i * M * K;
    const bi = nb === 1 ? pb : pb + 4 * i * K * N;
    if (nBatch === 1) gemmParallel(ta, tb, M, N, K, ai, bi, pc);
    else k.vk_gemm(ta, tb, M, N, K, ai, bi, pc + 4 * i * M * N, 0);
  }
  return out;
}

let installed = false;

/** Puts the GEMM in front of the wasm backend's BatchMatMul kernel (once per process). */
export function installGemm(): void {
  if (installed) return;
  const prev = tf.getKernel('BatchMatMul', 'wasm');
  if (!prev) return;
  installed = true;
  const inner = prev.kernelFunc;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA?: boolean; transposeB?: boolean };
    const r = gemmMatMul(args.backend as unknown as WasmBackendLike, { a, b, transposeA: !!transposeA, transposeB: !!transposeB });
    return r ?? inner(args);
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...prev, kernelFunc });
}
