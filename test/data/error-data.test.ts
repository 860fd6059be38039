/**
 * Runtime errors as data: a data-file (VAE702) or checkpoint (VAE703) error built from its data
 * carries it (`toJSON().data`), and its message and hint are what problems/files.ts renders.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { parseCsv, selectSites } from '../../src/data/csv';
import { DataError, fsError } from '../../src/data/errors';
import { parseIdx } from '../../src/data/idx';
import { parseNpy } from '../../src/data/npy';
import { readArray } from '../../src/data/read-array';
import { renderProblem } from '../../src/dsl/problems/index';
import { CheckpointError } from '../../src/train/checkpoint-error';
import { thrown, useTempDir } from './tmpdir';

const tmp = useTempDir('vae-error-data-');

/** A v1 `.npy` file with header dict `dict` and data bytes `data`. */
function npy(dict: string, data: number[] = []): Uint8Array {
  const header = new TextEncoder().encode(`${dict}\n`);
  return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8, ...header, ...data]);
}

/** The DataError `f` throws, checked to carry data whose rendering is its message and hint. */
function dataError(f: () => unknown): DataError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(DataError);
  const d = e as DataError;
  expect(d.code).toBe('VAE702');
  expect(d.data).toBeDefined();
  expect({ message: d.message, hint: d.hint }).toEqual(renderProblem(d.data as never));
  expect(d.toJSON()).toMatchObject({ code: 'VAE702', data: d.data });
  return d;
}

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

  it('a .npy header fault carries the part at fault and what was found', () => {
    const version = dataError(() => parseNpy(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0]), 'x.npy'));
    expect(version.data).toEqual({ kind: 'npy-header', file: 'x.npy', fault: 'version', found: '9.0' });
    expect(version.message).toBe("'x.npy' is not a valid .npy file: expected format version 1, 2 or 3, found 9.0");
    expect(version.hint).toBe('save the array with numpy.save');
    const magic = dataError(() => parseNpy(new Uint8Array(10), 'x.npy'));
    expect(magic.data).toEqual({ kind: 'npy-header', file: 'x.npy', fault: 'magic' });
    expect(magic.message).toBe("'x.npy' is not a valid .npy file: expected the magic string \\x93NUMPY at the start, found something else");
    const length = dataError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }").subarray(0, 20), 'x.npy'));
    expect(length.data).toMatchObject({ fault: 'length', found: '10' });
    expect(length.message).toMatch(/the header declares \d+ bytes but the file ends after 10$/);
    expect(length.hint).toBe('the file is incomplete; save or copy it again');
    const dims = dataError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }"), 'x.npy'));
    expect(dims.data).toEqual({ kind: 'npy-header', file: 'x.npy', fault: 'dimensions', found: '2, -1' });
    expect(dims.message).toBe("'x.npy' is not a valid .npy file: expected non-negative integer dimensions, found (2, -1)");
    const structured = dataError(() => parseNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), 'x.npy'));
    expect(structured.data).toEqual({ kind: 'npy-header', file: 'x.npy', fault: 'structured' });
    expect(structured.hint).toBe('save each field as its own array');
  });

  it('a .npy dtype, order, length or int32 overflow carries the value found and what was expected', () => {
    const dtype = dataError(() => parseNpy(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"), 'x.npy'));
    expect(dtype.data).toEqual({ kind: 'npy-dtype', file: 'x.npy', found: '|O' });
    expect(dtype.message).toBe(
      "'x.npy' has dtype '|O' (Python objects); expected one of bool, uint8, int8, int16, uint16, int32, uint32, int64, uint64, float16, float32, float64",
    );
    const fortran = dataError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", [0, 0, 0, 0]), 'x.npy'));
    expect(fortran.data).toEqual({ kind: 'npy-fortran-order', file: 'x.npy' });
    expect(fortran.hint).toBe('save it with np.save(path, np.ascontiguousarray(arr))');
    const short = dataError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [0, 0, 0, 0]), 'x.npy'));
    expect(short.data).toEqual({ kind: 'array-data-length', file: 'x.npy', format: 'npy', shape: [2], dtype: '<f4', expected: 8, found: 4 });
    expect(short.message).toBe("'x.npy' is truncated: shape [2] of '<f4' needs 8 data bytes, found 4");
    expect(short.hint).toBe('the file is incomplete; save or copy it again');
    const big = dataError(() => parseNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 1, 0, 0, 0]), 'x.npy'));
    expect(big.data).toEqual({ kind: 'npy-int32-range', file: 'x.npy', dtype: '<i8', found: String(2 ** 32), index: 0 });
    expect(big.message).toBe(`'x.npy' holds '<i8' values outside the int32 range: ${2 ** 32} at flat index 0`);
  });

  it('an IDX header or length fault carries what was found', () => {
    const magic = dataError(() => parseIdx(Uint8Array.from([1, 2, 3, 4]), 'x.idx'));
    expect(magic.data).toEqual({ kind: 'idx-header', file: 'x.idx', fault: 'magic', found: '01 02 03 04' });
    expect(magic.message).toBe("'x.idx' is not a valid IDX file: expected the magic number to start with 00 00, found 01 02 03 04");
    expect(magic.hint).toBe('IDX files start with 00 00 <type> <ndims>, as in MNIST');
    const header = dataError(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1]), 'x.idx'));
    expect(header.data).toEqual({ kind: 'idx-header', file: 'x.idx', fault: 'length', found: '8', declared: 2 });
    expect(header.message).toBe("'x.idx' is not a valid IDX file: the header declares 2 dimensions (12 header bytes) but the file has only 8 bytes");
    const long = dataError(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 1, 7, 7]), 'x.idx'));
    expect(long.data).toEqual({ kind: 'array-data-length', file: 'x.idx', format: 'idx', shape: [1], dtype: 'unsigned byte', expected: 1, found: 2 });
    expect(long.message).toBe("'x.idx' is longer than its header says: shape [1] of unsigned byte needs 1 data bytes, found 2");
    expect(long.hint).toBe('the file may be corrupt or not an IDX file');
  });

  it('an array file of the wrong format says which', () => {
    const csv = dataError(() => readArray('x.csv'));
    expect(csv.data).toEqual({ kind: 'array-file-is-csv', file: 'x.csv' });
    expect(csv.message).toBe("'x.csv' is a CSV file; expected a single array here (.npy or IDX)");
    const file = tmp('x.npz');
    fs.writeFileSync(file, 'PK\x03\x04');
    const npz = dataError(() => readArray(file));
    expect(npz.data).toEqual({ kind: 'array-file-unknown-format', file, npz: true });
    expect(npz.message).toBe(`'${file}' is neither a .npy nor an IDX file (it starts with neither \\x93NUMPY nor 00 00)`);
    expect(npz.hint).toBe('.npz archives are not supported; save each array with numpy.save');
  });

  it('a CSV syntax or header fault carries the 1-based line and column', () => {
    const quote = dataError(() => parseCsv('a,b\n1,x"y\n', 'd.csv'));
    expect(quote.data).toEqual({ kind: 'csv-quote-in-field', file: 'd.csv', line: 2, column: 2 });
    expect(quote).toMatchObject({ file: 'd.csv', line: 2, column: 2 });
    expect(quote.message).toBe("line 2 of 'd.csv' has a quote inside an unquoted field; expected quotes only around a whole field");
    const after = dataError(() => parseCsv('a,b\n"1"x,2\n', 'd.csv'));
    expect(after.data).toEqual({ kind: 'csv-text-after-quote', file: 'd.csv', line: 2, column: 1 });
    expect(after.hint).toBe('double any quote inside a quoted field ("")');
    const open = dataError(() => parseCsv('a,b\n1,"2\n3,4\n', 'd.csv'));
    expect(open.data).toEqual({ kind: 'csv-unclosed-quote', file: 'd.csv', line: 2 });
    expect(open.message).toBe("'d.csv' ends inside a quoted field that starts on line 2; expected a closing quote");
    const empty = dataError(() => parseCsv('', 'd.csv'));
    expect(empty.data).toEqual({ kind: 'csv-empty', file: 'd.csv' });
    expect(empty.hint).toBe('add a header such as x[0],x[1],y');
    const unnamed = dataError(() => parseCsv('a,,c\n1,2,3\n', 'd.csv'));
    expect(unnamed.data).toEqual({ kind: 'csv-empty-column-name', file: 'd.csv', line: 1, column: 2 });
    expect(unnamed.message).toBe("the header of 'd.csv' has an empty name in column 2; expected every column to be named");
    expect(unnamed.hint).toBeUndefined();
    const twice = dataError(() => parseCsv('a,b,a\n1,2,3\n', 'd.csv'));
    expect(twice.data).toEqual({ kind: 'csv-duplicate-column', file: 'd.csv', line: 1, column: 3, found: 'a' });
    expect(twice.message).toBe("the header of 'd.csv' names column 'a' twice");
    const fields = dataError(() => parseCsv('a,b\n1,2\n3\n', 'd.csv'));
    expect(fields.data).toEqual({ kind: 'csv-field-count', file: 'd.csv', line: 3, found: 1, expected: 2 });
    expect(fields.message).toBe("line 3 of 'd.csv' has 1 fields; expected 2 as in the header");
  });

  it('a CSV column or cell fault names the site, the value found and what was expected', () => {
    const count = dataError(() => selectSites(parseCsv('p,q,r\n1,2,3\n', 'd.csv'), [{ name: 'x', size: 2 }]));
    expect(count.data).toEqual({ kind: 'csv-column-count', file: 'd.csv', site: 'x', size: 2, found: 3 });
    expect(count.message).toBe("'d.csv' has 3 columns but site x takes 2 values per example; expected 2 columns (or columns named 'x[0]', 'x[1]')");
    expect(count.hint).toBe("name the columns 'x[0]', 'x[1]', or fix the declared size of x");
    const missing = dataError(() => selectSites(parseCsv('x[0],x[1],y\n1,2,3\n', 'd.csv'), [{ name: 'x', size: 3 }, { name: 'y', size: 1 }]));
    expect(missing.data).toEqual({ kind: 'csv-missing-column', file: 'd.csv', line: 1, site: 'x', size: 3, missing: 'x[2]', columns: ['x[0]', 'x[1]', 'y'] });
    expect(missing.message).toBe("'d.csv' has no column 'x[2]' for site x (3 values per example); found columns x[0], x[1], y");
    expect(missing.hint).toBe("name the columns of x 'x[0]' ... 'x[2]'");
    const cell = dataError(() => selectSites(parseCsv('y\n1\n2.5\n', 'd.csv'), [{ name: 'y', size: 1, integer: true }]));
    expect(cell.data).toEqual({ kind: 'csv-bad-cell', file: 'd.csv', line: 3, column: 1, header: 'y', found: '2.5', expected: 'integer' });
    expect(cell.message).toBe("line 3 of 'd.csv', column 'y': expected an integer label, found '2.5'");
    expect(cell.hint).toBe('leave the cell empty for a missing value');
  });
});
