// The package as a user gets it: `npm pack`, installed into an empty project, imported from plain
// Node (no tsx) and bundled for a browser with esbuild (--platform=browser, no Node built-ins).
//
// The install: the packed tarball is unpacked into the empty project's node_modules/vaelang
// (the files `npm install vaelang-x.tgz` puts there), and each of its dependencies is linked
// to this repository's installed copy. A real `npm install --offline` of the tarball cannot run
// here: npm's cache holds the tarballs `npm ci` fetched by their locked URLs but not the
// registry's package documents, so an offline install fails with ENOTCACHED (and an online
// one would make the test depend on the network).
import { execFileSync } from 'node:child_process';
import { ensureBuilt, root } from './built';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaelang-pack-'));
const proj = path.join(tmp, 'project');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

beforeAll(() => {
  ensureBuilt();
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = path.join(tmp, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  const dest = path.join(proj, 'node_modules/vaelang');
  fs.mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1']);
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = path.join(proj, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', dep), link, 'dir');
  }
  fs.writeFileSync(path.join(proj, 'package.json'), '{ "name": "empty", "version": "1.0.0", "type": "module", "private": true }\n');
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const GOOD = `data x: Binary[4]
net dec: Real[2] -> Real[4] = linear()
net enc: Real[4] -> (loc: Real[2], scale: Positive[2]) = linear()
model {
  z: Real[2] ~ Normal(0, 1)
  x ~ Bernoulli(logits: dec(z))
}
guide {
  let q = enc(x)
  z ~ Normal(q.loc, q.scale)
}
`;

describe('the packed package', () => {
  it('ships the built entries, their types and the wasm binaries', () => {
    const dir = path.join(proj, 'node_modules/vaelang');
    for (const f of ['dist/index.js', 'dist/browser.js', 'dist/types/index.d.ts', 'dist/types/browser.d.ts', 'dist/wasm/vk-simd.wasm', 'dist/wasm/tfjs-backend-wasm-simd.wasm', 'src/kernels/wasm/vk-simd.wasm', 'bin/vae.js']) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
  });

  it('types resolve under node16/nodenext too: every relative import in the .d.ts files names its .js file', () => {
    const dir = path.join(proj, 'node_modules/vaelang/dist/types');
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(50);
    const bare = files.flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)].map((m) => m[1]!).filter((spec) => !spec.endsWith('.js')).map((spec) => `${f}: ${spec}`));
    expect(bare).toEqual([]);
  });

  it('imports in plain Node 20 (no tsx): check, compile, an ELBO and 3 training steps on the wasm backend with the fused kernels', () => {
    fs.writeFileSync(
      path.join(proj, 'main.mjs'),
      [
        "import * as tf from '@tensorflow/tfjs';",
        "import { check, compile, elbo, initBackend, backendName, train } from 'vaelang';",
        `const good = ${JSON.stringify(GOOD)};`,
        "const bad = check(good.replace('Normal(0, 1)', 'Normal(0, -1)'));",
        'const r = check(good);',
        "await initBackend('wasm');",
        'const prog = compile(good, { seed: 1 });',
        'const x = tf.tensor2d([[0, 1, 1, 0], [1, 1, 0, 0]]);',
        'const e = elbo(prog, prog.batch({ x }), { seed: 3 });',
        'const run = await train(prog, { train: { x: [[0, 1, 1, 0], [1, 1, 0, 0]] } }, { steps: 3, batch: 2 });',
        'run.dispose();',
        "console.log(JSON.stringify({ ok: r.ok, plan: r.plan, bad: bad.diagnostics.map((d) => [d.code, d.line, d.column]), elbo: e.mean, steps: run.step, backend: backendName(), tsx: Object.keys(process).length > 0 && process.execArgv.join(' ') }));",
      ].join('\n'),
    );
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const out = execFileSync(process.execPath, ['main.mjs'], { cwd: proj, encoding: 'utf8', env });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ok: boolean; plan: { objective: string; sites: { site: string; estimator: string }[] }; bad: [string, number, number][]; elbo: number; steps: number; backend: string; tsx: string };
    expect(r.ok).toBe(true);
    expect(r.plan.objective).toBe('elbo');
    expect(r.plan.sites.map((s) => [s.site, s.estimator])).toEqual([['z', 'reparam']]);
    expect(r.bad[0]?.[0]).toMatch(/^VAE3/);
    expect(r.bad[0]?.[1]).toBe(5);
    expect(Number.isFinite(r.elbo) && r.elbo < 0).toBe(true);
    expect(r.steps).toBe(3);
    expect(r.backend).toMatch(/^wasm, fused kernels/);
    expect(r.tsx).toBe('');
  }, 120_000);

  it("runs the installed `vae` command (bin/vae.js, the sources through tsx)", () => {
    fs.writeFileSync(path.join(proj, 'toy.vae'), GOOD);
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const out = execFileSync(process.execPath, ['node_modules/vaelang/bin/vae.js', 'check', 'toy.vae'], { cwd: proj, encoding: 'utf8', env });
    expect(out).toMatch(/^toy\.vae: ok \(2 model sites, 1 latent\)\nestimator plan \(objective: elbo\):/);
  }, 120_000);

  it('bundles the browser entry with esbuild --platform=browser: no Node built-in, no Node-only package', async () => {
    fs.writeFileSync(path.join(proj, 'page.mjs'), "import { check, compile, initBackend } from 'vaelang';\nglobalThis.vae = { check, compile, initBackend };\n");
    const r = await build({ entryPoints: [path.join(proj, 'page.mjs')], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent', absWorkingDir: proj, preserveSymlinks: false });
    expect(r.errors).toEqual([]);
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.includes('vaelang/dist/browser.js'))).toBe(true);
    expect(inputs.filter((f) => /vaelang\/dist\/index\.js|node_modules\/(pngjs|cli-progress|@resvg|tsx|commander)\//.test(f))).toEqual([]);
    // Nothing left outside the bundle (a Node built-in would be an error or an external import).
    expect(Object.values(r.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.external)).toEqual([]);
  }, 120_000);
});
