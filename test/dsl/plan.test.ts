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
