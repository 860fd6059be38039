/**
 * Exact moments of polynomials in ε ~ N(0, 1): p(ε) = c[0] + c[1] ε + c[2] ε² + ..., with
 * E[ε^k] = (k − 1)!! for even k and 0 for odd k. The closed-form single-sample gradient
 * estimators of the toy and conjugate-Gaussian tests are such polynomials, so their variances,
 * and the standard errors of sample variances, follow exactly.
 */

/** p(ε) = c[0] + c[1] ε + c[2] ε² + ... */
export type Poly = readonly number[];

/** E[ε^k]. */
function gaussMoment(k: number): number {
  if (k % 2 === 1) return 0;
  let r = 1;
  for (let j = k - 1; j > 1; j -= 2) r *= j;
  return r;
}

export function polyMul(a: Poly, b: Poly): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j]! += x * y)));
  return out;
}

export function polyAdd(a: Poly, b: Poly): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

export function polyScale(a: Poly, s: number): number[] {
  return a.map((x) => x * s);
}

/** E[p(ε)]. */
export function polyMean(p: Poly): number {
  return p.reduce((s, c, k) => s + c * gaussMoment(k), 0);
}

/** Var[p(ε)] and the fourth central moment μ4. */
export function polyMoments(p: Poly): { v: number; mu4: number } {
  const c = polyAdd(p, [-polyMean(p)]);
  const c2 = polyMul(c, c);
  return { v: polyMean(c2), mu4: polyMean(polyMul(c2, c2)) };
}

/** Var[p(ε)]. */
export function polyVar(p: Poly): number {
  return polyMoments(p).v;
}

/**
 * The standard error of the sample variance of n i.i.d. draws: sqrt((μ4 − σ⁴)/n) = σ²·sqrt((κ − 1)/n)
 * with κ = μ4/σ⁴ the kurtosis. For a Gaussian κ = 3 and this is the chi-square rule σ²·sqrt(2/n)
 * (exactly: Var[s²] = 2σ⁴/(n − 1)).
 */
export function varSe(v: number, kurtosis: number, n: number): number {
  return v * Math.sqrt((kurtosis - 1) / n);
}

/** The standard error of the sample variance of n draws of p(ε). */
export function polyVarSe(p: Poly, n: number): number {
  const { v, mu4 } = polyMoments(p);
  return varSe(v, mu4 / (v * v), n);
}
