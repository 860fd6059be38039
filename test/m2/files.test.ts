/**
 * M2 on the user's own files, end to end through the CLI: `vae train models/m2.vae --data
 * x=images.npy,y=labels.npy` with -1 for a missing label (an empty cell in CSV), `vae eval` with
 * fully labelled test files reports the accuracy, `--valid N` sets the validation split, and a
 * label outside 0..9 stops with the row, a hint and exit code 1 (not silently treated as missing
 * by `labels: 100 per class`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { writeNpy } from '../../src/data/npy';
import { captureIo } from '../helpers/io';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-m2-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const p = (...parts: string[]) => path.join(tmp, ...parts);

async function vae(args: string[]): Promise<{ code: number; text: string; stdout: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, text: io.text(), stdout: io.stdout.join('\n') };
}

/** Gray images [n, 28, 28] in [0, 1] with a class-dependent band of rows, and their classes. */
function images(n: number, offset = 0): { x: Float32Array; y: number[] } {
  const x = new Float32Array(n * 784);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = (i + offset) % 10;
    y.push(c);
    for (let q = 0; q < 784; q++) x[i * 784 + q] = Math.floor(q / 28) % 10 === c ? 0.95 : ((i * 5 + q * 11) % 13) / 50;
  }
  return { x, y };
}

const N = 40;
const train = images(N);
/** Every fourth label missing (-1). */
const partial = train.y.map((c, i) => (i % 4 === 3 ? -1 : c));
const labelled = partial.flatMap((c, i) => (c >= 0 ? [i] : []));
const test = images(20, 3);

writeNpy(p('images.npy'), { shape: [N, 28, 28], data: train.x });
writeNpy(p('labels.npy'), { shape: [N], data: Int32Array.from(partial) });
writeNpy(p('test-images.npy'), { shape: [20, 28, 28], data: test.x });
writeNpy(p('test-labels.npy'), { shape: [20], data: Int32Array.from(test.y) });

function csv(file: string, x: Float32Array, y: readonly (number | null)[]): void {
  const header = [...Array.from({ length: 784 }, (_, j) => `x[${j}]`), 'y'].join(',');
  const rows = y.map((c, i) => [...Array.from(x.subarray(i * 784, (i + 1) * 784), (v) => v.toFixed(3)), c === null ? '' : String(c)].join(','));
  fs.writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
}

const QUICK = ['--steps', '2', '--batch', '10'];

describe('M2 on files with missing labels', () => {
  it('trains on .npy files with -1 for missing labels, and evaluates accuracy on labelled test files', async () => {
    const run = p('run-npy');
    const r = await vae(['train', 'models/m2.vae', '--data', `x=${p('images.npy')},y=${p('labels.npy')}`, ...QUICK, '--valid', '0', '--out', run]);
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain(`train ${N}, valid 0, ${labelled.length} labelled`);
    const kept = JSON.parse(fs.readFileSync(path.join(run, 'labels.json'), 'utf8')) as { indices: number[] };
    expect(kept.indices).toEqual(labelled);

    const e = await vae(['eval', run, '--data', `x=${p('test-images.npy')},y=${p('test-labels.npy')}`, '--iwae', '0', '--json']);
    expect(e.code, e.text).toBe(0);
    const m = JSON.parse(e.stdout) as { n: number; elbo: number; accuracy: { site: string; accuracy: number; n: number }[] };
    expect(m.n).toBe(20);
    expect(Number.isFinite(m.elbo)).toBe(true);
    expect(m.accuracy).toHaveLength(1);
    expect(m.accuracy[0]!.site).toBe('y');
    expect(m.accuracy[0]!.n).toBe(20);
    expect(m.accuracy[0]!.accuracy).toBeGreaterThanOrEqual(0);
    expect(m.accuracy[0]!.accuracy).toBeLessThanOrEqual(1);

    // The text report has the accuracy line too.
    const t = await vae(['eval', run, '--data', `x=${p('test-images.npy')},y=${p('test-labels.npy')}`, '--iwae', '0']);
    expect(t.code, t.text).toBe(0);
    expect(t.stdout).toMatch(/accuracy \(y\)\s+\d+\.\d\d% of 20 labelled examples/);
  });

  it('trains on a CSV file whose empty label cells are missing labels', async () => {
    const file = p('train.csv');
    csv(file, train.x, partial.map((c) => (c < 0 ? null : c)));
    const run = p('run-csv');
    const r = await vae(['train', 'models/m2.vae', '--data', file, ...QUICK, '--valid', '0', '--out', run]);
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain(`train ${N}, valid 0, ${labelled.length} labelled`);
    expect((JSON.parse(fs.readFileSync(path.join(run, 'labels.json'), 'utf8')) as { indices: number[] }).indices).toEqual(labelled);
  });

  it('--valid N holds out N examples of a file (default 10%), is kept on resume, and must leave some to train on', async () => {
    const data = `x=${p('images.npy')},y=${p('labels.npy')}`;
    const d = await vae(['train', 'models/m2.vae', '--data', data, ...QUICK, '--out', p('run-default')]);
    expect(d.code, d.text).toBe(0);
    expect(d.text).toContain(`train ${N - N / 10}, valid ${N / 10}`);
    const v = await vae(['train', 'models/m2.vae', '--data', data, ...QUICK, '--valid', '8', '--out', p('run-valid')]);
    expect(v.code, v.text).toBe(0);
    expect(v.text).toContain(`train ${N - 8}, valid 8`);
    const resumed = await vae(['train', '--resume', p('run-valid'), '--steps', '3']);
    expect(resumed.code, resumed.text).toBe(0);
    expect(resumed.text).toContain(`train ${N - 8}, valid 8`);
    const bad = await vae(['train', 'models/m2.vae', '--data', data, ...QUICK, '--valid', String(N), '--out', p('run-bad-valid')]);
    expect(bad.code).toBe(1);
    expect(bad.text).toContain(`has ${N} examples, too few to hold out ${N} for validation`);
    expect(bad.text).toContain('hint:');
  });

  it('a label outside 0..9 is an error naming the row, with a hint and exit code 1', async () => {
    const wrong = [...partial];
    wrong[7] = 12;
    writeNpy(p('bad-labels.npy'), { shape: [N], data: Int32Array.from(wrong) });
    const r = await vae(['train', 'models/m2.vae', '--data', `x=${p('images.npy')},y=${p('bad-labels.npy')}`, ...QUICK, '--out', p('run-bad')]);
    expect(r.code).toBe(1);
    expect(r.text).toContain('error[VAE702]: row 8 of bad-labels.npy has label 12, outside 0..9');
    expect(r.text).toMatch(/hint: y is declared Category\[10\]; relabel the data or declare more classes \(-1 marks a missing label\)/);
    expect(r.text).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(p('run-bad'))).toBe(false);

    const file = p('bad.csv');
    const cells: (number | null)[] = partial.map((c) => (c < 0 ? null : c));
    cells[5] = 10;
    csv(file, train.x, cells);
    const c = await vae(['train', 'models/m2.vae', '--data', file, ...QUICK, '--out', p('run-bad-csv')]);
    expect(c.code).toBe(1);
    // CSV data are counted in file lines, as the CSV parser's own messages count them (header = line 1).
    expect(c.text).toContain('line 7 of bad.csv has label 10, outside 0..9');
    expect(c.text).toContain('hint:');

    // A fully labelled test file with a bad label fails the same way in `vae eval`.
    const t = [...test.y];
    t[2] = -3;
    writeNpy(p('bad-test-labels.npy'), { shape: [20], data: Int32Array.from(t) });
    const e = await vae(['eval', p('run-npy'), '--data', `x=${p('test-images.npy')},y=${p('bad-test-labels.npy')}`, '--iwae', '0']);
    expect(e.code).toBe(1);
    expect(e.text).toContain('row 3 of bad-test-labels.npy has label -3, outside 0..9');
  });
});
