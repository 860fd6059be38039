// src/core: errors as data (one UserError for every layer, codes kept by the subclasses) and
// atomic writes (a file, a directory), including what a failed write leaves behind.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backend';
import { CliError, formatCliError } from '../../src/cli/errors';
import { replaceDirAtomic, writeFileAtomic } from '../../src/core/atomic-file';
import { isUserError, UserError } from '../../src/core/errors';
import { DataError } from '../../src/data/errors';
import { CheckpointError } from '../../src/train/checkpoint';
import { thrown, useTempDir } from '../data/tmpdir';

const tmp = useTempDir('vae-core-');

describe('UserError', () => {
  it('carries code, message and hint as data, for every layer', () => {
    const cases: [UserError, string][] = [
      [new UserError('bad flag', 'use a number'), 'VAE704'],
      [new DataError("cannot read 'x.npy': no such file", { hint: 'check the path', file: 'x.npy' }), 'VAE702'],
      [new CheckpointError('no checkpoint', 'give the run directory'), 'VAE703'],
      [new BackendError('unknown backend'), 'VAE704'],
    ];
    for (const [e, code] of cases) {
      expect(e).toBeInstanceOf(UserError);
      expect(isUserError(e)).toBe(true);
      expect(e.code).toBe(code);
      expect(e.toJSON()).toEqual({ code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) });
      expect(formatCliError(e)).toBe(`error[${code}]: ${e.message}${e.hint ? `\n  = hint: ${e.hint}` : ''}`);
    }
    expect(new CliError('x')).toBeInstanceOf(UserError);
  });

  it('is recognised by shape across module copies, and nothing else is', () => {
    const foreign = Object.assign(new Error('from another bundle'), { code: 'VAE702', hint: 'h' });
    expect(isUserError(foreign)).toBe(true);
    expect(isUserError(Object.assign(new Error('fs'), { code: 'ENOENT' }))).toBe(false);
    expect(isUserError({ code: 'VAE702', message: 'not an Error' })).toBe(false);
    expect(formatCliError(new TypeError('x is undefined'))).toMatch(/^internal error: x is undefined/);
  });
});

describe('atomic writes', () => {
  it('writes a file (creating directories) and replaces it whole', () => {
    const f = tmp('a', 'b', 'c.txt');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, new Uint8Array([116, 119, 111]));
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.readdirSync(tmp('a', 'b'))).toEqual(['c.txt']);
  });

  it('leaves the old file and no temporary behind when the write fails', () => {
    const dir = tmp('ro');
    writeFileAtomic(`${dir}/f.txt`, 'old');
    const e = thrown(() => writeFileAtomic(`${dir}/f.txt/child`, 'new')); // f.txt is not a directory
    expect((e as NodeJS.ErrnoException).code).toMatch(/ENOTDIR|EEXIST/);
    expect(fs.readFileSync(`${dir}/f.txt`, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['f.txt']);
  });

  it('replaces a directory with exactly the new files', () => {
    const d = tmp('run', 'checkpoint');
    replaceDirAtomic(d, { 'a.json': '{}', 'b.bin': new Uint8Array([1, 2]) });
    replaceDirAtomic(d, { 'a.json': '{"v":2}' });
    expect(fs.readdirSync(d)).toEqual(['a.json']);
    expect(fs.readFileSync(`${d}/a.json`, 'utf8')).toBe('{"v":2}');
    expect(fs.readdirSync(tmp('run'))).toEqual(['checkpoint']);
  });

  it('keeps the old directory when the new one cannot be written', () => {
    const d = tmp('run2', 'checkpoint');
    replaceDirAtomic(d, { 'a.json': 'old' });
    thrown(() => replaceDirAtomic(d, { 'sub/a.json': 'new' })); // no such subdirectory
    expect(fs.readFileSync(`${d}/a.json`, 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp('run2'))).toEqual(['checkpoint']);
  });
});
