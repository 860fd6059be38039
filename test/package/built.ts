// dist/ for the tests that use the built package (test/package): built when it is missing or
// older than a source (the JavaScript only, ~5 s, when the .d.ts files exist already).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** The newest modification time under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const built = (f: string) => (fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0);
  const fresh = Math.min(built('dist/index.js'), built('dist/browser.js')) > newest(path.join(root, 'src'));
  const types = fs.existsSync(path.join(root, 'dist/types/index.d.ts'));
  if (fresh && types) return;
  execFileSync(process.execPath, ['scripts/build.mjs', ...(types ? ['--no-types'] : [])], { cwd: root, stdio: 'pipe' });
}
