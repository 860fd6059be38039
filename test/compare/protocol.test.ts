// The protocol of `vae compare` (src/compare/protocol.ts): what is shared, what is refused, and
// the Markdown table. No training here; test/compare/cli.test.ts runs whole comparisons.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors';
import { bindEvalData, dataSignature, loadModels, resolveProtocol } from '../../src/compare/protocol';
import { evenlySpaced } from '../../src/compare/run';
import { evalChunks } from '../../src/eval/chunking';
import { formatTable, type CompareRow } from '../../src/compare/report';
import { makeDataset } from '../../src/data/dataset';

const F = 'test/compare/fixtures';

function refusal(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('resolveProtocol', () => {
  it('takes the values the models share, and flags override every model', () => {
    const models = loadModels(['models/ppca.vae', `${F}/ppca-laplace.vae`]);
    expect(models.map((m) => m.name)).toEqual(['ppca', 'ppca-laplace']);
    const p = resolveProtocol(models, {});
    expect(p).toMatchObject({ epochs: 60, batch: 200, seed: 1, data: 'linear-gaussian', origin: { epochs: 'models', batch: 'models', seed: 'models', data: 'models' } });
    const q = resolveProtocol(models, { epochs: 3, batch: 64, seed: 7 });
    expect(q).toMatchObject({ epochs: 3, batch: 64, seed: 7, origin: { epochs: 'flag', batch: 'flag', seed: 'flag' } });
  });

  it('refuses disagreeing train blocks and names the flag that settles them', () => {
    const models = loadModels(['models/ppca.vae', `${F}/ppca-batch50.vae`]);
    const e = refusal(() => resolveProtocol(models, {}));
    expect(e.message).toContain('disagree on batch (ppca: 200; ppca-batch50: 50)');
    expect(e.hint).toContain('--batch');
    expect(resolveProtocol(models, { batch: 100 }).batch).toBe(100);
  });

  it('refuses models with different data declarations unless --data is given', () => {
    const models = loadModels(['models/vae.vae', 'models/vae-continuous-bernoulli.vae']);
    expect(dataSignature(models[0]!.outcome.checked)).toBe('x: Binary[784]');
    const e = refusal(() => resolveProtocol(models, { epochs: 1 }));
    expect(e.message).toBe('the models declare different data, so they cannot share a data set: vae: x: Binary[784]; vae-continuous-bernoulli: x: Unit[784]');
    expect(e.hint).toContain('--data');
    expect(resolveProtocol(models, { epochs: 1, data: 'binarized-mnist' }).data).toBe('binarized-mnist');
  });

  it('binds the evaluation data once per declaration and refuses data that does not fit a model', async () => {
    const fits = loadModels(['models/vae.vae', 'models/iwae.vae', 'models/vae-continuous-bernoulli.vae']);
    const held = await bindEvalData(fits, resolveProtocol(fits, { epochs: 1, data: 'binarized-mnist' }));
    expect(held.size).toBe(2); // Binary[784] and Unit[784]: binary pixels are valid Unit values
    expect([...held.values()].map((h) => [h.split, h.bound.splits.test.size])).toEqual([
      ['test', 10000],
      ['test', 10000],
    ]);
    const misfit = loadModels(['models/ppca.vae', 'models/vae.vae']);
    const p = resolveProtocol(misfit, { epochs: 1, batch: 10, data: 'linear-gaussian' });
    await expect(bindEvalData(misfit, p)).rejects.toThrow(/^vae cannot use the data linear-gaussian: x is declared Binary\[784\]/);
  });

  it('refuses different data sets, fixed steps, and programs without data', () => {
    expect(refusal(() => resolveProtocol(loadModels(['models/ppca.vae', `${F}/ppca-ring.vae`]), {})).message).toBe('the models are trained on different data (ppca: linear-gaussian; ppca-ring: ring)');
    expect(refusal(() => resolveProtocol(loadModels(['models/ppca.vae', `${F}/ppca-steps.vae`]), { epochs: 2 })).message).toContain('ppca-steps fixes `steps: 10`');
    expect(refusal(() => resolveProtocol(loadModels(['models/vae.vae', 'models/toy-gaussian.vae']), {})).message).toContain('toy-gaussian declares no data');
  });

  it('gives repeated files distinct names', () => {
    expect(loadModels(['models/ppca.vae', 'models/ppca.vae']).map((m) => m.name)).toEqual(['ppca', 'ppca#2']);
  });
});

describe('evaluation helpers', () => {
  it('picks evenly spaced examples (the binarized-MNIST test set is sorted by digit)', () => {
    const ds = makeDataset('d', { x: { shape: [10, 1], data: Float32Array.from({ length: 10 }, (_, i) => i) } });
    expect(Array.from(evenlySpaced(ds, 4).columns['x']!.data)).toEqual([0, 2, 5, 7]);
    expect(evenlySpaced(ds, 50)).toBe(ds);
    expect(evenlySpaced(ds, undefined)).toBe(ds);
  });

  it('shrinks the IWAE chunks of mixture priors (src/eval/chunking.ts)', () => {
    const cells = (m: { outcome: { checked: Parameters<typeof evalChunks>[0]; plan: Parameters<typeof evalChunks>[1] } }) => {
      const c = evalChunks(m.outcome.checked, m.outcome.plan, 10000, 5000);
      return c.examples * c.particles;
    };
    const [vae, vamp, mog] = loadModels(['models/vae.vae', 'models/vae-vampprior.vae', 'models/vae-mog-prior.vae']).map(cells);
    expect(vae).toBe(20000); // 4 examples × 5000 particles, as before
    expect(vamp).toBe(1060); // 8.4e7 / (4186 + 3 × 500 pseudo-inputs × 50 dimensions)
    expect(mog).toBe(10000); // 8.4e7 / (4186 + 3 × 10 × 50) = 14,773 cells: 2 examples
  });
});

describe('formatTable', () => {
  const row = (model: string, ll: number | null): CompareRow => ({
    model,
    file: `models/${model}.vae`,
    testElbo: -98.7654,
    testLogLikelihood: ll,
    standardError: ll === null ? null : 0.321,
    kl: 25.5,
    activeUnits: 17,
    latentDims: 50,
    secondsPerEpoch: 21.25,
    epochs: 5,
    run: `runs/x/${model}`,
  });

  it('prints an aligned Markdown table with the IWAE column named by its K', () => {
    expect(formatTable([row('vae', -93.1), row('vae-vampprior', -91.05)], 500).split('\n')).toEqual([
      '| model         | test ELBO | test log p(x) (IWAE-500) ± se |    KL | active units | s/epoch |',
      '|---------------|----------:|------------------------------:|------:|-------------:|--------:|',
      '| vae           |    -98.77 |                 -93.10 ± 0.32 | 25.50 |      17 / 50 |    21.3 |',
      '| vae-vampprior |    -98.77 |                 -91.05 ± 0.32 | 25.50 |      17 / 50 |    21.3 |',
    ]);
  });

  it('shows n/a without the IWAE estimate', () => {
    expect(formatTable([row('vae', null)], 0).split('\n')[2]).toBe('| vae   |    -98.77 |           n/a | 25.50 |      17 / 50 |    21.3 |');
  });
});
