/**
 * Golden tests of diagnostics as data: for every golden case (`diagnostics/*.vae`), the `data`
 * of each diagnostic that carries it, with its code, message and hint, must equal
 * `problems/NAME.json` (update with `npx vitest run test/golden/problems -u`, then read the
 * changes). In a converted range (CONVERTED) every diagnostic carries data and its message and
 * hint are what the range's renderer makes of that data, so text and data cannot drift apart;
 * every kind of a covered range (COVERED) shows up in some golden case.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, checkText } from '../../src/check';
import type { Diagnostic } from '../../src/dsl/diagnostics';
import { RANGE_KINDS, renderProblem } from '../../src/dsl/problems/index';
import { caseSets, goldenCases, goldenDir } from './cases';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** Codes (or code prefixes) whose every diagnostic is built from its data by the range renderer. */
const CONVERTED = ['VAE1', 'VAE2', 'VAE3', 'VAE4', 'VAE601', 'VAE602', 'VAE603', 'VAE604', 'VAE605', 'VAE606', 'VAE607', 'VAE608', 'VAE609', 'VAE610', 'VAE611', 'VAE501', 'VAE502', 'VAE503', 'VAE504', 'VAE505', 'VAE506', 'VAE507', 'VAE704'];
/** Ranges (problems/<range>.ts) whose every kind has a golden case. */
const COVERED = ['syntax', 'names', 'model-guide'];

/** JSON with two-space indents, arrays of plain values on one line. */
function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, items: string) => `[${items.split(/,\s*\n\s*/).join(', ')}]`);
}

const kindsSeen = new Set<string>();

/**
 * Cases too long for a golden .txt, as generated source: only the diagnostics of the code in
 * the name are kept.
 */
const INLINE: Record<string, string> = {
  'VAE104-too-many-errors': '#\n'.repeat(101),
};

async function expectGolden(name: string, ds: readonly Diagnostic[]): Promise<void> {
  for (const d of ds) {
    if (!CONVERTED.some((c) => d.code.startsWith(c))) continue;
    expect(d.data, `${d.code} ${d.message}`).toBeDefined();
    if (d.data) expect({ message: d.message, ...(d.hint !== undefined ? { hint: d.hint } : {}) }).toEqual(renderProblem(d.data));
  }
  const shown = ds.filter((d) => d.data).map((d) => ({ code: d.code, data: d.data, message: d.message, hint: d.hint ?? null }));
  for (const d of shown) kindsSeen.add(d.data!.kind);
  const golden = `./problems/${name}.json`;
  if (shown.length > 0) await expect(`${formatJson(shown)}\n`).toMatchFileSnapshot(golden);
  else expect(fs.existsSync(path.join(here, golden)), `${golden} is stale: the case carries no data`).toBe(false);
}

describe('problems as data', () => {
  it('no kind is in two ranges', () => {
    const all = Object.values(RANGE_KINDS).flatMap((k) => Object.keys(k));
    expect(all.length).toBe(new Set(all).size);
  });

  for (const file of goldenCases()) {
    const name = file.replace(/\.vae$/, '');
    it(name, async () => {
      const rel = path.relative(root, path.join(goldenDir, file));
      const r = checkFile(rel, { cwd: root, sets: caseSets(file) });
      await expectGolden(name, r.diagnostics);
    });
  }

  for (const [name, source] of Object.entries(INLINE)) {
    it(name, async () => {
      const r = checkText(source, `${name}.vae`);
      await expectGolden(name, r.diagnostics.filter((d) => name.startsWith(`${d.code}-`)));
    });
  }

  // After the cases above: a file's tests run in order.
  for (const range of COVERED) {
    it(`every kind of ${range} has a golden case`, () => {
      expect(Object.keys(RANGE_KINDS[range]!).filter((k) => !kindsSeen.has(k))).toEqual([]);
    });
  }
});
