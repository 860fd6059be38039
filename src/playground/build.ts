/**
 * Builds the playground's two browser bundles with esbuild, in memory: `app.js` (the page:
 * editor, checker, plan, charts) and `worker.js` (training in a Web Worker, tfjs and the
 * engine). Both bundle the project's own modules from src/, the same compiler and engine as
 * the CLI; `node:fs` becomes a stub (the loader always reads through the playground's
 * `readFile`) and `node:path` the browser-safe `pathe`.
 *
 * The bundles are cached in the system's temporary directory (one cache per checkout), with the
 * list of their inputs: a later start reuses them while no input is newer, so the page comes
 * up at once; any edit under src/ (or an upgraded package) rebuilds.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { UserError } from '../core/errors';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The bundles by URL path (`/app.js`, `/worker.js`, with their source maps). */
export type Bundles = Map<string, Uint8Array>;

/**
 * Node built-ins in the browser: `node:fs` a stub that fails like a missing file, `node:path`
 * the browser-safe pathe, and any other `node:` module an empty stub. Only code paths that the
 * playground never takes use them (file reading, checkpoints, Node's worker threads); the
 * modules that hold them are still imported for their browser-safe neighbours.
 */
const browserShims: Plugin = {
  name: 'vae-browser-shims',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: path.join(here, 'shims/fs.ts') }));
    b.onResolve({ filter: /^(node:)?path$/ }, (args) => b.resolve('pathe', { resolveDir: here, kind: args.kind }));
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const root = path.resolve(here, '../..');
const cacheDir = path.join(os.tmpdir(), `vaelang-playground-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);

/** The cached bundles when every input is older than them, else undefined. */
function cached(): Bundles | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(cacheDir, 'inputs.json'), 'utf8')) as { files: string[]; built: number };
    if (!meta.files.every((f) => fs.statSync(path.resolve(root, f)).mtimeMs <= meta.built)) return undefined;
    const out: Bundles = new Map();
    for (const f of fs.readdirSync(cacheDir).filter((f) => f.endsWith('.js') || f.endsWith('.map'))) out.set(`/${f}`, fs.readFileSync(path.join(cacheDir, f)));
    return out.has('/app.js') && out.has('/worker.js') ? out : undefined;
  } catch {
    return undefined;
  }
}

function store(bundles: Bundles, inputs: string[], built: number): void {
  try {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const [name, bytes] of bundles) fs.writeFileSync(path.join(cacheDir, name.slice(1)), bytes);
    fs.writeFileSync(path.join(cacheDir, 'inputs.json'), JSON.stringify({ built, files: inputs }));
  } catch {
    // A cache that cannot be written only costs a rebuild next time.
  }
}

/** The bundles, from the cache when it is up to date (see the module comment); `fresh` always rebuilds. */
export async function playgroundBundles(opts: { fresh?: boolean } = {}): Promise<{ bundles: Bundles; cached: boolean }> {
  const hit = opts.fresh ? undefined : cached();
  if (hit) return { bundles: hit, cached: true };
  const started = Date.now();
  const { bundles, inputs } = await buildWithInputs();
  store(bundles, inputs, started);
  return { bundles, cached: false };
}

async function buildWithInputs(opts: { minify?: boolean } = {}): Promise<{ bundles: Bundles; inputs: string[] }> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new UserError('the playground needs esbuild to build its page, and it is not installed', 'run `npm install` in the vaelang checkout (esbuild is a development dependency)');
  }
  const result = await esbuild.build({
    entryPoints: { app: path.join(here, 'app/main.ts'), worker: path.join(here, 'worker/main.ts') },
    bundle: true,
    write: false,
    outdir: '/',
    format: 'esm',
    platform: 'browser',
    target: 'chrome114',
    sourcemap: 'linked',
    minify: opts.minify ?? true,
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: root,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [browserShims],
  });
  const out: Bundles = new Map();
  for (const f of result.outputFiles) out.set(`/${path.basename(f.path)}`, f.contents);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':'));
  return { bundles: out, inputs };
}
