// Likelihood reference values through the language: each case compiles a tiny .vae program
// whose observed site is the likelihood under test, with its "decoder output" a `param` fixed by
// its initial value (or a constant), and scores data rows with `evaluate`. A program with no
// latent sites has ELBO = log p(x) exactly, so every row's bound is the site's log-probability.
// The expectations are plain float64 JS formulas written here from the families' definitions
// (not from src/distributions), so the whole path checker -> compiler -> runtime -> distribution
// is covered. test/distributions/ checks the distribution classes directly.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../src/api';

/** log p(x) of every row of `xs`, from a program whose only site is the observed `x`. */
function scoreRows(source: string, xs: readonly number[], shape: number[] = [xs.length]): number[] {
  const prog = compile(source);
  try {
    const x = tf.tensor(xs as number[], shape);
    const r = evaluate(prog, prog.batch({ x }));
    x.dispose();
    return Array.from(r.perExample);
  } finally {
    prog.dispose();
  }
}

const LOG_2PI = Math.log(2 * Math.PI);
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** log Γ(z) for z > 0: Lanczos (g = 7, n = 9), ~1e-15 relative. */
function logGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const w = z - 1;
  let a = c[0]!;
  const t = w + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (w + i);
  return 0.5 * LOG_2PI + (w + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The continuous Bernoulli density (Loaiza-Ganem & Cunningham 2019, eq. 2-3):
 * p(x | λ) = C(λ) λ^x (1 − λ)^(1 − x), C(λ) = 2 artanh(1 − 2λ) / (1 − 2λ), C(1/2) = 2.
 */
function cbLogProb(x: number, lambda: number): number {
  const u = 1 - 2 * lambda;
  const logC = u === 0 ? Math.log(2) : Math.log((2 * Math.atanh(u)) / u);
  return logC + x * Math.log(lambda) + (1 - x) * Math.log(1 - lambda);
}

/**
 * The discretized logistic over 256 levels x = k/255 (Salimans et al. 2017, eq. 2, on the
 * [0, 1] scale): the logistic mass of [x − 1/510, x + 1/510], with the first bin open to −∞
 * and the last to +∞.
 */
function dlogLogProb(x: number, mu: number, s: number): number {
  const cdf = (v: number) => sigmoid((v - mu) / s);
  const h = 0.5 / 255;
  if (x === 0) return Math.log(cdf(h));
  if (x === 1) return Math.log(1 - cdf(1 - h));
  return Math.log(cdf(x + h) - cdf(x - h));
}

function expectClose(got: readonly number[], want: readonly number[], tol: number): void {
  expect(got).toHaveLength(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > tol) throw new Error(`row ${i}: log p = ${got[i]} from the program, ${want[i]} from the formula (tolerance ${tol})`);
  }
}

describe('likelihoods of .vae programs against plain formulas', () => {
  it('Normal with a fixed σ: −½ log 2πσ² − (x − μ)²/2σ²', () => {
    const xs = [-1, 0.3, 2.5, 0.31];
    const got = scoreRows('data x: Real\nparam mu: Real = 0.3\nmodel { x ~ Normal(mu, 0.5) }\n', xs);
    expectClose(got, xs.map((x) => -0.5 * LOG_2PI - Math.log(0.5) - (x - 0.3) ** 2 / (2 * 0.25)), 2e-5);
  });

  it('Normal over a vector sums the elements (event axis), with a learned σ', () => {
    const rows = [
      [0.1, -0.2, 3],
      [1, 1, 1],
    ];
    const got = scoreRows('data x: Real[3]\nparam mu: Real[3] = -0.4\nparam sigma: Positive = 1.7\nmodel { x ~ Normal(mu, sigma) }\n', rows.flat(), [2, 3]);
    expectClose(got, rows.map((r) => r.reduce((a, x) => a - 0.5 * LOG_2PI - Math.log(1.7) - (x + 0.4) ** 2 / (2 * 1.7 ** 2), 0)), 5e-5);
  });

  it('Laplace: −log 2b − |x − μ|/b', () => {
    const xs = [-3, -0.2, 0, 1.5];
    const got = scoreRows('data x: Real\nparam mu: Real = -0.2\nparam b: Positive = 0.7\nmodel { x ~ Laplace(mu, b) }\n', xs);
    expectClose(got, xs.map((x) => -Math.log(2 * 0.7) - Math.abs(x + 0.2) / 0.7), 2e-5);
  });

  it('Beta: (a − 1) log x + (b − 1) log(1 − x) − log B(a, b)', () => {
    const xs = [0.01, 0.1, 0.5, 0.93, 0.999];
    for (const [a, b] of [
      [2.5, 0.8],
      [0.5, 0.5],
      [30, 4],
    ] as const) {
      const got = scoreRows(`data x: Unit\nparam a: Positive = ${a}\nparam b: Positive = ${b}\nmodel { x ~ Beta(a, b) }\n`, xs);
      const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
      expectClose(got, xs.map((x) => (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - logB), 2e-4);
    }
  });

  it('ContinuousBernoulli by probs, at λ = 0.5 and 0.5 ± 1e-4 (the removable singularity) and away from it', () => {
    const xs = [0, 0.3, 0.5, 1];
    for (const lambda of [0.5, 0.5 + 1e-4, 0.5 - 1e-4, 0.2, 0.97, 0.001]) {
      const got = scoreRows(`data x: Unit\nparam p: Unit = ${lambda}\nmodel { x ~ ContinuousBernoulli(probs: p) }\n`, xs);
      expectClose(got, xs.map((x) => cbLogProb(x, lambda)), 5e-5);
    }
  });

  it('ContinuousBernoulli by logits, around logits 0 (λ = σ(±4e-4)) and far from it', () => {
    const xs = [0, 0.25, 1];
    for (const l of [0, 4e-4, -4e-4, 2, -7]) {
      const got = scoreRows(`data x: Unit\nparam l: Real = ${l}\nmodel { x ~ ContinuousBernoulli(logits: l) }\n`, xs);
      expectClose(got, xs.map((x) => cbLogProb(x, sigmoid(l))), 5e-5);
    }
  });

  it('DiscretizedLogistic: interior bins and the open edge bins at 0 and 1', () => {
    const xs = [0, 1 / 255, 102 / 255, 0.4, 200 / 255, 254 / 255, 1];
    for (const [mu, s] of [
      [0.4, 0.05],
      [-0.2, 0.1],
      [1.3, 0.02],
      [0.5, 0.001],
    ] as const) {
      const got = scoreRows(`data x: Unit\nparam mu: Real = ${mu}\nparam s: Positive = ${s}\nmodel { x ~ DiscretizedLogistic(mu, s) }\n`, xs);
      // Far in the tails log P is large and negative; float32 keeps ~7 significant digits.
      const want = xs.map((x) => dlogLogProb(x, mu, s));
      expectClose(got, want, 1e-4 * Math.max(1, ...want.map(Math.abs)));
    }
  });

  it('Bernoulli by logits and by probs: x log p + (1 − x) log(1 − p)', () => {
    const xs = [0, 1, 1, 0];
    const byLogits = scoreRows('data x: Binary\nparam l: Real = 0.7\nmodel { x ~ Bernoulli(logits: l) }\n', xs);
    expectClose(byLogits, xs.map((x) => x * Math.log(sigmoid(0.7)) + (1 - x) * Math.log(1 - sigmoid(0.7))), 2e-5);
    const byProbs = scoreRows('data x: Binary\nparam p: Unit = 0.2\nmodel { x ~ Bernoulli(probs: p) }\n', xs);
    expectClose(byProbs, xs.map((x) => x * Math.log(0.2) + (1 - x) * Math.log(0.8)), 2e-5);
    // A confident decoder output: logits 30 (σ = 1 − 9e-14) must not round log(1 − p) to −∞.
    const sure = scoreRows('data x: Binary\nparam l: Real = 30\nmodel { x ~ Bernoulli(logits: l) }\n', [1, 0]);
    expectClose(sure, [-Math.log1p(Math.exp(-30)), -30 - Math.log1p(Math.exp(-30))], 1e-4);
  });
});
