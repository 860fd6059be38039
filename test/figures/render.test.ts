// Rendering in Node: the shipped font is given to resvg (without it resvg silently drops all
// text), vega lays text out with that font's real advance widths, and every rendered figure is
// the right size, not blank, and has its text. Written atomically as .svg and .png.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { curvesSpec, diagnosticsSpec, snrSpec } from '../../src/figures/index';
import { FONT_FILE, renderSvg, shippedFontMetrics, svgToPng, writeFigure } from '../../src/figures/node/index';
import { runRecords, SNR_POINTS } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-figures-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (bytes: Uint8Array): PNG => PNG.sync.read(Buffer.from(bytes));
const lum = (p: PNG, i: number) => 0.3 * p.data[4 * i]! + 0.59 * p.data[4 * i + 1]! + 0.11 * p.data[4 * i + 2]!;

/** Columns [first, last] holding dark pixels, and how many dark pixels there are. */
function ink(p: PNG, box = { x0: 0, y0: 0, x1: p.width, y1: p.height }): { first: number; last: number; count: number } {
  let first = Infinity;
  let last = -Infinity;
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (lum(p, y * p.width + x) < 128) {
        count++;
        first = Math.min(first, x);
        last = Math.max(last, x);
      }
    }
  }
  return { first, last, count };
}

/** Pixels within 40 (per channel) of a colour. */
function near(p: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) if (Math.abs(p.data[4 * i]! - r!) < 40 && Math.abs(p.data[4 * i + 1]! - g!) < 40 && Math.abs(p.data[4 * i + 2]! - b!) < 40) n++;
  return n;
}

describe('the shipped font', () => {
  it('is in the package with its license, and resvg draws text with it at the width vega is told', () => {
    expect(fs.existsSync(FONT_FILE)).toBe(true);
    expect(fs.readFileSync(path.join(path.dirname(FONT_FILE), 'LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream');
    const text = 'KL(q ‖ p) ≈ β·K⁻¹ᐟ²';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="10" y="30" font-family="DejaVu Sans" font-size="20">${text}</text></svg>`;
    const p = read(svgToPng(svg, 1));
    const { first, last, count } = ink(p);
    expect(count).toBeGreaterThan(300); // the text is drawn
    const width = shippedFontMetrics().width(text, 20);
    // the ink spans the advance widths, less the side bearings of the first and last glyph (< 3 px)
    expect(first).toBeGreaterThanOrEqual(10);
    expect(first).toBeLessThan(13);
    expect(Math.abs(last + 1 - (10 + width))).toBeLessThan(4);
    for (const c of 'βθ‖≈⁻¹ᐟ²⁺√π·×−∝∇₂ΦΣ') expect(shippedFontMetrics().has(c.codePointAt(0)!)).toBe(true);
  });
});

describe('rendered figures', () => {
  it('curves: the PNG is the SVG at twice the size; the panel is as large as asked; lines and text are drawn', async () => {
    const spec = curvesSpec({ records: runRecords(2, 30), title: 'models/vae.vae', size: { width: 300, height: 180 } })!;
    const r = await renderSvg(spec);
    expect(r.warnings).toEqual([]);
    expect(r.svg.match(/d="M0\.5,0\.5h300v180h-300Z" stroke=/g)).toHaveLength(2); // each panel's framed plot area
    const p = read(svgToPng(r.svg, 2));
    expect([p.width, p.height]).toEqual([2 * r.width, 2 * r.height]);
    expect(r.width).toBeGreaterThan(2 * 300);
    expect(near(p, '#4c78a8')).toBeGreaterThan(500); // the training curve
    expect(near(p, '#f58518')).toBeGreaterThan(100); // the validation curve
    expect(ink(p, { x0: 0, y0: 0, x1: p.width, y1: 60 }).count).toBeGreaterThan(500); // the title band
    // every character of the SVG's text is in the font (no missing-glyph boxes)
    const chars = [...r.svg.matchAll(/>([^<>]+)<\/(?:text|tspan)>/g)].flatMap((m) => [...m[1]!]);
    expect(chars.length).toBeGreaterThan(100);
    for (const c of chars) expect(shippedFontMetrics().has(c.codePointAt(0)!), c).toBe(true);
  });

  it('diagnostics and SNR figures render without warnings, with text and colour', async () => {
    for (const spec of [diagnosticsSpec({ records: runRecords(2, 30) })!, snrSpec({ points: SNR_POINTS, draws: 100 })!]) {
      const r = await renderSvg(spec);
      expect(r.warnings).toEqual([]);
      const p = read(svgToPng(r.svg, 1));
      expect([p.width, p.height]).toEqual([r.width, r.height]);
      expect(ink(p).count).toBeGreaterThan(1000);
      expect(near(p, '#4c78a8') + near(p, '#e45756')).toBeGreaterThan(100);
    }
  });

  it('writes NAME.svg and NAME.png atomically, replacing old files, leaving no temporary file', async () => {
    const base = path.join(tmp, 'sub', 'curves');
    const spec = curvesSpec({ records: runRecords(1, 10) })!;
    expect(await writeFigure(`${base}.png`, spec)).toEqual([`${base}.svg`, `${base}.png`]);
    fs.writeFileSync(`${base}.png`, 'old');
    expect(await writeFigure(base, spec, { formats: ['png'], scale: 1 })).toEqual([`${base}.png`]);
    expect(read(fs.readFileSync(`${base}.png`)).width).toBeGreaterThan(100);
    expect(fs.readdirSync(path.dirname(base)).sort()).toEqual(['curves.png', 'curves.svg']);
  });
});
