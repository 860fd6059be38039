/**
 * Double-precision special functions on the host, for the families whose float32 formulas lose
 * everything to cancellation at large parameters (Beta and Gamma: log B(a, b) and the digamma
 * terms of their KLs are differences of numbers near a log a). Each is the upward recurrence
 * to x >= 10 followed by the asymptotic (Stirling / de Moivre) series with Bernoulli numbers
 * B_2 .. B_16, good to about 1e-15 relative for x > 0.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LARGE = 10;

/** B_2k / (2k (2k − 1)) for k = 1..8: the Stirling series of log Gamma. */
const LGAMMA_SERIES = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];
/** B_2k / (2k) for k = 1..8: the asymptotic series of digamma. */
const DIGAMMA_SERIES = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160];
/** B_2k for k = 1..8: the asymptotic series of trigamma. */
const TRIGAMMA_SERIES = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510];

/** Σ_k c_k z^(2k−1) with z = 1/x, by Horner in z². */
function oddSeries(coef: readonly number[], x: number): number {
  const z = 1 / x;
  const z2 = z * z;
  let s = 0;
  for (let k = coef.length - 1; k >= 0; k--) s = s * z2 + coef[k]!;
  return s * z;
}

/** log Gamma(x) for x > 0. */
export function lgamma64(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  while (x < LARGE) {
    shift += Math.log(x);
    x += 1;
  }
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + oddSeries(LGAMMA_SERIES, x) - shift;
}

/** Stirling's remainder lgamma(x) − [(x − ½) log x − x + ½ log 2π] for x >= 10. */
export function stirlingRemainder64(x: number): number {
  return oddSeries(LGAMMA_SERIES, x);
}

/** digamma(x) = d/dx log Gamma(x) for x > 0. */
export function digamma64(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  while (x < LARGE) {
    shift += 1 / x;
    x += 1;
  }
  const z = 1 / x;
  return Math.log(x) - 0.5 * z - z * oddSeries(DIGAMMA_SERIES, x) - shift;
}

/** trigamma(x) = d²/dx² log Gamma(x) for x > 0. */
export function trigamma64(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return 0;
  let shift = 0;
  while (x < LARGE) {
    shift += 1 / (x * x);
    x += 1;
  }
  const z = 1 / x;
  return z + 0.5 * z * z + z * z * oddSeries(TRIGAMMA_SERIES, x) + shift; // Σ B_2k / x^(2k+1)
}

/** log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b), without cancellation for large a, b. */
export function lbeta64(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo >= LARGE) {
    // Stirling for all three: ½log2π − ½log s + (a − ½) log(a/s) + (b − ½) log(b/s) + remainders.
    const s = a + b;
    return HALF_LOG_2PI - 0.5 * Math.log(s) + (a - 0.5) * -Math.log1p(b / a) + (b - 0.5) * -Math.log1p(a / b) + stirlingRemainder64(a) + stirlingRemainder64(b) - stirlingRemainder64(s);
  }
  if (hi >= LARGE) {
    // lgamma(lo) − [lgamma(hi + lo) − lgamma(hi)], the bracket by Stirling at hi and hi + lo.
    const s = hi + lo;
    const diff = (hi - 0.5) * Math.log1p(lo / hi) + lo * Math.log(s) - lo + stirlingRemainder64(s) - stirlingRemainder64(hi);
    return lgamma64(lo) - diff;
  }
  return lgamma64(a) + lgamma64(b) - lgamma64(a + b);
}

/**
 * lgamma(a + t) − lgamma(a) for a > 0, t > −a, without cancellation when a is large
 * (Stirling at both ends); the digamma-free part of Gamma and Beta log-densities and KLs.
 */
export function lgammaDiff64(a: number, t: number): number {
  const b = a + t;
  if (a >= LARGE && b >= LARGE) return (b - 0.5) * Math.log1p(t / a) + t * Math.log(a) - t + stirlingRemainder64(b) - stirlingRemainder64(a);
  return lgamma64(b) - lgamma64(a);
}
