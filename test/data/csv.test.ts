import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, readCsv, readCsvSites, selectSites } from '../../src/data/csv';
import { DataError } from '../../src/data/errors';
import { thrown, useTempDir } from './tmpdir';

const tmp = useTempDir();

describe('CSV parsing', () => {
  it('parses a header, quoted fields with commas, quotes and line breaks, CRLF and blank lines', () => {
    const text = 'name,"x[0]",y\r\n"a, b",1.5,2\r\n\r\n"say ""hi""","2",\n"multi\nline", 3 ,4\n';
    fs.writeFileSync(tmp('q.csv'), text);
    const t = readCsv(tmp('q.csv'));
    expect(t.header).toEqual(['name', 'x[0]', 'y']);
    expect(t.rows).toEqual([
      ['a, b', '1.5', '2'],
      ['say "hi"', '2', ''],
      ['multi\nline', '3', '4'],
    ]);
    expect(t.lines).toEqual([2, 4, 5]);
  });

  it('rejects a row with the wrong number of fields, naming the line', () => {
    const e = thrown(() => parseCsv('a,b\n1,2\n3\n', 'd.csv')) as DataError;
    expect(e.message).toBe("line 3 of 'd.csv' has 1 fields; expected 2 as in the header");
    expect(e.line).toBe(3);
  });

  it('rejects an unterminated quote and an empty file', () => {
    expect(thrown(() => parseCsv('a,b\n"1,2\n', 'u.csv')).message).toBe("'u.csv' ends inside a quoted field that starts on line 2; expected a closing quote");
    expect(thrown(() => parseCsv('\n\n', 'e.csv')).message).toContain("'e.csv' is empty; expected a header row");
  });
});

describe('CSV site selection', () => {
  const table = parseCsv(['x[0],x[1],x[2],y,label', '1,2,3,0.5,1', '4,,6,,', '7,8,9,1e-3,0'].join('\n'), 'data.csv');

  it('takes a vector site from x[0]..x[d-1] and a scalar site from its column', () => {
    const out = selectSites(table, [{ name: 'x', size: 3 }, { name: 'y', size: 1 }]);
    expect(out['x']?.shape).toEqual([3, 3]);
    expect(out['y']?.shape).toEqual([3]);
    expect(Array.from(out['x']!.data)).toEqual([1, 2, 3, 4, NaN, 6, 7, 8, 9]);
    expect(out['y']!.data[0]).toBeCloseTo(0.5);
    expect(Number.isNaN(out['y']!.data[1])).toBe(true); // empty float cell = NaN
  });

  it('reads an integer label column with empty = -1', () => {
    const out = selectSites(table, [{ name: 'label', size: 1, integer: true }]);
    expect(out['label']!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(out['label']!.data)).toEqual([1, -1, 0]);
  });

  it('names the first missing column of a site and lists what was found', () => {
    const e = thrown(() => selectSites(table, [{ name: 'x', size: 5 }, { name: 'y', size: 1 }])) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe("'data.csv' has no column 'x[3]' for site x (5 values per example); found columns x[0], x[1], x[2], y, label");
    const s = thrown(() => selectSites(table, [{ name: 'z', size: 1 }, { name: 'y', size: 1 }]));
    expect(s.message).toContain("has no column 'z' for site z (1 value per example)");
  });

  it('uses all columns for a single site when no column carries its name', () => {
    fs.writeFileSync(tmp('plain.csv'), 'a,b\n1,2\n3,4\n');
    const out = readCsvSites(tmp('plain.csv'), [{ name: 'x', size: 2 }]);
    expect(out['x']?.shape).toEqual([2, 2]);
    expect(Array.from(out['x']!.data)).toEqual([1, 2, 3, 4]);
    const e = thrown(() => readCsvSites(tmp('plain.csv'), [{ name: 'x', size: 3 }]));
    expect(e.message).toMatch(/has 2 columns but site x takes 3 values per example/);
  });

  it('reports a non-numeric cell with its line and column', () => {
    const t = parseCsv('x,y\n1,2\n3,abc\n', 'bad.csv');
    const e = thrown(() => selectSites(t, [{ name: 'x', size: 1 }, { name: 'y', size: 1 }])) as DataError;
    expect(e.message).toBe("line 3 of 'bad.csv', column 'y': expected a number, found 'abc'");
    expect([e.line, e.column]).toEqual([3, 2]);
    const f = thrown(() => selectSites(parseCsv('y\n2.5\n', 'l.csv'), [{ name: 'y', size: 1, integer: true }]));
    expect(f.message).toBe("line 2 of 'l.csv', column 'y': expected an integer label, found '2.5'");
  });
});
