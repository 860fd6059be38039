/**
 * The checker and the planner on programs with the count, simplex and Gaussian-vector families:
 * what checks, the shapes the sites get, the estimator each latent gets and why, and the
 * located diagnostics of their bad parameters (the golden files show the full messages).
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check';
import { codes, diagnose } from './helpers';

function plan(text: string): Record<string, { estimator: string; kl: string; reason: string }> {
  const r = checkText(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return Object.fromEntries(r.plan!.sites.map((s) => [s.name, { estimator: s.estimator, kl: s.kl, reason: `${s.reason}; ${s.klReason}` }]));
}

const COUNTS = [
  'data x: Count[20]',
  'net encoder: Real[20] -> (loc: Real[4], scale: Positive[4], l_loc: Real, l_scale: Positive) = mlp(hidden: [32])',
  'net decoder: Real[4] -> (scale: Positive[20], drop: Real[20]) = mlp(hidden: [32])',
  'param theta: Positive[20] = 1.0',
  'model {',
  '  z: Real[4] ~ Normal(0, 1)',
  '  l: Positive ~ LogNormal(3, 1)',
  '  let px = decoder(z)',
  '  x ~ ZeroInflatedNegativeBinomial(mean: l * px.scale / sum(px.scale), concentration: theta, gate_logits: px.drop)',
  '}',
  'guide {',
  '  let q = encoder(log1p(x))',
  '  z ~ Normal(q.loc, q.scale)',
  '  l ~ LogNormal(q.l_loc, q.l_scale)',
  '}',
].join('\n');

describe('count data and count likelihoods', () => {
  it('a ZINB likelihood with a normalized mean and a latent library size checks; log1p feeds counts to a net', () => {
    const p = plan(COUNTS);
    expect(p['z']!.estimator).toBe('reparam');
    expect(p['l']!.kl).toBe('analytic');
  });

  it('Poisson, NegativeBinomial (three forms) and Multinomial (with and without total_count) as likelihoods', () => {
    const lik = ['Poisson(rate: r)', 'Poisson(log_rate: h)', 'NegativeBinomial(mean: r, concentration: 2)', 'NegativeBinomial(logits: h, concentration: r)', 'NegativeBinomial(probs: sigmoid(h), concentration: r)', 'Multinomial(logits: h)', 'Multinomial(total_count: 50, probs: softmax(h))'];
    for (const l of lik) expect(codes(`data x: Count[5]\nparam r: Positive[5] = 1.0\nparam h: Real[5] = 0.0\nmodel {\n  x ~ ${l}\n}\n`), l).toEqual([]);
  });

  it('a per-example total_count from data: one value per vector', () => {
    expect(codes('data x: Count[5]\ndata n: Count\nparam h: Real[5] = 0.0\nmodel {\n  x ~ Multinomial(total_count: n, logits: h)\n}\n')).toEqual([]);
  });

  it('a latent count gets the score function (VIMCO under iwae), and the plan says why', () => {
    const src = (obj: string) => `data x: Real\nparam r: Positive = 2.0\nmodel {\n  k: Count ~ Poisson(rate: 3)\n  x ~ Normal(k, 1)\n}\nguide {\n  k ~ Poisson(rate: r)\n}\ntrain { objective: ${obj} }\n`;
    expect(plan(src('elbo'))['k']).toMatchObject({ estimator: 'score', kl: 'analytic' });
    expect(plan(src('elbo'))['k']!.reason).toMatch(/Poisson has no reparameterized sampler/);
    expect(plan(src('iwae(k: 5)'))['k']!.estimator).toBe('vimco');
  });

  it('count data against a real-valued likelihood is fine (Count <= Real); real data against a count likelihood is VAE307', () => {
    expect(codes('data x: Count[5]\nmodel {\n  x ~ Normal(0, 1)\n}\n')).toEqual([]);
    expect(codes('data x: Real[5]\nmodel {\n  x ~ Poisson(rate: 1)\n}\n')).toEqual(['VAE307']);
    expect(codes('data x: Binary[5]\nmodel {\n  x ~ Poisson(rate: 1)\n}\n')).toEqual([]);
  });
});

describe('Dirichlet and the Gaussian vectors', () => {
  it('a Dirichlet topic model: the KL is analytic, the guide reparameterized (implicit gradients)', () => {
    const p = plan('data x: Count[30]\nnet encoder: Real[30] -> Positive[4] = mlp(hidden: [32])\nnet decoder: Real[4] -> Real[30] = linear()\nmodel {\n  theta ~ Dirichlet(0.5 * ones(4))\n  x ~ Multinomial(logits: decoder(theta))\n}\nguide {\n  theta ~ Dirichlet(encoder(log1p(x)))\n}\n');
    expect(p['theta']).toMatchObject({ estimator: 'reparam', kl: 'analytic' });
  });

  it('every Gaussian guide/prior pair of Normal, MultivariateNormal and LowRankMultivariateNormal checks with a closed-form KL', () => {
    const dists: Record<string, [string, string]> = {
      Normal: ['Normal(zeros(3), 1)', 'Normal(q.loc, q.sd)'],
      MultivariateNormal: ['MultivariateNormal(zeros(3), eye(3))', 'MultivariateNormal(q.loc, lower_cholesky(q.l))'],
      LowRankMultivariateNormal: ['LowRankMultivariateNormal(zeros(3), w, ones(3))', 'LowRankMultivariateNormal(q.loc, q.f, q.sd)'],
    };
    for (const [pn, [prior]] of Object.entries(dists)) {
      for (const [qn, [, guide]] of Object.entries(dists)) {
        const text = [
          'data x: Real[6]',
          'net encoder: Real[6] -> (loc: Real[3], sd: Positive[3], l: Real[3, 3], f: Real[3, 2]) = mlp(hidden: [16])',
          'net decoder: Real[3] -> Real[6] = linear()',
          'param w: Real[3, 2] = 0.1',
          'model {',
          `  z ~ ${prior}`,
          '  x ~ Normal(decoder(z), 1)',
          '}',
          'guide {',
          '  let q = encoder(x)',
          `  z ~ ${guide}`,
          '}',
        ].join('\n');
        expect(plan(text)['z']!.kl, `${qn} || ${pn}`).toBe('analytic');
      }
    }
  });

  it('bad shapes: a Cholesky factor of another size, a factor with other rows, a scalar Dirichlet', () => {
    expect(diagnose('data x: Real[3]\nmodel {\n  x ~ MultivariateNormal(zeros(3), eye(2))\n}\n')).toEqual([{ code: 'VAE302', line: 3, column: 36 }]);
    expect(codes('data x: Real[3]\nparam w: Real[4, 2] = 0.1\nmodel {\n  x ~ LowRankMultivariateNormal(zeros(3), w, ones(3))\n}\n')).toEqual(['VAE302']);
    expect(codes('data x: Simplex[3]\nmodel {\n  x ~ Dirichlet(2)\n}\n')).toEqual(['VAE301']);
    expect(codes('data x: Real[3]\nmodel {\n  x ~ MultivariateNormal(zeros(3), ones(3, 3))\n}\n')).toEqual(['VAE306']);
  });

  it('the matrix built-ins: lower_cholesky needs a square matrix, diag a positive vector', () => {
    expect(codes('data x: Real[3]\nparam m: Real[3, 2] = 0.0\nmodel {\n  x ~ MultivariateNormal(zeros(3), lower_cholesky(m))\n}\n')).toEqual(['VAE310']);
    expect(codes('data x: Real[3]\nparam m: Real[3] = 0.0\nmodel {\n  x ~ MultivariateNormal(zeros(3), diag(m))\n}\n')).toEqual(['VAE310']);
    expect(codes('data x: Real[3]\nparam s: Positive[3] = 1.0\nmodel {\n  x ~ MultivariateNormal(zeros(3), diag(s))\n}\n')).toEqual([]);
  });
});
