/**
 * models/vae.vae training speed in headless Chromium (the playground's worker, on wasm and on
 * WebGL) next to Node's (the same engine on tfjs-backend-wasm), batch 100, bundled binarized
 * MNIST. Rounds alternate Node, browser wasm, browser WebGL, so the machine's load affects each
 * alike; each figure is the median over the rounds.
 *
 *   node --import tsx bench/playground-browser.ts [rounds=3] [steps=80] [backends=wasm,webgl]
 *
 * Browser figures come from the page's own step records: the wall-clock seconds of the steps
 * after the first 20 (read-backs included: the worker reads statistics every 10 steps), so a
 * GPU backend's asynchronous work is counted. Node's: timeSteps over the same number of steps.
 * Writes bench/results/playground-browser.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { chromium } from 'playwright-core';
import { initBackend, backendName } from '../src/backend';
import { playgroundBundles } from '../src/playground/build';
import { startServer } from '../src/playground/server';
import { makeTrainer, timeSteps } from './cases/common';

const rounds = Number(process.argv[2] ?? 3);
const steps = Number(process.argv[3] ?? 80);
const backends = (process.argv[4] ?? 'wasm,webgl').split(',');
const WARM = 20;
const BATCH = 100;

await initBackend('wasm');
const { bundles } = await playgroundBundles();
const server = await startServer(bundles, { port: 0 });
const browser = await chromium.launch({ executablePath: process.env['VAE_CHROMIUM'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
const version = browser.version();

async function inBrowser(backend: string): Promise<{ exPerSec: number; detail: string } | null> {
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.locator('#plan-table').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.getElementById('backend-name')?.dataset['backend'] !== undefined, null, { timeout: 60_000 });
    const options = await page.locator('#backend option').allTextContents();
    if (!options.includes(backend)) return null;
    await page.selectOption('#backend', backend);
    await page.waitForFunction((b) => document.getElementById('backend-name')?.dataset['backend'] === b, backend, { timeout: 60_000 });
    const detail = ((await page.locator('#backend-name').textContent()) ?? '').replace(/^in use: /, '');
    await page.fill('#limit', '5000');
    await page.fill('#steps', String(steps));
    await page.click('#train');
    await page.waitForFunction((n) => document.getElementById('status')?.dataset['stopped'] === String(n), steps, { timeout: 600_000 });
    const secs = await page.evaluate(() => (window as unknown as { vaePlayground: { records: { kind: string; seconds: number }[] } }).vaePlayground.records.filter((r) => r.kind === 'step').map((r) => r.seconds));
    const timed = secs.slice(WARM);
    return { exPerSec: (timed.length * BATCH) / timed.reduce((a, b) => a + b, 0), detail };
  } finally {
    await page.close();
  }
}

function inNode(): number {
  const { trainer, prog } = makeTrainer('models/vae.vae', { batch: BATCH });
  timeSteps(trainer, WARM, 1);
  const ms = timeSteps(trainer, steps - WARM, 2);
  trainer.dispose();
  prog.dispose();
  return (1000 * BATCH) / ms;
}

const runs: Record<string, number[]> = Object.fromEntries([['node', []], ...backends.map((b) => [b, []])]);
const details: Record<string, string> = { node: backendName() };
for (let r = 0; r < rounds; r++) {
  runs['node']!.push(inNode());
  for (const b of backends) {
    const res = await inBrowser(b);
    if (res) {
      runs[b]!.push(res.exPerSec);
      details[b] = res.detail;
    }
  }
  process.stderr.write(`round ${r + 1}: ${Object.entries(runs).map(([k, v]) => `${k} ${v.at(-1)?.toFixed(0) ?? '-'}`).join(', ')} ex/s\n`);
}
await browser.close();
await server.close();

const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1]! : NaN);
const result = {
  case: 'playground-browser',
  model: 'models/vae.vae',
  batch: BATCH,
  steps,
  warmup: WARM,
  chromium: version,
  load: os.loadavg(),
  date: new Date().toISOString(),
  rows: Object.entries(runs).map(([k, v]) => ({
    where: k === 'node' ? 'Node' : `Chromium ${k}`,
    backend: details[k] ?? 'not available',
    examplesPerSec: median(v),
    runs: v,
    // Per round, against the Node run just before it (back to back), then the median.
    ratioToNode: median(v.map((x, i) => x / runs['node']![i]!)),
  })),
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/playground-browser.json', `${JSON.stringify(result, null, 2)}\n`);
for (const row of result.rows) console.log(`${row.where.padEnd(16)} ${row.backend.padEnd(40)} ${row.examplesPerSec.toFixed(0).padStart(6)} ex/s  (${row.runs.map((v) => v.toFixed(0)).join(', ')})  ${row.ratioToNode.toFixed(2)}x Node`);
