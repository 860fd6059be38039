/*
 * Vectorized elementary functions on 4 floats (Cephes single-precision polynomials; the
 * relative error is a few units in the last place over the whole range, subnormal results and
 * arguments included, with IEEE special values: exp(-inf) = 0, log(0) = -inf, NaN in, NaN out).
 */
#ifndef VK_VMATH_H
#define VK_VMATH_H

#include "common.h"

#define F4(x) wasm_f32x4_const_splat(x)

/* e^x. The scale 2^n is applied as two factors so that subnormal results are rounded once. */
INLINE V vexp(V x) {
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, F4(89.f)), F4(-104.f));
  const V n = wasm_f32x4_nearest(wasm_f32x4_mul(x, F4(1.44269504088896341f)));
  V r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, F4(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, F4(-2.12194440e-4f)));
  V p = F4(1.9875691500E-4f);
  p = madd(p, r, F4(1.3981999507E-3f));
  p = madd(p, r, F4(8.3334519073E-3f));
  p = madd(p, r, F4(4.1665795894E-2f));
  p = madd(p, r, F4(1.6666665459E-1f));
  p = madd(p, r, F4(5.0000001201E-1f));
  p = madd(p, wasm_f32x4_mul(r, r), wasm_f32x4_add(r, F4(1.f)));
  const v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  const v128_t n1 = wasm_i32x4_shr(ni, 1);
  const v128_t n2 = wasm_i32x4_sub(ni, n1);
  const V s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, wasm_i32x4_splat(127)), 23);
  const V s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
}

/* log x for x >= 0 (subnormals scaled up first); log 0 = -inf, log(x < 0) = NaN, log inf = inf. */
INLINE V vlog(V x0) {
  const V tiny = wasm_f32x4_lt(x0, F4(1.17549435e-38f));
  V x = wasm_v128_bitselect(wasm_f32x4_mul(x0, F4(33554432.f)), x0, tiny); /* 2^25 */
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(126));
  e = wasm_i32x4_sub(e, wasm_v128_and(tiny, wasm_i32x4_splat(25)));
  V m = wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f000000)); /* [0.5, 1) */
  const V small = wasm_f32x4_lt(m, F4(0.707106781186547524f));
  e = wasm_i32x4_add(e, small); /* true lanes are -1 */
  m = wasm_f32x4_sub(wasm_f32x4_add(m, wasm_v128_and(m, small)), F4(1.f));
  const V fe = wasm_f32x4_convert_i32x4(e);
  const V z = wasm_f32x4_mul(m, m);
  V y = F4(7.0376836292E-2f);
  y = madd(y, m, F4(-1.1514610310E-1f));
  y = madd(y, m, F4(1.1676998740E-1f));
  y = madd(y, m, F4(-1.2420140846E-1f));
  y = madd(y, m, F4(1.4249322787E-1f));
  y = madd(y, m, F4(-1.6668057665E-1f));
  y = madd(y, m, F4(2.0000714765E-1f));
  y = madd(y, m, F4(-2.4999993993E-1f));
  y = madd(y, m, F4(3.3333331174E-1f));
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, m), z);
  y = madd(fe, F4(-2.12194440e-4f), y);
  y = madd(z, F4(-0.5f), y);
  V r = wasm_f32x4_add(m, y);
  r = madd(fe, F4(0.693359375f), r);
  /* specials: 0 -> -inf, negative -> NaN, +inf and NaN pass through */
  r = wasm_v128_bitselect(F4(-__builtin_inff()), r, wasm_f32x4_eq(x0, F4(0.f)));
  r = wasm_v128_bitselect(F4(__builtin_nanf("")), r, wasm_f32x4_lt(x0, F4(0.f)));
  r = wasm_v128_bitselect(x0, r, wasm_v128_or(wasm_f32x4_eq(x0, F4(__builtin_inff())), wasm_f32x4_ne(x0, x0)));
  return r;
}

/* log(1 + t) for t >= 0, accurate for tiny t (u = 1 + t; log(u) * t / (u - 1)). */
INLINE V vlog1p_pos(V t) {
  const V u = wasm_f32x4_add(t, F4(1.f));
  const V d = wasm_f32x4_sub(u, F4(1.f));
  const V l = wasm_f32x4_mul(vlog(u), wasm_f32x4_div(t, d));
  return wasm_v128_bitselect(t, l, wasm_f32x4_eq(d, F4(0.f)));
}

/* e^x - 1 for x <= 0, accurate near 0 (Taylor series below 0.35 in magnitude). */
INLINE V vexpm1_neg(V x) {
  V p = F4(1.f / 5040.f);
  p = madd(p, x, F4(1.f / 720.f));
  p = madd(p, x, F4(1.f / 120.f));
  p = madd(p, x, F4(1.f / 24.f));
  p = madd(p, x, F4(1.f / 6.f));
  p = madd(p, x, F4(0.5f));
  p = madd(p, x, F4(1.f));
  p = wasm_f32x4_mul(p, x);
  const V big = wasm_f32x4_sub(vexp(x), F4(1.f));
  return wasm_v128_bitselect(p, big, wasm_f32x4_gt(x, F4(-0.35f)));
}

/*
 * log(1 + t) for t in [0, 1] (e.g. t = e^-|x|): 2 atanh(s) with s = t / (2 + t) in [0, 1/3],
 * 2 s (1 + s²/3 + … + s¹²/13); the remainder is below s¹⁴/15 ≤ 1.4e-8 relative. Full relative
 * accuracy for tiny and subnormal t (2 s rounds to t). Half the work of vlog1p_pos.
 */
INLINE V vlog1p_01(V t) {
  const V s = wasm_f32x4_div(t, wasm_f32x4_add(t, F4(2.f)));
  const V z = wasm_f32x4_mul(s, s);
  V p = F4(1.f / 13.f);
  p = madd(p, z, F4(1.f / 11.f));
  p = madd(p, z, F4(1.f / 9.f));
  p = madd(p, z, F4(1.f / 7.f));
  p = madd(p, z, F4(1.f / 5.f));
  p = madd(p, z, F4(1.f / 3.f));
  p = madd(p, z, F4(1.f));
  return wasm_f32x4_mul(wasm_f32x4_add(s, s), p);
}

/* log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
INLINE V vsoftplus(V x) {
  return wasm_f32x4_add(wasm_f32x4_pmax(x, F4(0.f)), vlog1p_01(vexp(wasm_f32x4_neg(wasm_f32x4_abs(x)))));
}

/* 1 / (1 + e^-x), from e^-|x| on both sides (no overflow, full relative accuracy for x << 0). */
INLINE V vsigmoid(V x) {
  const V e = vexp(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  const V inv = wasm_f32x4_div(F4(1.f), wasm_f32x4_add(e, F4(1.f)));
  return wasm_v128_bitselect(inv, wasm_f32x4_mul(e, inv), wasm_f32x4_ge(x, F4(0.f)));
}

/* tanh x: an odd polynomial below 0.625 in magnitude (Cephes tanhf), 1 - 2 / (e^2|x| + 1) above. */
INLINE V vtanh(V x) {
  const V a = wasm_f32x4_abs(x);
  const V z = wasm_f32x4_mul(x, x);
  V p = F4(-5.70498872745E-3f);
  p = madd(p, z, F4(2.06390887954E-2f));
  p = madd(p, z, F4(-5.37397155531E-2f));
  p = madd(p, z, F4(1.33314422036E-1f));
  p = madd(p, z, F4(-3.33332819422E-1f));
  p = madd(wasm_f32x4_mul(p, z), x, x);
  const V e = vexp(wasm_f32x4_mul(a, F4(2.f)));
  V big = wasm_f32x4_sub(F4(1.f), wasm_f32x4_div(F4(2.f), wasm_f32x4_add(e, F4(1.f))));
  big = wasm_v128_or(big, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000))); /* sign of x */
  return wasm_v128_bitselect(p, big, wasm_f32x4_lt(a, F4(0.625f)));
}

#endif
