/**
 * Golden tests of diagnostics as data: for every golden case (`diagnostics/*.vae`), the `data`
 * of each diagnostic that carries it, with its code, message and hint, must equal
 * `problems/NAME.json` (update with `npx vitest run test/golden/problems -u`, then read the
 * changes). Every diagnostic's message and hint must be what the range renderer makes of its
 * data, so the text and the data cannot drift apart. Codes in a converted range (CONVERTED)
 * must always carry data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check';
import { RANGE_KINDS, renderProblem } from '../../src/dsl/problems/index';
import { caseSets, goldenCases } from './cases';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dir = path.join(here, 'diagnostics');

/** Codes (or code prefixes) whose every diagnostic is built from its data by the range renderer. */
const CONVERTED = ['VAE209'];

describe('problems as data', () => {
  it('no kind is in two ranges', () => {
    const all = Object.values(RANGE_KINDS).flatMap((k) => Object.keys(k));
    expect(all.length).toBe(new Set(all).size);
  });

  for (const file of goldenCases()) {
    const name = file.replace(/\.vae$/, '');
    it(name, async () => {
      const rel = path.relative(root, path.join(dir, file));
      const sets = caseSets(file);
      const r = checkFile(rel, { cwd: root, sets });
      for (const d of r.diagnostics) {
        if (!CONVERTED.some((c) => d.code.startsWith(c))) continue;
        expect(d.data, `${d.code} ${d.message}`).toBeDefined();
        if (d.data) expect({ message: d.message, ...(d.hint !== undefined ? { hint: d.hint } : {}) }).toEqual(renderProblem(d.data));
      }
      const shown = r.diagnostics.filter((d) => d.data).map((d) => ({ code: d.code, data: d.data, message: d.message, hint: d.hint ?? null }));
      const golden = `./problems/${name}.json`;
      if (shown.length > 0) await expect(`${JSON.stringify(shown, null, 2)}\n`).toMatchFileSnapshot(golden);
      else expect(fs.existsSync(path.join(here, golden)), `${golden} is stale: the case carries no data`).toBe(false);
    });
  }
});
