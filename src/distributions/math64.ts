/**
 * The regularized lower incomplete gamma P(a, x) and its derivative in the shape a, in plain
 * JS double precision, for the implicit reparameterization gradients of Gamma variates (per
 * element, outside tfjs). log Gamma and digamma come from special64.ts.
 */
import { digamma64, lgamma64 } from './special64';

/** The log of the lower series sum S(a, x) = sum_n x^n / ((a+1)...(a+n)) and dS/da / S. */
function lowerSeries(a: number, x: number): { logS: number; dlogS: number } {
  // term_n = prod_{k=1..n} x / (a + k); dterm_n/da = term_n * -sum_{k<=n} 1/(a + k).
  let term = 1;
  let sum = 1;
  let harmonic = 0;
  let dsum = 0;
  for (let n = 1; n < 100000; n++) {
    term *= x / (a + n);
    harmonic += 1 / (a + n);
    sum += term;
    dsum -= term * harmonic;
    if (term < sum * 1e-17 && n > x - a) break;
  }
  return { logS: Math.log(sum), dlogS: dsum / sum };
}

/** log Q(a, x), the regularized upper incomplete gamma, by Lentz's continued fraction (x > a + 1). */
function logUpperCf(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return a * Math.log(x) - x - lgamma64(a) + Math.log(h);
}

/**
 * The regularized lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a) and its derivative
 * in a, for a > 0 and x = exp(logx) > 0. Below x = a + 1 both come from the power series
 * (differentiated term by term, all in log space so tiny x and a do not underflow); above it,
 * from the continued fraction of Q = 1 - P, differentiated by a central difference in a.
 */
export function gammaPAndDa(a: number, logx: number): { p: number; dpda: number } {
  const x = Math.exp(logx);
  if (x < a + 1) {
    // P = exp(a log x - x - lgamma(a + 1)) S(a, x)
    const { logS, dlogS } = lowerSeries(a, x);
    const logP = a * logx - x - lgamma64(a + 1) + logS;
    const p = Math.exp(logP);
    return { p, dpda: p * (logx - digamma64(a + 1) + dlogS) };
  }
  const logQ = logUpperCf(a, x);
  const h = 1e-5 * a;
  const dlogQ = (logUpperCf(a + h, x) - logUpperCf(a - h, x)) / (2 * h);
  const q = Math.exp(logQ);
  return { p: 1 - q, dpda: -q * dlogQ };
}

/**
 * The implicit reparameterization gradient of a Gamma(a, 1) variate in log space (Figurnov,
 * Mohamed & Mnih, Implicit Reparameterization Gradients, NeurIPS 2018):
 *   dx/da = -(dP(a, x)/da) / p(x; a),  so  d log x / da = -(dP/da) / (x p(x; a))
 * with x p(x; a) = exp(a log x - x - lgamma(a)). `logx` is the variate's log.
 */
export function dLogGammaDa(a: number, logx: number): number {
  if (!(a > 0) || !Number.isFinite(logx)) return 0;
  const { dpda } = gammaPAndDa(a, logx);
  const logXp = a * logx - Math.exp(logx) - lgamma64(a);
  const g = -dpda * Math.exp(-logXp);
  return Number.isFinite(g) ? g : 0;
}
