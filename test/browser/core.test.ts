// The library's core in a real browser: the browser entry bundled with esbuild
// (--platform=browser), served over HTTP with the wasm binaries, run in headless Debian chromium
// (playwright-core with executablePath; .ci/run installs the `chromium` package when it is
// missing): check() reports a VAE code on the right line, the plan comes back, and a few
// training steps on the wasm backend (vaelang's fused kernels loaded from the served files)
// raise the ELBO; an AbortSignal stops training after epoch 3 of 4; the weights saved to
// IndexedDB load into a program with other initial values and give the same ELBO.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env['VAE_CHROMIUM'] ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/browser skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaelang-browser-'));
let server: http.Server | undefined;
let origin = '';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

beforeAll(async () => {
  if (!haveChromium) return;
  const r = await build({ entryPoints: [path.join(import.meta.dirname, 'core-page.ts')], bundle: true, platform: 'browser', format: 'esm', outfile: path.join(dir, 'page.js'), logLevel: 'silent', metafile: true });
  expect(r.errors).toEqual([]);
  fs.mkdirSync(path.join(dir, 'wasm'));
  const tfjsWasm = path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist');
  for (const [from, re] of [[path.join(root, 'src/kernels/wasm'), /^vk-.*\.wasm$/], [tfjsWasm, /^tfjs-backend-wasm.*\.wasm$/]] as const) {
    for (const f of fs.readdirSync(from).filter((n) => re.test(n))) fs.copyFileSync(path.join(from, f), path.join(dir, 'wasm', f));
  }
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>\n');
  server = http.createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/$/, '/index.html'));
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveChromium)('the browser entry in headless chromium', () => {
  it('checks, plans and trains on wasm with the fused kernels; stops on an AbortSignal; weights round-trip through IndexedDB', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/index.html`);
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 90_000 });
      const r = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as {
        error?: string; bad: { code: string; line: number; column: number }[]; plan: [string, string][]; backend: string; name: string;
        steps: number; stopped: string; elbos: number[]; history: { epoch: number; validElbo: number }[]; weights: { original: number; before: number; after: number }; nodeGlobals: string[];
      };
      expect(r.error).toBeUndefined();
      expect(errors).toEqual([]);
      expect(r.nodeGlobals).toEqual(['undefined', 'undefined']);
      expect(r.bad).toEqual([{ code: 'VAE306', line: 5, column: 26 }]);
      expect(r.plan).toEqual([['z', 'reparam']]);
      expect(r.backend).toBe('wasm');
      expect(r.name).toMatch(/^wasm, fused kernels: /);
      // 10 steps per epoch; the signal fired after epoch 3 of 4.
      expect([r.steps, r.stopped, r.elbos.length, r.history.length]).toEqual([30, 'aborted', 30, 3]);
      expect(r.elbos.every(Number.isFinite)).toBe(true);
      // The per-step ELBO rises: mean of the last 5 steps above the first 5 (seeded run; measured
      // -3.1 -> -2.4 in Node on the same program and seed).
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      expect(mean(r.elbos.slice(-5))).toBeGreaterThan(mean(r.elbos.slice(0, 5)) + 0.3);
      // The trained weights, saved to IndexedDB and loaded into a program initialized otherwise, give the same ELBO (same seed).
      expect(r.weights.after).toBe(r.weights.original);
      expect(r.weights.before).not.toBe(r.weights.original);
    } finally {
      await browser.close();
    }
  }, 150_000);
});
