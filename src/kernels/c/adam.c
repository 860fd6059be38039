/*
 * Adam (Kingma & Ba 2015) over all parameters in one call with the bias correction
 * folded into two scalars as in src/train/adam.ts:
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,   p ← p − α_t m / (√v + ε̂).
 * `table` holds 8 words per parameter tensor: the addresses of p, g, m, v, of the updated p, m, v
 * (which may equal the inputs for an update in place) and the element count.
 */
#include "common.h"

/* c1 = 1 − β1 and c2 = 1 − β2 are passed rounded from double precision, as the generic path does. */
EXPORT(vk_adam) void vk_adam(int count, const int32_t *table, f32 b1, f32 c1, f32 b2, f32 c2, f32 alpha, f32 eps) {
  const V vb1 = splat(b1), vc1 = splat(c1), vb2 = splat(b2), vc2 = splat(c2);
  const V va = splat(alpha), ve = splat(eps);
  for (int e = 0; e < count; e++) {
    const int32_t *row = table + 8 * e;
    const f32 *p = (const f32 *)(uintptr_t)row[0];
    const f32 *g = (const f32 *)(uintptr_t)row[1];
    const f32 *m = (const f32 *)(uintptr_t)row[2];
    const f32 *v = (const f32 *)(uintptr_t)row[3];
    f32 *po = (f32 *)(uintptr_t)row[4];
    f32 *mo = (f32 *)(uintptr_t)row[5];
    f32 *vo = (f32 *)(uintptr_t)row[6];
    const int n = row[7];
    for (int i = 0; i < n; i += 4) {
      const int c = n - i < 4 ? n - i : 4;
      const V gv = load_n(g + i, c);
      const V m1 = wasm_f32x4_add(wasm_f32x4_mul(load_n(m + i, c), vb1), wasm_f32x4_mul(gv, vc1));
      const V v1 = wasm_f32x4_add(wasm_f32x4_mul(load_n(v + i, c), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gv, gv), vc2));
      const V step = wasm_f32x4_mul(wasm_f32x4_div(m1, wasm_f32x4_add(wasm_f32x4_sqrt(v1), ve)), va);
      const V p1 = wasm_f32x4_sub(load_n(p + i, c), step);
      store_n(mo + i, m1, c);
      store_n(vo + i, v1, c);
      store_n(po + i, p1, c);
    }
  }
}
