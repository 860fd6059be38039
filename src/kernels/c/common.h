/*
 * Shared definitions for vaelang's wasm kernels.
 *
 * The kernels run on memory they do not own: the module imports the linear memory of
 * tfjs-backend-wasm and every pointer argument is the address of a tensor in that heap (or of a
 * scratch buffer the caller allocated there). So the module must not place anything in memory
 * itself: no data segments, no static variables, no address-taken locals (the C stack would live
 * at addresses the module does not own). The build script checks the output for data segments
 * and for a stack pointer.
 */
#ifndef VK_COMMON_H
#define VK_COMMON_H

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))
#define INLINE static inline __attribute__((always_inline))

typedef v128_t V;
typedef float f32;

/* a * b + c: one fused multiply-add in the relaxed build, a multiply and an add otherwise. */
#if defined(VK_RELAXED)
INLINE V madd(V a, V b, V c) { return wasm_f32x4_relaxed_madd(a, b, c); }
#else
INLINE V madd(V a, V b, V c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
#endif

INLINE V splat(f32 x) { return wasm_f32x4_splat(x); }
INLINE V load(const f32 *p) { return wasm_v128_load(p); }
INLINE void store(f32 *p, V v) { wasm_v128_store(p, v); }
INLINE V bcast(const f32 *p) { return wasm_v128_load32_splat(p); }

/* Loads n = 1..4 floats (the rest zero) and stores the first n lanes: exact, no over-read. */
INLINE V load_n(const f32 *p, int n) {
  if (n >= 4) return wasm_v128_load(p);
  if (n == 3) return wasm_v128_load32_lane(p + 2, wasm_v128_load64_zero(p), 2);
  if (n == 2) return wasm_v128_load64_zero(p);
  return wasm_v128_load32_zero(p);
}
INLINE void store_n(f32 *p, V v, int n) {
  if (n >= 4) {
    wasm_v128_store(p, v);
  } else if (n == 3) {
    wasm_v128_store64_lane(p, v, 0);
    wasm_v128_store32_lane(p + 2, v, 2);
  } else if (n == 2) {
    wasm_v128_store64_lane(p, v, 0);
  } else {
    wasm_v128_store32_lane(p, v, 0);
  }
}

INLINE f32 hsum(V v) {
  V s = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  s = wasm_f32x4_add(s, wasm_i32x4_shuffle(s, s, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(s, 0);
}

#endif
