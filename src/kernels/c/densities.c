/*
 * Log-densities, the Gaussian KL and the reparameterized Gaussian sample, each with its
 * gradient, in one pass over memory instead of one tfjs op per arithmetic step.
 *
 * Broadcasting. An operand of `s` elements broadcast against an output of n elements repeats
 * every s elements (its shape is a suffix of the output's, after dropping leading 1s): element
 * i reads operand[i % s]. s = 1 is a scalar. The caller passes L, the smallest period larger
 * than 1 (every other period is a multiple of it), so each block of L outputs reads every
 * operand contiguously. Gradients of broadcast operands are summed over the repeats: a gradient
 * output has the operand's s elements (s = n: stored; 1 < s < n: zeroed, then accumulated;
 * s = 1: one scalar). A gradient pointer of 0 skips that gradient.
 */
#include "vmath.h"

#define HALF_LOG_2PI 0.91893853320467274178f

INLINE V ld(const f32 *p, int s, int t, int n) { return s == 1 ? bcast(p) : load_n(p + t, n); }

/* Lanes [0, n) all ones. */
INLINE V tail_mask(int n) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(n));
}

INLINE void zero(f32 *g, int s, int n) {
  if (g && s > 1 && s < n)
    for (int i = 0; i < s; i++) g[i] = 0.f;
}

/* Adds (or stores) a block's gradient values; scalar operands accumulate into *sum. */
INLINE V put(f32 *g, int s, int n, int off, int t, int cnt, V val, V sum) {
  if (!g) return sum;
  if (s == 1) return wasm_f32x4_add(sum, wasm_v128_and(val, tail_mask(cnt)));
  f32 *p = g + off + t;
  store_n(p, s == n ? val : wasm_f32x4_add(load_n(p, cnt), val), cnt);
  return sum;
}

INLINE void put_scalar(f32 *g, int s, V sum) {
  if (g && s == 1) g[0] = hsum(sum);
}

/* ---- Bernoulli from logits: log p(x) = x l - softplus(l), summed over rows of D ---- */

/* out[r] = Σ_d x l - softplus(l) over row r; l and x have periods sl, sx (multiples of D). */
EXPORT(vk_bernoulli_logits) void vk_bernoulli_logits(int rows, int D, const f32 *l, int sl, const f32 *x, int sx, f32 *out) {
  for (int r = 0; r < rows; r++) {
    const f32 *lr = l + (r * D) % sl;
    const f32 *xr = x + (r * D) % sx;
    V acc = F4(0.f);
    for (int t = 0; t < D; t += 4) {
      const int n = D - t < 4 ? D - t : 4;
      const V lv = load_n(lr + t, n);
      const V v = wasm_f32x4_sub(wasm_f32x4_mul(load_n(xr + t, n), lv), vsoftplus(lv));
      acc = wasm_f32x4_add(acc, wasm_v128_and(v, tail_mask(n)));
    }
    out[r] = hsum(acc);
  }
}

/* dl = dy[r] (x - sigmoid(l)), reduced to l's period sl; dx = dy[r] l, reduced to sx. */
EXPORT(vk_bernoulli_logits_grad) void vk_bernoulli_logits_grad(int rows, int D, const f32 *dy, const f32 *l, int sl, const f32 *x, int sx, f32 *dl, f32 *dx) {
  const int total = rows * D;
  zero(dl, sl, total);
  zero(dx, sx, total);
  for (int r = 0; r < rows; r++) {
    const int ol = (r * D) % sl, ox = (r * D) % sx;
    const V g = bcast(dy + r);
    for (int t = 0; t < D; t += 4) {
      const int n = D - t < 4 ? D - t : 4;
      const V lv = load_n(l + ol + t, n);
      const V xv = load_n(x + ox + t, n);
      if (dl) put(dl, sl, total, ol, t, n, wasm_f32x4_mul(g, wasm_f32x4_sub(xv, vsigmoid(lv))), F4(0.f));
      if (dx) put(dx, sx, total, ox, t, n, wasm_f32x4_mul(g, lv), F4(0.f));
    }
  }
}

/* ---- Normal(loc, scale): elementwise log-density ---- */

EXPORT(vk_normal_logpdf) void vk_normal_logpdf(int total, int L, const f32 *v, int sv, const f32 *mu, int smu, const f32 *sg, int ssg, f32 *out) {
  for (int i0 = 0; i0 < total; i0 += L) {
    const f32 *vb = sv == 1 ? v : v + i0 % sv;
    const f32 *mb = smu == 1 ? mu : mu + i0 % smu;
    const f32 *sb = ssg == 1 ? sg : sg + i0 % ssg;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      const V s = ld(sb, ssg, t, n);
      const V z = wasm_f32x4_div(wasm_f32x4_sub(ld(vb, sv, t, n), ld(mb, smu, t, n)), s);
      const V lp = wasm_f32x4_sub(wasm_f32x4_mul(F4(-0.5f), wasm_f32x4_mul(z, z)), wasm_f32x4_add(vlog(s), F4(HALF_LOG_2PI)));
      store_n(out + i0 + t, lp, n);
    }
  }
}

/* dv = -dy z / σ, dμ = dy z / σ, dσ = dy (z² - 1) / σ with z = (v - μ) / σ. */
EXPORT(vk_normal_logpdf_grad) void vk_normal_logpdf_grad(int total, int L, const f32 *dy, const f32 *v, int sv, const f32 *mu, int smu, const f32 *sg, int ssg, f32 *dv, f32 *dmu, f32 *dsg) {
  zero(dv, sv, total);
  zero(dmu, smu, total);
  zero(dsg, ssg, total);
  V sumv = F4(0.f), summ = F4(0.f), sums = F4(0.f);
  for (int i0 = 0; i0 < total; i0 += L) {
    const int ov = i0 % sv, om = i0 % smu, os = i0 % ssg;
    const f32 *vb = sv == 1 ? v : v + ov;
    const f32 *mb = smu == 1 ? mu : mu + om;
    const f32 *sb = ssg == 1 ? sg : sg + os;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      const V g = load_n(dy + i0 + t, n);
      const V s = ld(sb, ssg, t, n);
      const V inv = wasm_f32x4_div(F4(1.f), s);
      const V z = wasm_f32x4_mul(wasm_f32x4_sub(ld(vb, sv, t, n), ld(mb, smu, t, n)), inv);
      const V gz = wasm_f32x4_mul(wasm_f32x4_mul(g, z), inv); /* dy z / σ */
      sumv = put(dv, sv, total, ov, t, n, wasm_f32x4_neg(gz), sumv);
      summ = put(dmu, smu, total, om, t, n, gz, summ);
      sums = put(dsg, ssg, total, os, t, n, wasm_f32x4_mul(wasm_f32x4_mul(g, inv), wasm_f32x4_sub(wasm_f32x4_mul(z, z), F4(1.f))), sums);
    }
  }
  put_scalar(dv, sv, sumv);
  put_scalar(dmu, smu, summ);
  put_scalar(dsg, ssg, sums);
}

/* ---- KL(Normal(mq, sq) || Normal(mp, sp)), elementwise: ½ (r + d - 1 - log r), r = (sq/sp)², d = ((mq-mp)/sp)² ---- */

EXPORT(vk_normal_kl) void vk_normal_kl(int total, int L, const f32 *mq, int smq, const f32 *sq, int ssq, const f32 *mp, int smp, const f32 *sp, int ssp, f32 *out) {
  for (int i0 = 0; i0 < total; i0 += L) {
    const f32 *a = smq == 1 ? mq : mq + i0 % smq;
    const f32 *b = ssq == 1 ? sq : sq + i0 % ssq;
    const f32 *c = smp == 1 ? mp : mp + i0 % smp;
    const f32 *d = ssp == 1 ? sp : sp + i0 % ssp;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      const V inv = wasm_f32x4_div(F4(1.f), ld(d, ssp, t, n));
      const V q = wasm_f32x4_mul(ld(b, ssq, t, n), inv);
      const V r = wasm_f32x4_mul(q, q);
      const V e = wasm_f32x4_mul(wasm_f32x4_sub(ld(a, smq, t, n), ld(c, smp, t, n)), inv);
      const V kl = wasm_f32x4_mul(F4(0.5f), wasm_f32x4_sub(madd(e, e, r), wasm_f32x4_add(F4(1.f), vlog(r))));
      store_n(out + i0 + t, kl, n);
    }
  }
}

/* dmq = dy (mq-mp)/sp², dmp = -dmq, dsq = dy (sq/sp² - 1/sq), dsp = dy (1/sp - (sq² + (mq-mp)²)/sp³). */
EXPORT(vk_normal_kl_grad) void vk_normal_kl_grad(int total, int L, const f32 *dy, const f32 *mq, int smq, const f32 *sq, int ssq, const f32 *mp, int smp, const f32 *sp, int ssp,
                                                  f32 *dmq, f32 *dsq, f32 *dmp, f32 *dsp) {
  zero(dmq, smq, total);
  zero(dsq, ssq, total);
  zero(dmp, smp, total);
  zero(dsp, ssp, total);
  V s1 = F4(0.f), s2 = F4(0.f), s3 = F4(0.f), s4 = F4(0.f);
  for (int i0 = 0; i0 < total; i0 += L) {
    const int o1 = i0 % smq, o2 = i0 % ssq, o3 = i0 % smp, o4 = i0 % ssp;
    const f32 *a = smq == 1 ? mq : mq + o1;
    const f32 *b = ssq == 1 ? sq : sq + o2;
    const f32 *c = smp == 1 ? mp : mp + o3;
    const f32 *d = ssp == 1 ? sp : sp + o4;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      const V g = load_n(dy + i0 + t, n);
      const V inv = wasm_f32x4_div(F4(1.f), ld(d, ssp, t, n));
      const V sqv = ld(b, ssq, t, n);
      const V diff = wasm_f32x4_sub(ld(a, smq, t, n), ld(c, smp, t, n));
      const V inv2 = wasm_f32x4_mul(inv, inv);
      const V gm = wasm_f32x4_mul(g, wasm_f32x4_mul(diff, inv2));
      s1 = put(dmq, smq, total, o1, t, n, gm, s1);
      s3 = put(dmp, smp, total, o3, t, n, wasm_f32x4_neg(gm), s3);
      s2 = put(dsq, ssq, total, o2, t, n, wasm_f32x4_mul(g, wasm_f32x4_sub(wasm_f32x4_mul(sqv, inv2), wasm_f32x4_div(F4(1.f), sqv))), s2);
      const V num = madd(diff, diff, wasm_f32x4_mul(sqv, sqv));
      s4 = put(dsp, ssp, total, o4, t, n, wasm_f32x4_mul(g, wasm_f32x4_mul(inv, wasm_f32x4_sub(F4(1.f), wasm_f32x4_mul(num, inv2)))), s4);
    }
  }
  put_scalar(dmq, smq, s1);
  put_scalar(dsq, ssq, s2);
  put_scalar(dmp, smp, s3);
  put_scalar(dsp, ssp, s4);
}

/* ---- reparameterized Normal sample: z = μ + σ ε (ε full) ---- */

EXPORT(vk_normal_rsample) void vk_normal_rsample(int total, int L, const f32 *mu, int smu, const f32 *sg, int ssg, const f32 *eps, f32 *z) {
  for (int i0 = 0; i0 < total; i0 += L) {
    const f32 *mb = smu == 1 ? mu : mu + i0 % smu;
    const f32 *sb = ssg == 1 ? sg : sg + i0 % ssg;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      store_n(z + i0 + t, madd(ld(sb, ssg, t, n), load_n(eps + i0 + t, n), ld(mb, smu, t, n)), n);
    }
  }
}

/* dμ = Σ dz, dσ = Σ dz ε over the repeats. */
EXPORT(vk_normal_rsample_grad) void vk_normal_rsample_grad(int total, int L, const f32 *dz, const f32 *eps, int smu, int ssg, f32 *dmu, f32 *dsg) {
  zero(dmu, smu, total);
  zero(dsg, ssg, total);
  V s1 = F4(0.f), s2 = F4(0.f);
  for (int i0 = 0; i0 < total; i0 += L) {
    const int om = i0 % smu, os = i0 % ssg;
    for (int t = 0; t < L; t += 4) {
      const int n = L - t < 4 ? L - t : 4;
      const V g = load_n(dz + i0 + t, n);
      s1 = put(dmu, smu, total, om, t, n, g, s1);
      s2 = put(dsg, ssg, total, os, t, n, wasm_f32x4_mul(g, load_n(eps + i0 + t, n)), s2);
    }
  }
  put_scalar(dmu, smu, s1);
  put_scalar(dsg, ssg, s2);
}
