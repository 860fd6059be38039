/**
 * Generated corruptions of every file of a checkpoint: each is refused with VAE703 naming the
 * file (never an internal error, never a silently different run), or, where the change cannot
 * matter (manifest.json deleted), the run resumes exactly as from the original.
 *
 * Generators, per file: deleted, empty, cut in half, replaced by `{}`, `null`, `[]` or random
 * bytes, three single flipped bytes (seeded positions); per JSON field: deleted, null, a string,
 * -1, an object; manifest entries with a duplicated name, a negative or huge shape, an unknown
 * dtype. Then the cases a hash cannot catch, with manifest.json rewritten to match: NaN and
 * infinite weights and optimizer state, an optimizer iteration count from another checkpoint,
 * weights of another shape, and a missing optimizer state (--reset-optimizer resumes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { makeManifest } from '../../src/train/checkpoint-schema';
import { captureIo, note } from '../helpers/io';
import { silent, tinyWorkspace } from './tiny-run';
import { runTrain } from '../../src/train/run';

const { tmp, file, csv } = tinyWorkspace('vae-corrupt-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FILES = ['weights.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'state.json', 'program.json', 'manifest.json'] as const;

/** A seeded stream of uniforms. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Mutation = (bytes: Buffer) => Buffer | undefined; // undefined: delete the file

interface Case {
  readonly name: string;
  readonly file: string;
  readonly mutate: Mutation;
  /** Rewrite manifest.json to match, so the structure checks (not the hashes) must catch it. */
  readonly rehash?: boolean;
  /** The error must name this file (default: `file`). */
  readonly names?: RegExp;
}

function cases(original: (f: string) => Buffer): Case[] {
  const out: Case[] = [];
  const rnd = lcg(14);
  for (const f of FILES) {
    const add = (name: string, mutate: Mutation) => out.push({ name: `${f}: ${name}`, file: f, mutate });
    add('deleted', () => undefined);
    add('empty', () => Buffer.alloc(0));
    add('cut in half', (b) => b.subarray(0, Math.floor(b.length / 2)));
    for (const text of ['{}', 'null', '[]', '"x"']) add(`replaced by ${text}`, () => Buffer.from(text));
    add('random bytes', (b) => Buffer.from(Array.from({ length: Math.max(8, b.length) }, () => Math.floor(rnd() * 256))));
    for (let k = 0; k < 3; k++) {
      const at = Math.floor(rnd() * original(f).length);
      add(`byte ${at} flipped`, (b) => {
        const c = Buffer.from(b);
        c[at] = c[at]! ^ 0x41;
        return c;
      });
    }
  }
  // Field by field, in the JSON files (hashes rewritten: the schema must catch these itself).
  const jsonField = (f: string, key: string, value: unknown) =>
    out.push({
      name: `${f}: ${key} ${value === undefined ? 'deleted' : `= ${JSON.stringify(value)}`}`,
      file: f,
      rehash: true,
      mutate: (b) => {
        const j = JSON.parse(b.toString()) as Record<string, unknown>;
        if (value === undefined) delete j[key];
        else j[key] = value;
        return Buffer.from(JSON.stringify(j));
      },
    });
  for (const f of ['state.json', 'program.json']) {
    const j = JSON.parse(original(f).toString()) as Record<string, unknown>;
    for (const key of Object.keys(j)) for (const v of [undefined, null, 'x', -1, {}]) if (JSON.stringify(v) !== JSON.stringify(j[key])) jsonField(f, key, v);
  }
  const entry = (f: string, what: string, edit: (e: Record<string, unknown>, all: Record<string, unknown>[]) => void) =>
    out.push({
      name: `${f}: ${what}`,
      file: f,
      rehash: true,
      mutate: (b) => {
        const all = JSON.parse(b.toString()) as Record<string, unknown>[];
        edit(all[all.length - 1]!, all);
        return Buffer.from(JSON.stringify(all));
      },
    });
  for (const f of ['weights.json', 'optimizer.json']) {
    entry(f, 'a duplicated name', (e, all) => (e['name'] = all[0]!['name']));
    entry(f, 'an empty name', (e) => (e['name'] = ''));
    entry(f, 'a negative shape', (e) => (e['shape'] = [-4]));
    entry(f, 'a huge shape', (e) => (e['shape'] = [1e9, 1e9]));
    entry(f, 'a shape that is a string', (e) => (e['shape'] = '4'));
    entry(f, 'dtype string', (e) => (e['dtype'] = 'string'));
    entry(f, 'dtype float64', (e) => (e['dtype'] = 'float64'));
    entry(f, 'an entry fewer', (_e, all) => all.pop());
  }
  // Values a hash cannot judge: non-finite numbers, files from different checkpoints.
  const floats = (f: string, name: string, edit: (x: Float32Array) => void, names: RegExp) =>
    out.push({
      name: `${f}: ${name}`,
      file: f,
      rehash: true,
      names,
      mutate: (b) => {
        const c = Buffer.from(b);
        const start = f === 'optimizer.bin' ? 4 : 0; // after the int32 iteration count
        edit(new Float32Array(c.buffer, c.byteOffset + start, (c.length - start) / 4));
        return c;
      },
    });
  floats('weights.bin', 'all NaN', (x) => x.fill(NaN), /weights\.bin: `.*` holds 8 NaN values/);
  floats('weights.bin', 'one +Inf', (x) => (x[3] = Infinity), /weights\.bin: `.*` holds 1 infinite value/);
  floats('optimizer.bin', 'one NaN', (x) => (x[0] = NaN), /optimizer\.bin: `.*` holds 1 NaN value/);
  out.push({
    name: 'optimizer.bin: the iteration count of another checkpoint',
    file: 'optimizer.bin',
    rehash: true,
    names: /optimizer\.json: the iteration count is 3 but state\.json's step is 5/,
    mutate: (b) => {
      const c = Buffer.from(b);
      c.writeInt32LE(3, 0);
      return c;
    },
  });
  out.push({
    name: 'weights.json: a weight of another shape (bytes unchanged)',
    file: 'weights.json',
    rehash: true,
    names: /has shape \[8\] in the checkpoint but \[2, 4\] in the program/,
    mutate: (b) => {
      const all = JSON.parse(b.toString()) as { shape: number[] }[];
      all[0]!.shape = [all[0]!.shape.reduce((a, c) => a * c, 1)];
      return Buffer.from(JSON.stringify(all));
    },
  });
  return out;
}

describe('corrupt checkpoints', () => {
  it('every generated corruption is VAE703 naming the file, or harmless', async () => {
    const good = path.join(tmp, 'good');
    await runTrain({ file, data: csv, overrides: { epochs: 1 }, out: good, json: true, figures: false }, silent);
    const ck = (d: string, f: string) => path.join(d, 'checkpoint', f);
    const original = (f: string) => fs.readFileSync(ck(good, f));
    const all = cases(original);
    let refused = 0;
    let harmless = 0;
    const failures: string[] = [];
    for (const [i, c] of all.entries()) {
      const dir = path.join(tmp, `c${i}`);
      fs.cpSync(good, dir, { recursive: true });
      const next = c.mutate(original(c.file));
      if (next === undefined) fs.rmSync(ck(dir, c.file));
      else fs.writeFileSync(ck(dir, c.file), next);
      if (c.rehash) {
        const files = Object.fromEntries(FILES.filter((f) => f !== 'manifest.json').map((f) => [f, new Uint8Array(fs.readFileSync(ck(dir, f)))]));
        fs.writeFileSync(ck(dir, 'manifest.json'), JSON.stringify(makeManifest(files)));
      }
      const io = captureIo();
      const code = await main(['train', '--resume', dir, '--epochs', '2', '--json', '--no-figures'], io);
      const text = io.stderr.join('\n');
      if (code === 0) {
        // Allowed where nothing that matters changed: manifest.json (a checkpoint from before it
        // existed has none) and legal edits (no best validation score yet, or another one).
        harmless++;
        if (c.file !== 'manifest.json' && !['state.json: bestValid = null', 'state.json: bestValid = -1'].includes(c.name)) failures.push(`${c.name}: resumed (exit 0)`);
        continue;
      }
      const ok = /^error\[VAE703\]: /m.test(text) && (c.names ?? new RegExp(c.file.replace('.', '\\.'))).test(text) && !/internal error/.test(text);
      if (ok) refused++;
      else failures.push(`${c.name}: ${text.split('\n').filter((l) => !l.startsWith('vaelang')).join(' | ')}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    note(`checkpoint corruptions: ${all.length} cases, ${refused} refused with VAE703 naming the file, ${harmless} harmless, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(150);
  }, 120_000);

  it('a deleted manifest.json resumes exactly as the original', async () => {
    const a = path.join(tmp, 'm-a');
    const b = path.join(tmp, 'm-b');
    await runTrain({ file, data: csv, overrides: { epochs: 1 }, out: a, json: true, figures: false }, silent);
    fs.cpSync(a, b, { recursive: true });
    fs.rmSync(path.join(b, 'checkpoint', 'manifest.json'));
    for (const d of [a, b]) await runTrain({ resume: d, overrides: { epochs: 2 }, json: true, figures: false }, silent);
    expect(fs.readFileSync(path.join(b, 'checkpoint', 'weights.bin')).equals(fs.readFileSync(path.join(a, 'checkpoint', 'weights.bin')))).toBe(true);
  });

  it('no optimizer state: refused on --resume, resumed with --reset-optimizer (said so), evaluated without it', async () => {
    const d = path.join(tmp, 'no-opt');
    await runTrain({ file, data: csv, overrides: { epochs: 1 }, out: d, json: true, figures: false }, silent);
    fs.rmSync(path.join(d, 'checkpoint', 'optimizer.json'));
    const io = captureIo();
    expect(await main(['train', '--resume', d, '--epochs', '2', '--no-figures'], io)).toBe(1);
    expect(io.text()).toMatch(/error\[VAE703\]: the checkpoint in '.*' has no optimizer state \(optimizer\.json is missing\)\n {2}= hint: .*add --reset-optimizer/);
    const io2 = captureIo();
    expect(await main(['train', '--resume', d, '--epochs', '2', '--reset-optimizer', '--no-figures'], io2)).toBe(0);
    expect(io2.text()).toMatch(/out {11}.* \(from epoch 2, step 5, optimizer reset\)/);
    const io3 = captureIo();
    expect(await main(['train', file, '--reset-optimizer'], io3)).toBe(1);
    expect(io3.text()).toContain('--reset-optimizer applies only to --resume');
  });
});
