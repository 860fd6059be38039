// `vae compare` end to end through main(): two PPCA variants on linear-gaussian (seconds), the
// JSON rows, the table, compare.json / compare.png and each model's run; refusals as one line
// with a hint and exit code 1; binarized MNIST shared by a Binary and a Unit model via --data.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { restoreRun } from '../../src/train/session';
import { captureIo } from '../helpers/io';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-compare-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const PPCA = ['models/ppca.vae', 'test/compare/fixtures/ppca-laplace.vae'];
const QUICK = ['--epochs', '2', '--batch', '100', '--limit', '1000', '--iwae', '20', '--eval-limit', '200'];

function expectOneLineError(io: ReturnType<typeof captureIo>, message: RegExp): void {
  const text = io.stderr.join('\n');
  expect(text).toMatch(message);
  expect(text).toMatch(/\n {2}= hint: /);
  expect(text).not.toMatch(/\n\s+at /); // no stack trace
  expect(io.stdout).toEqual([]);
}

describe('vae compare', () => {
  it('trains both models under one protocol and prints {rows} as JSON', async () => {
    const io = captureIo();
    const out = path.join(tmp, 'json');
    expect(await main(['compare', ...PPCA, ...QUICK, '--out', out, '--json'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const { rows } = JSON.parse(io.stdout[0]!) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => r['model'])).toEqual(['ppca', 'ppca-laplace']);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['model', 'testElbo', 'testLogLikelihood', 'standardError', 'kl', 'activeUnits', 'secondsPerEpoch', 'epochs', 'run']));
      for (const k of ['testElbo', 'testLogLikelihood', 'standardError', 'kl', 'secondsPerEpoch']) expect(Number.isFinite(r[k])).toBe(true);
      expect(r['epochs']).toBe(2);
      expect(r['latentDims']).toBe(2);
      expect(r['activeUnits']).toBeGreaterThanOrEqual(0);
      expect(r['activeUnits']).toBeLessThanOrEqual(2);
      expect(r['standardError']).toBeGreaterThan(0);
      // IWAE-20 ≥ ELBO in expectation; on 200 examples the gap dwarfs the noise only loosely.
      expect(r['testLogLikelihood'] as number).toBeGreaterThan((r['testElbo'] as number) - 0.5);
      expect(r['run']).toBe(path.join(out, r['model'] as string));
    }
    // Each run is a normal run directory trained with the protocol's settings.
    const run = restoreRun(rows[1]!['run'] as string);
    expect(run.contents.state.epoch).toBe(2);
    expect(run.contents.state.seed).toBe(1);
    expect(run.contents.state.data).toMatchObject({ source: 'linear-gaussian', limit: 1000 });
    run.prog.dispose();
    const config = JSON.parse(fs.readFileSync(path.join(out, 'ppca-laplace', 'config.json'), 'utf8'));
    expect(config.settings.batch).toEqual({ value: 100, origin: 'cli' });
    expect(config.settings.optimizer.origin).toBe('file'); // the model's own optimizer is kept
    // compare.json holds the protocol, the rows and the curves; compare.png is a PNG.
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(saved.protocol).toMatchObject({ epochs: 2, batch: 100, seed: 1, data: 'linear-gaussian', iwae: 20, evalSplit: 'test', evalExamples: 200, limit: 1000 });
    expect(saved.rows).toEqual(rows);
    expect(saved.curves.map((c: { history: unknown[] }) => c.history.length)).toEqual([2, 2]);
    expect(fs.readFileSync(path.join(out, 'compare.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints the Markdown table', async () => {
    const io = captureIo();
    expect(await main(['compare', ...PPCA, '--epochs', '1', '--limit', '500', '--iwae', '0', '--eval-limit', '100', '--seed', '4', '--out', path.join(tmp, 'table')], io)).toBe(0);
    const table = io.stdout.join('\n').split('\n');
    expect(table[0]).toMatch(/^\| model +\| test ELBO \| test log p\(x\) \| +KL \| active units \| s\/epoch \|$/);
    expect(table.slice(2).map((l) => l.split('|')[1]!.trim())).toEqual(['ppca', 'ppca-laplace']);
    expect(table[2]).toContain('n/a');
    expect(io.stderr.join('\n')).toContain('comparing 2 models on linear-gaussian: 1 epochs, batch 200, seed 4, first 500 training examples');
  });

  it('refuses a non-empty output directory before training', async () => {
    const io = captureIo();
    expect(await main(['compare', ...PPCA, ...QUICK, '--out', path.join(tmp, 'json')], io)).toBe(1);
    expectOneLineError(io, /error\[VAE704\]: the output directory .* is not empty/);
  });

  it('refuses models whose data declarations differ, naming both', async () => {
    const io = captureIo();
    const out = path.join(tmp, 'refused');
    expect(await main(['compare', 'models/vae.vae', 'models/vae-continuous-bernoulli.vae', '--epochs', '1', '--out', out], io)).toBe(1);
    expectOneLineError(io, /error\[VAE704\]: the models declare different data, so they cannot share a data set: vae: x: Binary\[784\]; vae-continuous-bernoulli: x: Unit\[784\]/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('accepts them with --data that fits both (binarized pixels are Unit values too)', async () => {
    const io = captureIo();
    const out = path.join(tmp, 'mnist');
    const args = ['compare', 'models/vae.vae', 'models/vae-continuous-bernoulli.vae', '--data', 'binarized-mnist', '--epochs', '1', '--limit', '200', '--iwae', '0', '--eval-limit', '50', '--out', out, '--json'];
    expect(await main(args, io)).toBe(0);
    const { rows } = JSON.parse(io.stdout[0]!) as { rows: { model: string; testElbo: number; latentDims: number }[] };
    expect(rows.map((r) => [r.model, r.latentDims])).toEqual([
      ['vae', 50],
      ['vae-continuous-bernoulli', 50],
    ]);
    for (const r of rows) expect(Number.isFinite(r.testElbo)).toBe(true);
  });

  it('refuses data that does not fit a model before any training, and bad flags', async () => {
    let io = captureIo();
    const out = path.join(tmp, 'misfit');
    expect(await main(['compare', 'models/ppca.vae', 'models/vae.vae', '--data', 'linear-gaussian', '--epochs', '1', '--batch', '10', '--out', out], io)).toBe(1);
    expectOneLineError(io, /error\[VAE702\]: vae cannot use the data linear-gaussian: x is declared Binary\[784\]/);
    expect(fs.existsSync(out)).toBe(false);
    io = captureIo();
    expect(await main(['compare', 'models/ppca.vae'], io)).toBe(1);
    expectOneLineError(io, /needs two or more \.vae files, found 1/);
    io = captureIo();
    expect(await main(['compare', ...PPCA, '--eval-limit', '0'], io)).toBe(1);
    expectOneLineError(io, /invalid --eval-limit '0'/);
  });

  it('has --help with examples', async () => {
    const io = captureIo();
    expect(await main(['compare', '--help'], io)).toBe(0);
    const help = io.stdout.join('\n');
    expect(help).toContain('Usage: vae compare [options] <files...>');
    expect(help).toContain('--eval-limit <n>');
    expect(help).toMatch(/Examples:\n {2}vae compare models\/vae\.vae models\/iwae\.vae/);
  });
});
