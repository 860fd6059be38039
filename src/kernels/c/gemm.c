/*
 * Single-precision GEMM on row-major operands as tfjs stores them, in the three layouts a
 * training step needs, without packing (the weights are read where they are):
 *
 *   NN  C[M,N] = A[M,K] · B[K,N]       forward:            h = x·W
 *   TN  C[M,N] = A[K,M]ᵀ · B[K,N]      weight gradient:    dW = xᵀ·dY
 *   NT  C[M,N] = A[M,K] · B[N,K]ᵀ      input gradient:     dX = dY·Wᵀ
 *
 * NN and TN share one register-blocked kernel: a tile of 3 rows by 12 columns of C (4 x 8 in the
 * build without FMA) lives in 9 (8) vector registers while k runs; each step loads three (two)
 * 4-wide vectors from a row of B and broadcasts 3 (4) elements of A (TN differs from NN only in
 * A's strides). K is blocked by 256 so that the panel of B stays in L1 while the row tiles pass
 * over it.
 * NT multiplies rows of A by rows of B 4 elements at a time, 3 x 3 dot products per tile
 * (9 accumulators), and reduces each accumulator at the end.
 * Tiles that need more than 13 vector registers (6x8, 5x8, 4x12) ran 2x slower under V8 (x86-64
 * has 16, V8 keeps some): the accumulators spill. With FMA, 3x12 (9 accumulators, more than the 8
 * that two FMA pipes of latency 4 keep busy) beat 4x8 by 5-8% in an interleaved A/B on the VAE's
 * shapes; without FMA 3x12 spills (27 against 40 GFLOP/s) and 4x8 stays.
 * Measured single-threaded (process CPU time) on 100x784x400 and its transposes: 45-49 GFLOP/s
 * with relaxed-SIMD FMA, about 40 with SIMD128 (this CPU, AMD Zen 5, adds and multiplies on
 * separate pipes), 25-29 GFLOP/s for NT without FMA.
 *
 * Leading dimensions are explicit so that a caller can hand each thread a block of C.
 * `acc` = 1 adds to C instead of overwriting it.
 */
#include "common.h"

#if defined(VK_RELAXED)
#define MR 3   /* rows of a broadcast tile */
#define NVB 3  /* 4-wide vectors of columns in a broadcast tile (12 columns) */
#else
#define MR 4   /* without FMA each product needs a temporary: 4x8 fits the registers, 3x12 spills */
#define NVB 2
#endif
#define KC 256 /* k block of the broadcast kernel */
#define MC 120 /* row block of the broadcast kernel when A is tall (a multiple of 3 and of 4) */
#define A_L2 (512 * 1024) /* bytes of A kept in L2 while the tiles pass over B */
#define MR_D 3 /* rows of A per dot-product tile */
#define NR_D 3 /* rows of B per dot-product tile */

/*
 * One tile of C (R rows, NV vectors of 4 columns, the last of which has T valid columns),
 * accumulated over k in [0, K). A(r, k) = A[r*ars + k*acs]; B rows are ldb apart.
 */
INLINE void tile_b(const int R, const int NV, const int T, const f32 *A, int ars, int acs,
                   const f32 *B, int ldb, f32 *C, int ldc, int K, int acc) {
  V c[MR][NVB];
  for (int r = 0; r < R; r++)
    for (int v = 0; v < NV; v++)
      c[r][v] = acc ? load_n(C + r * ldc + 4 * v, v == NV - 1 ? T : 4) : wasm_f32x4_const_splat(0.f);
  for (int k = 0; k < K; k++) {
    const f32 *b = B + k * ldb;
    V bv[NVB];
    for (int v = 0; v < NV; v++) bv[v] = load_n(b + 4 * v, v == NV - 1 ? T : 4);
    const f32 *a = A + k * acs;
    for (int r = 0; r < R; r++) {
      const V ar = bcast(a + r * ars);
      for (int v = 0; v < NV; v++) c[r][v] = madd(ar, bv[v], c[r][v]);
    }
  }
  for (int r = 0; r < R; r++)
    for (int v = 0; v < NV; v++) store_n(C + r * ldc + 4 * v, c[r][v], v == NV - 1 ? T : 4);
}

/* Dispatches the row count R = 1..MR to a compile-time constant. */
#if MR == 4
#define ROWS(R, CALL)       \
  switch (R) {              \
    case 4: CALL(4); break; \
    case 3: CALL(3); break; \
    case 2: CALL(2); break; \
    default: CALL(1); break; \
  }
#else
#define ROWS(R, CALL)       \
  switch (R) {              \
    case 3: CALL(3); break; \
    case 2: CALL(2); break; \
    default: CALL(1); break; \
  }
#endif

/* gemm_b on one block of rows of A and C. */
static void gemm_b_rows(int M, int N, int K, const f32 *A, int ars, int acs, const f32 *B, int ldb, f32 *C, int ldc, int acc) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const int a_ = acc || k0 > 0;
    const f32 *Ak = A + k0 * acs;
    const f32 *Bk = B + k0 * ldb;
    int j = 0;
    for (; j + 4 * NVB <= N; j += 4 * NVB)
      for (int i = 0; i < M; i += MR) {
        const int R = M - i < MR ? M - i : MR;
#define TF(RR) tile_b(RR, NVB, 4, Ak + i * ars, ars, acs, Bk + j, ldb, C + i * ldc + j, ldc, kc, a_)
        ROWS(R, TF)
#undef TF
      }
    if (j < N) {
      /* 1..11 columns left: ceil(rest / 4) vectors, the last with 1..4 columns. */
      const int rest = N - j;
      for (int i = 0; i < M; i += MR) {
        const int R = M - i < MR ? M - i : MR;
        const f32 *Ai = Ak + i * ars;
        f32 *Ci = C + i * ldc + j;
#define TR(RR, V_, T) tile_b(RR, V_, T, Ai, ars, acs, Bk + j, ldb, Ci, ldc, kc, a_)
#define C11(RR) TR(RR, 3, 3)
#define C10(RR) TR(RR, 3, 2)
#define C9(RR) TR(RR, 3, 1)
#define C8(RR) TR(RR, 2, 4)
#define C7(RR) TR(RR, 2, 3)
#define C6(RR) TR(RR, 2, 2)
#define C5(RR) TR(RR, 2, 1)
#define C4(RR) TR(RR, 1, 4)
#define C3(RR) TR(RR, 1, 3)
#define C2(RR) TR(RR, 1, 2)
#define C1(RR) TR(RR, 1, 1)
        switch (rest) {
          case 11: ROWS(R, C11) break;
          case 10: ROWS(R, C10) break;
          case 9: ROWS(R, C9) break;
          case 8: ROWS(R, C8) break;
          case 7: ROWS(R, C7) break;
          case 6: ROWS(R, C6) break;
          case 5: ROWS(R, C5) break;
          case 4: ROWS(R, C4) break;
          case 3: ROWS(R, C3) break;
          case 2: ROWS(R, C2) break;
          default: ROWS(R, C1) break;
        }
      }
    }
  }
}

/*
 * C[M,N] (+)= A·B with A(i, k) = A[i*ars + k*acs], B [K,N] with rows ldb apart.
 * For each 12-column panel of B the tiles pass over every row of A's k block, so A's block
 * (M x KC) must stay in L2: when it would not (more than A_L2 bytes, e.g. 20,000 rows = 5,000
 * particles x 4 images in an IWAE evaluation, or M2's 2,000 = 10 classes x 200), the rows are
 * taken MC at a time; each row block then reads B once from L3. No element's sum changes order,
 * so the result is the same to the bit. A training step's products at batch 100 (100 x 784,
 * and xᵀ's 784 x 100 in the weight gradient) stay one block.
 */
static void gemm_b(int M, int N, int K, const f32 *A, int ars, int acs, const f32 *B, int ldb, f32 *C, int ldc, int acc) {
  const int kc = K < KC ? (K > 0 ? K : 1) : KC;
  if (M <= MC || M <= A_L2 / (4 * kc)) {
    gemm_b_rows(M, N, K, A, ars, acs, B, ldb, C, ldc, acc);
    return;
  }
  for (int i0 = 0; i0 < M; i0 += MC) {
    const int mc = M - i0 < MC ? M - i0 : MC;
    gemm_b_rows(mc, N, K, A + i0 * ars, ars, acs, B, ldb, C + i0 * ldc, ldc, acc);
  }
}

/* R x S dot products of rows of A (lda apart) with rows of B (ldb apart), over k in [0, K). */
INLINE void tile_d(const int R, const int S, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc, int K, int acc) {
  V c[MR_D][NR_D];
  for (int r = 0; r < R; r++)
    for (int s = 0; s < S; s++) c[r][s] = wasm_f32x4_const_splat(0.f);
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    V b[NR_D];
    for (int s = 0; s < S; s++) b[s] = load(B + s * ldb + k);
    for (int r = 0; r < R; r++) {
      const V a = load(A + r * lda + k);
      for (int s = 0; s < S; s++) c[r][s] = madd(a, b[s], c[r][s]);
    }
  }
  if (k < K) {
    const int n = K - k;
    V b[NR_D];
    for (int s = 0; s < S; s++) b[s] = load_n(B + s * ldb + k, n);
    for (int r = 0; r < R; r++) {
      const V a = load_n(A + r * lda + k, n);
      for (int s = 0; s < S; s++) c[r][s] = madd(a, b[s], c[r][s]);
    }
  }
  for (int r = 0; r < R; r++)
    for (int s = 0; s < S; s++) {
      const f32 x = hsum(c[r][s]);
      C[r * ldc + s] = acc ? C[r * ldc + s] + x : x;
    }
}

/* gemm_d on one block of rows of A and C. */
static void gemm_d_rows(int M, int N, int K, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc, int acc) {
  for (int j = 0; j < N; j += NR_D) {
    const int S = N - j < NR_D ? N - j : NR_D;
    for (int i = 0; i < M; i += MR_D) {
      const int R = M - i < MR_D ? M - i : MR_D;
      const f32 *Ai = A + i * lda;
      const f32 *Bj = B + j * ldb;
      f32 *Cij = C + i * ldc + j;
#define D(RR, SS) tile_d(RR, SS, Ai, lda, Bj, ldb, Cij, ldc, K, acc)
#define DS(RR) switch (S) { case 3: D(RR, 3); break; case 2: D(RR, 2); break; default: D(RR, 1); }
      switch (R) {
        case 3: DS(3) break;
        case 2: DS(2) break;
        default: DS(1) break;
      }
#undef DS
#undef D
    }
  }
}

/*
 * C[M,N] (+)= A[M,K] · B[N,K]ᵀ. Each 3-row block of B meets every row of A, so A stays in L2
 * when it can (at most A_L2 bytes, a training step's 100 x 784); a taller A is taken in
 * blocks of rows that fit, each of which reads B once. Same sums, same order.
 */
static void gemm_d(int M, int N, int K, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc, int acc) {
  const int rowBytes = 4 * (K > 0 ? K : 1);
  if (M <= A_L2 / rowBytes) {
    gemm_d_rows(M, N, K, A, lda, B, ldb, C, ldc, acc);
    return;
  }
  int mc = (A_L2 / 2 / rowBytes) / MR_D * MR_D;
  if (mc < MR_D) mc = MR_D;
  for (int i0 = 0; i0 < M; i0 += mc) {
    const int m = M - i0 < mc ? M - i0 : mc;
    gemm_d_rows(m, N, K, A + i0 * lda, lda, B, ldb, C + i0 * ldc, ldc, acc);
  }
}

/*
 * C (+)= op(A)·op(B) with explicit leading dimensions (elements between rows as stored):
 * ta: A is stored [K,M] (else [M,K]); tb: B is stored [N,K] (else [K,N]). C is [M,N].
 * ta && tb is not supported (returns -1: the caller uses the generic kernel).
 */
EXPORT(vk_gemm_ld) int vk_gemm_ld(int ta, int tb, int M, int N, int K, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc, int acc) {
  if (!tb) {
    if (ta) gemm_b(M, N, K, A, 1, lda, B, ldb, C, ldc, acc);
    else gemm_b(M, N, K, A, lda, 1, B, ldb, C, ldc, acc);
    return 0;
  }
  if (ta) return -1;
  gemm_d(M, N, K, A, lda, B, ldb, C, ldc, acc);
  return 0;
}

/* The same with tight leading dimensions. */
EXPORT(vk_gemm) int vk_gemm(int ta, int tb, int M, int N, int K, const f32 *A, const f32 *B, f32 *C, int acc) {
  return vk_gemm_ld(ta, tb, M, N, K, A, ta ? M : K, B, tb ? K : N, C, N, acc);
}
