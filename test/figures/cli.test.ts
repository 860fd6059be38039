// `vae plot` and `vae export-metrics` on run directories written here (no training): every
// figure redrawn as SVG and PNG at the asked size and format, compare directories, the tidy
// CSV, and bad input (no metrics, an empty or corrupt file, bad flags) as one message naming the
// file and line, exit code 1, nothing written.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { metricsLine } from '../../src/metrics/records';
import { captureIo } from '../helpers/io';
import { runRecords } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-plot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeRun(name: string, text: string, objective: object = { kind: 'elbo' }): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), text);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ program: `models/${name}.vae`, settings: { objective: { value: objective, origin: 'file' } } }));
  return dir;
}

const metrics = (epochs: number, perEpoch: number, seed = 1) => `${runRecords(epochs, perEpoch, 1, seed).map(metricsLine).join('\n')}\n`;

async function run(args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout, text: io.text() };
}

const size = (file: string) => {
  const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(fs.readFileSync(file, 'utf8'))!;
  return [Number(m[1]), Number(m[2])];
};

describe('vae plot', () => {
  it('redraws curves and diagnostics as SVG and PNG (PNG at twice the SVG size)', async () => {
    const dir = writeRun('vae', metrics(2, 30));
    const r = await run(['plot', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(['curves.svg', 'curves.png', 'diagnostics.svg', 'diagnostics.png'].map((f) => path.join(dir, f)));
    for (const name of ['curves', 'diagnostics']) {
      const [w, h] = size(path.join(dir, `${name}.svg`));
      const png = PNG.sync.read(fs.readFileSync(path.join(dir, `${name}.png`)));
      expect([png.width, png.height]).toEqual([2 * w!, 2 * h!]);
    }
    expect(fs.readFileSync(path.join(dir, 'curves.svg'), 'utf8')).toContain('models/vae.vae: training curves');
  });

  it('--format svg, --size, --out; the IWAE bound named from config.json', async () => {
    const dir = writeRun('iwae', metrics(1, 20), { kind: 'iwae', k: 5 });
    const out = path.join(tmp, 'figs');
    const r = await run(['plot', dir, '--format', 'svg', '--size', '300x200', '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['curves.svg', 'diagnostics.svg']);
    const svg = fs.readFileSync(path.join(out, 'curves.svg'), 'utf8');
    expect(svg.match(/d="M0\.5,0\.5h300v200h-300Z" stroke=/g)).toHaveLength(2);
    expect(svg).toContain('train IWAE-5, valid ELBO');
    const png = await run(['plot', dir, '--format', 'png', '--scale', '1', '--size', '300x200', '--out', out]);
    expect(png.stdout.map((f) => path.basename(f))).toEqual(['curves.png', 'diagnostics.png']);
    expect(PNG.sync.read(fs.readFileSync(path.join(out, 'curves.png'))).width).toBe(size(path.join(out, 'curves.svg'))[0]);
  });

  it('a vae compare directory: the comparison and each model\'s figures', async () => {
    const dir = path.join(tmp, 'cmp');
    fs.mkdirSync(dir);
    writeRun('cmp/vae', metrics(3, 10, 1));
    writeRun('cmp/iwae', metrics(3, 10, 2));
    fs.writeFileSync(path.join(dir, 'compare.json'), JSON.stringify({ protocol: { data: 'ring' }, curves: [{ model: 'vae', history: [] }, { model: 'iwae', history: [] }] }));
    const r = await run(['plot', dir, '--format', 'svg']);
    expect(r.code).toBe(0);
    expect(r.stdout.map((f) => path.relative(dir, f))).toEqual(['compare.svg', 'vae/curves.svg', 'vae/diagnostics.svg', 'iwae/curves.svg', 'iwae/diagnostics.svg']);
    expect(fs.readFileSync(path.join(dir, 'compare.svg'), 'utf8')).toContain('vae compare: vae, iwae on ring');
  });

  it('bad input: one message naming the file (and line), exit code 1, nothing written', async () => {
    const corrupt = writeRun('corrupt', `${metrics(1, 3)}{"kind":"step","step":4,"ep\n`);
    const empty = writeRun('empty', '\n');
    fs.mkdirSync(path.join(tmp, 'norun'));
    const cases: [string[], RegExp][] = [
      [['plot', corrupt], /corrupt\/metrics\.jsonl:5: not a JSON object \(cut off or corrupt\): \{"kind":"step","step":4,"ep/],
      [['plot', empty], /empty\/metrics\.jsonl' holds no metrics yet/],
      [['plot', path.join(tmp, 'norun')], /holds no metrics\.jsonl: it is not a training run/],
      [['plot', path.join(tmp, 'nothing-here')], /is not a directory/],
      [['plot', corrupt, '--size', '30x20'], /invalid --size '30x20'/],
      [['plot', corrupt, '--format', 'pdf'], /invalid --format 'pdf'/],
      [['plot', corrupt, '--scale', '0'], /invalid --scale '0'/],
      [['export-metrics', corrupt, '--csv'], /corrupt\/metrics\.jsonl:5:/],
      [['export-metrics', corrupt, '--kind', 'batch'], /invalid --kind 'batch'/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.text).toMatch(message);
      expect(r.text).toContain('hint:');
      expect(r.text).not.toMatch(/internal error|\n\s+at /);
    }
    for (const d of ['corrupt', 'empty', 'norun']) expect(fs.readdirSync(path.join(tmp, d)).filter((f) => /\.(svg|png|csv)$/.test(f))).toEqual([]);
  });
});

describe('vae export-metrics', () => {
  it('prints a tidy CSV, or writes it with --out; --kind keeps one kind', async () => {
    const dir = writeRun('csv', metrics(2, 3));
    const r = await run(['export-metrics', dir, '--csv']);
    expect(r.code).toBe(0);
    const rows = r.stdout.join('\n').split('\n');
    expect(rows[0]).toBe('kind,step,epoch,steps,loss,elbo,kl,beta,grad_norm,lr,examples_per_sec,seconds,valid_elbo,valid_kl');
    expect(rows.slice(1).map((l) => l.split(',')[0])).toEqual(['step', 'step', 'step', 'epoch', 'step', 'step', 'step', 'epoch']);
    expect(rows.every((l) => l.split(',').length === 14)).toBe(true);
    const out = path.join(tmp, 'steps.csv');
    expect((await run(['export-metrics', dir, '--csv', '--kind', 'step', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(7);
  });
});
