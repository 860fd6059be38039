/**
 * Synthetic count data with known generating processes, for the count models of the zoo.
 *
 *   zinb-counts  scVI-like expression counts (Lopez et al. 2018): z ~ N(0, I_2) per cell, and for
 *                each of G = 50 genes log mu_g = b_g + w_g . z, a concentration theta_g and a
 *                dropout probability pi_g (all fixed, {@link zinbParams}); x_g = 0 with probability
 *                pi_g, else x_g ~ NegativeBinomial(mean mu_g, concentration theta_g), drawn as
 *                Poisson(mu_g * Gamma(theta_g, 1) / theta_g).
 *   topics       LDA documents (Blei et al. 2003) over V = 100 words and K = 5 topics: topic k
 *                puts 90% of its mass uniformly on words 20k .. 20k + 19 and 10% on all words;
 *                theta ~ Dirichlet(0.3 1_K) per document, length L = 30 + Poisson(30), and
 *                x ~ Multinomial(L, sum_k theta_k beta_k).
 *
 * Contract. Each generator is a pure function of (n, seed), as in synthetic.ts; the latents are
 * returned next to the data. {@link zinbLogLikelihood} is the exact log p(x) of zinb-counts by
 * quadrature over z (the reference for models/zinb-vae.vae).
 */
import { Rng } from '../core/rng';
import { multinomialInto, poissonVariate } from '../distributions/count-sampling';
import { lgamma64 } from '../distributions/special64';
import type { NdArray } from './ndarray';
import { normals } from './synthetic';

function stream(seed: number | Rng, name: string): () => number {
  return (typeof seed === 'number' ? Rng.fromSeed(seed) : seed).foldName(name).uniforms();
}

/** One Gamma(a, 1) variate (Marsaglia & Tsang 2000, with the U^(1/a) boost below a = 1). */
function gammaVariate(a: number, u: () => number): number {
  const boost = a < 1 ? (1 - u()) ** (1 / a) : 1;
  const d = (a < 1 ? a + 1 : a) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normals(u, 1)[0] as number;
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    if (Math.log(1 - u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * boost;
  }
}

/** The fixed parameters of zinb-counts. */
export interface ZinbParams {
  readonly genes: number;
  readonly latent: number;
  /** Row-major [G, 2]: w_gj = 0.8 cos(pi (g + 1/2)(j + 1) / G). */
  readonly W: Float64Array;
  /** b_g = log(1 + 9 g / (G - 1)): means from 1 to 10 at z = 0. */
  readonly b: Float64Array;
  /** theta_g = 0.5, 1, 2, 5, 10 repeating. */
  readonly theta: Float64Array;
  /** pi_g = 0.05, 0.2, 0.35 repeating. */
  readonly gate: Float64Array;
}

export function zinbParams(genes = 50): ZinbParams {
  const latent = 2;
  const W = new Float64Array(genes * latent);
  for (let g = 0; g < genes; g++) for (let j = 0; j < latent; j++) W[g * latent + j] = 0.8 * Math.cos((Math.PI * (g + 0.5) * (j + 1)) / genes);
  const b = Float64Array.from({ length: genes }, (_, g) => Math.log(1 + (9 * g) / (genes - 1)));
  const theta = Float64Array.from({ length: genes }, (_, g) => [0.5, 1, 2, 5, 10][g % 5]!);
  const gate = Float64Array.from({ length: genes }, (_, g) => [0.05, 0.2, 0.35][g % 3]!);
  return { genes, latent, W, b, theta, gate };
}

function logMean(p: ZinbParams, g: number, z0: number, z1: number): number {
  return (p.b[g] as number) + (p.W[2 * g] as number) * z0 + (p.W[2 * g + 1] as number) * z1;
}

/** zinb-counts: counts `x` [n, G] (float32 whole numbers) and latents `z` [n, 2]. */
export function zinbCountsData(n: number, seed: number | Rng, p = zinbParams()): { x: NdArray; z: NdArray } {
  const u = stream(seed, 'zinb-counts');
  const z = normals(u, 2 * n);
  const x = new Float32Array(n * p.genes);
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < p.genes; g++) {
      if (u() < (p.gate[g] as number)) continue; // a structural zero (dropout)
      const mu = Math.exp(logMean(p, g, z[2 * i] as number, z[2 * i + 1] as number));
      const th = p.theta[g] as number;
      x[i * p.genes + g] = poissonVariate((mu * gammaVariate(th, u)) / th, u);
    }
  }
  return { x: { shape: [n, p.genes], data: x }, z: { shape: [n, 2], data: z } };
}

/** log ZINB(x | mean mu, concentration theta, gate pi) in double precision. */
export function zinbLogPmf(x: number, logMu: number, theta: number, pi: number): number {
  // log(theta / (theta + mu)) and log(mu / (theta + mu)), stable for large and small mu.
  const logSum = Math.max(Math.log(theta), logMu) + Math.log1p(Math.exp(-Math.abs(Math.log(theta) - logMu)));
  const logP0 = Math.log(theta) - logSum;
  const nbZero = theta * logP0;
  if (x === 0) return Math.log(pi + (1 - pi) * Math.exp(nbZero));
  return Math.log1p(-pi) + lgamma64(x + theta) - lgamma64(theta) - lgamma64(x + 1) + nbZero + x * (logMu - logSum);
}

/**
 * The exact log p(x) of each row of `x` [n, G] under zinb-counts: the trapezoid rule over z on
 * [-6, 6]^2 with `step` (spectrally accurate for this smooth, fast-decaying integrand: steps 0.1
 * and 0.05 agree to 1e-6 nats on the test rows).
 */
export function zinbLogLikelihood(x: NdArray, p = zinbParams(), step = 0.1): Float64Array {
  const n = x.shape[0] as number;
  const G = p.genes;
  const m = Math.round(12 / step) + 1;
  const grid = Float64Array.from({ length: m }, (_, i) => -6 + i * step);
  const out = new Float64Array(n);
  const terms = new Float64Array(m * m);
  const logTheta = Float64Array.from(p.theta, Math.log);
  const lgTheta = Float64Array.from(p.theta, lgamma64);
  const counts = new Float64Array(G);
  const constant = new Float64Array(G); // log(1 - pi) + log Gamma(x + theta) - log Gamma(theta) - log Gamma(x + 1), for x > 0
  for (let r = 0; r < n; r++) {
    for (let g = 0; g < G; g++) {
      const v = x.data[r * G + g] as number;
      counts[g] = v;
      constant[g] = v > 0 ? Math.log1p(-(p.gate[g] as number)) + lgamma64(v + (p.theta[g] as number)) - (lgTheta[g] as number) - lgamma64(v + 1) : 0;
    }
    let best = -Infinity;
    for (let a = 0; a < m; a++) {
      for (let c = 0; c < m; c++) {
        const z0 = grid[a] as number;
        const z1 = grid[c] as number;
        let s = -0.5 * (z0 * z0 + z1 * z1) - Math.log(2 * Math.PI);
        for (let g = 0; g < G; g++) {
          const logMu = logMean(p, g, z0, z1);
          const lt = logTheta[g] as number;
          const logSum = Math.max(lt, logMu) + Math.log1p(Math.exp(-Math.abs(lt - logMu))); // log(theta + mu)
          const nbZero = (p.theta[g] as number) * (lt - logSum);
          const v = counts[g] as number;
          const pi = p.gate[g] as number;
          s += v === 0 ? Math.log(pi + (1 - pi) * Math.exp(nbZero)) : (constant[g] as number) + nbZero + v * (logMu - logSum);
        }
        terms[a * m + c] = s;
        if (s > best) best = s;
      }
    }
    let sum = 0;
    for (let i = 0; i < terms.length; i++) sum += Math.exp((terms[i] as number) - best);
    out[r] = best + Math.log(sum * step * step);
  }
  return out;
}

/** The fixed topics of `topics`: [K, V] row-major, each row a probability vector. */
export function topicsBeta(K = 5, V = 100): Float64Array {
  const band = V / K;
  const beta = new Float64Array(K * V);
  for (let k = 0; k < K; k++) for (let v = 0; v < V; v++) beta[k * V + v] = 0.1 / V + (Math.floor(v / band) === k ? 0.9 / band : 0);
  return beta;
}

/** The Dirichlet concentration of each topic in `topics`. */
export const TOPICS_ALPHA = 0.3;

/** topics: word counts `x` [n, V] and topic proportions `theta` [n, K]. */
export function topicsData(n: number, seed: number | Rng, K = 5, V = 100): { x: NdArray; theta: NdArray } {
  const u = stream(seed, 'topics');
  const beta = topicsBeta(K, V);
  const x = new Float32Array(n * V);
  const theta = new Float32Array(n * K);
  const probs = new Float64Array(V);
  const row = new Float32Array(V);
  for (let i = 0; i < n; i++) {
    let tot = 0;
    const g = Array.from({ length: K }, () => gammaVariate(TOPICS_ALPHA, u));
    for (const v of g) tot += v;
    probs.fill(0);
    for (let k = 0; k < K; k++) {
      const t = (g[k] as number) / tot;
      theta[i * K + k] = t;
      for (let v = 0; v < V; v++) probs[v] = (probs[v] as number) + t * (beta[k * V + v] as number);
    }
    const length = 30 + poissonVariate(30, u);
    multinomialInto(length, probs, 0, V, row, u);
    x.set(row, i * V);
  }
  return { x: { shape: [n, V], data: x }, theta: { shape: [n, K], data: theta } };
}
