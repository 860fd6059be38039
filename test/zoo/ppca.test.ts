// Probabilistic PCA has a closed-form maximum likelihood (Tipping & Bishop 1999, section 3.2):
// with S the sample covariance of the data (1/N normalization) and λ_1 ≥ ... ≥ λ_d its
// eigenvalues, the maximum over (W, μ, σ²) of the mean log-likelihood of x ~ N(μ, W Wᵀ + σ² I),
// W of rank k, is reached at μ = the sample mean, σ²_ML = mean of the d − k smallest λ and
// W_ML = U_k (Λ_k − σ²_ML I)^½ (eq. 7-8). There C = W Wᵀ + σ² I has eigenvalues λ_1..λ_k and
// σ²_ML (d − k times) with S's eigenvectors, so ln|C| = Σ_{i≤k} ln λ_i + (d − k) ln σ²_ML and
// tr(C⁻¹ S) = k + (d − k) = d, and eq. 4, L/N = −½ {d ln 2π + ln|C| + tr(C⁻¹ S)}, becomes
//   max log p(x) per example = −(d/2) ln 2π − ½ [Σ_{i≤k} ln λ_i + (d − k) ln σ²_ML + d].
// The test also evaluates N(x; μ, W_ML W_MLᵀ + σ²_ML I) directly (Cholesky) to check this.
//
// models/ppca.vae (linear decoder with a bias, learned σ, linear amortized diagonal-Gaussian
// guide) is trained on N = 2000 examples of the `linear-gaussian` data (d = 10, k = 2, σ = 0.1,
// seed 1) and must reach an ELBO within 0.05 nats per example of that maximum, on the training
// data itself (the maximum is for that data). The ELBO can be tight: with orthogonal columns of W
// the exact posterior is a diagonal Gaussian whose mean is linear in x and whose covariance is
// constant, which the guide represents exactly.
//
// Training protocol: full batch, Adam at lr 0.03 for 1500 steps, then 0.003 for 1000 steps
// (about 10-15 s). The model file's own protocol (batch 200, lr 1e-2) stalls about 0.15 nats
// short after 2000 steps (measured: ELBO 3.115 vs 3.261, IWAE-100 3.193), and so does a constant
// lr 0.03 full batch at a level that wanders between 0.003 and 0.04 nats short: the
// one-sample gradient noise keeps σ, the rotation of W and the guide's scale weights jittering
// at a size set by the step size. Lowering the rate for the last steps removes it; no change to
// the model or the engine was needed.
// Measured (seed 1, this machine): max log-likelihood 3.2611 (σ_ML = 0.10037, learned σ 0.1003),
// ELBO 3.255 ± 0.006 (gap 0.006, within its SE of 0), IWAE-100 3.2610 ± 0.0001 (gap < 0.0001), where ± is the
// Monte Carlo standard error over the sampling of z (the data are fixed).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile, evaluate, type Program } from '../../src/api';
import { Rng } from '../../src/core/rng';
import { linearGaussianData } from '../../src/data/synthetic';
import { bindData } from '../../src/train/data-binding';
import { Trainer } from '../../src/train/trainer';
import { meanGaussianLogDensity, sampleMoments, symmetricEigen } from './linalg';

const N = 2000;
const D = 10;
const K = 2;
/** Full-batch Adam: 1500 steps at lr 0.03, then 1000 at 0.003 (a fresh optimizer each phase). */
const PHASES: readonly (readonly [number, number])[] = [
  [1500, 0.03],
  [1000, 0.003],
];
const SEED = 1;

let prog: Program;
let x: Float32Array;
let badStep = -1;

beforeAll(async () => {
  prog = compileFile('models/ppca.vae', { seed: SEED, sets: [`train { batch: ${N}  seed: ${SEED} }`] });
  const bound = await bindData(prog.checked, { role: 'train', seed: SEED, sizes: { train: N, valid: 0, test: 0 }, splits: ['train'] });
  x = bound.splits.train.columns['x']!.data as Float32Array;
  const all = Int32Array.from({ length: N }, (_, i) => i);
  const config = prog.checked.train.config;
  let step = 0;
  for (const [steps, lr] of PHASES) {
    const trainer = new Trainer(prog, bound, { ...config, optimizer: { ...config.optimizer, lr } as typeof config.optimizer }, SEED);
    for (let s = 0; s < steps; s++, step++) trainer.trainStep(all, step, step);
    if (trainer.firstBadStep() >= 0) badStep = step;
    trainer.dispose();
  }
});

afterAll(() => prog?.dispose());

/** The closed-form maximum log-likelihood per example of the training data. */
function closedForm(): { maxLogLik: number; sigma2: number; lambdas: number[]; direct: number } {
  const { mean, cov } = sampleMoments(x, N, D);
  const { values: lambdas, vectors } = symmetricEigen(cov);
  const sigma2 = lambdas.slice(K).reduce((a, l) => a + l, 0) / (D - K);
  const maxLogLik = -(D / 2) * Math.log(2 * Math.PI) - 0.5 * (lambdas.slice(0, K).reduce((a, l) => a + Math.log(l), 0) + (D - K) * Math.log(sigma2) + D);
  // C = W_ML W_MLᵀ + σ² I with W_ML = U_k (Λ_k − σ² I)^½.
  const C = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? sigma2 : 0) + vectors.slice(0, K).reduce((a, u, c) => a + (lambdas[c]! - sigma2) * u[i]! * u[j]!, 0)));
  return { maxLogLik, sigma2, lambdas, direct: meanGaussianLogDensity(x, N, mean, C) };
}

/** The mean over S seeds and the rows of a per-example bound, and its Monte Carlo standard error. */
function monteCarlo(objective: { kind: 'elbo' } | { kind: 'iwae'; k: number }, seeds: number): { mean: number; se: number } {
  const batch = prog.batch({ x: tf.tensor2d(x, [N, D]) });
  const runs = Array.from({ length: seeds }, (_, s) => evaluate(prog, batch, { objective, particles: 1, seed: 100 + s }).perExample);
  tf.dispose([...batch.data.values()]);
  let mean = 0;
  let within = 0; // Σ_i Var_s(bound_{s,i}): only the sampling of z is random, the data are fixed
  for (let i = 0; i < N; i++) {
    const v = runs.map((r) => r[i]!);
    const m = v.reduce((a, b) => a + b, 0) / seeds;
    mean += m / N;
    within += v.reduce((a, b) => a + (b - m) ** 2, 0) / (seeds - 1);
  }
  return { mean, se: Math.sqrt(within / seeds) / N };
}

describe('PPCA: the ELBO and IWAE of models/ppca.vae reach the closed-form maximum likelihood', () => {
  it('uses the linear-gaussian generator and the textbook formula (checked against a direct evaluation)', () => {
    const ref = linearGaussianData(N, Rng.fromSeed(SEED).fold(0)).x.data as Float32Array;
    expect(Array.from(x.slice(0, 20))).toEqual(Array.from(ref.slice(0, 20)));
    const cf = closedForm();
    expect(cf.lambdas[K - 1]!).toBeGreaterThan(50 * cf.lambdas[K]!); // a clear rank-2 signal
    expect(Math.sqrt(cf.sigma2)).toBeCloseTo(0.1, 2);
    expect(Math.abs(cf.direct - cf.maxLogLik)).toBeLessThan(1e-9);
  });

  it('trains without a non-finite step and learns σ ≈ σ_ML', () => {
    expect(badStep).toBe(-1);
    const sigma = tf.tidy(() => tf.softplus(prog.param('param.sigma')).dataSync()[0]!);
    if (process.env['VAE_ZOO_VERBOSE']) console.log(`PPCA: σ ${sigma.toFixed(5)}, σ_ML ${Math.sqrt(closedForm().sigma2).toFixed(5)}`);
    expect(sigma / Math.sqrt(closedForm().sigma2)).toBeCloseTo(1, 1);
  });

  it('ELBO within 0.05 nats per example of the maximum log-likelihood', () => {
    const { maxLogLik } = closedForm();
    const elbo = monteCarlo({ kind: 'elbo' }, 16);
    // Monte Carlo SE of the 32000-draw mean (measured ≈ 0.006; the engine's ELBO uses the analytic
    // KL, so the one-sample reconstruction term keeps a variance even at the optimum): well below
    // the tolerance.
    if (process.env['VAE_ZOO_VERBOSE']) console.log(`PPCA: max log-lik ${maxLogLik.toFixed(4)}, ELBO ${elbo.mean.toFixed(4)} ± ${elbo.se.toFixed(4)} (gap ${(maxLogLik - elbo.mean).toFixed(4)})`);
    expect(elbo.se).toBeLessThan(0.01);
    expect(maxLogLik - elbo.mean).toBeLessThan(0.05);
    expect(elbo.mean - maxLogLik).toBeLessThan(3 * elbo.se); // a bound never exceeds the maximum
  });

  it('IWAE-100 log-likelihood within 0.05 nats of the maximum', () => {
    const { maxLogLik } = closedForm();
    const iwae = monteCarlo({ kind: 'iwae', k: 100 }, 4);
    if (process.env['VAE_ZOO_VERBOSE']) console.log(`PPCA: max log-lik ${maxLogLik.toFixed(4)}, IWAE-100 ${iwae.mean.toFixed(4)} ± ${iwae.se.toFixed(4)} (gap ${(maxLogLik - iwae.mean).toFixed(4)})`);
    expect(iwae.se).toBeLessThan(0.01);
    expect(Math.abs(maxLogLik - iwae.mean)).toBeLessThan(0.05);
  });
});
