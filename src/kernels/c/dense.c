/*
 * Dense layers: y = act(x·W + b) in one call (the GEMM, then the bias and the activation in one
 * pass over y), and the backward pass's elementwise part
 * da = dy ⊙ act'(y) with the bias gradient db = Σ_rows da. The derivative is computed from
 * the output y, so the forward pass keeps nothing else:
 *   softplus' = 1 - e^-y,  tanh' = 1 - y²,  sigmoid' = y (1 - y),  relu' = [y > 0],
 *   elu' = y > 0 ? 1 : y + 1,  selu' = y > 0 ? λ : y + λα,  leakyRelu' = y > 0 ? 1 : 0.01.
 */
#include "vmath.h"

enum { ACT_LINEAR = 0, ACT_RELU, ACT_SOFTPLUS, ACT_TANH, ACT_SIGMOID, ACT_ELU, ACT_SELU, ACT_LEAKY };

#define SELU_SCALE 1.0507009873554804934193349852946f
#define SELU_SCALE_ALPHA 1.7580993408473768599402175208123f

INLINE V act_v(V a, int act) {
  switch (act) {
    case ACT_RELU: return wasm_f32x4_pmax(a, F4(0.f));
    case ACT_SOFTPLUS: return vsoftplus(a);
    case ACT_TANH: return vtanh(a);
    case ACT_SIGMOID: return vsigmoid(a);
    case ACT_ELU: return wasm_v128_bitselect(a, vexpm1_neg(wasm_f32x4_pmin(a, F4(0.f))), wasm_f32x4_gt(a, F4(0.f)));
    case ACT_SELU:
      return wasm_v128_bitselect(wasm_f32x4_mul(a, F4(SELU_SCALE)),
                                 wasm_f32x4_mul(vexpm1_neg(wasm_f32x4_pmin(a, F4(0.f))), F4(SELU_SCALE_ALPHA)),
                                 wasm_f32x4_gt(a, F4(0.f)));
    case ACT_LEAKY: return wasm_v128_bitselect(a, wasm_f32x4_mul(a, F4(0.01f)), wasm_f32x4_gt(a, F4(0.f)));
    default: return a;
  }
}

/* act'(a) from y = act(a). */
INLINE V dact_v(V y, int act) {
  const V pos = wasm_f32x4_gt(y, F4(0.f));
  switch (act) {
    case ACT_RELU: return wasm_v128_and(pos, F4(1.f));
    case ACT_SOFTPLUS: return wasm_f32x4_neg(vexpm1_neg(wasm_f32x4_neg(y)));
    case ACT_TANH: return wasm_f32x4_sub(F4(1.f), wasm_f32x4_mul(y, y));
    case ACT_SIGMOID: return wasm_f32x4_mul(y, wasm_f32x4_sub(F4(1.f), y));
    case ACT_ELU: return wasm_v128_bitselect(F4(1.f), wasm_f32x4_add(y, F4(1.f)), pos);
    case ACT_SELU: return wasm_v128_bitselect(F4(SELU_SCALE), wasm_f32x4_add(y, F4(SELU_SCALE_ALPHA)), pos);
    case ACT_LEAKY: return wasm_v128_bitselect(F4(1.f), F4(0.01f), pos);
    default: return F4(1.f);
  }
}

/* y[r, :] = act(x[r, :] + b) for rows [0, M) of width N (b may be 0; x may equal y). */
static void bias_act_rows(int M, int N, const f32 *x, const f32 *b, int act, f32 *y) {
  for (int r = 0; r < M; r++) {
    const f32 *xr = x + r * N;
    f32 *yr = y + r * N;
    for (int j = 0; j < N; j += 4) {
      const int n = N - j < 4 ? N - j : 4;
      V a = load_n(xr + j, n);
      if (b) a = wasm_f32x4_add(a, load_n(b + j, n));
      store_n(yr + j, act_v(a, act), n);
    }
  }
}

EXPORT(vk_bias_act) void vk_bias_act(int M, int N, const f32 *x, const f32 *b, int act, f32 *y) {
  bias_act_rows(M, N, x, b, act, y);
}

int vk_gemm(int ta, int tb, int M, int N, int K, const f32 *A, const f32 *B, f32 *C, int acc);

/* y[M,N] = act(x[M,K]·W[K,N] + b): the GEMM, then one pass over y (still in L2). */
EXPORT(vk_dense) void vk_dense(int M, int N, int K, const f32 *x, const f32 *w, const f32 *b, int act, f32 *y) {
  vk_gemm(0, 0, M, N, K, x, w, y, 0);
  bias_act_rows(M, N, y, b, act, y);
}

/* da = dy ⊙ act'(y) over [M, N] when da is not 0; db[N] = Σ_rows da when db is not 0. */
EXPORT(vk_act_grad) void vk_act_grad(int M, int N, const f32 *dy, const f32 *y, int act, f32 *da, f32 *db) {
  if (db)
    for (int j = 0; j < N; j++) db[j] = 0.f;
  for (int r = 0; r < M; r++) {
    const f32 *dyr = dy + r * N;
    const f32 *yr = y + r * N;
    f32 *dar = da ? da + r * N : 0;
    for (int j = 0; j < N; j += 4) {
      const int n = N - j < 4 ? N - j : 4;
      const V g = wasm_f32x4_mul(load_n(dyr + j, n), dact_v(load_n(yr + j, n), act));
      if (da) store_n(dar + j, g, n);
      if (db) store_n(db + j, wasm_f32x4_add(load_n(db + j, n), g), n);
    }
  }
}
