/**
 * Golden diagnostic tests (after Gleam's and Elm's): every `diagnostics/*.vae` file is a bad
 * program; its rendered diagnostics (no colour, paths relative to the repository root) must
 * equal `diagnostics/NAME.txt`. Update the expectations with `npx vitest run test/golden -u`,
 * then read every changed .txt: a good message says what was found, what was expected, gives
 * one hint, underlines the right span, and shows a second location where two places disagree.
 *
 * Files in subfolders (e.g. `diagnostics/extends/`) and `*.parent.vae` files are helpers that
 * other cases extend; they are not cases themselves. A case whose lines start with
 * `// --set: FRAGMENT` is checked with those `--set` fragments, in order.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check';
import { renderDiagnostics } from '../../src/dsl/render-diagnostic';
import { caseSets, goldenCases } from './cases';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dir = path.join(here, 'diagnostics');

describe('golden diagnostics', () => {
  it('has at least 60 cases', () => {
    expect(goldenCases().length).toBeGreaterThanOrEqual(60);
  });

  for (const file of goldenCases()) {
    const name = file.replace(/\.vae$/, '');
    it(name, async () => {
      const rel = path.relative(root, path.join(dir, file));
      const sets = caseSets(file);
      const r = checkFile(rel, { cwd: root, sets });
      const text = renderDiagnostics(r.diagnostics, r.sources, { color: false });
      // Every case is a bad program: it must produce at least one diagnostic.
      expect(r.diagnostics.length).toBeGreaterThan(0);
      // The code in the file name is among the reported ones (MULTI-* cases show several).
      const code = /^(VAE\d{3})-/.exec(file)?.[1];
      if (code) expect(r.diagnostics.map((d) => d.code)).toContain(code);
      // No diagnostic is reported twice, and nothing internal leaks into the text.
      const keys = r.diagnostics.map((d) => `${d.code}|${d.primary.span.file}|${d.primary.span.start}|${d.primary.span.end}`);
      expect(new Set(keys).size).toBe(keys.length);
      const messages = r.diagnostics.map((d) => `${d.code}|${d.message}|${d.primary.span.file}`);
      expect(new Set(messages).size).toBe(messages.length);
      expect(text).not.toMatch(/Expecting|-->|<--|undefined|NaN|\[object [A-Z]|TypeError|^\s+at /m);
      await expect(`${text}\n`).toMatchFileSnapshot(`./diagnostics/${name}.txt`);
    });
  }
});
