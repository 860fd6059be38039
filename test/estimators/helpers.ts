/**
 * Shared pieces of the estimator tests: exact moments of polynomials in ε ~ N(0, 1) (the
 * closed-form single-sample estimators of the toy and the conjugate Gaussian are such
 * polynomials), the standard error of a sample variance, and a recording Printer.
 */
import type { Printer } from '../../src/cli/errors';

/** p(ε) = c[0] + c[1] ε + c[2] ε² + ... */
export type Poly = readonly number[];

/** E[ε^k] = (k − 1)!! for even k, 0 for odd k. */
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

export function polyMean(p: Poly): number {
  return p.reduce((s, c, k) => s + c * gaussMoment(k), 0);
}

/** Var[p(ε)] and the fourth central moment μ4. */
export function polyMoments(p: Poly): { v: number; mu4: number } {
  const c = polyAdd(p, [-polyMean(p)]);
  const c2 = polyMul(c, c);
  return { v: polyMean(c2), mu4: polyMean(polyMul(c2, c2)) };
}

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

export function polyVarSe(p: Poly, n: number): number {
  const { v, mu4 } = polyMoments(p);
  return varSe(v, mu4 / (v * v), n);
}

/** Prints measured numbers when VAE_TEST_VERBOSE is set (for reports); silent otherwise. */
export function note(...parts: unknown[]): void {
  if (process.env['VAE_TEST_VERBOSE']) console.log(...parts);
}

/** A Printer that records what a command writes. */
export function captureIo(): Printer & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, color: false, out: (s) => stdout.push(s), err: (s) => stderr.push(s), text: () => [...stdout, ...stderr].join('\n') };
}
