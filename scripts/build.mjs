#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds it): the package as ES modules in dist/.
//   dist/index.js    the Node entry (src/index.ts)    dist/browser.js  the browser entry (src/browser.ts)
//   dist/chunk-*.js  code both share                   dist/types/      .d.ts files (tsc)
//   dist/wasm/       the wasm binaries a browser fetches (tfjs-backend-wasm's and src/kernels'),
//                    served at the URL given to initBackend's `assets`
// Packages stay imports (node_modules resolves them). In Node, the shipped files (data/, assets/,
// src/kernels/wasm/) are found from the package root, so dist/ reads the same files as src/.
// Type errors do not stop the build (the JavaScript never depends on them; `npm run typecheck`
// reports them); a missing .d.ts does.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const t0 = performance.now();
const noTypes = process.argv.includes('--no-types');

fs.mkdirSync(dist, { recursive: true });
for (const f of fs.readdirSync(dist, { withFileTypes: true }).filter((e) => e.isFile() && /\.(js|js\.map)$/.test(e.name)).map((e) => e.name)) fs.rmSync(path.join(dist, f));
await build({
  entryPoints: { index: path.join(root, 'src/index.ts'), browser: path.join(root, 'src/browser.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  external: ['node:*'],
  sourcemap: true,
  logLevel: 'warning',
});

const wasmOut = path.join(dist, 'wasm');
fs.rmSync(wasmOut, { recursive: true, force: true });
fs.mkdirSync(wasmOut, { recursive: true });
const tfjsWasm = path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist');
const copied = [];
for (const [dir, re] of [[path.join(root, 'src/kernels/wasm'), /^vk-.*\.wasm$/], [tfjsWasm, /^tfjs-backend-wasm.*\.wasm$/]]) {
  for (const f of fs.readdirSync(dir).filter((n) => re.test(n))) {
    fs.copyFileSync(path.join(dir, f), path.join(wasmOut, f));
    copied.push(f);
  }
}

if (!noTypes) {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n');
    console.warn(`build: tsc reported type errors (declarations written anyway):\n${out.slice(0, 10).join('\n')}${out.length > 10 ? `\n… ${out.length - 10} more lines` : ''}`);
  }
  addDeclarationExtensions(path.join(dist, 'types'));
  for (const d of ['index.d.ts', 'browser.d.ts']) {
    if (!fs.existsSync(path.join(dist, 'types', d))) {
      console.error(`build: dist/types/${d} was not written`);
      process.exit(1);
    }
  }
}
/**
 * The sources import relative modules without an extension (bundler resolution); TypeScript's
 * node16/nodenext resolution needs them in .d.ts files too: './program' becomes './program.js'
 * (or './dsl/index.js' for a folder), so the types resolve under every moduleResolution.
 */
function addDeclarationExtensions(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) {
      addDeclarationExtensions(file);
      continue;
    }
    if (!e.name.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(file, 'utf8');
    const fixed = text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g, (m, pre, q, spec) => {
      if (/\.(js|mjs|cjs|json)$/.test(spec)) return m;
      const base = path.resolve(path.dirname(file), spec);
      if (fs.existsSync(`${base}.d.ts`)) return `${pre}${q}${spec}.js${q}`;
      if (fs.existsSync(path.join(base, 'index.d.ts'))) return `${pre}${q}${spec}/index.js${q}`;
      return m;
    });
    if (fixed !== text) fs.writeFileSync(file, fixed);
  }
}

// Declarations from an earlier build get the extensions too (the rewrite is idempotent).
if (noTypes && fs.existsSync(path.join(dist, 'types'))) addDeclarationExtensions(path.join(dist, 'types'));
const js = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
console.log(`dist/: ${js.length} modules, ${copied.length} wasm binaries${noTypes ? '' : ', types'}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
