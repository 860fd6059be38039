// `vae sample` on sequence data (models/dmm.vae): --from prior draws whole sequences from the
// model (prior.png, one panel per dimension, and prior.csv with n × T rows); --mode sample
// draws each step's emission instead of taking its mean.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sample, trainTiny } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-seq-sample-'));

function readCsv(file: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  return { header: head!.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

describe('vae sample: sequences from the prior', () => {
  it('draws n sequences of T steps, written as a figure and a CSV', async () => {
    const run = await trainTiny({ file: 'models/dmm.vae', overrides: { steps: 2, batch: 16 }, out: path.join(tmp, 'run'), figures: false });
    const out = await sample(run, { n: '3', out: path.join(tmp, 'mean') });
    expect(out).toEqual([path.join(tmp, 'mean', 'prior.png')]);
    const mean = readCsv(path.join(tmp, 'mean', 'prior.csv'));
    expect(mean.header).toEqual(['sequence', 'step', 'x_0', 'x_1', 'x_2']);
    expect(mean.rows.length).toBe(3 * 10);
    expect(mean.rows.map((r) => r[1])).toEqual(Array.from({ length: 30 }, (_, i) => i % 10));
    expect(mean.rows.every((r) => r.every(Number.isFinite))).toBe(true);
    // Sequences differ from each other (each has its own latent path).
    expect(mean.rows[0]![2]).not.toBe(mean.rows[10]![2]);
    await sample(run, { n: '3', out: path.join(tmp, 'sample'), mode: 'sample' });
    const drawn = readCsv(path.join(tmp, 'sample', 'prior-sample.csv'));
    expect(drawn.rows.length).toBe(30);
    expect(drawn.rows[0]![2]).not.toBe(mean.rows[0]![2]);
  }, 120_000);

  it('sequences of up to T steps (models/dmm-ragged.vae): all T steps, or the first --length steps of the same draws', async () => {
    const run = await trainTiny({ file: 'models/dmm-ragged.vae', overrides: { steps: 2, batch: 16 }, out: path.join(tmp, 'ragged'), figures: false });
    await sample(run, { n: '2', out: path.join(tmp, 'ragged-all') });
    const all = readCsv(path.join(tmp, 'ragged-all', 'prior.csv'));
    expect(all.rows.length).toBe(2 * 10);
    await sample(run, { n: '2', length: '4', out: path.join(tmp, 'ragged-4') });
    const four = readCsv(path.join(tmp, 'ragged-4', 'prior.csv'));
    expect(four.rows).toEqual(all.rows.filter((r) => r[1]! < 4));
    await expect(sample(run, { n: '2', length: '11', out: path.join(tmp, 'ragged-11') })).rejects.toThrow('invalid --length 11: `x` has at most 10 steps');
  }, 120_000);
});
