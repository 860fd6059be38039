// docs/api.md runs: every ```js block followed by a ```text block is run with plain Node against
// the built package (`import … from 'vaelang'` resolves to dist/ through the package's own
// exports), and prints exactly the text block. Blocks tagged ```js browser are not run here
// (test/browser runs the browser entry in chromium).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './built';

const doc = fs.readFileSync(path.join(root, 'docs/api.md'), 'utf8');
const examples = [...doc.matchAll(/```js\n([\s\S]*?)```\n+```text\n([\s\S]*?)```/g)].map((m, i) => ({ i, code: m[1]!, output: m[2]! }));
// Inside the repository (a folder that is ignored), so that 'vaelang' resolves to this package.
const dir = path.join(root, '.vae-cache', 'api-docs');

beforeAll(() => {
  ensureBuilt();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}, 240_000);

describe('docs/api.md', () => {
  it('has runnable examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  for (const ex of examples) {
    it(`example ${ex.i + 1} prints what the doc shows`, () => {
      const file = path.join(dir, `example-${ex.i + 1}.mjs`);
      fs.writeFileSync(file, ex.code);
      const env = { ...process.env };
      delete env['NODE_OPTIONS'];
      const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toBe(ex.output);
    }, 120_000);
  }
});
