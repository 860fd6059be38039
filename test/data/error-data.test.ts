/**
 * Runtime errors as data: a data-file (VAE702) or checkpoint (VAE703) error built from its data
 * carries it (`toJSON().data`), and its message and hint are what problems/files.ts renders.
 */
import { describe, expect, it } from 'vitest';
import { fsError } from '../../src/data/errors';
import { renderProblem } from '../../src/dsl/problems/index';
import { CheckpointError } from '../../src/train/checkpoint-error';

describe('errors as data', () => {
  it('a file-system failure of a data file carries the file, the verb and the errno', () => {
    const e = fsError(Object.assign(new Error('x'), { code: 'EACCES' }), 'images.npy');
    expect(e.code).toBe('VAE702');
    expect(e.data).toEqual({ kind: 'data-file-system', file: 'images.npy', verb: 'read', errno: 'EACCES', cwd: process.cwd() });
    expect(e.message).toBe("cannot read 'images.npy': permission denied");
    expect(e.toJSON()).toEqual({ code: 'VAE702', message: e.message, hint: 'check the file permissions', data: e.data });
  });

  it('a checkpoint error carries the expected and found values', () => {
    const e = CheckpointError.of({ kind: 'checkpoint-size-mismatch', file: 'weights.bin', bytes: 10, expected: 12 });
    expect(e.code).toBe('VAE703');
    expect(e.message).toBe('weights.bin holds 10 bytes but manifest.json records 12');
    expect({ message: e.message, hint: e.hint }).toEqual(renderProblem(e.data as never));
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'VAE703', data: { kind: 'checkpoint-size-mismatch', bytes: 10, expected: 12 } });
  });
});
