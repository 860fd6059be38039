/**
 * The functions exported by the kernel module (src/kernels/c). Pointers are byte addresses in
 * tfjs's wasm heap; counts are elements. See the C sources for the exact contracts.
 */
export interface KernelExports {
  /** C (+)= op(A)·op(B), row-major, tight leading dimensions; -1 for ta && tb (unsupported). */
  vk_gemm(ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number): number;
  /** The same with explicit leading dimensions. */
  vk_gemm_ld(ta: number, tb: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): number;
  /** y[M,N] = act(x[M,N] + b[N]) (b may be 0). */
  vk_bias_act(m: number, n: number, x: number, b: number, act: number, y: number): void;
  /** y[M,N] = act(x[M,K]·w[K,N] + b[N]). */
  vk_dense(m: number, n: number, k: number, x: number, w: number, b: number, act: number, y: number): void;
  /** da = dy ⊙ act'(y); db = Σ_rows da (db may be 0). */
  vk_act_grad(m: number, n: number, dy: number, y: number, act: number, da: number, db: number): void;
  vk_bernoulli_logits(rows: number, d: number, l: number, sl: number, x: number, sx: number, out: number): void;
  vk_bernoulli_logits_grad(rows: number, d: number, dy: number, l: number, sl: number, x: number, sx: number, dl: number, dx: number): void;
  vk_normal_logpdf(total: number, blk: number, v: number, sv: number, mu: number, smu: number, sg: number, ssg: number, out: number): void;
  vk_normal_logpdf_grad(total: number, blk: number, dy: number, v: number, sv: number, mu: number, smu: number, sg: number, ssg: number, dv: number, dmu: number, dsg: number): void;
  vk_normal_kl(total: number, blk: number, mq: number, smq: number, sq: number, ssq: number, mp: number, smp: number, sp: number, ssp: number, out: number): void;
  vk_normal_kl_grad(total: number, blk: number, dy: number, mq: number, smq: number, sq: number, ssq: number, mp: number, smp: number, sp: number, ssp: number, dmq: number, dsq: number, dmp: number, dsp: number): void;
  vk_normal_rsample(total: number, blk: number, mu: number, smu: number, sg: number, ssg: number, eps: number, z: number): void;
  vk_normal_rsample_grad(total: number, blk: number, dz: number, eps: number, smu: number, ssg: number, dmu: number, dsg: number): void;
  /** Adam over `count` tensors described by `table` (8 int32 per tensor: p, g, m, v, p out, m out, v out, n). */
  vk_adam(count: number, table: number, b1: number, c1: number, b2: number, c2: number, alpha: number, eps: number): void;
}

/** Activation codes of the dense kernels (enum in src/kernels/c/dense.c). */
export const ACT_CODES = {
  linear: 0,
  relu: 1,
  softplus: 2,
  tanh: 3,
  sigmoid: 4,
  elu: 5,
  selu: 6,
  leakyRelu: 7,
} as const;

export type FusedActivation = keyof typeof ACT_CODES;
