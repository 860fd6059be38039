/**
 * The golden files cover the catalog: every check-phase code in CODES has at least one golden
 * case whose name starts with the code and whose expected output shows `[CODE]`. Runtime codes
 * (VAE7xx, VAE9xx) are tested where they are raised.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/dsl/diagnostics';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'diagnostics');
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.vae') && !f.endsWith('.parent.vae'));
const checkCodes = Object.entries(CODES)
  .filter(([, info]) => info.phase === 'check')
  .map(([code]) => code);

describe('golden coverage of the diagnostic catalog', () => {
  it('knows the check-phase codes', () => {
    expect(checkCodes.length).toBeGreaterThan(40);
  });

  for (const code of checkCodes) {
    it(`${code} (${CODES[code as keyof typeof CODES].title}) has a golden case`, () => {
      const mine = cases.filter((f) => f.startsWith(`${code}-`));
      expect(mine, `no golden file test/golden/diagnostics/${code}-*.vae`).not.toHaveLength(0);
      const shown = mine.filter((f) => {
        const txt = path.join(dir, f.replace(/\.vae$/, '.txt'));
        return fs.existsSync(txt) && fs.readFileSync(txt, 'utf8').includes(`[${code}]`);
      });
      expect(shown, `no expected output of ${mine.join(', ')} contains [${code}]`).not.toHaveLength(0);
    });
  }

  it('every golden case has its expected output, and every expected output its case', () => {
    const txts = fs.readdirSync(dir).filter((f) => f.endsWith('.txt'));
    expect(txts.map((f) => f.replace(/\.txt$/, '')).sort()).toEqual(cases.map((f) => f.replace(/\.vae$/, '')).sort());
  });
});
