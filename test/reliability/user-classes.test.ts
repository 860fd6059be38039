/**
 * Every class of failure a user can cause (the table of the reliability issue) ends in a
 * diagnostic with a code and a hint and exit code 1 — never "internal error", never a stack
 * trace, never a hang, never exit 0 without a checkpoint — and nothing of the user's is
 * overwritten. Each case runs the CLI in-process (main()), with tiny models and data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { writeNpy } from '../../src/data/npy';
import { captureIo, note } from '../helpers/io';
import { intercept, errnoError } from './fs-faults';
import { tinyCsv, tinyWorkspace } from './tiny-run';

const { tmp, file, csv } = tinyWorkspace('vae-classes-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const p = (...parts: string[]) => path.join(tmp, ...parts);
const write = (name: string, text: string | Uint8Array) => {
  fs.writeFileSync(p(name), text);
  return p(name);
};

interface Outcome {
  readonly code: number;
  readonly text: string;
}

async function vae(args: string[]): Promise<Outcome> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, text: io.text() };
}

const TRAIN = ['--no-figures', '--json'];
const ok = (o: Outcome, code: RegExp) => {
  expect(o.code, o.text).toBe(1);
  expect(o.text).toMatch(code);
  expect(o.text).toMatch(/= hint: |\bhint: /);
  expect(o.text).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
};

const M2_TINY = `data x: Real[4]
data y: Category[3]?
net classifier: Real[4] -> Simplex[3] = linear()
net encoder: (Real[4], OneHot[3]) -> (loc: Real[2], scale: Positive[2]) = linear()
net decoder: (Real[2], OneHot[3]) -> Real[4] = linear()
model {
  z: Real[2] ~ Normal(0, 1)
  y ~ Categorical(probs: uniform(3))
  x ~ Normal(decoder(z, onehot(y)), 1)
}
guide {
  y ~ Categorical(probs: classifier(x)) @enumerate
  let q = encoder(x, onehot(y))
  z ~ Normal(q.loc, q.scale)
}
train { labels: 5 per class  classify: y weight 1  batch: 8  epochs: 1 }
`;

let counted = 0;
const count = () => counted++;
afterAll(() => note(`user-caused classes: ${counted} cases, none an internal error`));

describe('deep or long source', () => {
  const lcg = (seed: number) => {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  };
  const tokens = ['model', '{', '}', '(', ')', '~', 'Normal', 'x', '1', ',', 'data', 'Real', '[', ']', '+', '*', 'let', '=', ':', 'guide'];
  const r = lcg(3);
  const cases: [string, string, RegExp][] = [
    ['an expression nested 500 levels deep', `const A = ${'('.repeat(500)}1${')'.repeat(500)}\n`, /error\[VAE107\]/],
    ['a sum of 10,000 terms', `const A = ${Array(10_000).fill('1').join(' + ')}\n`, /error\[VAE107\]/],
    ['1 MB of random tokens', Array.from({ length: 200_000 }, () => tokens[Math.floor(r() * tokens.length)]).join(' '), /error\[VAE1\d\d\]/],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 4096 }, () => Math.floor(r() * 256))), /error\[VAE1\d\d\]/],
    ['an unclosed comment', 'data x: Real[2]\n/* model {', /error\[VAE106\]/],
  ];
  for (const [what, text, code] of cases) {
    it(what, async () => {
      const f = write(`src-${what.replace(/\W+/g, '-')}.vae`, text);
      ok(await vae(['check', f]), code);
      count();
    });
  }
  it('a size the engine cannot allocate is refused at check time', async () => {
    ok(await vae(['check', 'models/vae.vae', '--set', 'const Z = 1000000000']), /error\[VAE317\]/);
    count();
  });
  it("a missing file, and --set 'extends \"missing.vae\"'", async () => {
    ok(await vae(['check', p('nope.vae')]), /error\[VAE701\]/);
    ok(await vae(['check', file, '--set', 'extends "missing.vae"']), /error\[VAE610\]/);
    counted += 2;
  });
});

describe('corrupt checkpoints and silently wrong success', () => {
  const run = p('run');
  it('a trained run to break', async () => {
    expect((await vae(['train', file, '--data', csv, '--epochs', '1', '--out', run, ...TRAIN])).code).toBe(0);
  });
  const broken = (name: string, edit: (ck: string) => void) => {
    const d = p(`broken-${name}`);
    fs.cpSync(run, d, { recursive: true });
    edit(path.join(d, 'checkpoint'));
    return d;
  };
  it('weights.json or optimizer.json replaced by {} or null, optimizer.bin deleted, metrics.jsonl garbage', async () => {
    for (const [f, text] of [['weights.json', '{}'], ['optimizer.json', 'null']] as const) {
      ok(await vae(['train', '--resume', broken(f, (ck) => fs.writeFileSync(path.join(ck, f), text)), '--epochs', '2', ...TRAIN]), new RegExp(`error\\[VAE703\\]: ${f.replace('.', '\\.')}`));
    }
    ok(await vae(['train', '--resume', broken('bin', (ck) => fs.rmSync(path.join(ck, 'optimizer.bin'))), '--epochs', '2', ...TRAIN]), /error\[VAE703\]: .*no optimizer state \(optimizer\.bin is missing\)/);
    ok(await vae(['plot', broken('metrics', (ck) => fs.writeFileSync(path.join(ck, '..', 'metrics.jsonl'), 'garbage\n'))]), /error\[VAE702\]: .*metrics\.jsonl:1/);
    counted += 4;
  });
  it('optimizer.json deleted before --resume is an error, not a silent reset', async () => {
    ok(await vae(['train', '--resume', broken('noopt', (ck) => fs.rmSync(path.join(ck, 'optimizer.json'))), '--epochs', '2', ...TRAIN]), /error\[VAE703\]: .*no optimizer state/);
    count();
  });
  it('NaN weights are refused by eval, not reported as an ELBO of NaN', async () => {
    const d = broken('nan', (ck) => {
      const b = fs.readFileSync(path.join(ck, 'weights.bin'));
      new Float32Array(b.buffer, b.byteOffset, b.length / 4).fill(NaN);
      fs.writeFileSync(path.join(ck, 'weights.bin'), b);
      fs.rmSync(path.join(ck, 'manifest.json')); // as if written before manifests: the values themselves are checked
    });
    ok(await vae(['eval', d, '--iwae', '5']), /error\[VAE703\]: weights\.bin: `.*` holds \d+ NaN values/);
    count();
  });
  it('a run directory that is a file, or holds no run', async () => {
    ok(await vae(['eval', csv]), /error\[VAE703\]: .* is a file, not a run directory/);
    ok(await vae(['train', '--resume', tmp, ...TRAIN]), /error\[VAE703\]: .* holds no checkpoint/);
    counted += 2;
  });
});

describe('filesystem errors', () => {
  it('--out under a file, onto a file', async () => {
    ok(await vae(['train', file, '--data', csv, '--out', path.join(csv, 'run'), ...TRAIN]), /error\[VAE705\]: cannot create the directory .*part of the path is a file/);
    ok(await vae(['train', file, '--data', csv, '--out', csv, ...TRAIN]), /error\[VAE704\]: --out '.*x\.csv' is a file/);
    counted += 2;
  });
  for (const code of ['EACCES', 'EROFS', 'ENOSPC', 'EIO']) {
    it(`a run directory that fails with ${code} (simulated: tests run as root)`, async () => {
      const out = p(`ro-${code}`);
      const o = await intercept(out, (c) => {
        if (c.op === 'mkdirSync') throw errnoError(code, c);
      }, () => vae(['train', file, '--data', csv, '--out', out, ...TRAIN]));
      ok(o, new RegExp(`error\\[VAE705\\]: cannot create the directory '.*ro-${code}'`));
      count();
    });
  }
});

describe('empty and degenerate data', () => {
  it('a .npy with 0 rows and a CSV with a header only: VAE702, no hang, no exit 0', async () => {
    const npy = p('zero.npy');
    writeNpy(npy, { shape: [0, 4], data: new Float32Array(0) });
    ok(await vae(['train', file, '--data', npy, '--epochs', '1', '--out', p('zero-npy'), ...TRAIN]), /error\[VAE702\]: .*has no training examples/);
    ok(await vae(['train', file, '--data', write('header.csv', 'a,b,c,d\n'), '--out', p('zero-csv'), ...TRAIN]), /error\[VAE702\]: .*has no training examples/);
    ok(await vae(['train', file, '--data', write('empty.csv', ''), '--out', p('empty-csv'), ...TRAIN]), /error\[VAE702\]: .*is empty/);
    for (const d of ['zero-npy', 'zero-csv', 'empty-csv']) expect(fs.existsSync(p(d, 'checkpoint'))).toBe(false);
    counted += 3;
  });
  it('data errors in a CSV count file lines, as the parser does, also in the validation split', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `0.1,0.2,0.3,0.4,${i % 3}`);
    const m2 = write('m2-lines.vae', M2_TINY);
    const label = [...rows];
    label[34] = '0.1,0.2,0.3,0.4,7'; // line 36
    ok(await vae(['train', m2, '--data', write('bad-label.csv', ['x[0],x[1],x[2],x[3],y', ...label].join('\n')), '--out', p('bad-label'), ...TRAIN]), /error\[VAE702\]: line 36 of bad-label\.csv has label 7, outside 0\.\.2/);
    const missing = [...rows];
    missing[37] = ',0.2,0.3,0.4,1'; // line 39, in the held-out validation rows (the last 4)
    ok(await vae(['train', m2, '--data', write('bad-x.csv', ['x[0],x[1],x[2],x[3],y', ...missing].join('\n')), '--out', p('bad-x'), ...TRAIN]), /error\[VAE702\]: line 39 of bad-x\.csv has a missing value \(NaN\) but x is declared Real\[4\]/);
    counted += 2;
  });
  it('all examples held out for validation', async () => {
    ok(await vae(['train', file, '--data', write('three.csv', tinyCsv(3)), '--valid', '3', '--out', p('all-valid'), ...TRAIN]), /error\[VAE702\]: .*too few to hold out 3/);
    count();
  });
  it('fewer rows than one batch, and one row per class: a note, then a checkpoint', async () => {
    const one = await vae(['train', file, '--data', write('one.csv', tinyCsv(1)), '--epochs', '1', '--out', p('one'), '--no-figures']);
    expect(one.code).toBe(0);
    expect(one.text).toContain('note: 1 training example, fewer than one batch of 8: each step uses all of them');
    expect(fs.existsSync(p('one', 'checkpoint', 'state.json'))).toBe(true);
    const m2 = write('m2tiny.vae', M2_TINY);
    const labels = write('per-class.csv', 'x[0],x[1],x[2],x[3],y\n1,2,3,4,0\n1,2,3,4,1\n1,2,3,4,2\n');
    const pc = await vae(['train', m2, '--data', labels, '--out', p('per-class'), '--no-figures']);
    expect(pc.code).toBe(0);
    expect(pc.text).toContain('note: `labels: 5 per class` asks for 15 labels, but the training data hold 3 (some classes have fewer)');
    expect(fs.existsSync(p('per-class', 'checkpoint', 'state.json'))).toBe(true);
    counted += 2;
  });
});

describe("never touching what is not ours", () => {
  it("--out holding the user's own config.json and curves.png is refused; both stay as they were", async () => {
    const d = p('mine');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'config.json'), 'MINE');
    fs.writeFileSync(path.join(d, 'curves.png'), 'MINE');
    ok(await vae(['train', file, '--data', csv, '--out', d, ...TRAIN]), /error\[VAE704\]: --out '.*mine' is not empty \(it holds config\.json, curves\.png\)/);
    expect(fs.readFileSync(path.join(d, 'config.json'), 'utf8')).toBe('MINE');
    expect(fs.readFileSync(path.join(d, 'curves.png'), 'utf8')).toBe('MINE');
    count();
  });
  it('an existing empty directory is fine; vae sample --out never replaces a file without --force', async () => {
    const d = p('empty-out');
    fs.mkdirSync(d);
    expect((await vae(['train', file, '--data', csv, '--epochs', '1', '--out', d, ...TRAIN])).code).toBe(0);
    const figs = p('figs');
    fs.mkdirSync(figs);
    fs.writeFileSync(path.join(figs, 'prior.png'), 'MINE');
    ok(await vae(['sample', d, '--out', figs, '--n', '4']), /error\[VAE704\]: .*figs\/prior\.png already exists\n {2}= hint: .*add --force/);
    expect(fs.readFileSync(path.join(figs, 'prior.png'), 'utf8')).toBe('MINE');
    expect((await vae(['sample', d, '--out', figs, '--n', '4', '--force'])).code).toBe(0);
    expect(fs.readFileSync(path.join(figs, 'prior.png')).subarray(1, 4).toString()).toBe('PNG');
    count();
    const csvOut = write('mine.csv', 'MINE');
    ok(await vae(['export-metrics', d, '--out', csvOut]), /error\[VAE704\]: --out '.*mine\.csv' already exists\n {2}= hint: .*add --force/);
    expect(fs.readFileSync(csvOut, 'utf8')).toBe('MINE');
    expect((await vae(['export-metrics', d, '--out', csvOut, '--force'])).code).toBe(0);
    expect(fs.readFileSync(csvOut, 'utf8')).toMatch(/^kind,step,/);
    count();
    const plots = p('plots');
    fs.mkdirSync(plots);
    fs.writeFileSync(path.join(plots, 'curves.svg'), 'MINE');
    ok(await vae(['plot', d, '--out', plots, '--format', 'svg']), /error\[VAE704\]: .*plots\/curves\.svg already exists\n {2}= hint: .*add --force/);
    expect(fs.readFileSync(path.join(plots, 'curves.svg'), 'utf8')).toBe('MINE');
    expect((await vae(['plot', d, '--out', plots, '--format', 'svg', '--force'])).code).toBe(0);
    expect((await vae(['plot', d, '--format', 'svg'])).code).toBe(0); // the run's own figures: redrawn
    count();
  });
  it('data are stored with absolute paths and hashes: a changed file is VAE702 on eval and --resume', async () => {
    const data = write('changing.csv', tinyCsv(40));
    const run = p('hashed');
    expect((await vae(['train', file, '--data', data, '--epochs', '1', '--out', run, ...TRAIN])).code).toBe(0);
    const state = JSON.parse(fs.readFileSync(path.join(run, 'checkpoint', 'state.json'), 'utf8')) as { data: { source: string; hashes: Record<string, string> } };
    expect(path.isAbsolute(state.data.source)).toBe(true);
    expect(Object.keys(state.data.hashes)).toEqual([data]);
    // --resume --data: the same file moved elsewhere is fine; other data would be another run.
    const moved = write('moved.csv', fs.readFileSync(data));
    const other = write('other.csv', tinyCsv(40, 9));
    ok(await vae(['train', '--resume', run, '--epochs', '2', '--data', other, ...TRAIN]), /error\[VAE704\]: --data .*other\.csv is not the data the run was trained on/);
    const copy = p('hashed-copy');
    fs.cpSync(run, copy, { recursive: true });
    expect((await vae(['train', '--resume', copy, '--epochs', '2', '--data', moved, ...TRAIN])).code).toBe(0);
    const resumedState = JSON.parse(fs.readFileSync(path.join(copy, 'checkpoint', 'state.json'), 'utf8')) as { data: { source: string } };
    expect(resumedState.data.source).toBe(moved);
    fs.writeFileSync(data, tinyCsv(40, 8));
    ok(await vae(['eval', run, '--iwae', '5']), /error\[VAE702\]: the run's data file '.*changing\.csv' changed since the run was trained/);
    ok(await vae(['train', '--resume', run, '--epochs', '2', ...TRAIN]), /error\[VAE702\]: the run's data file '.*changing\.csv' changed/);
    fs.rmSync(data);
    ok(await vae(['eval', run, '--iwae', '5']), /error\[VAE702\]: the run's data file '.*changing\.csv' no longer exists/);
    counted += 5;
  });
});
