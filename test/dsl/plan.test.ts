/** The estimator plan (src/inference/plan.ts) for the shipped models and with overrides. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, checkText, type CheckOptions } from '../../src/check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function plan(file: string, opts: CheckOptions = {}) {
  const r = checkFile(`models/${file}`, { cwd: root, ...opts });
  return { r, sites: Object.fromEntries((r.plan?.sites ?? []).map((s) => [s.name, s])) };
}

describe('estimator plan', () => {
  it('vae.vae: z is reparameterized with an analytic KL', () => {
    const { r, sites } = plan('vae.vae');
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(sites)).toEqual(['z']);
    expect(sites['z']).toMatchObject({ estimator: 'reparam', source: 'auto', kl: 'analytic' });
    expect(r.plan!.objective).toEqual({ kind: 'elbo' });
  });

  it('iwae.vae: the same estimator, but a Monte Carlo KL (per-sample log-weights)', () => {
    const { r, sites } = plan('iwae.vae');
    expect(r.plan!.objective).toEqual({ kind: 'iwae', k: 5 });
    expect(sites['z']).toMatchObject({ estimator: 'reparam', kl: 'mc' });
  });

  it('m2.vae: y is enumerated exactly, z is reparameterized', () => {
    const { r, sites } = plan('m2.vae');
    expect(r.diagnostics).toEqual([]);
    expect(r.plan!.sites.map((s) => s.name)).toEqual(['y', 'z']);
    expect(sites['y']).toMatchObject({ estimator: 'enumerate', source: 'annotation', kl: 'exact', supportSize: 10 });
    expect(sites['z']).toMatchObject({ estimator: 'reparam', source: 'auto', kl: 'analytic' });
  });

  it('m2.vae with `--estimator y=score`: the command line wins over the annotation', () => {
    const { r, sites } = plan('m2.vae', { overrides: new Map([['y', 'score']]) });
    expect(r.diagnostics).toEqual([]);
    expect(sites['y']).toMatchObject({ estimator: 'score', source: 'cli' });
    expect(sites['y']!.kl).not.toBe('exact');
    expect(sites['z']).toMatchObject({ estimator: 'reparam' });
  });

  it('illegal command-line overrides are diagnostics, not exceptions', () => {
    expect(plan('m2.vae', { overrides: new Map([['y', 'reparam']]) }).r.diagnostics.map((d) => d.code)).toEqual(['VAE501']);
    expect(plan('vae.vae', { overrides: new Map([['z', 'enumerate']]) }).r.diagnostics.map((d) => d.code)).toEqual(['VAE502']);
    expect(plan('vae.vae', { overrides: new Map([['w', 'score']]) }).r.diagnostics.map((d) => d.code)).toEqual(['VAE704']);
    expect(plan('vae.vae', { overrides: new Map([['z', 'magic']]) }).r.diagnostics.map((d) => d.code)).toEqual(['VAE704']);
  });

  it('the objective and kl options override the train block', () => {
    expect(plan('vae.vae', { objective: { kind: 'iwae', k: 3 } }).sites['z']).toMatchObject({ kl: 'mc' });
    expect(plan('vae.vae', { kl: 'mc' }).sites['z']).toMatchObject({ kl: 'mc' });
    expect(plan('iwae.vae', { objective: { kind: 'elbo' } }).sites['z']).toMatchObject({ kl: 'analytic' });
  });

  it('vae-laplace-prior.vae: the Laplace prior keeps a reparameterized Normal guide', () => {
    const { r, sites } = plan('vae-laplace-prior.vae');
    expect(r.diagnostics).toEqual([]);
    expect(sites['z']!.model.spec.name).toBe('Laplace');
    expect(sites['z']).toMatchObject({ estimator: 'reparam' });
  });

  it('discrete latents: enumerate small supports, score large ones, vimco under iwae', () => {
    const src = (n: number, train = '') =>
      `data x: Real[8]\nnet e: Real[8] -> Real[${n}] = linear()\nnet d: Real[${n}] -> Real[8] = linear()\nmodel {\n  b: Binary[${n}] ~ Bernoulli(probs: 0.5)\n  x ~ Normal(d(b), 1)\n}\nguide {\n  b ~ Bernoulli(logits: e(x))\n}\n${train}`;
    const est = (text: string) => checkText(text).plan!.sites[0]!;
    expect(est(src(4))).toMatchObject({ estimator: 'enumerate', supportSize: 16 });
    expect(est(src(12))).toMatchObject({ estimator: 'score' });
    expect(est(src(12, 'train { objective: iwae(k: 4) }'))).toMatchObject({ estimator: 'vimco' });
  });
});

/** Burda et al.'s two stochastic layers: p(z2) p(z1 | z2) p(x | z1), q(z1 | x) q(z2 | z1). */
const HVAE = `data x: Real[4]
net pz1: Real[2] -> (loc: Real[3], scale: Positive[3]) = mlp(hidden: [8])
net px: Real[3] -> Real[4] = linear()
net qz1: Real[4] -> (loc: Real[3], scale: Positive[3]) = mlp(hidden: [8])
net qz2: Real[3] -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [8])
model {
  z2: Real[2] ~ Normal(0, 1)
  let p1 = pz1(z2)
  z1 ~ Normal(p1.loc, p1.scale)
  x ~ Normal(px(z1), 1)
}
`;
const BOTTOM_UP = `guide {
  let a = qz1(x)
  z1 ~ Normal(a.loc, a.scale)
  let b = qz2(a.loc + z1)
  z2 ~ Normal(b.loc, b.scale)
}
`;

describe('dependency-aware plan decisions', () => {
  it('two stochastic layers, bottom-up guide: the KL of z1 is sampled because its prior reads z2, drawn from z1', () => {
    const r = checkText(HVAE + BOTTOM_UP);
    expect(r.diagnostics).toEqual([]);
    const [z1, z2] = r.plan!.sites;
    expect(z1).toMatchObject({ name: 'z1', estimator: 'reparam', kl: 'mc', klReason: 'the prior of z1 depends on z2, which the guide draws from z1' });
    expect(z2).toMatchObject({ name: 'z2', kl: 'analytic', klReason: 'closed form for Normal–Normal' });
  });

  it('top-down guide (z2 first, z1 from z2): both KLs are analytic, and the reason names the parent', () => {
    const r = checkText(HVAE.replace('net qz2: Real[3]', 'net qz2: Real[4]').replace('net qz1: Real[4]', 'net qz1: (Real[4], Real[2])') + `guide {
  let b = qz2(x)
  z2 ~ Normal(b.loc, b.scale)
  let a = qz1(x, z2)
  z1 ~ Normal(a.loc, a.scale)
}
`);
    expect(r.diagnostics).toEqual([]);
    const z1 = r.plan!.sites.find((s) => s.name === 'z1')!;
    expect(z1).toMatchObject({ kl: 'analytic', klReason: 'closed form for Normal–Normal given z2, which the guide does not draw from z1' });
  });

  it('a path through another guide site is named', () => {
    const src = `data x: Real[2]
model {
  c: Real[2] ~ Normal(0, 1)
  b: Real[2] ~ Normal(c, 1)
  a: Real[2] ~ Normal(c, 1)
  x ~ Normal(a + b, 1)
}
guide {
  a ~ Normal(x, 1)
  b ~ Normal(a, 1)
  c ~ Normal(b, 1)
}
`;
    const r = checkText(src);
    expect(r.plan!.sites.find((s) => s.name === 'a')).toMatchObject({ kl: 'mc', klReason: 'the prior of a depends on c, which the guide draws from a through b' });
    expect(r.plan!.sites.find((s) => s.name === 'b')).toMatchObject({ kl: 'mc', klReason: 'the prior of b depends on c, which the guide draws from b' });
    expect(r.plan!.sites.find((s) => s.name === 'c')).toMatchObject({ kl: 'analytic' });
  });

  it('`kl: analytic` on a blocked site is VAE602 with the reason', () => {
    const r = checkText(HVAE + BOTTOM_UP + 'train { kl: analytic }\n');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['VAE602', '`kl: analytic` but the KL of `z1` cannot be analytic: the prior of z1 depends on z2, which the guide draws from z1']]);
  });

  it('DReG needs every guide site drawn from it to be reparameterized', () => {
    const src = `data x: Real[2]
model {
  z: Real[2] ~ Normal(0, 1)
  y: Binary[2] ~ Bernoulli(logits: z)
  x ~ Normal(z + y, 1)
}
guide {
  z ~ Normal(x, 1) @dreg
  y ~ Bernoulli(logits: z + x) @score
}
train { objective: iwae(k: 4) }
`;
    const r = checkText(src);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE505']);
    expect(r.diagnostics[0]!.message).toBe('`dreg` for `z` needs every guide site drawn from it to be reparameterized, but `y` (score) is drawn from `z`');
    // y drawn without z: legal.
    expect(checkText(src.replace('logits: z + x) @score', 'logits: x) @score')).diagnostics).toEqual([]);
  });

  it('enumerated sites multiply: too many joint configurations is VAE503; iwae picks score, not vimco, beside enumeration', () => {
    const src = (n: number, m: number, train = '') => `data x: Real[2]
net e: Real[2] -> Real[${n}] = linear()
net f: Real[2] -> Real[${m}] = linear()
model {
  a: Binary[${n}] ~ Bernoulli(probs: 0.5)
  b: Binary[${m}] ~ Bernoulli(probs: 0.5)
  x ~ Normal(0, 1)
}
guide {
  a ~ Bernoulli(logits: e(x))
  b ~ Bernoulli(logits: f(x))
}
${train}`;
    expect(checkText(src(6, 6)).diagnostics).toEqual([]);
    const big = checkText(src(6, 6).replace('a ~ Bernoulli(logits: e(x))', 'a ~ Bernoulli(logits: e(x)) @enumerate').replace('b ~ Bernoulli(logits: f(x))', 'b ~ Bernoulli(logits: f(x)) @enumerate').replace(/\[6\]/g, '[7]'));
    expect(big.diagnostics.map((d) => d.code)).toEqual(['VAE503']);
    expect(big.diagnostics[0]!.message).toBe('the enumerated sites have 16384 joint configurations, a (128) × b (128); the limit is 4096');
    const iw = checkText(src(4, 10, 'train { objective: iwae(k: 4) }'));
    expect(iw.plan!.sites.map((s) => s.estimator)).toEqual(['enumerate', 'score']);
  });

  it('free bits: which sites they act on, and a warning when they act on none or cannot act', () => {
    const src = (guide: string, train: string) => `data x: Real[2]
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Normal(z, 1)
}
guide { z ~ ${guide} }
train { ${train} }
`;
    const normal = checkText(src('Normal(x, 1)', 'freeBits: 0.5'));
    expect(normal.diagnostics).toEqual([]);
    expect(normal.plan!.sites[0]!.freeBits).toEqual({ applies: true, reason: 'closed-form KL per dimension' });
    const scored = checkText(src('Normal(x, 1) @score', 'freeBits: 0.5 kl: mc'));
    expect(scored.plan!.sites[0]!.freeBits.applies).toBe(false);
    expect(scored.diagnostics.map((d) => [d.code, d.severity])).toEqual([['VAE609', 'warning']]);
    expect(scored.diagnostics[0]!.message).toBe('`freeBits: 0.5` acts on no latent site (`z`: a sampled KL of a score-function site has no gradient through max(λ, KL))');
    const iw = checkText(src('Normal(x, 1)', 'objective: iwae(k: 3) freeBits: 0.5 beta: 0.5'));
    expect(iw.diagnostics.map((d) => d.message)).toEqual(['`freeBits: 0.5` has no effect: the iwae bound has no separate KL term', '`beta` has no effect: the iwae bound has no separate KL term']);
  });
});
