#!/usr/bin/env node
// The `vae` command. `vae check` runs from the bundle `npm run build:cli` writes
// (dist/cli-fast/main.js) when it is newer than every source file: it loads in a fraction of a
// second, without tensors, for editors' lint-on-save. Otherwise, and for every other command,
// the TypeScript sources run through tsx, which compiles them on load (cached), so the command
// always runs the code in src/ without a separate build step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

/**
 * The fast bundle, if `vae check` may use it: built, and newer than each source it holds (the
 * build lists them in inputs.json; a source that is gone means a stale bundle too).
 */
function fastEntry() {
  if (argv[0] !== 'check' || process.env['VAE_NO_BUNDLE']) return undefined;
  const dir = path.join(root, 'dist/cli-fast');
  try {
    const built = fs.statSync(path.join(dir, 'main.js')).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'));
    return inputs.every((f) => fs.statSync(path.join(root, f)).mtimeMs <= built) ? path.join(dir, 'main.js') : undefined;
  } catch {
    return undefined;
  }
}

const fast = fastEntry();
if (process.env['VAE_SHOW_ENTRY']) process.stderr.write(`entry: ${fast ? 'bundle' : 'sources'}\n`);
let main;
if (fast) {
  ({ main } = await import(fast));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(argv);
