#!/usr/bin/env node
// `npm run build:cli`: the command line as one ES module bundle for fast starts,
// dist/cli-fast/main.js (with lazily loaded chunks beside it). It bundles the packages that
// checking needs (the parser generator chevrotain and its lodash-es, commander, immer, pathe:
// hundreds of small modules that take seconds to load one by one) and leaves every other
// package external: those load only in the commands that need them (tfjs in train, eval, ...).
// bin/vae.js runs `vae check` from this bundle when it is newer than every source file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/cli-fast');
const BUNDLED = /^(chevrotain|lodash-es|commander|immer|pathe|@chevrotain\/[^/]+)(\/|$)/;

const t0 = performance.now();
fs.rmSync(out, { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: { main: path.join(root, 'src/cli/main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Bundled CommonJS packages (commander) require Node built-ins: give each file a require.
  banner: { js: "import { createRequire as __vaeRequire } from 'node:module'; const require = __vaeRequire(import.meta.url);" },
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        // Bare specifiers (packages) stay imports unless checking needs them.
        b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
// The sources `vae check` runs (main.js, its static imports, the check command's chunk and
// theirs): bin/vae.js compares their times with the bundle's, and falls back to the sources when
// one is newer.
const outputs = result.metafile.outputs;
const key = (file) => path.relative(root, path.resolve(root, file));
const byKey = new Map(Object.entries(outputs).map(([k, v]) => [key(k), v]));
const seen = new Set();
const visit = (k, dynamicToo) => {
  if (seen.has(k)) return;
  seen.add(k);
  for (const i of byKey.get(k)?.imports ?? []) {
    if (i.external) continue;
    if (i.kind === 'import-statement' || (dynamicToo && i.kind === 'dynamic-import' && /\/check-[^/]*\.js$/.test(i.path))) visit(key(i.path), false);
  }
};
visit(key(path.join(out, 'main.js')), true);
const inputs = new Set(['package.json']);
for (const k of seen) for (const input of Object.keys(byKey.get(k)?.inputs ?? {})) if (!input.includes('node_modules')) inputs.add(key(input));
fs.writeFileSync(path.join(out, 'inputs.json'), `${JSON.stringify([...inputs].sort(), null, 1)}\n`);
console.log(`dist/cli-fast/: ${fs.readdirSync(out).length} files, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
