// The count data sets of src/data/synthetic-counts.ts and binarized-mnist-missing: their
// generating processes (moments against the formulas), the exact zinb-counts log-likelihood
// (against a Monte Carlo estimate over the prior), and that the data layer accepts them.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/datasets';
import { dropAtRandom, normals } from '../../src/data/synthetic';
import { TOPICS_ALPHA, topicsBeta, topicsData, zinbCountsData, zinbLogLikelihood, zinbLogPmf, zinbParams } from '../../src/data/synthetic-counts';
import { validateSite } from '../../src/data/validate';
import { Rng } from '../../src/core/rng';

describe('zinb-counts', () => {
  it('the ZINB pmf sums to 1 and has mean (1 - pi) mu', () => {
    for (const [mu, theta, pi] of [[0.3, 0.5, 0.05], [10, 2, 0.35], [40, 10, 0.2]] as const) {
      let total = 0;
      let mean = 0;
      for (let x = 0; x < 4000; x++) {
        const p = Math.exp(zinbLogPmf(x, Math.log(mu), theta, pi));
        total += p;
        mean += x * p;
      }
      expect(total).toBeCloseTo(1, 8);
      expect(mean).toBeCloseTo((1 - pi) * mu, 5);
    }
  });

  it('draws counts with the zero fraction and mean of the process (per gene, over z)', () => {
    const p = zinbParams();
    const n = 4000;
    const { x } = zinbCountsData(n, 3, p);
    // Gene 0: E[x] = (1 - pi) E[mu(z)], E[mu(z)] = exp(b + |w|^2 / 2) for z ~ N(0, I).
    for (const g of [0, 7, 49]) {
      let s = 0;
      for (let r = 0; r < n; r++) s += x.data[r * p.genes + g] as number;
      const w2 = (p.W[2 * g] as number) ** 2 + (p.W[2 * g + 1] as number) ** 2;
      const want = (1 - (p.gate[g] as number)) * Math.exp((p.b[g] as number) + w2 / 2);
      // SE of the mean: sd(x) / sqrt(n) with sd at most ~3 want here (theta >= 0.5): < 5% of want.
      expect(Math.abs(s / n - want) / want).toBeLessThan(0.15);
    }
    expect(validateSite(x, { name: 'x', kind: 'Count', shape: [50] }, { file: 'zinb-counts' }).missing).toBe(0);
  });

  it('the quadrature log p(x) agrees with a Monte Carlo average over the prior', () => {
    const p = zinbParams(5);
    const { x } = zinbCountsData(3, 8, p);
    const exact = zinbLogLikelihood(x, p);
    const u = Rng.fromSeed(2).uniforms();
    const S = 40000;
    const z = normals(u, 2 * S);
    for (let r = 0; r < 3; r++) {
      const w = new Float64Array(S);
      for (let s = 0; s < S; s++) {
        let l = 0;
        for (let g = 0; g < 5; g++) {
          const logMu = (p.b[g] as number) + (p.W[2 * g] as number) * (z[2 * s] as number) + (p.W[2 * g + 1] as number) * (z[2 * s + 1] as number);
          l += zinbLogPmf(x.data[r * 5 + g] as number, logMu, p.theta[g] as number, p.gate[g] as number);
        }
        w[s] = Math.exp(l);
      }
      const m = w.reduce((a, b) => a + b, 0) / S;
      const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1));
      // log of the MC mean: SE ≈ sd / (m sqrt(S)); allow 5 SE plus float noise.
      expect(Math.abs(Math.log(m) - exact[r]!)).toBeLessThan((5 * sd) / (m * Math.sqrt(S)) + 1e-6);
    }
  });
});

describe('topics', () => {
  it('documents have 30 + Poisson(30) words and topic-banded word frequencies', () => {
    const n = 3000;
    const { x, theta } = topicsData(n, 4);
    const beta = topicsBeta();
    let words = 0;
    const freq = new Float64Array(100);
    for (let r = 0; r < n; r++) {
      let len = 0;
      for (let v = 0; v < 100; v++) {
        const c = x.data[r * 100 + v] as number;
        len += c;
        freq[v] = freq[v]! + c;
      }
      expect(len).toBeGreaterThanOrEqual(30);
      words += len;
      let t = 0;
      for (let k = 0; k < 5; k++) t += theta.data[r * 5 + k] as number;
      expect(t).toBeCloseTo(1, 5);
    }
    // E[length] = 60, sd sqrt(30): SE of the mean 0.1.
    expect(words / n).toBeGreaterThan(59.5);
    expect(words / n).toBeLessThan(60.5);
    // E[word v] = mean_k beta_kv (theta's mean is uniform, Dirichlet(TOPICS_ALPHA)): each band holds 1/5 of the words.
    expect(TOPICS_ALPHA).toBe(0.3);
    for (let k = 0; k < 5; k++) {
      let band = 0;
      for (let v = 20 * k; v < 20 * k + 20; v++) band += freq[v]!;
      expect(band / words).toBeGreaterThan(0.17);
      expect(band / words).toBeLessThan(0.23);
    }
    expect(beta.slice(0, 100).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('binarized-mnist-missing', () => {
  it('drops 30% of the pixels at random, the same ones for a seed, and keeps the rest', async () => {
    const s = await loadDataset('binarized-mnist-missing', { splits: ['test'] });
    const full = await loadDataset('binarized-mnist', { splits: ['test'] });
    const x = s.test.columns['x']!;
    const y = full.test.columns['x']!;
    let nan = 0;
    let changed = 0;
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i] as number;
      if (Number.isNaN(v)) nan++;
      else if (v !== y.data[i]) changed++;
    }
    expect(changed).toBe(0);
    // Binomial(7.84e6, 0.3): SE of the fraction 1.6e-4.
    expect(nan / x.data.length).toBeCloseTo(0.3, 2);
    // The same pattern from the same seed (the test split is fold 2 of seed 0).
    const again = dropAtRandom({ shape: [1, 784], data: y.data.subarray(0, 784) }, 0.3, Rng.fromSeed(0).fold(2));
    for (let i = 0; i < 784; i++) expect(Number.isNaN(again.data[i] as number)).toBe(Number.isNaN(x.data[i] as number));
    expect(() => validateSite(x, { name: 'x', kind: 'Binary', shape: [784] }, { file: 'binarized-mnist-missing' })).toThrow(/row 1 of binarized-mnist-missing has a missing value \(NaN\)/);
    expect(validateSite(x, { name: 'x', kind: 'Binary', shape: [784], allowMissing: true }, { file: 'binarized-mnist-missing' }).missing).toBe(10000);
  });
});
