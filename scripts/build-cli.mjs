#!/usr/bin/env node
// `npm run build:cli`: `vae check` as one minified CommonJS file for fast starts (an editor's
// lint-on-save), dist/cli-fast/check.cjs, with a V8 code cache beside it (check.cache).
//   - The file holds the command line (src/cli/main.ts) with the checker and the planner, and
//     every package they need (chevrotain and its lodash-es, commander, immer: hundreds of small
//     modules that take seconds to load one by one). It holds no tfjs: the other commands'
//     modules (train, eval, the backend, ...) are left out, and importing one of them from this
//     file throws. bin/vae.js runs this file for `vae check` only, where commander routes to the
//     check command and none of them runs.
//   - bin/vae.js compiles it with node:vm and the code cache (the bytecode of every function a
//     check ran, so Node neither parses nor compiles them again); it writes the cache again when
//     V8 rejects it (another Node version). The build makes it by checking models/vae.vae once.
//   - inputs.json lists the sources the file holds: bin/vae.js runs the sources instead when one
//     of them is newer than the file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/cli-fast');
const file = path.join(out, 'check.cjs');
/** The only module main.ts imports lazily that `vae check` runs. */
const CHECK_COMMAND = './check';

const t0 = performance.now();
fs.rmSync(out, { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile: file,
  bundle: true,
  minify: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  plugins: [
    {
      name: 'check-only',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'dynamic-import' && args.path !== CHECK_COMMAND) return { path: args.path, namespace: 'not-bundled' };
          if (/^@tensorflow\//.test(args.path)) return { errors: [{ text: `${args.path} reached from ${path.relative(root, args.importer)}: the check bundle must not load tfjs` }] };
          return undefined;
        });
        // commander loads node:child_process (and with it net, dgram, ...) for subcommands that
        // are executables, which vae has none of: load it when first used.
        b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
          contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };",
          loader: 'js',
          resolveDir: root,
        }));
        b.onLoad({ filter: /.*/, namespace: 'not-bundled' }, (args) => ({
          contents: `throw new Error(${JSON.stringify(`${args.path} is not in the check bundle (dist/cli-fast/check.cjs runs vae check only)`)});`,
          loader: 'js',
        }));
      },
    },
  ],
});
const inputs = new Set(['package.json']);
for (const input of Object.keys(result.metafile.inputs)) if (!input.includes('node_modules') && !/^[a-z-]+:/.test(input)) inputs.add(path.relative(root, path.resolve(root, input)));
fs.writeFileSync(path.join(out, 'inputs.json'), `${JSON.stringify([...inputs].sort(), null, 1)}\n`);
// The code cache: bin/vae.js writes it after a check when there is none.
const env = { ...process.env };
delete env['VAE_NO_BUNDLE'];
execFileSync(process.execPath, [path.join(root, 'bin/vae.js'), 'check', path.join(root, 'models/vae.vae')], { cwd: root, stdio: 'ignore', env });
const kb = (f) => `${Math.round(fs.statSync(path.join(out, f)).size / 1024)} kB`;
console.log(`dist/cli-fast/: check.cjs ${kb('check.cjs')}, check.cache ${fs.existsSync(path.join(out, 'check.cache')) ? kb('check.cache') : 'missing'}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
