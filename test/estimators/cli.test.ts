/**
 * `vae estimators`: the lecture's toy through the command line, the N sweep, --json and --plot,
 * and requests rejected with a clear message before any work starts.
 *
 * The toy (models/toy-gaussian.vae): x ~ N(θ, 1), minimize E[x²] at θ = 10; the tool reports the
 * gradient of the maximized surrogate, −d/dθ E[x²], estimated by
 *   reparam  g = −2(θ + ε)                      Var = 4                      (Gaussian, κ = 3)
 *   score    g = −x²(x − θ) = −ε(θ + ε)²        Var = θ⁴ + 14θ² + 15 = 11415  (κ ≈ 5.0)
 *   score+baseline  g = −(x² + b)ε, b the reported baseline ≈ −E[x²] = −101: Var ≈ 8θ² + 10 = 810
 * Tolerances: SE of a sample variance = σ²·sqrt((κ − 1)/S) with κ the kurtosis (σ²·sqrt(2/S), the
 * chi-square rule, for the Gaussian reparam estimate; the exact fourth moment of the polynomial
 * for the heavy-tailed score estimates); we allow 5 SE.
 * N sweep: the average of N draws has variance σ²/N and kurtosis κ_N = 3 + (κ − 3)/N.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { TEST_SEED } from '../helpers/seed';
import { CONJUGATE, captureIo, note, polyMoments, polyMul, polyVar, polyVarSe, varSe, type Poly } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-estimators-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TOY = 'models/toy-gaussian.vae';
const THETA = 10;
const REPARAM: Poly = [-2 * THETA, -2];
const SCORE: Poly = [0, -THETA * THETA, -2 * THETA, -1];

interface JsonRow {
  estimator: string;
  group: string;
  side: string;
  kind: string;
  meanNorm: number;
  variance: number;
  snr: number | null;
  msPerDraw: number;
  k?: number;
  n?: number;
}
interface JsonOut {
  rows: JsonRow[];
  estimators: { estimator: string; baselines: Record<string, number>; plan: Record<string, string>; vectorized: boolean }[];
  plot?: string;
}

async function run(args: string[]): Promise<{ code: number; text: string; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(['estimators', ...args], io);
  return { code, text: io.text(), stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

async function json(args: string[]): Promise<JsonOut> {
  const r = await run([...args, '--json']);
  if (r.code !== 0) throw new Error(r.text);
  return JSON.parse(r.stdout) as JsonOut;
}

function writeVae(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

function expectPng(file: string): void {
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = PNG.sync.read(bytes);
  expect(png.width).toBeGreaterThan(100);
  expect(png.height).toBeGreaterThan(100);
}


describe('vae estimators: the lecture toy', () => {
  it('reports variance 4 (reparam), 11415 (score) and ≈ 810 (score+baseline) at θ = 10', async () => {
    const S = 50000;
    const before = tf.memory().numTensors;
    const out = await json([TOY, '--estimators', 'reparam,score,score+baseline', '--draws', String(S), '--seed', String(TEST_SEED)]);
    expect(tf.memory().numTensors).toBe(before);
    const row = (e: string) => out.rows.find((r) => r.estimator === e && r.kind === 'group' && r.group === 'theta')!;
    const b = out.estimators.find((e) => e.estimator === 'score+baseline')!.baselines['x']!;
    const baseline: Poly = polyMul([0, 1], [-THETA * THETA - b, -2 * THETA, -1]); // −(x² + b)ε
    for (const [e, p] of [['reparam', REPARAM], ['score', SCORE], ['score+baseline', baseline]] as const) {
      const r = row(e);
      note(`toy ${e}: variance`, r.variance, 'exact', polyVar(p), '5 SE', 5 * polyVarSe(p, S), 'SNR', r.snr, 'ms/draw', r.msPerDraw);
      expect(r.side).toBe('guide');
      expect(Math.abs(r.variance - polyVar(p))).toBeLessThan(5 * polyVarSe(p, S));
      expect(Math.abs(r.meanNorm - 2 * THETA)).toBeLessThan(5 * Math.sqrt(polyVar(p) / S));
    }
    expect(polyVar(SCORE)).toBe(11415);
    expect(polyVar(REPARAM)).toBe(4);
    expect(Math.abs(b + 101)).toBeLessThan(10); // 50 warm-up draws of −x²: sd 20/√50 = 2.8
    expect(Math.abs(polyVar(baseline) - 810)).toBeLessThan(60);
  });

  it('--sweep N: the variance of the N-sample average is 4/N and 11415/N; --plot writes a PNG', async () => {
    const S = 2000;
    const plot = path.join(tmp, 'variance.png');
    const out = await json([TOY, '--sweep', 'N=1,10,100,1000', '--draws', String(S), '--estimators', 'reparam,score', '--plot', plot, '--seed', String(TEST_SEED)]);
    expect(out.plot).toBe(plot);
    expectPng(plot);
    for (const [e, p] of [['reparam', REPARAM], ['score', SCORE]] as const) {
      const { v, mu4 } = polyMoments(p);
      for (const n of [1, 10, 100, 1000]) {
        const r = out.rows.find((x) => x.estimator === e && x.n === n && x.kind === 'group')!;
        const kurt = 3 + (mu4 / (v * v) - 3) / n;
        const se = varSe(v / n, kurt, S);
        note(`toy N = ${n} ${e}: variance`, r.variance, 'theory', v / n, '5 SE', 5 * se);
        expect(Math.abs(r.variance - v / n)).toBeLessThan(5 * se);
      }
    }
  });
});

describe('vae estimators: output', () => {
  it('--json rows have the documented shape; the table names every group', async () => {
    const f = writeVae('conj.vae', CONJUGATE);
    const csv = path.join(tmp, 'x.csv');
    fs.writeFileSync(csv, Array.from({ length: 20 }, (_, i) => `${(i / 10 - 1).toFixed(2)}`).join('\n'));
    const out = await json([f, '--data', `x=${csv}`, '--estimators', 'reparam,iwae:5+dreg', '--draws', '50', '--batch', '4']);
    for (const r of out.rows) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['estimator', 'group', 'side', 'meanNorm', 'variance', 'snr', 'msPerDraw']));
      expect(typeof r.meanNorm).toBe('number');
      expect(r.variance).toBeGreaterThanOrEqual(0);
      expect(r.msPerDraw).toBeGreaterThan(0);
    }
    const groups = out.rows.filter((r) => r.estimator === 'reparam' && r.kind === 'group').map((r) => [r.group, r.side]);
    expect(groups).toEqual([['m', 'guide'], ['logs', 'guide'], ['c', 'model']]);
    expect(out.rows.filter((r) => r.kind === 'site').map((r) => r.group)).toEqual(['z', 'z']);
    expect(out.estimators.map((e) => e.plan)).toEqual([{ z: 'reparam' }, { z: 'dreg' }]);

    const table = await run([f, '--data', `x=${csv}`, '--estimators', 'reparam', '--draws', '20', '--batch', '4']);
    expect(table.code).toBe(0);
    for (const w of ['‖E[g]‖', 'tr Cov[g]', 'SNR', 'ms/draw', 'all guide', 'logs']) expect(table.stdout).toContain(w);
  });

  it('--sweep K plots SNR against K for the guide and the model', async () => {
    const f = writeVae('conj.vae', CONJUGATE);
    const csv = path.join(tmp, 'one.csv');
    fs.writeFileSync(csv, '1.5\n1.5\n');
    const plot = path.join(tmp, 'snr.png');
    const out = await json([f, '--data', `x=${csv}`, '--sweep', 'K=1,10,100', '--draws', '2000', '--plot', plot, '--batch', '1']);
    expectPng(plot);
    const snr = (e: string, k: number, side: string) => out.rows.find((r) => r.estimator === e && r.k === k && r.kind === 'side' && r.group === side)!.snr!;
    note('CLI sweep K: guide', [1, 10, 100].map((k) => snr(`iwae:${k}`, k, 'guide')), 'dreg', [1, 10, 100].map((k) => snr(`iwae:${k}+dreg`, k, 'guide')), 'model', [1, 10, 100].map((k) => snr(`iwae:${k}`, k, 'model')));
    // the default estimators of a K sweep: standard IWAE and DReG; see snr.test.ts for the theory
    expect(snr('iwae:100', 100, 'guide')).toBeLessThan(0.5 * snr('iwae:1', 1, 'guide'));
    expect(snr('iwae:100+dreg', 100, 'guide')).toBeGreaterThan(0.8 * snr('iwae:1+dreg', 1, 'guide'));
    expect(snr('iwae:100', 100, 'model')).toBeGreaterThan(2 * snr('iwae:1', 1, 'model'));
  });
});

describe('vae estimators: nets and checkpoints', () => {
  it('a program with nets (drawn in a loop) from a checkpoint: per-net rows, no leaked tensors', async () => {
    const f = writeVae('net.vae', `data x: Real[2]
net enc: Real[2] -> (loc: Real[1], scale: Positive[1]) = mlp(hidden: [4])
net dec: Real[1] -> Real[2] = linear()
model { z: Real[1] ~ Normal(0, 1)
        x ~ Normal(dec(z), 1) }
guide { let q = enc(x)
        z ~ Normal(q.loc, q.scale) }`);
    const csv = path.join(tmp, 'x2.csv');
    fs.writeFileSync(csv, Array.from({ length: 40 }, (_, i) => `${Math.sin(i).toFixed(3)},${(1 + Math.cos(3 * i)).toFixed(3)}`).join('\n'));
    const runDir = path.join(tmp, 'run');
    const io = captureIo();
    expect(await main(['train', f, '--data', `x=${csv}`, '--steps', '5', '--lr', '0.05', '--out', runDir, '--json'], io)).toBe(0);
    const before = tf.memory().numTensors;
    const args = [f, '--data', `x=${csv}`, '--estimators', 'reparam,score+baseline,iwae:5+dreg,iwae:5+vimco', '--draws', '20', '--batch', '4'];
    const trained = await json([...args, '--checkpoint', runDir]);
    const init = await json(args);
    expect(tf.memory().numTensors).toBe(before);
    expect(trained.estimators.every((e) => !e.vectorized)).toBe(true);
    const groups = trained.rows.filter((r) => r.estimator === 'reparam' && r.kind === 'group').map((r) => [r.group, r.side]);
    expect(groups).toEqual([['enc', 'guide'], ['dec', 'model']]);
    // other parameters, other gradients
    const norm = (o: JsonOut) => o.rows.find((r) => r.estimator === 'reparam' && r.group === 'dec')!.meanNorm;
    expect(norm(trained)).not.toBeCloseTo(norm(init), 3);
    expect((trained as unknown as { parameters: string }).parameters).toContain('checkpoint');
  });
});

describe('vae estimators: rejected before any work starts', () => {
  // A nonexistent checkpoint and data file: were any work started, the error would be about them.
  const noWork = ['--checkpoint', path.join(tmp, 'no-such-run'), '--data', path.join(tmp, 'no-such.npy')];

  async function rejectedWith(args: string[], ...parts: string[]): Promise<string> {
    const r = await run(args);
    expect(r.code).toBe(1);
    for (const p of parts) expect(r.text).toContain(p);
    expect(r.text).toContain('hint:');
    expect(r.text).not.toContain('estimators of'); // the banner of the work
    expect(r.text).not.toMatch(/\n\s+at |internal error/);
    return r.text;
  }

  it('DReG on a discrete guide site', async () => {
    const f = writeVae('bern.vae', `data x: Real
param a: Real = 0
model { b ~ Bernoulli(probs: 0.5)
        x ~ Normal(b, 1) }
guide { b ~ Bernoulli(logits: a) }`);
    const t = await rejectedWith([f, '--estimators', 'iwae:5+dreg', ...noWork], 'error[VAE501]', 'iwae:5+dreg', '`b` is discrete (Bernoulli)', 'applies to no latent site');
    expect(t).toContain('use `enumerate` (exact) or `score`');
    await rejectedWith([f, '--estimators', 'score,stl', ...noWork], 'error[VAE501]', '--estimators stl');
  });

  it('DReG beside an enumerated site (M2)', async () => {
    await rejectedWith(['models/m2.vae', '--estimators', 'iwae:5+dreg', ...noWork], 'error[VAE505]', 'iwae:5+dreg', 'enumerated');
  });

  it('estimators that do not fit the objective', async () => {
    await rejectedWith([TOY, '--estimators', 'stl', ...noWork], 'error[VAE505]', 'expectation');
    await rejectedWith([TOY, '--estimators', 'iwae:5', ...noWork], 'the IWAE bound needs a model');
    await rejectedWith(['models/vae.vae', '--estimators', 'enumerate', ...noWork], 'error[VAE502]', '`z` is continuous');
    await rejectedWith(['models/vae.vae', '--sweep', 'K=1,5', '--estimators', 'iwae:K+vimco', ...noWork], 'K >= 2');
  });

  it('bad --estimators values', async () => {
    for (const [v, why] of [
      ['foo', 'unknown estimator `foo`'],
      ['dreg', 'is an estimator of the IWAE bound'],
      ['iwae:0', 'K must be a positive integer'],
      ['reparam+baseline', 'a baseline applies to the score-function estimator only'],
      ['iwae:5+stl', 'ELBO path-derivative'],
      ['score+dreg', 'one site estimator at a time'],
      ['reparam,,score', 'an empty estimator'],
      ['iwae:K', 'K is given by a sweep'],
    ]) {
      await rejectedWith(['models/vae.vae', '--estimators', v!, ...noWork], why!);
    }
  });

  it('bad --sweep values, and sweeps that do not fit the estimators', async () => {
    for (const v of ['K', 'M=1,2', 'K=0,5', 'K=1,a', 'N=', 'K=1.5']) {
      await rejectedWith(['models/vae.vae', '--sweep', v, ...noWork], `invalid --sweep '${v}'`);
    }
    await rejectedWith(['models/vae.vae', '--sweep', 'K=1,5', '--estimators', 'reparam', ...noWork], '--sweep K', 'not an IWAE estimator');
    await rejectedWith(['models/vae.vae', '--sweep', 'N=1,5', '--estimators', 'iwae:5', ...noWork], '--sweep N', 'IWAE estimator');
  });

  it('bad numbers and --plot without a sweep', async () => {
    await rejectedWith([TOY, '--draws', '1', ...noWork], "invalid --draws '1'");
    await rejectedWith([TOY, '--draws', 'x', ...noWork], "invalid --draws 'x'");
    await rejectedWith([TOY, '--batch', '0', ...noWork], "invalid --batch '0'");
    await rejectedWith([TOY, '--plot', path.join(tmp, 'a.png'), ...noWork], '--plot draws a sweep');
    await rejectedWith([TOY, '--sweep', 'N=1,10', '--plot', path.join(tmp, 'a.txt'), ...noWork], "invalid --plot");
  });

  it('--help shows the usage and examples', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.text).toContain('--sweep <axis=values>');
    expect(r.text).toContain('Examples:');
  });
});
