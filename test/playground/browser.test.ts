// The playground in a real browser (Debian's chromium, driven by playwright-core): the page
// loads; a program with an error shows the marker on the right line with its VAE code; fixing
// it shows the plan; 100 training steps on wasm raise the ELBO and draw the curve; the sample
// grid is not blank; a bad data file gets the CLI's message with the file and the row; a shared
// URL round-trips. Screenshots go to test-artifacts/playground/ (the README's comes from there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy';
import { playgroundBundles } from '../../src/playground/build';
import { startServer, type PlaygroundServer } from '../../src/playground/server';

const CHROMIUM = process.env['VAE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/playground');

let server: PlaygroundServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The editor's text, set and read through the CodeMirror view the page exposes. */
const setProgram = (p: Page, text: string) =>
  p.evaluate((t) => {
    const v = (window as unknown as { vaeEditor: { state: { doc: { length: number } }; dispatch(x: unknown): void } }).vaeEditor;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: t } });
  }, text);
const getProgram = (p: Page) => p.evaluate(() => (window as unknown as { vaeEditor: { state: { doc: { toString(): string } } } }).vaeEditor.state.doc.toString());

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set VAE_CHROMIUM)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const { bundles } = await playgroundBundles();
  server = await startServer(bundles, { port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the playground in chromium', () => {
  it('loads: the zoo, the backend and the plan of models/vae.vae', async () => {
    await page.locator('#plan-table').waitFor({ timeout: 30_000 });
    expect(await page.locator('#plan-table tbody tr').count()).toBe(1);
    expect(await page.locator('#plan-table').textContent()).toContain('reparam');
    expect(await page.locator('#examples option').allTextContents()).toContain('m2.vae');
    await page.waitForFunction(() => document.getElementById('backend-name')?.dataset['backend'] !== undefined, null, { timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  });

  it('marks an error on its line with its VAE code and hint; fixing it brings the plan back', async () => {
    const good = await getProgram(page);
    const lines = good.split('\n');
    const at = lines.findIndex((l) => l.includes('z ~ Normal(q.loc, q.scale)'));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace('q.scale', 'q.scal');
    await setProgram(page, lines.join('\n'));
    const mark = page.locator('.cm-lintRange-error');
    await mark.first().waitFor({ timeout: 20_000 });
    // The marked span's line, as CodeMirror sees it.
    const line = await page.evaluate(() => {
      const v = (window as unknown as { vaeEditor: { posAtDOM(n: Node): number; state: { doc: { lineAt(p: number): { number: number } } } } }).vaeEditor;
      return v.state.doc.lineAt(v.posAtDOM(document.querySelector('.cm-lintRange-error')!)).number;
    });
    expect(line).toBe(at + 1);
    const diag = page.locator('#diagnostics .error').first();
    expect(await diag.getAttribute('data-line')).toBe(String(at + 1));
    const text = (await diag.textContent()) ?? '';
    expect(text).toMatch(/error\[VAE206\]/);
    expect(text).toContain('scal');
    expect(text).toContain('hint');
    expect(await page.locator('#plan').textContent()).toContain('no plan');
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostic.png') });

    await setProgram(page, good);
    await page.locator('#plan-table').waitFor({ timeout: 20_000 });
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    expect(await page.locator('#diagnostics .error').count()).toBe(0);
  });

  it('trains 100 steps on wasm: the ELBO rises, the curve is drawn, the samples are not blank', async () => {
    await page.selectOption('#backend', 'wasm');
    await page.waitForFunction(() => document.getElementById('backend-name')?.dataset['backend'] === 'wasm', null, { timeout: 30_000 });
    await page.fill('#limit', '2000');
    await page.fill('#steps', '100');
    await page.click('#train');
    await page.waitForFunction(() => document.getElementById('status')?.dataset['stopped'] === '100', null, { timeout: 120_000 });
    expect(await page.locator('#train-error').textContent()).toBe('');
    const elbos = await page.evaluate(() => (window as unknown as { vaePlayground: { records: { kind: string; elbo: number }[] } }).vaePlayground.records.filter((r) => r.kind === 'step').map((r) => r.elbo));
    expect(elbos.length).toBe(100);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    fs.writeFileSync(path.join(ARTIFACTS, 'elbos.json'), JSON.stringify(elbos));
    // A fresh vae.vae starts near −543 nats (784 · log 2); 100 Adam steps at lr 1e-3 reach about
    // −200. The rise is far larger than the step-to-step spread of a minibatch ELBO (a few nats).
    expect(elbos[0]).toBeLessThan(-500);
    expect(mean(elbos.slice(-10)) - elbos[0]!).toBeGreaterThan(250);
    expect(mean(elbos.slice(-10)) - mean(elbos.slice(10, 20))).toBeGreaterThan(20);
    // The curve: Vega's line marks with a long path.
    await page.waitForFunction(() => (document.querySelector('#curves svg .mark-line path')?.getAttribute('d') ?? '').length > 200, null, { timeout: 20_000 });
    const rate = Number(await page.locator('#status').getAttribute('data-rate'));
    expect(rate).toBeGreaterThan(0);

    await page.click('#samples');
    await page.waitForFunction(() => (document.getElementById('prior') as HTMLCanvasElement).width > 0, null, { timeout: 60_000 });
    const stats = await page.evaluate(() => {
      const c = document.getElementById('prior') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      let sum = 0;
      let sum2 = 0;
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const g = d[i]!;
        if (g < 128) dark++;
        sum += g;
        sum2 += g * g;
      }
      return { dark: dark / n, sd: Math.sqrt(sum2 / n - (sum / n) ** 2) };
    });
    // Digits: some dark strokes on a light background, neither blank nor uniform.
    expect(stats.dark).toBeGreaterThan(0.01);
    expect(stats.dark).toBeLessThan(0.7);
    expect(stats.sd).toBeGreaterThan(20);
    expect(await page.locator('#recon').evaluate((c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(0);
    await page.fill('#iwae-k', '10');
    await page.click('#evaluate');
    await page.locator('#eval-table').waitFor({ timeout: 60_000 });
    const ev = await page.evaluate(() => (window as unknown as { vaePlayground: { evaluation: { iwae: number; elbo: number; recon: number; kl: number; n: number; activeUnits: number; latentDims: number } } }).vaePlayground.evaluation);
    expect(ev.n).toBe(500);
    expect(ev.elbo).toBeCloseTo(ev.recon - ev.kl, 3);
    // IWAE-10 ≥ ELBO in expectation; over 500 examples the gap's noise is far below 1 nat.
    expect(ev.iwae).toBeGreaterThan(ev.elbo - 1);
    expect(ev.iwae).toBeLessThan(-100);
    expect(ev.latentDims).toBe(50);

    // Download weights: tfjs's weights manifest (and the .bin beside it), every parameter named.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#weights')]);
    expect(download.suggestedFilename()).toBe('vae-weights.json');
    const specs = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { name: string; shape: number[]; dtype: string }[];
    expect(specs.map((w) => w.name)).toEqual(expect.arrayContaining(['encoder.l0.w0', 'encoder.l1.w', 'decoder.l0.w0', 'decoder.l1.b']));
    expect(specs.find((w) => w.name === 'encoder.l0.w0')!.shape).toEqual([784, 400]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'trained.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('stops at a read-back and resumes from the same step', async () => {
    await page.fill('#steps', '100000');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('status')?.dataset['step'] ?? 0) >= 10, null, { timeout: 60_000 });
    await page.click('#stop');
    await page.waitForFunction(() => document.getElementById('status')?.dataset['stopped'] !== undefined, null, { timeout: 60_000 });
    const stoppedAt = Number(await page.locator('#status').getAttribute('data-stopped'));
    expect(stoppedAt).toBeGreaterThanOrEqual(10);
    expect(stoppedAt).toBeLessThan(1000);
    expect(stoppedAt % 10).toBe(0); // statistics are read every 10 steps
    await page.fill('#steps', '10');
    await page.click('#resume');
    await page.waitForFunction((n) => document.getElementById('status')?.dataset['stopped'] === String(n), stoppedAt + 10, { timeout: 60_000 });
    const steps = await page.evaluate(() => (window as unknown as { vaePlayground: { records: { kind: string; step: number }[] } }).vaePlayground.records.filter((r) => r.kind === 'step').map((r) => r.step));
    expect(steps).toEqual(Array.from({ length: stoppedAt + 10 }, (_, i) => i + 1));
  });

  it('a training run that goes non-finite stops with the site and the step', async () => {
    const good = await getProgram(page);
    await setProgram(page, good.replace('adam(lr: 1e-3)', 'adam(lr: 1e30)'));
    await page.locator('#plan-table').waitFor({ timeout: 20_000 });
    await page.fill('#steps', '30');
    await page.click('#train');
    await page.waitForFunction(() => (document.getElementById('train-error')?.textContent ?? '').length > 0, null, { timeout: 60_000 });
    const text = (await page.locator('#train-error').textContent()) ?? '';
    expect(text).toMatch(/error\[VAE901\]: training stopped: a non-finite .* at step \d+/);
    expect(text).toContain('hint');
    await setProgram(page, good);
    await page.locator('#plan-table').waitFor({ timeout: 20_000 });
  });

  it('a bad data file gets the CLI message with the file and the row', async () => {
    const bad = new Float32Array(20 * 784).fill(0);
    bad[3 * 784 + 5] = -3; // the 4th row is not binary (nor a gray level); rows count from 1
    const bytes = Array.from(encodeNpy({ shape: [20, 784], data: bad }));
    await page.evaluate(async (b) => {
      const f = new File([new Uint8Array(b)], 'x.npy');
      await (window as unknown as { vaeUseFiles(f: File[]): Promise<void> }).vaeUseFiles([f]);
    }, bytes);
    await page.waitForFunction(() => document.getElementById('data-status')?.className === 'err', null, { timeout: 30_000 });
    const text = (await page.locator('#data-status').textContent()) ?? '';
    expect(text).toMatch(/error\[VAE702\]/);
    expect(text).toContain('x.npy');
    expect(text).toMatch(/\(row 4 has -3\)/);
    await page.click('#use-bundled');
  });

  it("the estimator lab on the lecture's toy: variance 4 under reparam, θ⁴ + 14θ² + 15 = 11415 under score", async () => {
    await page.selectOption('#examples', 'toy-gaussian.vae');
    await page.locator('#plan').getByText('toy-gaussian.vae').waitFor({ timeout: 20_000 });
    await page.fill('#lab-specs', 'reparam,score');
    await page.fill('#lab-draws', '5000');
    await page.click('#lab-run');
    await page.waitForFunction(() => (window as unknown as { vaePlayground: { lab?: unknown } }).vaePlayground.lab !== undefined, null, { timeout: 60_000 });
    const rows = await page.evaluate(() => (window as unknown as { vaePlayground: { lab: { estimator: string; group: string; variance: number }[] } }).vaePlayground.lab);
    const v = (e: string) => rows.find((r) => r.estimator === e && r.group === 'theta')!.variance;
    // S = 5000 draws (fixed seed): SE of the variance is 4·√(2/S) = 0.08 for reparam and about
    // 320 for score (its fourth moment is heavy); the bounds are 5 SE.
    expect(Math.abs(v('reparam') - 4)).toBeLessThan(0.4);
    expect(Math.abs(v('score') - 11415)).toBeLessThan(1700);
    expect(await page.locator('#lab-table').textContent()).toContain('score');
    await page.selectOption('#examples', 'vae.vae');
    await page.locator('#plan').getByText('vae.vae').waitFor({ timeout: 20_000 });
  });

  it('a shared URL round-trips the program', async () => {
    const edited = (await getProgram(page)).replace('const Z = 50', 'const Z = 2');
    await setProgram(page, edited);
    await page.locator('#plan-table').waitFor({ timeout: 20_000 });
    await page.click('#share');
    await page.waitForFunction(() => location.hash.includes('program='), null, { timeout: 10_000 });
    const url = page.url();
    const other = await browser.newPage();
    await other.goto(url);
    await other.locator('#plan-table').waitFor({ timeout: 30_000 });
    expect(await getProgram(other)).toBe(edited);
    expect(await other.locator('#file-name').textContent()).toBe('vae.vae');
    expect(await other.locator('#plan-table').textContent()).toContain('Normal[2]');
    await other.close();
  });
});
