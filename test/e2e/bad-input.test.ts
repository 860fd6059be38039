// Bad input at the command line: every case gets one clear message with a hint, exit code 1,
// and no stack trace or raw tfjs/chevrotain text.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { captureIo } from '../helpers/io';
import { writeNpy } from '../../src/data/npy';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-bad-'));

function expectClean(text: string): void {
  expect(text).not.toMatch(/\n\s+at /); // no stack trace
  expect(text).not.toMatch(/Expecting token|-->|TypeError|undefined is not|\[object [A-Z]/);
}

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, text: io.text() };
}

describe('bad input', () => {
  it('a missing .vae file', async () => {
    const r = await run(['check', 'models/does-not-exist.vae']);
    expect(r.code).toBe(1);
    expect(r.text).toContain('error[VAE701]');
    expect(r.text).toContain('hint:');
    expectClean(r.text);
  });

  it('a malformed .vae file: file:line:col, the line, a caret and a hint', async () => {
    const f = path.join(tmp, 'bad.vae');
    fs.writeFileSync(f, 'data x: Binary[784]\nmodel {\n  z = Normal(0, 1)\n}\n');
    const r = await run(['train', f]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/bad\.vae:3:5: error\[VAE103\]/);
    expect(r.text).toContain('  z = Normal(0, 1)');
    expect(r.text).toContain('^');
    expect(r.text).toContain('hint:');
    expectClean(r.text);
  });

  it('a bad flag value', async () => {
    const r = await run(['train', 'models/vae.vae', '--batch', '-3']);
    expect(r.code).toBe(1);
    expect(r.text).toContain("invalid --batch '-3'");
    expectClean(r.text);
  });

  it('an unknown data set, with a suggestion', async () => {
    const r = await run(['train', 'models/vae.vae', '--data', 'binarised-mnist', '--out', path.join(tmp, 'r0')]);
    expect(r.code).toBe(1);
    expect(r.text).toContain("unknown data set 'binarised-mnist'");
    expect(r.text).toContain('binarized-mnist');
    expectClean(r.text);
  });

  it('data that does not fit the declared type names the file and suggests binarization', async () => {
    const f = path.join(tmp, 'gray.npy');
    const data = new Float32Array(20 * 784).map((_, i) => (i % 256) / 1);
    writeNpy(f, { shape: [20, 784], data });
    const r = await run(['train', 'models/vae.vae', '--data', `x=${f}`, '--out', path.join(tmp, 'r1')]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/x is declared Binary\[784\] but gray\.npy has values in 0\.\.255/);
    expect(r.text).toContain('binarize');
    expectClean(r.text);
  });

  it('never trains over an existing run (its checkpoint would be lost)', async () => {
    const dir = path.join(tmp, 'existing');
    fs.mkdirSync(path.join(dir, 'checkpoint'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '{"epoch":1}\n');
    const r = await run(['train', 'models/vae.vae', '--out', dir, '--epochs', '1']);
    expect(r.code).toBe(1);
    expect(r.text).toContain('already holds a training run');
    expect(r.text).toContain('--resume');
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"epoch":1}\n');
    expectClean(r.text);
  });

  it('a missing or corrupt checkpoint', async () => {
    let r = await run(['eval', path.join(tmp, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.text).toContain('error[VAE703]');
    const ck = path.join(tmp, 'broken', 'checkpoint');
    fs.mkdirSync(ck, { recursive: true });
    fs.writeFileSync(path.join(ck, 'state.json'), '{ not json');
    for (const f of ['weights.json', 'weights.bin', 'program.json']) fs.writeFileSync(path.join(ck, f), '');
    r = await run(['eval', path.join(tmp, 'broken')]);
    expect(r.code).toBe(1);
    expect(r.text).toContain('error[VAE703]');
    expect(r.text).toContain('not valid JSON');
    expectClean(r.text);
  });

  it('training that produces NaN stops with the site and the step (VAE901)', async () => {
    const f = path.join(tmp, 'nan.vae');
    fs.writeFileSync(
      f,
      [
        'data x: Real[2]',
        'param logs: Real = 0',
        'net encoder: Real[2] -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [16], activation: tanh)',
        'net decoder: Real[2] -> Real[2] = mlp(hidden: [16], activation: tanh)',
        'model {',
        '  z: Real[2] ~ Normal(0, 1)',
        '  x ~ Normal(decoder(z), exp(logs))',
        '}',
        'guide {',
        '  let q = encoder(x)',
        '  z ~ Normal(q.loc, q.scale)',
        '}',
        // A learning rate of 60 sends logs far out in one Adam step: exp(logs) over/underflows.
        'train { dataset: ring optimizer: adam(lr: 60) batch: 50 }',
      ].join('\n'),
    );
    const out = path.join(tmp, 'nanrun');
    const r = await run(['train', f, '--epochs', '2', '--limit', '1000', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/error\[VAE901\]: training stopped: a non-finite .* of `[xz]` at step \d+/);
    expect(r.text).toContain('hint:');
    expectClean(r.text);
  });
});
