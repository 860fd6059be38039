// Reference log-likelihoods of the synthetic count data sets, for the zoo rows of BENCHMARKS.md:
//   zinb-counts  the exact log p(x) under the generating process (quadrature over z)
//   topics       log p(x | length) under the unigram model (word frequencies of the train split)
//                and under the true LDA process, estimated by importance sampling with S draws
//                of theta from its prior (the log of an unbiased estimate: low in expectation)
// on the first N test examples (the split `vae eval` uses), as mean ± standard error.
//   node --import tsx bench/zoo-references.ts [N] [S]
import { Rng } from '../src/core/rng';
import { loadDataset } from '../src/data/datasets';
import { TOPICS_ALPHA, topicsBeta, zinbLogLikelihood } from '../src/data/synthetic-counts';
import { lgamma64 } from '../src/distributions/special64';
import { logGammaVariates } from '../src/distributions/sampling';

const N = Number(process.argv[2] ?? 500);
const S = Number(process.argv[3] ?? 20000);

function meanSe(xs: ArrayLike<number>): string {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]! / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i]! - m) ** 2 / (n - 1);
  return `${m.toFixed(2)} ± ${Math.sqrt(v / n).toFixed(2)} (${n} test examples)`;
}

const zinb = (await loadDataset('zinb-counts', { splits: ['test'], sizes: { test: N } })).test.columns['x']!;
process.stdout.write(`zinb-counts exact log p(x): ${meanSe(zinbLogLikelihood(zinb))}\n`);

const V = 100;
const K = 5;
const topics = await loadDataset('topics', { splits: ['train', 'test'], sizes: { test: N } });
const train = topics.train.columns['x']!;
const freq = new Float64Array(V);
for (let i = 0; i < train.data.length; i++) freq[i % V] = freq[i % V]! + (train.data[i] as number);
const total = freq.reduce((a, b) => a + b, 0);
const test = topics.test.columns['x']!;
const beta = topicsBeta(K, V);
// Prior draws of theta (S x K), normalized Gamma(alpha) variates.
const lg = logGammaVariates(new Float64Array(S * K).fill(TOPICS_ALPHA), Rng.fromSeed(5));
const theta = new Float64Array(S * K);
for (let s = 0; s < S; s++) {
  let m = -Infinity;
  for (let k = 0; k < K; k++) m = Math.max(m, lg[s * K + k]!);
  let z = 0;
  for (let k = 0; k < K; k++) z += Math.exp(lg[s * K + k]! - m);
  for (let k = 0; k < K; k++) theta[s * K + k] = Math.exp(lg[s * K + k]! - m) / z;
}
const unigram = new Float64Array(N);
const oracle = new Float64Array(N);
const perWord: number[] = [];
let words = 0;
const logw = new Float64Array(S);
for (let r = 0; r < N; r++) {
  const x = Array.from({ length: V }, (_, v) => test.data[r * V + v] as number);
  const n = x.reduce((a, b) => a + b, 0);
  words += n;
  let c = lgamma64(n + 1);
  for (const xv of x) c -= lgamma64(xv + 1);
  let u = c;
  for (let v = 0; v < V; v++) if (x[v]! > 0) u += x[v]! * Math.log(freq[v]! / total);
  unigram[r] = u;
  let best = -Infinity;
  for (let s = 0; s < S; s++) {
    let l = c;
    for (let v = 0; v < V; v++) {
      if (x[v] === 0) continue;
      let p = 0;
      for (let k = 0; k < K; k++) p += theta[s * K + k]! * beta[k * V + v]!;
      l += x[v]! * Math.log(p);
    }
    logw[s] = l;
    if (l > best) best = l;
  }
  let sum = 0;
  for (let s = 0; s < S; s++) sum += Math.exp(logw[s]! - best);
  oracle[r] = best + Math.log(sum / S);
  perWord.push(n);
}
const mean = (a: Float64Array): number => a.reduce((x, y) => x + y, 0) / a.length;
process.stdout.write(`topics unigram log p(x | length): ${meanSe(unigram)}; perplexity ${Math.exp((-mean(unigram) * N) / words).toFixed(2)}\n`);
process.stdout.write(`topics true LDA process, IS with ${S} prior draws: ${meanSe(oracle)}; perplexity ${Math.exp((-mean(oracle) * N) / words).toFixed(2)}; ${(words / N).toFixed(2)} words per document\n`);
