// The playground worker's data from dropped files (src/playground/worker/data.ts), in Node (it
// uses only web APIs Node 20 has): bound as `--data` binds files, validated with the CLI's
// messages, counting CSV file lines (also in the held-out validation rows) and .npy rows.
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/checking';
import { encodeNpy } from '../../src/data/npy';
import { loadData } from '../../src/playground/worker/data';

const PROGRAM = `data x: Binary[2]
data y: Category[3]
net dec: (Real[1], OneHot[3]) -> Real[2] = mlp(hidden: [4], activation: softplus)
net enc: Real[2] -> (loc: Real[1], scale: Positive[1]) = mlp(hidden: [4], activation: softplus)
model {
  z: Real[1] ~ Normal(0, 1)
  x ~ Bernoulli(logits: dec(z, onehot(y)))
}
guide {
  let q = enc(x)
  z ~ Normal(q.loc, q.scale)
}
`;

const cp = () => {
  const r = checkText(PROGRAM, 'two.vae');
  if (!r.checked) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.checked;
};

const csv = (rows: string[]) => ({ name: 'data.csv', bytes: new TextEncoder().encode(['x[0],x[1],y', ...rows].join('\n')) });
const good = (n: number) => Array.from({ length: n }, (_, i) => `${i % 2},1,${i % 3}`);

describe('dropped files', () => {
  it('one CSV file binds every site; 10% held out for validation', async () => {
    const d = await loadData(cp(), { kind: 'files', files: [csv(good(20))] }, () => {});
    expect(d.splits.train.size).toBe(18);
    expect(d.splits.valid.size).toBe(2);
    expect(Array.from(d.splits.train.columns['y']!.data.slice(0, 4))).toEqual([0, 1, 2, 0]);
  });

  it('a bad label names the CSV file line, in the training rows and in the held-out ones', async () => {
    const rows = good(20);
    rows[3] = '1,1,7'; // file line 5 (the header is line 1)
    await expect(loadData(cp(), { kind: 'files', files: [csv(rows)] }, () => {})).rejects.toThrow('line 5 of data.csv has label 7, outside 0..2');
    const late = good(20);
    late[19] = '0,1,9'; // the last row: held out for validation, file line 21
    await expect(loadData(cp(), { kind: 'files', files: [csv(late)] }, () => {})).rejects.toThrow('line 21 of data.csv has label 9, outside 0..2');
  });

  it('a .npy per site, named after it; a non-binary value names the row', async () => {
    const x = new Float32Array(20 * 2);
    x[2 * 17] = -3; // the 18th row: in the validation split, counted from the start of the file (from 1)
    const files = [
      { name: 'x.npy', bytes: encodeNpy({ shape: [20, 2], data: x }) },
      { name: 'y.npy', bytes: encodeNpy({ shape: [20], data: new Int32Array(20) }) },
    ];
    await expect(loadData(cp(), { kind: 'files', files }, () => {})).rejects.toThrow(/x\.npy has values in .*\(row 18 has -3\)/);
  });

  it('a file that names no site, a missing site and a file that is not an array get one message each', async () => {
    const y = { name: 'y.npy', bytes: encodeNpy({ shape: [20], data: new Int32Array(20) }) };
    await expect(loadData(cp(), { kind: 'files', files: [y, { name: 'images.npy', bytes: y.bytes }] }, () => {})).rejects.toThrow("'images.npy' does not name a data site of the program; its data are x, y");
    await expect(loadData(cp(), { kind: 'files', files: [y] }, () => {})).rejects.toThrow('no data bound to `x`');
    await expect(loadData(cp(), { kind: 'files', files: [y, { name: 'x.npy', bytes: new Uint8Array([1, 2, 3, 4, 5, 6]) }] }, () => {})).rejects.toThrow("'x.npy' is neither a .npy nor an IDX file");
  });
});
