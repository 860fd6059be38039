#!/usr/bin/env node
// The `vae` command. `vae check` runs from the file `npm run build:cli` writes
// (dist/cli-fast/check.cjs) when it is newer than every source file it holds: it starts in about
// a tenth of a second over Node's own start, without tensors, for editors' lint-on-save.
// Otherwise, and for every other command, the TypeScript sources run through tsx, which compiles
// them on load (cached), so the command always runs the code in src/ without a separate build step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

/**
 * The check bundle, if `vae check` may use it: built, and newer than each source it holds (the
 * build lists them in inputs.json; a source that is gone means a stale bundle too).
 */
function fastEntry() {
  if (argv[0] !== 'check' || process.env['VAE_NO_BUNDLE']) return undefined;
  const dir = path.join(root, 'dist/cli-fast');
  try {
    const built = fs.statSync(path.join(dir, 'check.cjs')).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'));
    return inputs.every((f) => fs.statSync(path.join(root, f)).mtimeMs <= built) ? path.join(dir, 'check.cjs') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CommonJS bundle `file` through node:vm with the V8 code cache beside it (check.cache:
 * the bytecode of the functions a check runs, so they are neither parsed nor compiled again).
 * Without a cache, or with one V8 rejects (another Node version), the file compiles as usual
 * and a fresh cache is written after the command (best effort: a read-only install just stays
 * without one).
 */
async function runBundle(file) {
  const [{ createRequire }, v8, vm] = await Promise.all([import('node:module'), import('node:v8'), import('node:vm')]);
  // V8 optimizes a function once it has run a while (its interrupt budget, 66 kB of bytecode by
  // default); a check is over after a few of those, so optimizing was wasted work (about a
  // tenth of a check's CPU time). A budget 60 times larger keeps long checks (a megabyte of
  // source) as fast as before. The code cache below is made under the same flag.
  v8.setFlagsFromString('--interrupt-budget=4000000');
  const cacheFile = file.replace(/\.cjs$/, '.cache');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  // The CommonJS wrapper, on the file's first line so that its line numbers stay.
  const source = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  const code = await module.exports.main(argv);
  if (!cachedData || script.cachedDataRejected) {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {}
  }
  return code;
}

const fast = fastEntry();
if (process.env['VAE_SHOW_ENTRY']) process.stderr.write(`entry: ${fast ? 'bundle' : 'sources'}\n`);
if (fast) {
  process.exitCode = await runBundle(fast);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
